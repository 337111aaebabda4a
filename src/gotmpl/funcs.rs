//! The functions: Go's builtins (`not`, `eq`, `print`, …; `and`/`or` are evaluated lazily by the caller) and Sprig's string functions talhelper offers.

use super::Value;

/// The functions talforge evaluates, for the error on any other.
const NAMES: &[&str] = &[
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "len",
    "print",
    "println",
    "printf",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "upper",
    "lower",
    "title",
    "replace",
    "repeat",
    "trunc",
    "substr",
    "nospace",
    "quote",
    "squote",
    "cat",
    "default",
    "empty",
    "coalesce",
    "ternary",
    "toString",
    "atoi",
    "int",
];

fn s(v: &Value) -> String {
    v.text()
}

fn int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a number")),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Nil => Ok(0),
    }
}

/// `fmt.Sprint`: a space between operands when neither is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = |v: &Value| matches!(v, Value::Str(_));
        if i > 0 && !is_str(a) && !is_str(&args[i - 1]) {
            out.push(' ');
        }
        out.push_str(&s(a));
    }
    out
}

/// `fmt.Sprintf` for `%s`, `%v`, `%d`, `%t`, `%q` and `%%`.
fn sprintf(args: &[Value]) -> Result<String, String> {
    let Some((fmt, rest)) = args.split_first() else {
        return Err("`printf` needs a format".into());
    };
    let mut it = rest.iter();
    let mut out = String::new();
    let mut chars = s(fmt).chars().collect::<Vec<_>>().into_iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let verb = chars.next().ok_or("`printf` format ends with `%`")?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let v = it.next().cloned().unwrap_or(Value::Nil);
        match verb {
            's' | 'v' | 'd' | 't' => out.push_str(&s(&v)),
            'q' => out.push_str(&format!("{:?}", s(&v))),
            other => return Err(format!("talforge's `printf` does not format `%{other}`")),
        }
    }
    Ok(out)
}

fn compare(name: &str, a: &Value, b: &Value) -> Result<bool, String> {
    let ord = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        _ => return Err(format!("`{name}`: incompatible types for comparison")),
    };
    Ok(match name {
        "lt" => ord.is_lt(),
        "le" => ord.is_le(),
        "gt" => ord.is_gt(),
        _ => ord.is_ge(),
    })
}

fn title(v: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in v.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

fn want(name: &str, args: &[Value], k: usize) -> Result<(), String> {
    let n = args.len();
    if n == k {
        Ok(())
    } else {
        Err(format!(
            "`{name}` takes {k} argument{}, got {n}",
            if k == 1 { "" } else { "s" }
        ))
    }
}

/// Calls `name` with `args` (a piped value is already the last one).
pub(super) fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    if let Some(r) = builtin(name, args) {
        return r;
    }
    if let Some(r) = strings(name, args) {
        return r.map(Value::Str);
    }
    sprig_values(name, args).unwrap_or_else(|| {
        Err(format!(
            "talforge does not evaluate the function `{name}` (it evaluates {})",
            NAMES.join(", ")
        ))
    })
}

/// Go's builtin functions.
fn builtin(name: &str, args: &[Value]) -> Option<Result<Value, String>> {
    let want = |k| want(name, args, k);
    Some(match name {
        "and" | "or" => {
            let want_or = name == "or";
            Ok(args
                .iter()
                .find(|v| v.truthy() == want_or)
                .or(args.last())
                .cloned()
                .unwrap_or(Value::Bool(false)))
        }
        "not" => want(1).map(|()| Value::Bool(!args[0].truthy())),
        "eq" if args.len() >= 2 => Ok(Value::Bool(args[1..].iter().any(|b| *b == args[0]))),
        "eq" => Err(format!(
            "`eq` takes at least 2 arguments, got {}",
            args.len()
        )),
        "ne" => want(2).map(|()| Value::Bool(args[0] != args[1])),
        "lt" | "le" | "gt" | "ge" => {
            want(2).and_then(|()| compare(name, &args[0], &args[1]).map(Value::Bool))
        }
        "len" => want(1)
            .map(|()| Value::Int(i64::try_from(s(&args[0]).chars().count()).unwrap_or(i64::MAX))),
        "print" => Ok(Value::Str(sprint(args))),
        "println" => Ok(Value::Str(format!(
            "{}\n",
            args.iter().map(s).collect::<Vec<_>>().join(" ")
        ))),
        "printf" => sprintf(args).map(Value::Str),
        _ => return None,
    })
}

