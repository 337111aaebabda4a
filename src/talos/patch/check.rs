//! Checks config and patch documents against the Talos v1.12.0 JSON schema, like Talos' strict decoder.
//!
//! The schema ([`crate::talos::schema`]) has
//! `additionalProperties: false` everywhere but omits the deprecated fields Talos still
//! accepts (`persist`, `machine.network.interfaces`, ...); those are taken from the Go
//! struct table instead, so a stock `gen config` document passes.

use super::error::{PatchError, dotted};
use crate::talos::schema;
use crate::talos::types::{self, GoTy};
use crate::yaml::{PathSeg, Yaml};
use serde_json::Value;
use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;

/// Checks one document against the definition `def`: unknown keys (with a did-you-mean
/// hint) and value types. In a patch (`patch: true`) maps holding `$patch` are skipped.
/// The error path is the document path; `doc` is filled in by the caller.
pub fn check_document(doc: &Yaml, def: &str, patch: bool) -> Result<(), PatchError> {
    let Some(node) = schema::def(def) else {
        return Ok(());
    };
    let mut path = Vec::new();
    Checker { patch }.node(doc, node, Some(def), &mut path)
}

struct Checker {
    patch: bool,
}

impl Checker {
    fn node(
        &self,
        v: &Yaml,
        node: &Value,
        def: Option<&str>,
        path: &mut Vec<PathSeg>,
    ) -> Result<(), PatchError> {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            return match schema::def(name) {
                Some(target) => self.node(v, target, Some(name), path),
                None => Ok(()),
            };
        }
        if matches!(v, Yaml::Null) || self.is_delete(v) {
            return Ok(());
        }
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            let map = expect_map(v, path)?;
            let go = def.and_then(types::lookup);
            for (k, child) in map {
                if self.patch && k == "$patch" && child.as_str() == Some("delete") {
                    continue;
                }
                path.push(PathSeg::Key(k.clone()));
                if let Some(p) = props.get(k) {
                    self.node(child, p, None, path)?;
                    let field = go.and_then(|s| s.field(k));
                    self.enum_ok(child, p, field, path)?;
                    if let Some(f) = field {
                        decodes(child, &f.ty, path)?;
                    }
                } else if let Some(f) = go.and_then(|s| s.field(k)) {
                    // Deprecated field: absent from the schema, known to Talos.
                    self.go(child, f.go_ty(), path)?;
                } else if node.get("additionalProperties") != Some(&Value::Bool(false)) {
                    // Open object: extra keys allowed, checked by their schema if any.
                    if let Some(extra) = node.get("additionalProperties").filter(|a| a.is_object())
                    {
                        self.node(child, extra, None, path)?;
                    }
                } else {
                    let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
                    if let Some(s) = go {
                        names.extend(s.names());
                    }
                    return Err(unknown(k, &names, path));
                }
                path.pop();
            }
            return Ok(());
        }
        if let Some(pp) = node.pointer("/patternProperties/.*") {
            for (k, child) in expect_map(v, path)? {
                path.push(PathSeg::Key(k.clone()));
                self.node(child, pp, None, path)?;
                path.pop();
            }
            return Ok(());
        }
        match node.get("type").and_then(Value::as_str) {
            Some("object") => expect_map(v, path).map(|_| ()),
            Some("array") => {
                let items = expect_seq(v, path)?;
                if let Some(item) = node.get("items") {
                    for (i, child) in items.iter().enumerate() {
                        path.push(PathSeg::Index(i));
                        self.node(child, item, None, path)?;
                        path.pop();
                    }
                }
                Ok(())
            }
            Some("string") => expect_scalar(v, "a string", path),
            Some("integer") => match v {
                Yaml::Int(_) => Ok(()),
                _ => Err(mismatch("an integer", v, path)),
            },
            Some("boolean") => match v {
                Yaml::Bool(_) => Ok(()),
                _ => Err(mismatch("a boolean", v, path)),
            },
            _ => expect_scalar(v, "a scalar", path),
        }
    }

    /// A `{$patch: delete}` map in a patch: a delete marker, not a value.
    fn is_delete(&self, v: &Yaml) -> bool {
        self.patch && v.get("$patch").and_then(Yaml::as_str) == Some("delete")
    }

    /// Enum values are only enforced where the Go type decodes them (named types such as
    /// `nethelpers.BondMode`); plain Go strings (`machine.type`) are left to validation.
    #[allow(clippy::unused_self)] // a method beside its siblings of the same walk
    fn enum_ok(
        &self,
        v: &Yaml,
        node: &Value,
        field: Option<&'static types::Field>,
        path: &[PathSeg],
    ) -> Result<(), PatchError> {
        let (Some(values), Yaml::Str(s)) = (node.get("enum").and_then(Value::as_array), v) else {
            return Ok(());
        };
        let decoded = field.is_some_and(|f| !matches!(f.go_ty(), GoTy::Str(_)));
        let allowed: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        if !decoded || allowed.contains(&s.as_str()) {
            return Ok(());
        }
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut err =
            PatchError::at_path(path, format!("invalid value `{s}` for `{}`", dotted(path)))
                .with_hint(format!("use one of {list}"));
        if let Some(c) = crate::diag::closest(s, allowed.iter().copied()) {
            err = err.with_hint(format!("did you mean `{c}`?"));
        }
        Err(err)
    }

    /// Checks a deprecated field by its Go type (the schema does not describe it).
    fn go(&self, v: &Yaml, ty: &GoTy, path: &mut Vec<PathSeg>) -> Result<(), PatchError> {
        if matches!(v, Yaml::Null) || self.is_delete(v) {
            return Ok(());
        }
        match ty {
            GoTy::Struct(s, _) => {
                for (k, child) in expect_map(v, path)? {
                    if self.patch && k == "$patch" && child.as_str() == Some("delete") {
                        continue;
                    }
                    path.push(PathSeg::Key(k.clone()));
                    if let Some(f) = s.field(k) {
                        self.go(child, f.go_ty(), path)?;
                    } else {
                        let names: Vec<&str> = s.names().collect();
                        return Err(unknown(k, &names, path));
                    }
                    path.pop();
                }
                Ok(())
            }
            GoTy::Slice(item, _) => {
                for (i, child) in expect_seq(v, path)?.iter().enumerate() {
                    path.push(PathSeg::Index(i));
                    self.go(child, item, path)?;
                    path.pop();
                }
                Ok(())
            }
            GoTy::Map(val) => {
                for (k, child) in expect_map(v, path)? {
                    path.push(PathSeg::Key(k.clone()));
                    self.go(child, val, path)?;
                    path.pop();
                }
                Ok(())
            }
            GoTy::Bool(_) => match v {
                Yaml::Bool(_) => Ok(()),
                _ => Err(mismatch("a boolean", v, path)),
            },
            GoTy::Str(_) | GoTy::Bytes => expect_scalar(v, "a string", path),
            GoTy::Any | GoTy::Scalar(_) | GoTy::Opaque => Ok(()),
        }
    }
}

