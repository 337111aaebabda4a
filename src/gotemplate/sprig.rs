//! The sprig functions talhelper's templates use (Masterminds/sprig v3), with sprig's argument order.
//!
//! sprig takes the piped value last (`{{ .X | contains "a" }}` is `contains "a" .X`). Only
//! functions with a plain, documented meaning are here: strings, lists, defaults, base64.

use gotmpl::{FuncMap, TemplateError, Value};
use std::sync::Arc;

type Res = Result<Value, TemplateError>;

fn err(name: &str, what: &str) -> TemplateError {
    TemplateError::Exec(format!("error calling {name}: {what}"))
}

fn want<'a>(name: &str, args: &'a [Value], n: usize) -> Result<&'a [Value], TemplateError> {
    if args.len() == n {
        Ok(args)
    } else {
        Err(err(
            name,
            &format!("wrong number of args: want {n} got {}", args.len()),
        ))
    }
}

/// sprig's `toString` (Go's `%v`): strings as they are, other values as Go prints them.
fn text(v: &Value) -> String {
    v.to_string()
}

fn string(s: impl Into<Arc<str>>) -> Value {
    Value::String(s.into())
}

/// sprig's `empty`: the Go zero value of its type.
fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Uint(u) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Function(_) => false,
    }
}

fn list(v: &Value, name: &str) -> Result<Vec<Value>, TemplateError> {
    match v {
        Value::List(l) => Ok(l.to_vec()),
        Value::Nil => Ok(Vec::new()),
        other => Err(err(name, &format!("cannot use {other} as a list"))),
    }
}

fn int(v: &Value, name: &str) -> Result<i64, TemplateError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Uint(u) => i64::try_from(*u).map_err(|_| err(name, "integer out of range")),
        Value::String(s) => s.trim().parse().map_err(|_| err(name, "not an integer")),
        other => Err(err(name, &format!("cannot use {other} as an integer"))),
    }
}

/// A two-string function `f(a, s)` with the piped string `s` last.
fn str2(name: &'static str, f: fn(&str, &str) -> Value) -> gotmpl::ValueFunc {
    Arc::new(move |args: &[Value]| -> Res {
        let a = want(name, args, 2)?;
        Ok(f(&text(&a[0]), &text(&a[1])))
    })
}

/// A one-string function.
fn str1(name: &'static str, f: fn(&str) -> String) -> gotmpl::ValueFunc {
    Arc::new(move |args: &[Value]| -> Res {
        let a = want(name, args, 1)?;
        Ok(string(f(&text(&a[0]))))
    })
}

fn indent(n: i64, s: &str) -> String {
    let pad = " ".repeat(usize::try_from(n).unwrap_or(0));
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// The functions, by sprig's names.
pub(super) fn funcs() -> FuncMap {
    let mut m = FuncMap::new();
    strings(&mut |name, f| {
        m.insert(name.to_string(), f);
    });
    values(&mut |name, f| {
        m.insert(name.to_string(), f);
    });
    m
}

/// The string functions.
fn strings(add: &mut dyn FnMut(&str, gotmpl::ValueFunc)) {
    add(
        "contains",
        str2("contains", |sub, s| Value::Bool(s.contains(sub))),
    );
    add(
        "hasPrefix",
        str2("hasPrefix", |p, s| Value::Bool(s.starts_with(p))),
    );
    add(
        "hasSuffix",
        str2("hasSuffix", |p, s| Value::Bool(s.ends_with(p))),
    );
    add(
        "trimPrefix",
        str2("trimPrefix", |p, s| string(s.strip_prefix(p).unwrap_or(s))),
    );
    add(
        "trimSuffix",
        str2("trimSuffix", |p, s| string(s.strip_suffix(p).unwrap_or(s))),
    );
    add(
        "trimAll",
        str2("trimAll", |cut, s| {
            string(s.trim_matches(|c| cut.contains(c)))
        }),
    );
    add(
        "splitList",
        str2("splitList", |sep, s| {
            Value::List(s.split(sep).map(string).collect::<Vec<_>>().into())
        }),
    );
    add("trim", str1("trim", |s| s.trim().to_string()));
    add("upper", str1("upper", str::to_uppercase));
    add("lower", str1("lower", str::to_lowercase));
    add("toString", str1("toString", str::to_string));
    add("quote", str1("quote", |s| format!("{s:?}")));
    add("squote", str1("squote", |s| format!("'{s}'")));
    add("b64enc", str1("b64enc", |s| base64_encode(s.as_bytes())));
    add(
        "b64dec",
        Arc::new(|args: &[Value]| -> Res {
            use base64::Engine;
            let a = want("b64dec", args, 1)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text(&a[0]))
                .map_err(|e| err("b64dec", &e.to_string()))?;
            Ok(string(String::from_utf8_lossy(&bytes).into_owned()))
        }),
    );
    add(
        "replace",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("replace", args, 3)?;
            Ok(string(text(&a[2]).replace(&text(&a[0]), &text(&a[1]))))
        }),
    );
}

