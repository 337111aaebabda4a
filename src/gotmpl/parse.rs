//! Template text → nodes: text, `{{ pipeline }}`, `if`/`else if`/`else`/`end`, with `{{-`/`-}}` trimming and comments.

use super::Value;

/// One argument of a command.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    /// A literal.
    Value(Value),
    /// `.A.B` (`.` alone is empty).
    Field(Vec<String>),
    /// A function name.
    Ident(String),
    /// `( pipeline )`.
    Paren(Pipeline),
}

/// A function call or a single value.
pub(super) type Cmd = Vec<Arg>;
/// Commands joined by `|`.
pub(super) type Pipeline = Vec<Cmd>;

/// A template node.
#[derive(Debug)]
pub(super) enum Node {
    Text(String),
    Print(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
}

enum Tok {
    Text(String),
    Action(String),
}

pub(super) fn parse(tmpl: &str) -> Result<Vec<Node>, String> {
    let toks = lex(tmpl)?;
    let mut pos = 0;
    let (nodes, stop) = block(&toks, &mut pos)?;
    match stop {
        Some(s) => Err(format!("unexpected `{{{{{s}}}}}`")),
        None => Ok(nodes),
    }
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
        let inner = inner.trim();
        if !(inner.starts_with("/*") && inner.ends_with("*/")) {
            out.push(Tok::Action(inner.to_string()));
        }
        rest = &after[end + 2..];
        if trim_next {
            rest = rest.trim_start();
        }
    }
    out.push(Tok::Text(rest.to_string()));
    Ok(out)
}

/// Nodes until `end`/`else…` (returned as the stop action) or the end of input.
fn block(toks: &[Tok], pos: &mut usize) -> Result<(Vec<Node>, Option<String>), String> {
    let mut nodes = Vec::new();
    while *pos < toks.len() {
        let tok = &toks[*pos];
        *pos += 1;
        match tok {
            Tok::Text(s) if !s.is_empty() => nodes.push(Node::Text(s.clone())),
            Tok::Text(_) => {}
            Tok::Action(a) => {
                let (word, rest) = a.split_once(char::is_whitespace).unwrap_or((a, ""));
                match word {
                    "end" if rest.trim().is_empty() => return Ok((nodes, Some("end".into()))),
                    "else" => return Ok((nodes, Some(a.clone()))),
                    "if" => nodes.push(if_node(rest, toks, pos)?),
                    "range" | "with" | "define" | "template" | "block" | "break" | "continue" => {
                        return Err(format!("talforge does not evaluate `{{{{{word}}}}}`"));
                    }
                    "" => return Err("empty action `{{}}`".into()),
                    _ => nodes.push(Node::Print(pipeline(a)?)),
                }
            }
        }
    }
    Ok((nodes, None))
}

fn if_node(cond: &str, toks: &[Tok], pos: &mut usize) -> Result<Node, String> {
    let cond = pipeline(cond)?;
    let (then, stop) = block(toks, pos)?;
    let otherwise = match stop.as_deref() {
        Some("end") => Vec::new(),
        Some(e) if e.starts_with("else") => {
            let rest = e["else".len()..].trim();
            if let Some(c) = rest
                .strip_prefix("if")
                .filter(|c| c.starts_with(char::is_whitespace))
            {
                // `else if` closes with the outer `end`.
                vec![if_node(c, toks, pos)?]
            } else if rest.is_empty() {
                let (body, stop) = block(toks, pos)?;
                if stop.as_deref() != Some("end") {
                    return Err("`{{else}}` without `{{end}}`".into());
                }
                body
            } else {
                return Err(format!("unexpected `{{{{{e}}}}}`"));
            }
        }
        _ => return Err("`{{if}}` without `{{end}}`".into()),
    };
    Ok(Node::If(cond, then, otherwise))
}

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    Word(String),
    Str(String),
    Open,
    Close,
    Pipe,
}

fn lexemes(a: &str) -> Result<Vec<Lexeme>, String> {
    let mut out = Vec::new();
    let mut chars = a.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '|' => {
                chars.next();
                out.push(match c {
                    '(' => Lexeme::Open,
                    ')' => Lexeme::Close,
                    _ => Lexeme::Pipe,
                });
            }
            '"' | '`' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(e @ ('"' | '\\')) => s.push(e),
                            other => {
                                return Err(format!("unknown escape `\\{}`", other.unwrap_or(' ')));
                            }
                        },
                        Some(ch) => s.push(ch),
                        None => return Err(format!("unterminated string in `{{{{{a}}}}}`")),
                    }
                }
                out.push(Lexeme::Str(s));
            }
            _ => {
                let mut w = String::new();
                while let Some(&ch) = chars.peek() {
                    if ch.is_whitespace() || matches!(ch, '(' | ')' | '|' | '"' | '`') {
                        break;
                    }
                    w.push(ch);
                    chars.next();
                }
                out.push(Lexeme::Word(w));
            }
        }
    }
    Ok(out)
}

fn pipeline(a: &str) -> Result<Pipeline, String> {
    let lx = lexemes(a)?;
    let mut pos = 0;
    let p = parse_pipeline(&lx, &mut pos)?;
    if pos < lx.len() {
        return Err(format!("unexpected `)` in `{{{{{a}}}}}`"));
    }
    Ok(p)
}

fn parse_pipeline(lx: &[Lexeme], pos: &mut usize) -> Result<Pipeline, String> {
    let mut cmds = Vec::new();
    let mut cmd = Cmd::new();
    while let Some(l) = lx.get(*pos) {
        *pos += 1;
        match l {
            Lexeme::Pipe => {
                if cmd.is_empty() {
                    return Err("missing command before `|`".into());
                }
                cmds.push(std::mem::take(&mut cmd));
            }
            Lexeme::Close => {
                *pos -= 1;
                break;
            }
            Lexeme::Open => {
                let inner = parse_pipeline(lx, pos)?;
                if lx.get(*pos) != Some(&Lexeme::Close) {
                    return Err("unclosed `(`".into());
                }
                *pos += 1;
                cmd.push(Arg::Paren(inner));
            }
            Lexeme::Str(s) => cmd.push(Arg::Value(Value::Str(s.clone()))),
            Lexeme::Word(w) => cmd.push(word(w)?),
        }
    }
    if cmd.is_empty() {
        return Err("missing value".into());
    }
    cmds.push(cmd);
    Ok(cmds)
}

fn word(w: &str) -> Result<Arg, String> {
    if w == "." {
        return Ok(Arg::Field(Vec::new()));
    }
    if let Some(chain) = w.strip_prefix('.') {
        return Ok(Arg::Field(chain.split('.').map(str::to_string).collect()));
    }
    match w {
        "true" => return Ok(Arg::Value(Value::Bool(true))),
        "false" => return Ok(Arg::Value(Value::Bool(false))),
        "nil" => return Ok(Arg::Value(Value::Nil)),
        _ => {}
    }
    if let Ok(i) = w.parse::<i64>() {
        return Ok(Arg::Value(Value::Int(i)));
    }
    if w.starts_with('$') {
        return Err(format!("talforge does not evaluate variables (`{w}`)"));
    }
    if w.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Ok(Arg::Ident(w.to_string()));
    }
    Err(format!("`{w}` is not a field, literal or function"))
}
