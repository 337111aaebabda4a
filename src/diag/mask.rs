//! Secret-bearing sources in reports: their secret values print as `******`, spans move with
//! them, and no message, label, note or hint repeats a hidden value.

use super::{Diagnostic, SourceId, Sources, Span};
use std::ops::Range;

/// What a hidden value prints as; Talos writes the same for a redacted key.
pub const REDACTED: &str = "******";

/// One stretch of a source: kept as it is, or hidden behind [`REDACTED`].
#[derive(Debug, Clone)]
struct Piece {
    orig: Range<usize>,
    new: Range<usize>,
    hidden: bool,
}

/// A source text with its secret values replaced, and how offsets move.
#[derive(Debug)]
struct Masked {
    text: String,
    pieces: Vec<Piece>,
    /// What was hidden, as a message might quote it.
    fragments: Vec<String>,
}

/// The diagnostics and sources as a report may show them, or `None` when no source is
/// secret-bearing (then the originals are shown).
pub(super) fn view(diags: &[Diagnostic], sources: &Sources) -> Option<(Vec<Diagnostic>, Sources)> {
    let masks: Vec<Option<Masked>> = (0..sources.files.len())
        .map(|i| {
            sources
                .masked(SourceId(i as u32))
                .map(|r| mask(sources.text(SourceId(i as u32)), r))
        })
        .collect();
    if masks.iter().all(Option::is_none) {
        return None;
    }
    let mut shown = sources.clone();
    let mut fragments: Vec<&str> = Vec::new();
    for (f, m) in shown.files.iter_mut().zip(&masks) {
        if let Some(m) = m {
            f.text.clone_from(&m.text);
            f.masked = None;
            fragments.extend(m.fragments.iter().map(String::as_str));
        }
    }
    fragments.sort_by_key(|f| std::cmp::Reverse(f.len()));
    fragments.dedup();
    let scrub = |s: &str| -> String {
        let mut s = s.to_string();
        for f in &fragments {
            if s.contains(f) {
                s = s.replace(f, REDACTED);
            }
        }
        s
    };
    let move_span = |span: &Span| -> Span {
        match &masks[span.source.0 as usize] {
            Some(m) => Span::new(span.source, m.map(&span.range)),
            None => span.clone(),
        }
    };
    let diags = diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.message = scrub(&d.message);
            d.label = d.label.as_deref().map(scrub);
            d.span = d.span.as_ref().map(move_span);
            for l in &mut d.labels {
                l.span = move_span(&l.span);
                l.message = scrub(&l.message);
            }
            for n in d.notes.iter_mut().chain(d.hints.iter_mut()) {
                *n = scrub(n);
            }
            d
        })
        .collect();
    Some((diags, shown))
}

/// Words a message uses for types and literals: never taken for a hidden value.
const NOT_SECRET: &[&str] = &[
    "null", "true", "false", "string", "mapping", "sequence", "integer", "float", "bool",
];

