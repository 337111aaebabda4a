//! YAML comments blanked out of a text, byte offsets kept (talhelper strips them before `envsubst`).

use super::parse_documents;

/// `text` with every comment replaced by spaces, so that `${VAR}`s in comments are not
/// substituted (talhelper's `stripYamlComment` before `envsubst`). Byte offsets are kept,
/// so spans into the result are spans into `text`.
///
/// Quoted and block scalars keep their `#`s. The scan is lexical; when its result would
/// parse to different values than `text` (YAML it does not model), `text` is returned as is.
pub fn blank_comments(text: &str) -> String {
    let blanked = blank(text);
    if blanked == text {
        return blanked;
    }
    let values = |t: &str| {
        parse_documents(t)
            .ok()
            .map(|d| d.into_iter().map(|d| d.value).collect::<Vec<_>>())
    };
    match (values(text), values(&blanked)) {
        (Some(a), Some(b)) if a == b => blanked,
        _ => text.to_string(),
    }
}

/// Where the scan is between lines.
#[derive(Clone, Copy)]
enum State {
    Plain,
    /// Inside a quoted scalar (`"` or `'`) that continues on the next line.
    Quoted(u8),
    /// Block scalar content: `None` until its first non-empty line sets the indentation;
    /// `parent` is the indentation of the header's line.
    Block {
        parent: usize,
        indent: Option<usize>,
    },
}

fn blank(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut state = State::Plain;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let width = body.len() - body.trim_start_matches(' ').len();
        if let State::Block { parent, indent } = state {
            let blank_line = body.trim().is_empty();
            let content = indent.unwrap_or(parent + 1);
            if blank_line || width >= content.max(parent + 1) {
                if !blank_line && indent.is_none() {
                    state = State::Block {
                        parent,
                        indent: Some(width),
                    };
                }
                out.push_str(line);
                continue;
            }
            state = State::Plain;
        }
        let (kept, next) = scan_line(line, state, width);
        out.push_str(&kept);
        state = next;
    }
    out
}

/// One line outside block scalar content: the line with its comment blanked, and the state
/// for the next line.
fn scan_line(line: &str, mut state: State, width: usize) -> (String, State) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match state {
            State::Quoted(q) => {
                if b[i] == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if b[i] == q {
                    if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    state = State::Plain;
                }
                i += 1;
            }
            State::Plain | State::Block { .. } => {
                let c = b[i];
                let after_ws = i == 0 || matches!(b[i - 1], b' ' | b'\t');
                if c == b'#' && after_ws {
                    let end = line.trim_end_matches(['\n', '\r']).len();
                    let mut kept = line[..i].to_string();
                    kept.extend(std::iter::repeat_n(' ', end - i));
                    kept.push_str(&line[end..]);
                    return (kept, state);
                }
                if (c == b'"' || c == b'\'') && starts_token(b, i) {
                    state = State::Quoted(c);
                } else if (c == b'|' || c == b'>') && starts_token(b, i) && ends_header(&b[i + 1..])
                {
                    state = State::Block {
                        parent: width,
                        indent: None,
                    };
                }
                i += 1;
            }
        }
    }
    (line.to_string(), state)
}

/// Whether a scalar can start at `i`: at the start of the line's content or after an
/// indicator (`: `, `- `, `? `, `[`, `{`, `,`).
fn starts_token(b: &[u8], i: usize) -> bool {
    let before = b[..i].iter().rposition(|c| !matches!(c, b' ' | b'\t'));
    match before {
        None => true,
        Some(j) => {
            let spaced = j + 1 < i;
            match b[j] {
                b'[' | b'{' | b',' => true,
                b':' | b'-' | b'?' => spaced,
                _ => false,
            }
        }
    }
}

/// Whether the rest of a line after `|`/`>` is a block scalar header: chomping and
/// indentation indicators, then blanks, a comment or the end of the line.
fn ends_header(rest: &[u8]) -> bool {
    let n = rest
        .iter()
        .take_while(|c| matches!(c, b'-' | b'+' | b'1'..=b'9'))
        .count();
    match rest.get(n) {
        None | Some(b'\n' | b'\r' | b' ' | b'\t') => rest[n..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count()
            .checked_add(n)
            .is_some_and(|m| matches!(rest.get(m), None | Some(b'\n' | b'\r' | b'#'))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::blank_comments;

    /// The blanked text, checked to keep every byte offset, with trailing blanks trimmed.
    fn blanked(text: &str) -> Vec<String> {
        let out = blank_comments(text);
        assert_eq!(out.len(), text.len(), "{out:?}");
        out.lines().map(|l| l.trim_end().to_string()).collect()
    }

    #[test]
    fn blanks_comments_and_keeps_scalars() {
        let text = "# head ${X}\n\
                    a: \"q # not\" # c1 $Y\n\
                    b: 'it''s #x'   # c2\n\
                    c: | # hdr $H\n  line # kept\n  ${Z}\n\n  more\n\
                    d: plain#kept # gone $D\n\
                    e: [x, y] # fl\n\
                    \"$$patch\": delete\n\
                    f: it's # gone\n";
        assert_eq!(
            blanked(text),
            [
                "",
                "a: \"q # not\"",
                "b: 'it''s #x'",
                "c: |",
                "  line # kept",
                "  ${Z}",
                "",
                "  more",
                "d: plain#kept",
                "e: [x, y]",
                "\"$$patch\": delete",
                "f: it's",
            ]
        );
    }

    #[test]
    fn multi_line_quotes_and_block_ends() {
        let text = "a: \"one # x\n  two\" # c\nb: >-\n  folded # kept\nc: 1 # c\n";
        assert_eq!(
            blanked(text),
            [
                "a: \"one # x",
                "  two\"",
                "b: >-",
                "  folded # kept",
                "c: 1"
            ]
        );
    }

    #[test]
    fn text_it_cannot_model_is_returned_as_is() {
        // An anchor before a quote: the scan does not see the quote and would cut the
        // scalar; the values differ, so nothing is blanked.
        let text = "a: &x \"b #c\" # c\n";
        assert_eq!(blank_comments(text), text);
    }
}
