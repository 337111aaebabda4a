//! Scalar resolution with the rules of Go's yaml.v3 (`resolve.go`), so a value reads the same
//! here as in talhelper and talosctl.

use super::super::Yaml;

/// How a scalar was written, as far as resolution cares.
pub(super) enum Tagging<'a> {
    /// No tag (or the non-specific `!`): plain scalars resolve, others are strings.
    Implicit,
    /// A core-schema tag such as `!!int`, by its suffix.
    Core(&'a str),
    /// Any other tag: the value stays a string, as yaml.v3 does for unknown tags.
    Other,
}

/// A core-schema tag that the scalar's text does not resolve to, as yaml.v3 reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TagMismatch {
    /// The tag the text resolves to (`!!str`).
    found: &'static str,
    /// The scalar's text.
    text: String,
    /// The tag asked for, by its suffix (`int`).
    want: String,
}

impl std::fmt::Display for TagMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let TagMismatch { found, text, want } = self;
        write!(f, "cannot decode {found} `{text}` as a !!{want}")
    }
}

/// Resolves a scalar. `plain` is false for quoted and block scalars.
pub(super) fn resolve(text: &str, plain: bool, tagging: Tagging<'_>) -> Result<Yaml, TagMismatch> {
    match tagging {
        Tagging::Implicit if plain => Ok(resolve_plain(text)),
        Tagging::Implicit | Tagging::Other => Ok(Yaml::Str(text.to_owned())),
        // `!!binary` stays the base64 text: callers (SOPS, talhelper) want the text.
        Tagging::Core("str" | "binary" | "timestamp" | "merge" | "map" | "seq" | "omap") => {
            Ok(Yaml::Str(text.to_owned()))
        }
        Tagging::Core(want) => {
            let got = resolve_plain(text);
            let ok = match (want, &got) {
                ("int", Yaml::Int(_)) | ("bool", Yaml::Bool(_)) | ("null", Yaml::Null) => true,
                ("float", Yaml::Float(_)) => true,
                ("float", Yaml::Int(i)) => return Ok(Yaml::Float(*i as f64)),
                ("int" | "bool" | "null" | "float", _) => false,
                // Unknown `!!x` tags are not resolvable in yaml.v3: the text is kept.
                _ => return Ok(Yaml::Str(text.to_owned())),
            };
            if ok {
                Ok(got)
            } else {
                Err(TagMismatch {
                    found: short_tag(&got),
                    text: text.to_owned(),
                    want: want.to_owned(),
                })
            }
        }
    }
}

fn short_tag(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "!!null",
        Yaml::Bool(_) => "!!bool",
        Yaml::Int(_) => "!!int",
        Yaml::Float(_) => "!!float",
        Yaml::Str(_) => "!!str",
        Yaml::Seq(_) => "!!seq",
        Yaml::Map(_) => "!!map",
    }
}

