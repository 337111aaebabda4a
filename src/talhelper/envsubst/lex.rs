//! a8m/envsubst v1.4.3 (the library talhelper v3.1.16 substitutes with), ported: its lexer,
//! its parser and how each node evaluates, in strict mode (`noUnset`, `noEmpty`).
//!
//! The port keeps the library's quirks on purpose (a default's text swallows what follows
//! it, `$_` is text, `${ X}` names the variable ` X`): talhelper users' files were written
//! against them. Each output piece remembers where in the input it came from, so
//! diagnostics on the substituted text point at the original.

use std::ops::Range;

/// What the lexer produces (a8m's `itemType`, same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Error,
    Eof,
    Text,
    Plus,
    Dash,
    Equals,
    ColonEquals,
    ColonDash,
    ColonPlus,
    Variable,
    LeftDelim,
    RightDelim,
}

#[derive(Debug, Clone)]
struct Item {
    kind: Kind,
    pos: usize,
    val: String,
}

#[derive(Clone, Copy)]
enum State {
    Text,
    Variable,
    SubstOperator,
    Subst,
}

/// a8m's `isAlphaNumeric`: `_`, a letter or a digit.
fn alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    last_pos: usize,
    depth: usize,
    items: Vec<Item>,
}

impl Lexer<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.input[self.pos..].chars().next();
        self.width = c.map_or(0, char::len_utf8);
        self.pos += self.width;
        c
    }

    fn peek(&mut self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn emit(&mut self, kind: Kind) {
        self.items.push(Item {
            kind,
            pos: self.start,
            val: self.input[self.start..self.pos].to_string(),
        });
        self.last_pos = self.start;
        self.start = self.pos;
    }

    fn error(&mut self) -> Option<State> {
        self.items.push(Item {
            kind: Kind::Error,
            pos: self.start,
            val: "closing brace expected".into(),
        });
        None
    }

    fn in_delim(&self) -> bool {
        self.input[self.last_pos..].starts_with("${")
    }

    fn text(&mut self) -> Option<State> {
        loop {
            match self.next() {
                Some('$') => {
                    self.pos -= 1;
                    if self.pos > self.start {
                        self.emit(Kind::Text);
                    }
                    self.pos += 1;
                    match self.peek() {
                        Some('$') => {
                            // `$$`: the first `$` is dropped, the second is text.
                            self.start = self.pos;
                            self.next();
                            self.emit(Kind::Text);
                        }
                        Some('{') => {
                            self.next();
                            self.depth += 1;
                            self.emit(Kind::LeftDelim);
                            return Some(State::SubstOperator);
                        }
                        Some(c) if alnum(c) => return Some(State::Variable),
                        _ => {}
                    }
                }
                Some(_) => {}
                None => break,
            }
        }
        if self.pos > self.start {
            self.emit(Kind::Text);
        }
        self.emit(Kind::Eof);
        None
    }

    #[allow(clippy::unnecessary_wraps)] // one signature for every state of the lexer
    fn variable(&mut self) -> Option<State> {
        loop {
            match self.next() {
                Some(c) if alnum(c) => {}
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        let v = &self.input[self.start..self.pos];
        if v == "_" || v == "$_" {
            return Some(State::Text);
        }
        self.emit(Kind::Variable);
        Some(if self.depth > 0 {
            State::SubstOperator
        } else {
            State::Text
        })
    }

    fn subst_operator(&mut self) -> Option<State> {
        match self.next() {
            Some('}') => {
                self.depth -= 1;
                self.emit(Kind::RightDelim);
                return Some(State::Text);
            }
            None | Some('\r' | '\n') => return self.error(),
            Some(c) if alnum(c) && self.in_delim() => return Some(State::Variable),
            Some('+') => self.emit(Kind::Plus),
            Some('-') => self.emit(Kind::Dash),
            Some('=') => self.emit(Kind::Equals),
            Some(':') => match self.next() {
                Some('-') => self.emit(Kind::ColonDash),
                Some('=') => self.emit(Kind::ColonEquals),
                Some('+') => self.emit(Kind::ColonPlus),
                _ => {}
            },
            Some(_) => {}
        }
        Some(State::Subst)
    }

    fn subst(&mut self) -> Option<State> {
        match self.next() {
            Some('}') => {
                self.depth -= 1;
                self.emit(Kind::RightDelim);
                Some(State::Text)
            }
            None | Some('\r' | '\n') => self.error(),
            Some('$') => Some(State::Variable),
            Some(c) if alnum(c) && self.in_delim() => Some(State::Variable),
            Some(_) => {
                self.emit(Kind::Text);
                Some(State::Subst)
            }
        }
    }
}

fn lex(input: &str) -> Vec<Item> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        width: 0,
        last_pos: 0,
        depth: 0,
        items: Vec::new(),
    };
    let mut state = Some(State::Text);
    while let Some(s) = state {
        state = match s {
            State::Text => l.text(),
            State::Variable => l.variable(),
            State::SubstOperator => l.subst_operator(),
            State::Subst => l.subst(),
        };
    }
    l.items
}

