//! The part of Go's text/template that talhelper's `imageFactory` URL templates use: fields
//! (`{{.ID}}`), `if`/`else if`/`else`/`end`, `and`/`or`/`not`/`eq`/`ne`, string literals and
//! `{{-`/`-}}` trimming.

/// A template value: a string or a bool field.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val {
    /// A string (empty is false).
    Str(String),
    /// A bool.
    Bool(bool),
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
        }
    }

    fn text(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug)]
enum Node {
    Text(String),
    Print(Vec<String>),
    If(Vec<String>, Vec<Node>, Vec<Node>),
}

/// Renders `tmpl` with `fields` (`("ID", Val::Str(..))`); an error says what talforge cannot
/// evaluate.
pub(super) fn render(tmpl: &str, fields: &[(&str, Val)]) -> Result<String, String> {
    let tokens = lex(tmpl)?;
    let mut pos = 0;
    let (nodes, stop) = parse(&tokens, &mut pos)?;
    if let Some(s) = stop {
        return Err(format!("unexpected `{{{{{s}}}}}`"));
    }
    let mut out = String::new();
    eval(&nodes, fields, &mut out)?;
    Ok(out)
}

enum Tok {
    Text(String),
    Action(String),
}

fn lex(t: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(start) = rest.find("{{") {
        let mut text = rest[..start].to_string();
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "unclosed action `{{`".to_string())?;
        let mut inner = &after[..end];
        if let Some(s) = inner.strip_prefix('-') {
            text = text.trim_end().to_string();
            inner = s;
        }
        let mut trim_next = false;
        if let Some(s) = inner.strip_suffix('-') {
            trim_next = true;
            inner = s;
        }
        out.push(Tok::Text(text));
        out.push(Tok::Action(inner.trim().to_string()));
        rest = &after[end + 2..];
        if trim_next {
            rest = rest.trim_start();
        }
    }
    out.push(Tok::Text(rest.to_string()));
    Ok(out)
}

/// Nodes until `end`/`else` (returned as the stop word) or the end of input.
fn parse(toks: &[Tok], pos: &mut usize) -> Result<(Vec<Node>, Option<String>), String> {
    let mut nodes = Vec::new();
    while *pos < toks.len() {
        let tok = &toks[*pos];
        *pos += 1;
        match tok {
            Tok::Text(s) if !s.is_empty() => nodes.push(Node::Text(s.clone())),
            Tok::Text(_) => {}
            Tok::Action(a) => {
                let words = split_words(a)?;
                match words.first().map(String::as_str) {
                    Some("end") if words.len() == 1 => return Ok((nodes, Some("end".into()))),
                    Some("else") => return Ok((nodes, Some(a.clone()))),
                    Some("if") => nodes.push(parse_if(words[1..].to_vec(), toks, pos)?),
                    Some(_) => nodes.push(Node::Print(words)),
                    None => return Err("empty action `{{}}`".into()),
                }
            }
        }
    }
    Ok((nodes, None))
}

fn parse_if(cond: Vec<String>, toks: &[Tok], pos: &mut usize) -> Result<Node, String> {
    let (then, stop) = parse(toks, pos)?;
    let otherwise = match stop.as_deref() {
        Some("end") => Vec::new(),
        Some(e) if e.starts_with("else") => {
            let words = split_words(e)?;
            if words.get(1).map(String::as_str) == Some("if") {
                // `else if` closes with the outer `end`.
                vec![parse_if(words[2..].to_vec(), toks, pos)?]
            } else {
                let (body, stop) = parse(toks, pos)?;
                if stop.as_deref() != Some("end") {
                    return Err("`{{else}}` without `{{end}}`".into());
                }
                body
            }
        }
        _ => return Err("`{{if}}` without `{{end}}`".into()),
    };
    Ok(Node::If(cond, then, otherwise))
}

fn split_words(a: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = a.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut s = String::from('"');
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some(ch) => s.push(ch),
                    None => return Err(format!("unterminated string in `{{{{{a}}}}}`")),
                }
            }
            out.push(s);
        } else if c == '(' || c == ')' || c == '|' {
            return Err(format!(
                "`{{{{{a}}}}}`: talforge evaluates fields, if/else, and/or/not/eq/ne and strings, not `{c}`"
            ));
        } else {
            let mut w = String::new();
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                w.push(ch);
                chars.next();
            }
            out.push(w);
        }
    }
    Ok(out)
}