/// Resolves an untagged plain scalar (YAML 1.2 core schema as yaml.v3 reads it, including
/// its 1.1 leftovers such as `0777` octals and `_` digit separators).
pub(super) fn resolve_plain(s: &str) -> Yaml {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Yaml::Null,
        "true" | "True" | "TRUE" => return Yaml::Bool(true),
        "false" | "False" | "FALSE" => return Yaml::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Yaml::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Yaml::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Yaml::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let str_ = || Yaml::Str(s.to_owned());
    match s.as_bytes()[0] {
        b'.' => {
            // yaml.v3 hands these to strconv.ParseFloat as they are.
            if underscores_ok(s) {
                let plain: String = s.chars().filter(|&c| c != '_').collect();
                if is_yaml_float(&plain)
                    && let Some(f) = finite_float(&plain)
                {
                    return Yaml::Float(f);
                }
            }
            str_()
        }
        b'0'..=b'9' | b'+' | b'-' => {
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if let Some(i) = go_parse_int(&plain) {
                return Yaml::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                // Beyond i64: keep it numeric, as the model has no unsigned type.
                return Yaml::Float(u as f64);
            }
            if is_yaml_float(&plain)
                && let Some(f) = finite_float(&plain)
            {
                return Yaml::Float(f);
            }
            // yaml.v3 retries `0b`/`0o` bodies as signed numbers (so `0b-1` is -1).
            let retry = if let Some(rest) = plain.strip_prefix("0b") {
                signed_radix(rest, 2)
            } else if let Some(rest) = plain.strip_prefix("-0b") {
                signed_radix(&format!("-{rest}"), 2)
            } else if let Some(rest) = plain.strip_prefix("0o") {
                signed_radix(rest, 8)
            } else if let Some(rest) = plain.strip_prefix("-0o") {
                signed_radix(&format!("-{rest}"), 8)
            } else {
                None
            };
            retry.map_or_else(str_, Yaml::Int)
        }
        _ => str_(),
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (yaml.v3's `yamlStyleFloat`).
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > st
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    } else {
        if !digits(&mut i) {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// Go's ParseFloat fails with a range error where Rust returns infinity.
fn finite_float(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Go's rule for `_` in numbers: only between digits (or after a base prefix).
fn underscores_ok(s: &str) -> bool {
    let mut saw = '^';
    for c in s.chars() {
        if c.is_ascii_digit() {
            saw = '0';
        } else if c == '_' {
            if saw != '0' {
                return false;
            }
            saw = '_';
        } else {
            if saw == '_' {
                return false;
            }
            saw = '!';
        }
    }
    saw != '_'
}

/// Splits Go's base prefix (`strconv.ParseInt(s, 0, 64)`): `0x`, `0o`, `0b`, or a leading `0`
/// for octal.
fn split_base(s: &str) -> (u32, &str) {
    let b = s.as_bytes();
    if b.len() > 1 && b[0] == b'0' {
        match b[1].to_ascii_lowercase() {
            b'x' => (16, &s[2..]),
            b'o' => (8, &s[2..]),
            b'b' => (2, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    }
}

/// Unsigned digits in `radix` (no sign accepted, unlike `from_str_radix`).
fn digits_radix(s: &str, radix: u32) -> Option<u64> {
    if s.is_empty() || !s.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(s, radix).ok()
}

fn go_parse_uint(s: &str) -> Option<u64> {
    let (radix, body) = split_base(s);
    digits_radix(body, radix)
}

fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    apply_sign(neg, go_parse_uint(rest)?)
}

fn signed_radix(s: &str, radix: u32) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    apply_sign(neg, digits_radix(rest, radix)?)
}

fn apply_sign(neg: bool, u: u64) -> Option<i64> {
    if neg {
        0i64.checked_sub_unsigned(u)
    } else {
        i64::try_from(u).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_yaml_v3() {
        let cases: &[(&str, Yaml)] = &[
            ("", Yaml::Null),
            ("~", Yaml::Null),
            ("NULL", Yaml::Null),
            ("True", Yaml::Bool(true)),
            ("FALSE", Yaml::Bool(false)),
            ("yes", Yaml::str("yes")),
            ("on", Yaml::str("on")),
            ("tRue", Yaml::str("tRue")),
            ("0", Yaml::Int(0)),
            ("-12", Yaml::Int(-12)),
            ("+7", Yaml::Int(7)),
            ("1_000", Yaml::Int(1000)),
            ("0x1F", Yaml::Int(31)),
            ("0o17", Yaml::Int(15)),
            ("0777", Yaml::Int(511)),
            ("0b101", Yaml::Int(5)),
            ("0b-1", Yaml::Int(-1)),
            ("08", Yaml::Float(8.0)),
            ("-9223372036854775808", Yaml::Int(i64::MIN)),
            ("18446744073709551615", Yaml::Float(u64::MAX as f64)),
            ("99999999999999999999", Yaml::Float(1e20)),
            ("1.5", Yaml::Float(1.5)),
            ("1.", Yaml::Float(1.0)),
            (".5", Yaml::Float(0.5)),
            ("-1e3", Yaml::Float(-1000.0)),
            ("1e400", Yaml::str("1e400")),
            (".inf", Yaml::Float(f64::INFINITY)),
            ("-.Inf", Yaml::Float(f64::NEG_INFINITY)),
            ("+inf", Yaml::str("+inf")),
            ("0x", Yaml::str("0x")),
            ("1.2.3", Yaml::str("1.2.3")),
            ("10.5.0.0/16", Yaml::str("10.5.0.0/16")),
            ("2024-01-02", Yaml::str("2024-01-02")),
            ("v1.12.0", Yaml::str("v1.12.0")),
            ("-", Yaml::str("-")),
            ("_1", Yaml::str("_1")),
            ("1:20", Yaml::str("1:20")),
        ];
        for (text, want) in cases {
            assert_eq!(&resolve_plain(text), want, "resolving {text:?}");
        }
        assert!(matches!(resolve_plain(".NaN"), Yaml::Float(f) if f.is_nan()));
    }

    #[test]
    fn tags_force_or_check_the_type() {
        let r = |t, tag| resolve(t, true, Tagging::Core(tag)).map_err(|e| e.to_string());
        assert_eq!(r("123", "str"), Ok(Yaml::str("123")));
        assert_eq!(r("aGk=", "binary"), Ok(Yaml::str("aGk=")));
        assert_eq!(r("12", "int"), Ok(Yaml::Int(12)));
        assert_eq!(r("12", "float"), Ok(Yaml::Float(12.0)));
        assert_eq!(
            r("abc", "int"),
            Err("cannot decode !!str `abc` as a !!int".into())
        );
        assert_eq!(resolve("12", false, Tagging::Implicit), Ok(Yaml::str("12")));
        assert_eq!(resolve("12", true, Tagging::Other), Ok(Yaml::str("12")));
    }
}
