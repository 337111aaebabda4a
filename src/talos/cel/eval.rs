//! Test-only evaluation of link selectors as Talos' `celenv.LinkLocator` runs them on a node.
//!
//! talforge writes selector expressions and type-checks them ([`super::check_bool`]); it
//! never meets a live link. The tests still need to know that an expression means what
//! talhelper's does, so they evaluate it with the `cel` crate's interpreter against a link
//! whose unset fields are proto3 zero values, with Talos' two extra functions.

use std::collections::HashMap;
use std::sync::Arc;

use cel::{Context, Program, Value};

/// The `LinkStatusSpec` fields the selectors read (the rest never appear in them).
#[derive(Debug, Default, Clone)]
pub(crate) struct Link {
    pub(crate) driver: &'static str,
    pub(crate) hardware_addr: Vec<u8>,
    pub(crate) permanent_addr: Vec<u8>,
    pub(crate) bus_path: &'static str,
    pub(crate) pciid: &'static str,
    /// `nethelpers.LinkType` (`LINK_ETHER` is 1).
    pub(crate) kind: i64,
}

/// `celExpr.EvalBool(celenv.LinkLocator(), {"link": link})`.
pub(crate) fn eval_link(expr: &str, link: &Link) -> Result<bool, String> {
    super::check_bool(expr, super::Env::LinkLocator).map_err(|e| e.to_string())?;
    let program = Program::compile(expr).map_err(|e| e.to_string())?;
    let mut ctx = Context::default();
    ctx.add_function("glob", |pattern: Arc<String>, s: Arc<String>| {
        glob(&pattern, &s)
    })
    .map_err(|e| format!("{e:?}"))?;
    ctx.add_function("mac", |b: Arc<Vec<u8>>| mac(&b))
        .map_err(|e| format!("{e:?}"))?;
    let fields: HashMap<&str, Value> = HashMap::from([
        ("driver", Value::from(link.driver)),
        ("bus_path", Value::from(link.bus_path)),
        ("pciid", Value::from(link.pciid)),
        ("type", Value::Int(link.kind)),
        (
            "hardware_addr",
            Value::Bytes(Arc::new(link.hardware_addr.clone())),
        ),
        (
            "permanent_addr",
            Value::Bytes(Arc::new(link.permanent_addr.clone())),
        ),
    ]);
    ctx.add_variable_from_value("link", fields);
    match program.execute(&ctx) {
        Ok(Value::Bool(b)) => Ok(b),
        Ok(other) => Err(format!("not a bool: {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// `net.HardwareAddr.String()`: lower-case hex pairs joined by colons.
fn mac(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// `github.com/ryanuber/go-glob`'s `Glob`: `*` is the only wildcard.
fn glob(pattern: &str, subj: &str) -> bool {
    if pattern.is_empty() {
        return subj == pattern;
    }
    if pattern == "*" {
        return true;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return subj == pattern;
    }
    // A leading `*` makes the first part empty, which every subject starts with.
    let trailing = pattern.ends_with('*');
    let end = parts.len() - 1;
    let mut rest = subj;
    for (i, part) in parts[..end].iter().enumerate() {
        let Some(at) = rest.find(part) else {
            return false;
        };
        if i == 0 && at != 0 {
            return false;
        }
        rest = &rest[at + part.len()..];
    }
    trailing || rest.ends_with(parts[end])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// go-glob's semantics: prefix, suffix and ordered middle parts.
    #[test]
    fn glob_as_go_glob() {
        for (p, s, want) in [
            ("*", "anything", true),
            ("", "", true),
            ("", "x", false),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("*c", "abcd", false),
            ("a*c", "abc", true),
            ("a*c", "xabc", false),
            ("*b*", "abc", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXcYb", false),
            ("00:50:56:*", "00:50:56:12:34:56", true),
        ] {
            assert_eq!(glob(p, s), want, "glob({p:?}, {s:?})");
        }
    }

    #[test]
    fn mac_formats_as_go() {
        assert_eq!(mac(&[0, 0x50, 0x56, 0x12, 0x34, 0xab]), "00:50:56:12:34:ab");
        assert_eq!(mac(&[]), "");
    }

    #[test]
    fn unset_fields_are_zero_values() {
        let l = Link::default();
        assert_eq!(eval_link("link.driver == \"\"", &l), Ok(true));
        assert_eq!(eval_link("link.type == 1", &l), Ok(false));
        assert!(eval_link("link.nope == 1", &l).is_err());
    }
}