/// Defaults, conditions and lists.
fn values(add: &mut dyn FnMut(&str, gotmpl::ValueFunc)) {
    add(
        "default",
        Arc::new(|args: &[Value]| -> Res {
            // `default d` with nothing piped gives `d`, as sprig's variadic form does.
            match args {
                [d] => Ok(d.clone()),
                [d, v] => Ok(if empty(v) { d.clone() } else { v.clone() }),
                _ => Err(err("default", "wrong number of args")),
            }
        }),
    );
    add(
        "empty",
        Arc::new(|args: &[Value]| -> Res { Ok(Value::Bool(empty(&want("empty", args, 1)?[0]))) }),
    );
    add(
        "coalesce",
        Arc::new(|args: &[Value]| -> Res {
            Ok(args
                .iter()
                .find(|v| !empty(v))
                .cloned()
                .unwrap_or(Value::Nil))
        }),
    );
    add(
        "ternary",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("ternary", args, 3)?;
            Ok(if gotmpl::is_true(&a[2]) {
                a[0].clone()
            } else {
                a[1].clone()
            })
        }),
    );
    add(
        "join",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("join", args, 2)?;
            let items = list(&a[1], "join")?;
            Ok(string(
                items
                    .iter()
                    .map(text)
                    .collect::<Vec<_>>()
                    .join(&text(&a[0])),
            ))
        }),
    );
    add(
        "list",
        Arc::new(|args: &[Value]| -> Res { Ok(Value::List(args.to_vec().into())) }),
    );
    add(
        "first",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("first", args, 1)?;
            Ok(list(&a[0], "first")?.first().cloned().unwrap_or(Value::Nil))
        }),
    );
    add(
        "last",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("last", args, 1)?;
            Ok(list(&a[0], "last")?.last().cloned().unwrap_or(Value::Nil))
        }),
    );
    add(
        "has",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("has", args, 2)?;
            let needle = text(&a[0]);
            Ok(Value::Bool(
                list(&a[1], "has")?.iter().any(|v| text(v) == needle),
            ))
        }),
    );
    text_layout(add);
}

/// Repetition, truncation and indentation.
fn text_layout(add: &mut dyn FnMut(&str, gotmpl::ValueFunc)) {
    add(
        "repeat",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("repeat", args, 2)?;
            let n = usize::try_from(int(&a[0], "repeat")?).unwrap_or(0);
            // A template must not make unbounded memory.
            if n.saturating_mul(text(&a[1]).len()) > 1 << 20 {
                return Err(err("repeat", "result larger than 1 MiB"));
            }
            Ok(string(text(&a[1]).repeat(n)))
        }),
    );
    add(
        "trunc",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("trunc", args, 2)?;
            let n = int(&a[0], "trunc")?;
            let s: Vec<char> = text(&a[1]).chars().collect();
            let len = s.len() as i64;
            let out: String = if n >= 0 {
                s[..usize::try_from(n.min(len)).unwrap_or(0)]
                    .iter()
                    .collect()
            } else {
                s[usize::try_from((len + n).max(0)).unwrap_or(0)..]
                    .iter()
                    .collect()
            };
            Ok(string(out))
        }),
    );
    add(
        "indent",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("indent", args, 2)?;
            Ok(string(indent(int(&a[0], "indent")?, &text(&a[1]))))
        }),
    );
    add(
        "nindent",
        Arc::new(|args: &[Value]| -> Res {
            let a = want("nindent", args, 2)?;
            Ok(string(format!(
                "\n{}",
                indent(int(&a[0], "nindent")?, &text(&a[1]))
            )))
        }),
    );
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