/// A parsed piece of the input (a8m's nodes), with the input range it covers.
#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Variable(String),
    Subst {
        op: Option<Kind>,
        var: String,
        default: Option<Box<Node>>,
    },
}

/// The variables a substitution reads.
pub(super) trait Lookup {
    fn lookup(&self, name: &str) -> Option<&str>;
}

/// One substitution that failed: a8m's message and the input range of its `${...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstError {
    /// a8m's words: "variable ${X} not set", "variable ${X} set but empty", "closing
    /// brace expected".
    pub message: String,
    /// Where in the input.
    pub range: Range<usize>,
    /// The text is not valid YAML (found before substituting a YAML text).
    pub yaml: bool,
}

/// One stretch of the output and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Piece {
    pub(super) out: Range<usize>,
    pub(super) input: Range<usize>,
    /// A variable's value (maps to its whole `${...}`), not input text.
    pub(super) replaced: bool,
}

/// A substituted text: the output, its pieces, and the variables read.
#[derive(Debug, Clone, Default)]
pub(super) struct Output {
    pub(super) text: String,
    pub(super) pieces: Vec<Piece>,
    pub(super) used: Vec<String>,
}

/// A variable a8m's restricted mode refuses (`NoUnset`, `NoEmpty`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum VarError {
    /// Not in the environment.
    NotSet(String),
    /// Set to the empty string.
    Empty(String),
}

impl std::fmt::Display for VarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VarError::NotSet(name) => write!(f, "variable ${{{name}}} not set"),
            VarError::Empty(name) => write!(f, "variable ${{{name}}} set but empty"),
        }
    }
}

struct Eval<'e, L: Lookup> {
    env: &'e L,
    used: Vec<String>,
}

impl<L: Lookup> Eval<'_, L> {
    fn var(&mut self, name: &str) -> Result<String, VarError> {
        match self.env.lookup(name) {
            None => Err(VarError::NotSet(name.to_string())),
            Some("") => Err(VarError::Empty(name.to_string())),
            Some(v) => {
                if !self.used.iter().any(|u| u == name) {
                    self.used.push(name.to_string());
                }
                Ok(v.to_string())
            }
        }
    }

    fn is_set(&self, name: &str) -> bool {
        self.env.lookup(name).is_some()
    }

    fn node(&mut self, n: &Node) -> Result<String, VarError> {
        match n {
            Node::Text(t) => Ok(t.clone()),
            Node::Variable(v) => self.var(v),
            Node::Subst { op, var, default } => match (op, default) {
                (Some(Kind::ColonDash | Kind::ColonEquals), Some(d)) => match self.var(var) {
                    Ok(s) => Ok(s),
                    Err(_) => self.node(d),
                },
                (Some(Kind::Plus | Kind::ColonPlus), Some(d)) => {
                    if self.is_set(var) {
                        self.node(d)
                    } else {
                        Ok(String::new())
                    }
                }
                (Some(_), Some(d)) if !self.is_set(var) => self.node(d),
                _ => self.var(var),
            },
        }
    }
}

