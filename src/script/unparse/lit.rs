//! The literals `import` writes: Rhai strings, keys, maps and values, with the parts that
//! came from the environment written as `env("NAME")`.

use crate::model::{Cidr, EnvPiece, EnvVar, env_pieces};
use crate::yaml::Yaml;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

/// `to` relative to `base` (both made absolute against the working directory).
pub(super) fn relative(to: &Path, base: &Path) -> PathBuf {
    let to = crate::fs::absolute(to);
    let base = crate::fs::absolute(base);
    let t: Vec<Component> = to.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

pub(super) fn cidr_list(v: &[Cidr]) -> String {
    let s: Vec<String> = v.iter().map(ToString::to_string).collect();
    str_list(s.iter().map(String::as_str))
}

pub(super) fn str_list<'a>(v: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = v.map(rhai_str).collect();
    format!("[{}]", items.join(", "))
}

pub(super) fn block_map(o: &[(String, String)], indent: &str) -> String {
    if o.is_empty() {
        return "#{}".into();
    }
    let mut s = String::from("#{\n");
    for (k, v) in o {
        let _ = writeln!(s, "{indent}    {}: {v},", rhai_key(k));
    }
    s.push_str(indent);
    s.push('}');
    s
}

pub(super) fn inline_map(o: &[(String, String)]) -> String {
    if o.is_empty() {
        return "#{}".into();
    }
    let items: Vec<String> = o
        .iter()
        .map(|(k, v)| format!("{}: {v}", rhai_key(k)))
        .collect();
    format!("#{{ {} }}", items.join(", "))
}

pub(super) fn rhai_key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ident && !is_rhai_keyword(k) {
        k.to_string()
    } else {
        rhai_lit(k)
    }
}

fn is_rhai_keyword(k: &str) -> bool {
    matches!(
        k,
        "true"
            | "false"
            | "let"
            | "const"
            | "if"
            | "else"
            | "switch"
            | "do"
            | "while"
            | "until"
            | "loop"
            | "for"
            | "in"
            | "continue"
            | "break"
            | "return"
            | "throw"
            | "try"
            | "catch"
            | "fn"
            | "private"
            | "import"
            | "export"
            | "as"
            | "global"
            | "this"
            | "is_def_var"
            | "is_def_fn"
            | "is_shared"
            | "Fn"
            | "call"
            | "curry"
            | "type_of"
            | "print"
            | "debug"
            | "eval"
            // Rhai's reserved words (a syntax error as bare map keys).
            | "var"
            | "static"
            | "shared"
            | "goto"
            | "exit"
            | "match"
            | "case"
            | "public"
            | "protected"
            | "new"
            | "use"
            | "with"
            | "module"
            | "package"
            | "super"
            | "thread"
            | "spawn"
            | "go"
            | "sync"
            | "async"
            | "await"
            | "yield"
            | "default"
            | "void"
            | "null"
            | "nil"
    )
}

thread_local! {
    /// The variables of the cluster being written (see [`EnvScope`]).
    static ENV_VARS: std::cell::RefCell<Vec<EnvVar>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The directory the script will live in.
    static SCRIPT_DIR: std::cell::RefCell<PathBuf> = std::cell::RefCell::new(PathBuf::new());
}

/// While alive, [`rhai_str`] writes the values of these variables as `env("NAME")` and
/// [`file_ref`] paths relative to the script. A scope instead of parameters because every
/// writer of a literal, in three files, needs it.
pub(super) struct EnvScope;

impl EnvScope {
    pub(super) fn enter(vars: &[EnvVar], script_dir: &Path) -> EnvScope {
        ENV_VARS.with(|v| v.borrow_mut().clone_from(&vars.to_vec()));
        SCRIPT_DIR.with(|d| *d.borrow_mut() = script_dir.to_path_buf());
        EnvScope
    }
}

impl Drop for EnvScope {
    fn drop(&mut self) {
        ENV_VARS.with(|v| v.borrow_mut().clear());
        SCRIPT_DIR.with(|d| d.borrow_mut().clear());
    }
}

/// A file's path as the script names it (relative to the script's directory).
pub(super) fn file_ref(path: &Path) -> String {
    SCRIPT_DIR.with(|d| rhai_lit(&relative(path, &d.borrow()).to_string_lossy()))
}

fn pieces(s: &str) -> Vec<EnvPiece> {
    ENV_VARS.with(|v| env_pieces(s, &v.borrow()))
}

/// A Rhai string expression: a literal, where a part came from the environment
/// `env("NAME")` (joined with `+`), so the script keeps the reference, never the value.
pub(super) fn rhai_str(s: &str) -> String {
    let parts: Vec<String> = pieces(s)
        .into_iter()
        .map(|p| match p {
            EnvPiece::Text(t) => rhai_lit(&t),
            EnvPiece::Var(n) => format!("env({})", rhai_lit(&n)),
        })
        .collect();
    match parts.len() {
        0 => rhai_lit(""),
        _ => parts.join(" + "),
    }
}

/// The text of a backtick template with `env("NAME")` interpolated where it came from the
/// environment.
pub(super) fn template_text(s: &str) -> String {
    pieces(s)
        .into_iter()
        .map(|p| match p {
            EnvPiece::Text(t) => t.replace('`', "\\`").replace('$', "\\$"),
            EnvPiece::Var(n) => format!("${{env({})}}", rhai_lit(&n)),
        })
        .collect()
}

/// A Rhai string literal.
pub(super) fn rhai_lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML value as a Rhai literal (maps keep their order through the conversion back).
pub(super) fn rhai_value(v: &Yaml) -> String {
    match v {
        Yaml::Null => "()".into(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(f) => {
            let s = format!("{f:?}");
            if s.contains(['.', 'e', 'N', 'i']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Yaml::Str(s) => rhai_str(s),
        Yaml::Seq(items) => {
            let items: Vec<String> = items.iter().map(rhai_value).collect();
            format!("[{}]", items.join(", "))
        }
        Yaml::Map(m) => inline_map(
            &m.iter()
                .map(|(k, v)| (k.clone(), rhai_value(v)))
                .collect::<Vec<_>>(),
        ),
    }
}