fn eval(nodes: &[Node], fields: &[(&str, Val)], out: &mut String) -> Result<(), String> {
    for n in nodes {
        match n {
            Node::Text(s) => out.push_str(s),
            Node::Print(words) => out.push_str(&expr(words, fields)?.text()),
            Node::If(cond, then, otherwise) => {
                let branch = if expr(cond, fields)?.truthy() {
                    then
                } else {
                    otherwise
                };
                eval(branch, fields, out)?;
            }
        }
    }
    Ok(())
}

fn expr(words: &[String], fields: &[(&str, Val)]) -> Result<Val, String> {
    let Some((head, args)) = words.split_first() else {
        return Err("missing value".into());
    };
    let vals = || {
        args.iter()
            .map(|a| operand(a, fields))
            .collect::<Result<Vec<_>, _>>()
    };
    match head.as_str() {
        "and" | "or" if args.len() >= 2 => {
            let vs = vals()?;
            let want = head == "or";
            // Go returns the first argument that decides, else the last.
            let last = vs.last().cloned().unwrap_or(Val::Bool(false));
            Ok(vs.into_iter().find(|v| v.truthy() == want).unwrap_or(last))
        }
        "not" if args.len() == 1 => Ok(Val::Bool(!operand(&args[0], fields)?.truthy())),
        "eq" | "ne" if args.len() == 2 => {
            let vs = vals()?;
            Ok(Val::Bool((vs[0] == vs[1]) == (head == "eq")))
        }
        _ if args.is_empty() => operand(head, fields),
        other => Err(format!(
            "`{other}`: talforge evaluates fields, if/else, and/or/not/eq/ne and strings"
        )),
    }
}

fn operand(w: &str, fields: &[(&str, Val)]) -> Result<Val, String> {
    if let Some(s) = w.strip_prefix('"') {
        return Ok(Val::Str(s.to_string()));
    }
    match w {
        "true" => return Ok(Val::Bool(true)),
        "false" => return Ok(Val::Bool(false)),
        _ => {}
    }
    let name = w
        .strip_prefix('.')
        .ok_or_else(|| format!("`{w}` is not a field (`.Name`) or a string"))?;
    fields
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.clone())
        .ok_or_else(|| {
            let names: Vec<String> = fields.iter().map(|(k, _)| format!(".{k}")).collect();
            format!("no field `{w}`; the fields are {}", names.join(", "))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(sb: bool, uki: bool) -> Vec<(&'static str, Val)> {
        vec![
            ("Mode", Val::Str("metal".into())),
            ("Secureboot", Val::Bool(sb)),
            ("UseUKI", Val::Bool(uki)),
            ("Suffix", Val::Str(".iso".into())),
        ]
    }

    #[test]
    fn fields_conditions_and_trimming() {
        let t = "{{.Mode}}{{if .Secureboot}}-secureboot{{end}}{{if and .Secureboot .UseUKI}}-uki.efi{{ else }}{{.Suffix}}{{end}}";
        assert_eq!(render(t, &f(false, false)).unwrap(), "metal.iso");
        assert_eq!(render(t, &f(true, false)).unwrap(), "metal-secureboot.iso");
        assert_eq!(
            render(t, &f(true, true)).unwrap(),
            "metal-secureboot-uki.efi"
        );
        assert_eq!(
            render(
                "a {{- if eq .Mode \"metal\" }} m {{- else if .UseUKI}}u{{else}}x{{end -}} b",
                &f(false, false)
            )
            .unwrap(),
            "a mb"
        );
        assert_eq!(
            render("{{not .Secureboot}}", &f(false, false)).unwrap(),
            "true"
        );
    }

    #[test]
    fn what_it_cannot_evaluate_is_an_error() {
        assert!(
            render("{{.Nope}}", &f(false, false))
                .unwrap_err()
                .contains("no field `.Nope`")
        );
        assert!(
            render("{{ .Mode | upper }}", &f(false, false))
                .unwrap_err()
                .contains("not `|`")
        );
        assert!(render("{{if .Mode}}x", &f(false, false)).is_err());
        assert!(render("{{.Mode", &f(false, false)).is_err());
    }
}
