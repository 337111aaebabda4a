//! `xyaml.CheckUnknownKeys`: a document's keys its Go type doesn't have, as a tree.
//!
//! Documents of the packages the decoder types ([`super::gotype`]) are checked against the
//! Go struct table; the other kinds against their JSON-schema definition's `properties`.

use super::gotype;
use crate::talos::schema;
use crate::yaml::{Map, Yaml};
use serde_json::Value;

/// The unknown keys of a document of Go type `ty` (mapping keys sorted, unknown values
/// copied whole, sequences keeping only entries with findings); `None` when there are none.
pub(super) fn unknown_keys(v: &Yaml, ty: &str) -> Option<Yaml> {
    if gotype::go_struct(ty).is_some() {
        unknown_go(v, ty)
    } else {
        unknown_in(v, schema::deref(schema::def(ty)?))
    }
}

/// Over the Go type tables.
fn unknown_go(v: &Yaml, ty: &str) -> Option<Yaml> {
    let resolved = gotype::alias(ty).unwrap_or(ty);
    if let Some(elem) = resolved.strip_prefix("[]") {
        let items: Vec<Yaml> = v
            .as_seq()?
            .iter()
            .filter_map(|i| unknown_go(i, elem))
            .collect();
        return (!items.is_empty()).then_some(Yaml::Seq(items));
    }
    let m = v.as_map()?;
    if let Some(elem) = resolved.strip_prefix("map[string]") {
        return collect(
            m.iter()
                .filter_map(|(k, val)| Some((k, unknown_go(val, elem)?))),
        );
    }
    let s = gotype::go_struct(resolved)?;
    if s.open {
        return None;
    }
    collect(m.iter().filter_map(|(k, val)| match s.field(k) {
        None => Some((k, val.clone())),
        Some(f) => Some((k, unknown_go(val, f.decoded())?)),
    }))
}

/// Over a schema node's `properties` (for kinds outside the Go tables).
fn unknown_in(v: &Yaml, s: &'static Value) -> Option<Yaml> {
    let s = schema::deref(s);
    match v {
        Yaml::Seq(items) => {
            let elem = s.get("items")?;
            let found: Vec<Yaml> = items.iter().filter_map(|i| unknown_in(i, elem)).collect();
            (!found.is_empty()).then_some(Yaml::Seq(found))
        }
        Yaml::Map(m) => {
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                collect(m.iter().filter_map(|(k, val)| match props.get(k) {
                    None => Some((k, val.clone())),
                    Some(p) => Some((k, unknown_in(val, p)?)),
                }))
            } else if let Some(ap) = s.get("additionalProperties").filter(|a| a.is_object()) {
                collect(
                    m.iter()
                        .filter_map(|(k, val)| Some((k, unknown_in(val, ap)?))),
                )
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Builds a sorted mapping of findings (Go marshals `map[string]any` with sorted keys).
fn collect<'a>(items: impl Iterator<Item = (&'a String, Yaml)>) -> Option<Yaml> {
    let mut m: Map = items.map(|(k, v)| (k.clone(), v)).collect();
    if m.is_empty() {
        return None;
    }
    m.sort_keys();
    Some(Yaml::Map(m))
}