/// Values of Go types that parse their text when decoding (addresses, prefixes,
/// durations): Talos rejects the whole config if they don't parse, so say so at the key.
fn decodes(v: &Yaml, go_ty: &str, path: &mut Vec<PathSeg>) -> Result<(), PatchError> {
    let ty = go_ty.trim_start_matches('*');
    if let Some(item) = ty.strip_prefix("[]") {
        for (i, child) in v.as_seq().unwrap_or_default().iter().enumerate() {
            path.push(PathSeg::Index(i));
            decodes(child, item, path)?;
            path.pop();
        }
        return Ok(());
    }
    let Yaml::Str(text) = v else { return Ok(()) };
    let (ok, what, example) = match ty {
        "netip.Addr" | "network.Addr" | "meta.Addr" => {
            (text.parse::<IpAddr>().is_ok(), "an IP address", "10.0.0.1")
        }
        "netip.Prefix" | "network.Prefix" | "meta.Prefix" => {
            (is_prefix(text), "an IP prefix", "10.0.0.0/24")
        }
        "network.AddrPort" | "meta.AddrPort" => (
            text.parse::<SocketAddr>().is_ok(),
            "an address and port",
            "10.0.0.1:51820",
        ),
        "time.Duration" => (is_duration(text), "a duration", "30s"),
        _ => return Ok(()),
    };
    if ok {
        return Ok(());
    }
    Err(PatchError::at_path(
        path,
        format!(
            "invalid value `{text}` for `{}`: expected {what}",
            dotted(path)
        ),
    )
    .with_hint(format!("write it like `{example}`")))
}

fn is_prefix(text: &str) -> bool {
    let Some((addr, bits)) = text.split_once('/') else {
        return false;
    };
    let max = match addr.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => 32,
        Ok(IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    // Go's netip rejects signs and leading zeros in the length.
    bits.parse::<u8>()
        .is_ok_and(|b| b <= max && (bits == "0" || !bits.starts_with(['0', '+'])))
}

/// Go's `time.ParseDuration` syntax (`1h30m`, `1.5s`, `-2ms`, `0`).
fn is_duration(text: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$")
            .expect("valid regex")
    })
    .is_match(text)
}

fn unknown(key: &str, names: &[&str], path: &[PathSeg]) -> PatchError {
    let err = PatchError::at_path(path, format!("unknown field `{}`", dotted(path)));
    match crate::diag::closest(key, names.iter().copied()) {
        Some(c) => err.with_hint(format!("did you mean `{c}`?")),
        None => err,
    }
}

fn mismatch(expected: &str, v: &Yaml, path: &[PathSeg]) -> PatchError {
    PatchError::at_path(
        path,
        format!(
            "invalid type for `{}`: expected {expected}, found {}",
            dotted(path),
            article(v)
        ),
    )
}

fn article(v: &Yaml) -> String {
    let t = v.type_name();
    match t.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

fn expect_map<'a>(v: &'a Yaml, path: &[PathSeg]) -> Result<&'a crate::yaml::Map, PatchError> {
    v.as_map().ok_or_else(|| mismatch("a mapping", v, path))
}

fn expect_seq<'a>(v: &'a Yaml, path: &[PathSeg]) -> Result<&'a [Yaml], PatchError> {
    v.as_seq().ok_or_else(|| mismatch("a sequence", v, path))
}

fn expect_scalar(v: &Yaml, expected: &str, path: &[PathSeg]) -> Result<(), PatchError> {
    match v {
        Yaml::Map(_) | Yaml::Seq(_) => Err(mismatch(expected, v, path)),
        _ => Ok(()),
    }
}
