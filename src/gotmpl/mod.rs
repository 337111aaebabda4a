//! The part of Go's `text/template` (with Sprig's string functions) that talhelper's templates use: fields, pipelines, `if`/`else`, literals and functions.
//!
//! talhelper renders two kinds of templates: the `imageFactory` URL templates (flat fields
//! such as `{{.ID}}`) and templated `nodeLabels`/`nodeAnnotations` values, which read the
//! generated machine config through its Go field names
//! (`{{ .MachineConfig.MachineInstall.InstallImage | contains "secureboot" }}`). The caller
//! supplies the fields through [`Data`]; this module knows nothing of either.
//!
//! Not evaluated (an error naming it): variables, `range`, `with`, `define`/`template`,
//! and functions beyond [`funcs`]'s list.

mod funcs;
mod parse;

use parse::{Arg, Cmd, Node, Pipeline};

/// A template value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// No value (a missing map key, a nil pointer); prints as `<no value>`.
    Nil,
}

impl Value {
    /// Go's truth: non-empty, non-zero, `true`.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Nil => false,
        }
    }

    /// How `{{ . }}` prints it (`fmt.Sprint`).
    pub fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Nil => "<no value>".into(),
        }
    }
}

/// Where a template's fields come from.
pub trait Data {
    /// The value of the field chain `.A.B.C` (`["A", "B", "C"]`); an error when there is
    /// no such field.
    fn field(&self, chain: &[String]) -> Result<Value, String>;
}

/// Flat fields by name: `.ID`, `.Version`.
pub struct Fields<'a>(pub &'a [(&'a str, Value)]);

impl Data for Fields<'_> {
    fn field(&self, chain: &[String]) -> Result<Value, String> {
        let [name] = chain else {
            return Err(format!("no field `.{}`", chain.join(".")));
        };
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                let names: Vec<String> = self.0.iter().map(|(k, _)| format!("`.{k}`")).collect();
                format!("no field `.{name}`; the fields are {}", names.join(", "))
            })
    }
}

/// Whether `s` holds a template action (talhelper's `IsStringATemplate`).
pub fn is_template(s: &str) -> bool {
    s.contains("{{") || s.contains("}}")
}

/// Renders `tmpl` with `data`; an error says what is wrong or what talforge cannot evaluate.
pub fn render(tmpl: &str, data: &dyn Data) -> Result<String, String> {
    let nodes = parse::parse(tmpl)?;
    let mut out = String::new();
    eval(&nodes, data, &mut out)?;
    Ok(out)
}

fn eval(nodes: &[Node], data: &dyn Data, out: &mut String) -> Result<(), String> {
    for n in nodes {
        match n {
            Node::Text(s) => out.push_str(s),
            Node::Print(p) => out.push_str(&pipeline(p, data)?.text()),
            Node::If(cond, then, otherwise) => {
                let branch = if pipeline(cond, data)?.truthy() {
                    then
                } else {
                    otherwise
                };
                eval(branch, data, out)?;
            }
        }
    }
    Ok(())
}

/// A pipeline: each command's result is the last argument of the next.
fn pipeline(p: &Pipeline, data: &dyn Data) -> Result<Value, String> {
    let mut prev: Option<Value> = None;
    for cmd in p {
        prev = Some(command(cmd, prev.take(), data)?);
    }
    prev.ok_or_else(|| "missing value".into())
}

fn command(cmd: &Cmd, piped: Option<Value>, data: &dyn Data) -> Result<Value, String> {
    match cmd.first() {
        Some(Arg::Ident(name)) => {
            let args = &cmd[1..];
            // `and`/`or` stop at the first argument that decides, as Go does.
            if matches!(name.as_str(), "and" | "or") && piped.is_none() && !args.is_empty() {
                let want = name == "or";
                let mut last = Value::Bool(false);
                for a in args {
                    last = arg(a, data)?;
                    if last.truthy() == want {
                        break;
                    }
                }
                return Ok(last);
            }
            let mut vals = args
                .iter()
                .map(|a| arg(a, data))
                .collect::<Result<Vec<_>, _>>()?;
            vals.extend(piped);
            funcs::call(name, &vals)
        }
        Some(a) if cmd.len() == 1 => match piped {
            None => arg(a, data),
            Some(_) => Err("only a function can take a piped value".into()),
        },
        Some(_) => Err("a value cannot take arguments; call a function instead".into()),
        None => Err("empty command".into()),
    }
}

fn arg(a: &Arg, data: &dyn Data) -> Result<Value, String> {
    match a {
        Arg::Value(v) => Ok(v.clone()),
        Arg::Field(chain) if chain.is_empty() => {
            Err("`.` (the whole data) cannot be printed; name a field".into())
        }
        Arg::Field(chain) => data.field(chain),
        Arg::Ident(name) => funcs::call(name, &[]),
        Arg::Paren(p) => pipeline(p, data),
    }
}

#[cfg(test)]
mod tests;
