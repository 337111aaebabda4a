//! Where a YAML text's comments are. saphyr reports no comments, so the scalars' spans say
//! where a `#` is content; every other `#` after a blank (or at a line's start) opens a
//! comment that runs to the end of its line.

use super::offsets::Offsets;
use super::{ParseError, scan_error};
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::ops::Range;

/// The byte ranges of every comment of `text` (from `#` to the line's end, the line break
/// excluded). YAML that does not parse is an error.
pub fn comment_ranges(text: &str) -> Result<Vec<Range<usize>>, ParseError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut content: Vec<Range<usize>> = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(text, &offsets, &e))?;
        if let Event::Scalar(_, style, _, _) = event {
            let start = offsets.byte(span.start.index());
            let end = offsets.byte(span.end.index()).max(start);
            content.push(scalar_range(text, style, start, end));
        }
    }
    content.sort_by_key(|r| r.start);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut next_content = 0;
    let mut i = 0;
    while i < bytes.len() {
        while next_content < content.len() && content[next_content].end <= i {
            next_content += 1;
        }
        if let Some(r) = content.get(next_content)
            && r.start <= i
        {
            i = r.end.max(i + 1);
            continue;
        }
        let after_blank = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r');
        if bytes[i] == b'#' && after_blank {
            let end = text[i..].find(['\n', '\r']).map_or(text.len(), |n| i + n);
            out.push(i..end);
            i = end;
            continue;
        }
        i += 1;
    }
    Ok(out)
}

/// The text a scalar really covers: saphyr's end for a quoted scalar can run past the
/// closing quote (over a comment), and a block scalar's past its last content line.
fn scalar_range(text: &str, style: ScalarStyle, start: usize, end: usize) -> Range<usize> {
    let b = text.as_bytes();
    match style {
        ScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return start..i + 1;
                }
                i += 1;
            }
            start..end
        }
        ScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return start..i + 1,
                    _ => i += 1,
                }
            }
            start..end
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            // Content lines are blank or indented at least as far as the first one.
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
            let indent = start - line_start;
            let mut last = start;
            let mut at = start;
            while at < end {
                let line_end = text[at..end].find('\n').map_or(end, |n| at + n + 1);
                let line = &text[at..line_end];
                let blank = line.trim().is_empty();
                let spaces = line.len() - line.trim_start_matches(' ').len();
                if at != start && !blank && spaces < indent {
                    break;
                }
                if !blank || at == start {
                    last = line_end;
                }
                at = line_end;
            }
            start..last
        }
        ScalarStyle::Plain => start..end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(text: &str) -> Vec<&str> {
        comment_ranges(text)
            .unwrap()
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn finds_comments_outside_scalars() {
        let text = "# head\na: |\n  # not a comment\n  x: 1 # no\nb: 'it''s # no' # yes1\nc: \"q #\n  \\\" z\" # yes2\nd: plain#no # yes3\ne: >-\n  folded # no\n\n  more\n# after block\nf: [1, \"#x\", 2] # yes4\ng: | # header\n  body\n";
        assert_eq!(
            comments(text),
            [
                "# head",
                "# yes1",
                "# yes2",
                "# yes3",
                "# after block",
                "# yes4",
                "# header"
            ]
        );
    }

    // talhelper's TestComplexCommentStrip (pkg/substitute/envsubst_test.go).
    #[test]
    fn talhelper_complex_comment_strip() {
        let text = "a1: '123!@# not a comment'\na2: |\n  # not a comment\nb1: '\"' # comment\nb2: \"'\" # comment\nb3: \"\\\"\" # comment\n";
        assert_eq!(comments(text), ["# comment", "# comment", "# comment"]);
    }

    #[test]
    fn bad_yaml_is_an_error() {
        assert!(comment_ranges("a: [1, 2\n").is_err());
    }
}