/// Sprig's functions that return a string.
fn strings(name: &str, args: &[Value]) -> Option<Result<String, String>> {
    let want = |k| want(name, args, k);
    let arg = |i: usize| s(&args[i]);
    Some(match name {
        "trim" => want(1).map(|()| arg(0).trim().to_string()),
        "trimAll" => want(2).map(|()| {
            let cut: Vec<char> = arg(0).chars().collect();
            arg(1).trim_matches(|c| cut.contains(&c)).to_string()
        }),
        "trimPrefix" => want(2).map(|()| {
            let (p, v) = (arg(0), arg(1));
            v.strip_prefix(p.as_str()).unwrap_or(&v).to_string()
        }),
        "trimSuffix" => want(2).map(|()| {
            let (p, v) = (arg(0), arg(1));
            v.strip_suffix(p.as_str()).unwrap_or(&v).to_string()
        }),
        "upper" => want(1).map(|()| arg(0).to_uppercase()),
        "lower" => want(1).map(|()| arg(0).to_lowercase()),
        "title" => want(1).map(|()| title(&arg(0))),
        "replace" => want(3).map(|()| arg(2).replace(&arg(0), &arg(1))),
        "repeat" => want(2).and_then(|()| {
            let times = usize::try_from(int(&args[0])?).unwrap_or(0).min(4096);
            Ok(arg(1).repeat(times))
        }),
        "trunc" => want(2).and_then(|()| {
            let v: Vec<char> = arg(1).chars().collect();
            let k = int(&args[0])?;
            let len = i64::try_from(v.len()).unwrap_or(i64::MAX);
            Ok(if k >= 0 {
                v.iter().take(usize::try_from(k).unwrap_or(0)).collect()
            } else {
                v.iter()
                    .skip(usize::try_from(len + k).unwrap_or(0))
                    .collect()
            })
        }),
        "substr" => want(3).and_then(|()| {
            let v: Vec<char> = arg(2).chars().collect();
            let start = usize::try_from(int(&args[0])?).unwrap_or(0).min(v.len());
            let end = usize::try_from(int(&args[1])?).map_or(v.len(), |e| e.min(v.len()));
            Ok(v[start..end.max(start)].iter().collect())
        }),
        "nospace" => want(1).map(|()| arg(0).split_whitespace().collect()),
        "quote" => Ok(args
            .iter()
            .map(|v| format!("{:?}", s(v)))
            .collect::<Vec<_>>()
            .join(" ")),
        "squote" => Ok(args
            .iter()
            .map(|v| format!("'{}'", s(v)))
            .collect::<Vec<_>>()
            .join(" ")),
        "cat" => Ok(args
            .iter()
            .filter(|v| **v != Value::Nil)
            .map(s)
            .collect::<Vec<_>>()
            .join(" ")),
        "toString" => want(1).map(|()| arg(0)),
        _ => return None,
    })
}

/// Sprig's tests and value functions.
fn sprig_values(name: &str, args: &[Value]) -> Option<Result<Value, String>> {
    let want = |k| want(name, args, k);
    let arg = |i: usize| s(&args[i]);
    Some(match name {
        "contains" => want(2).map(|()| Value::Bool(arg(1).contains(&arg(0)))),
        "hasPrefix" => want(2).map(|()| Value::Bool(arg(1).starts_with(&arg(0)))),
        "hasSuffix" => want(2).map(|()| Value::Bool(arg(1).ends_with(&arg(0)))),
        "default" => want(2).map(|()| {
            if args[1].truthy() {
                args[1].clone()
            } else {
                args[0].clone()
            }
        }),
        "empty" => want(1).map(|()| Value::Bool(!args[0].truthy())),
        "coalesce" => Ok(args
            .iter()
            .find(|v| v.truthy())
            .cloned()
            .unwrap_or(Value::Nil)),
        "ternary" => want(3).map(|()| {
            if args[2].truthy() {
                args[0].clone()
            } else {
                args[1].clone()
            }
        }),
        "atoi" | "int" => want(1).map(|()| Value::Int(int(&args[0]).unwrap_or(0))),
        _ => return None,
    })
}