/// Hides `ranges` of `text`, line by line so line numbers stay: each line's part of a range
/// (after the indentation of continuation lines) becomes one [`REDACTED`].
fn mask(text: &str, ranges: &[Range<usize>]) -> Masked {
    let mut hidden: Vec<Range<usize>> = Vec::new();
    let mut sorted: Vec<Range<usize>> = ranges
        .iter()
        .map(|r| floor(text, r.start)..floor(text, r.end.min(text.len())))
        .filter(|r| r.start < r.end)
        .collect();
    sorted.sort_by_key(|r| r.start);
    for r in sorted {
        let mut pos = r.start.max(hidden.last().map_or(0, |h| h.end));
        while pos < r.end {
            let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let end = line_end.min(r.end);
            let seg = &text[pos..end];
            // A continuation line keeps its indentation; the first keeps what precedes it.
            let at_line_start = pos == 0 || text.as_bytes()[pos - 1] == b'\n';
            let lead = if at_line_start {
                seg.len() - seg.trim_start().len()
            } else {
                0
            };
            let start = pos + lead;
            let stop = start + text[start..end].trim_end().len();
            if start < stop {
                hidden.push(start..stop);
            }
            pos = line_end + 1;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut pieces = Vec::new();
    let mut fragments = Vec::new();
    let mut at = 0;
    for h in &hidden {
        push(
            &mut out,
            &mut pieces,
            at..h.start,
            &text[at..h.start],
            false,
        );
        push(&mut out, &mut pieces, h.clone(), REDACTED, true);
        fragments.extend(quotable(&text[h.clone()]));
        at = h.end;
    }
    push(&mut out, &mut pieces, at..text.len(), &text[at..], false);
    Masked {
        text: out,
        pieces,
        fragments,
    }
}

fn push(out: &mut String, pieces: &mut Vec<Piece>, orig: Range<usize>, shown: &str, hidden: bool) {
    let start = out.len();
    out.push_str(shown);
    pieces.push(Piece {
        orig,
        new: start..out.len(),
        hidden,
    });
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The forms in which a message may quote a hidden value: the whole of it unquoted, and
/// each word of it (a flow list or a tagged scalar is several).
fn quotable(hidden: &str) -> Vec<String> {
    let whole = hidden.trim().trim_matches(['"', '\'']);
    let mut out = vec![whole.to_string()];
    out.extend(
        whole
            .split(|c: char| c.is_whitespace() || "[]{},\"'".contains(c))
            .map(str::to_string),
    );
    // Tags (`!!int`) are YAML, not values.
    out.retain(|f| {
        f.chars().count() >= 4 && !f.starts_with('!') && !NOT_SECRET.contains(&f.as_str())
    });
    out
}

impl Masked {
    /// Where a span of the original text is in the masked one; a span that starts or ends
    /// inside a hidden value covers its marker.
    fn map(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.at(r.start, false);
        let end = if r.end > r.start {
            self.at(r.end, true)
        } else {
            start
        };
        start..end.max(start)
    }

    fn at(&self, offset: usize, end: bool) -> usize {
        // An end offset belongs with the byte before it.
        let probe = if end { offset - 1 } else { offset };
        let Some(p) = self
            .pieces
            .iter()
            .find(|p| p.orig.start <= probe && probe < p.orig.end)
        else {
            return self.text.len();
        };
        match (p.hidden, end) {
            (false, _) => p.new.start + (offset - p.orig.start),
            (true, false) => p.new.start,
            (true, true) => p.new.end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_ranges_line_by_line_and_moves_spans() {
        let text = "a: 1\nkey: SECRETVALUE123\nblock: |\n    LINE1SECRET\n    LINE2SECRET\nz: 2\n";
        let s = text.find("SECRET").unwrap();
        let b = text.find('|').unwrap();
        let b_end = text.find("\nz:").unwrap();
        let m = mask(text, &[s..s + 14, b..b_end]);
        assert_eq!(
            m.text,
            "a: 1\nkey: ******\nblock: ******\n    ******\n    ******\nz: 2\n"
        );
        // Same lines; a span inside the value covers the marker, others keep their place.
        let z = text.find("z: 2").unwrap();
        assert_eq!(&m.text[m.map(&(z..z + 4))], "z: 2");
        assert_eq!(&m.text[m.map(&(s + 3..s + 5))], "******");
        let key = text.find("key").unwrap();
        assert_eq!(&m.text[m.map(&(key..s + 14))], "key: ******");
        assert_eq!(m.map(&(s..s)), m.map(&(s..s)).start..m.map(&(s..s)).start);
        assert!(m.fragments.contains(&"SECRETVALUE123".to_string()));
        assert!(m.fragments.contains(&"LINE1SECRET".to_string()));
    }

    #[test]
    fn reports_hide_values_and_scrub_messages() {
        let mut sources = Sources::default();
        let text = "cluster:\n    secret: !!int SECRETVALUE123\n";
        let at = text.find("!!int").unwrap();
        let hidden = std::iter::once(at..text.len() - 1).collect();
        let id = sources.add_masked("f.yaml", text, hidden);
        let d = Diagnostic::error("cannot decode !!str `SECRETVALUE123` as a !!int")
            .at(Span::new(id, at + 6..at + 20))
            .with_note("value `SECRETVALUE123`");
        let (diags, shown) = view(&[d], &sources).unwrap();
        assert_eq!(shown.text(id), "cluster:\n    secret: ******\n");
        assert_eq!(diags[0].message, "cannot decode !!str `******` as a !!int");
        assert_eq!(diags[0].notes, ["value `******`"]);
        let r = diags[0].span.as_ref().unwrap().range.clone();
        assert_eq!(&shown.text(id)[r], "******");
        assert_eq!(
            shown.line_col(id, diags[0].span.as_ref().unwrap().range.start),
            (2, 13)
        );
        // Nothing masked: nothing changes.
        assert!(view(&diags, &shown).is_none());
    }
}