/// Parses `input` into nodes with their input ranges (a8m's `Parser.parse`).
fn parse(input: &str) -> Result<Vec<(Node, Range<usize>)>, SubstError> {
    let items = lex(input);
    let mut it = items.into_iter().peekable();
    let mut nodes = Vec::new();
    let end = |i: &Item| i.pos + i.val.len();
    while let Some(t) = it.next() {
        match t.kind {
            Kind::Eof => break,
            Kind::Error => {
                return Err(SubstError {
                    message: t.val,
                    range: t.pos..input.len(),
                    yaml: false,
                });
            }
            Kind::Variable => {
                let range = t.pos..end(&t);
                nodes.push((Node::Variable(t.val[1..].to_string()), range));
            }
            Kind::LeftDelim if it.peek().is_some_and(|p| p.kind == Kind::Variable) => {
                let var = it.next().map(|v| v.val).unwrap_or_default();
                let (mut op, mut default) = (None, None);
                let close = loop {
                    let Some(t) = it.next() else {
                        return Err(SubstError {
                            message: "closing brace expected".into(),
                            range: t.pos..input.len(),
                            yaml: false,
                        });
                    };
                    match t.kind {
                        Kind::RightDelim => break end(&t),
                        Kind::Error | Kind::Eof => {
                            return Err(SubstError {
                                message: "closing brace expected".into(),
                                range: t.pos..input.len(),
                                yaml: false,
                            });
                        }
                        Kind::Variable => {
                            default = Some(Box::new(Node::Variable(
                                t.val.strip_prefix('$').unwrap_or(&t.val).to_string(),
                            )));
                        }
                        Kind::Text => {
                            // a8m: a default's text takes everything up to the `}`.
                            let mut text = t.val;
                            while let Some(p) = it.peek()
                                && !matches!(p.kind, Kind::RightDelim | Kind::Error | Kind::Eof)
                            {
                                text.push_str(&it.next().map(|n| n.val).unwrap_or_default());
                            }
                            default = Some(Box::new(Node::Text(text)));
                        }
                        kind => op = Some(kind),
                    }
                };
                nodes.push((Node::Subst { op, var, default }, t.pos..close));
            }
            _ => {
                let range = t.pos..end(&t);
                nodes.push((Node::Text(t.val), range));
            }
        }
    }
    Ok(nodes)
}

/// Substitutes `input` (a8m's `StringRestricted(s, true, true)`), collecting every failed
/// variable instead of stopping at the first.
pub(super) fn substitute(input: &str, env: &impl Lookup) -> Result<Output, Vec<SubstError>> {
    let nodes = parse(input).map_err(|e| vec![e])?;
    let mut ev = Eval {
        env,
        used: Vec::new(),
    };
    let mut out = Output::default();
    let mut errors = Vec::new();
    for (node, range) in nodes {
        match ev.node(&node) {
            Ok(s) => {
                let start = out.text.len();
                out.text.push_str(&s);
                out.pieces.push(Piece {
                    out: start..out.text.len(),
                    input: range,
                    replaced: !matches!(node, Node::Text(_)),
                });
            }
            Err(e) => errors.push(SubstError {
                message: e.to_string(),
                range,
                yaml: false,
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.used = ev.used;
    Ok(out)
}

impl Output {
    /// Where output offset `at` came from in the input: inside a variable's value, its
    /// `${...}` start (or end, with `end`).
    pub(super) fn input_offset(&self, at: usize, end: bool) -> usize {
        let found = self.pieces.iter().find(|p| {
            if end {
                p.out.start < at && at <= p.out.end
            } else {
                p.out.start <= at && at < p.out.end
            }
        });
        match found {
            Some(p) if p.replaced => {
                if end {
                    p.input.end
                } else {
                    p.input.start
                }
            }
            Some(p) => p.input.start + (at - p.out.start),
            None => self
                .pieces
                .last()
                .map_or(at, |p| p.input.end + at.saturating_sub(p.out.end)),
        }
    }

    /// An output range as an input range.
    pub(super) fn input_range(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.input_offset(r.start, false);
        if r.is_empty() {
            return start..start;
        }
        start..self.input_offset(r.end, true).max(start)
    }
}
