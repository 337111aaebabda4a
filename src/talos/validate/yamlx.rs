//! Small accessors that read a decoded document the way Go sees its typed struct
//! (absent and `null` are the zero value).

use crate::yaml::Yaml;

/// The value at a dotted path, `None` when absent or `null`.
pub(super) fn at<'a>(v: &'a Yaml, path: &str) -> Option<&'a Yaml> {
    match v.get_path(path) {
        Some(Yaml::Null) | None => None,
        Some(x) => Some(x),
    }
}

/// A string field (scalars other than strings are read as Go's yaml does: their text).
pub(super) fn str_at(v: &Yaml, path: &str) -> String {
    at(v, path).map(scalar_text).unwrap_or_default()
}

/// The text of a scalar as yaml.v3 would store it in a Go `string`.
pub(super) fn scalar_text(v: &Yaml) -> String {
    match v {
        Yaml::Str(s) => s.clone(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(f) => f.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A boolean field (yaml.v3 also takes YAML 1.1 words like `yes`/`off` for typed bools).
pub(super) fn bool_at(v: &Yaml, path: &str) -> Option<bool> {
    at(v, path).and_then(as_bool)
}

/// A value read as a Go `bool`.
pub(super) fn as_bool(v: &Yaml) -> Option<bool> {
    match v {
        Yaml::Bool(b) => Some(*b),
        Yaml::Str(s) => match s.as_str() {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integer field (0 when absent).
pub(super) fn int_at(v: &Yaml, path: &str) -> i64 {
    match at(v, path) {
        Some(Yaml::Int(i)) => *i,
        Some(Yaml::Float(f)) => *f as i64,
        _ => 0,
    }
}

/// A sequence field (empty when absent).
pub(super) fn seq_at<'a>(v: &'a Yaml, path: &str) -> &'a [Yaml] {
    at(v, path).and_then(Yaml::as_seq).unwrap_or(&[])
}

/// A sequence of strings.
pub(super) fn strs_at(v: &Yaml, path: &str) -> Vec<String> {
    seq_at(v, path).iter().map(scalar_text).collect()
}

/// Whether a mapping/sequence field is present and non-empty (`len(x) > 0` in Go).
pub(super) fn non_empty(v: &Yaml, path: &str) -> bool {
    match at(v, path) {
        Some(Yaml::Seq(s)) => !s.is_empty(),
        Some(Yaml::Map(m)) => !m.is_empty(),
        Some(Yaml::Str(s)) => !s.is_empty(),
        Some(_) => true,
        None => false,
    }
}

/// Go's `%q` for a string (close enough for config text: escapes `"`, `\` and controls).
pub(super) fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
