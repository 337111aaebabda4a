//! The block structure Go's parser demands and `gotmpl` does not: every `if`/`range`/`with`/`define`/`block` closed by `end`.
//!
//! `gotmpl` 0.6 renders `{{if .X}}x` (no `end`) and a stray `{{end}}` where Go's
//! `text/template` refuses to parse them; a talconfig that talhelper refuses must not render
//! here. This walks the actions only (strings and comments skipped), not a second parser.

use super::TemplateError;

/// Go's parse error for the first unbalanced block in `text`, if any.
pub(super) fn check(text: &str) -> Result<(), TemplateError> {
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut rest = text;
    let mut line = 1;
    while let Some(start) = rest.find("{{") {
        line += rest[..start].matches('\n').count();
        let action = &rest[start + 2..];
        let Some(len) = action_len(action) else {
            // An unclosed action: gotmpl's lexer reports it.
            return Ok(());
        };
        let body = action[..len]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        match body.split_whitespace().next().unwrap_or("") {
            w @ ("if" | "range" | "with" | "define" | "block") => open.push((w, line)),
            "end" if open.pop().is_none() => {
                return Err(TemplateError::new(format!(
                    "template: template:{line}: unexpected {{{{end}}}}"
                )));
            }
            "else" if open.is_empty() => {
                return Err(TemplateError::new(format!(
                    "template: template:{line}: unexpected {{{{else}}}}"
                )));
            }
            _ => {}
        }
        line += action[..len].matches('\n').count();
        rest = &action[len + 2..];
    }
    match open.last() {
        Some((_, at)) => Err(TemplateError::new(format!(
            "template: template:{at}: unexpected EOF"
        ))),
        None => Ok(()),
    }
}

/// Bytes up to the `}}` closing an action, skipping quoted strings and comments.
fn action_len(a: &str) -> Option<usize> {
    let b = a.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' | b'`' | b'\'' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' && q != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if a[i..].starts_with("/*") => i += a[i..].find("*/")? + 1,
            b'}' if a[i..].starts_with("}}") => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn unbalanced_blocks_fail_as_go_parses_them() {
        for (text, want) in [
            ("{{if .X}}x", Some("template: template:1: unexpected EOF")),
            (
                "a\n{{ end }}",
                Some("template: template:2: unexpected {{end}}"),
            ),
            (
                "{{ else }}",
                Some("template: template:1: unexpected {{else}}"),
            ),
            ("{{- range .L }}{{ . }}{{ end -}}", None),
            ("{{ if eq .X \"}}\" }}a{{ else }}b{{ end }}", None),
            ("{{/* {{if */}}plain", None),
            (
                "{{ with .X }}{{ if . }}y{{ end }}",
                Some("template: template:1: unexpected EOF"),
            ),
        ] {
            assert_eq!(
                check(text).err().map(|e| e.message).as_deref(),
                want,
                "{text}"
            );
        }
    }
}
