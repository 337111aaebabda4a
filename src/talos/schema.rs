//! The Talos v1.12.0 JSON schema (`schemas/talos-v1.12.0-config.schema.json`), loaded once and indexed.
//!
//! Upstream data: `pkg/machinery/config/schemas/config.schema.json`. Its `$defs` are named
//! after the Go types (`network.BondConfigV1Alpha1`), which is how [`def_for_kind`] finds a
//! document's Go type. The patcher's strict checks and the validator's unknown-key and
//! editor-grade checks all read this one copy.

use super::types::{FnvMap, FnvSet};
use serde_json::Value;
use std::sync::OnceLock;

const SCHEMA_TEXT: &str = include_str!("../../schemas/talos-v1.12.0-config.schema.json");

/// The legacy (`version: v1alpha1`) document's definition.
pub(crate) const LEGACY_DEF: &str = "v1alpha1.Config";

/// The parsed schema and what is looked up for every document.
struct Schema {
    root: Value,
    /// Document kind → definition name (the first definition naming a kind wins).
    by_kind: FnvMap<String, String>,
    /// Definitions with a `name` property (Talos' `NamedDocument`s).
    named: FnvSet<String>,
    /// Every kind, in definition order.
    kinds: Vec<String>,
}

fn schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| {
        let mut root: Value =
            serde_json::from_str(SCHEMA_TEXT).expect("embedded schema is valid JSON");
        super::schema_fixes::correct(&mut root);
        let mut by_kind = FnvMap::default();
        let mut named = FnvSet::default();
        let mut kinds = Vec::new();
        let defs = root.get("$defs").and_then(Value::as_object);
        for (name, def) in defs.into_iter().flatten() {
            let enum_kinds = def
                .pointer("/properties/kind/enum")
                .and_then(Value::as_array);
            for k in enum_kinds.into_iter().flatten().filter_map(Value::as_str) {
                by_kind.entry(k.to_string()).or_insert_with(|| name.clone());
            }
            if let Some(k) = def
                .pointer("/properties/kind/enum/0")
                .and_then(Value::as_str)
            {
                kinds.push(k.to_string());
            }
            if def.pointer("/properties/name").is_some() {
                named.insert(name.clone());
            }
        }
        Schema {
            root,
            by_kind,
            named,
            kinds,
        }
    })
}

/// The whole schema document.
pub(crate) fn root() -> &'static Value {
    &schema().root
}

/// A definition by name (`$defs/<name>`); the map is indexed, so is each `properties` map.
pub(crate) fn def(name: &str) -> Option<&'static Value> {
    root().get("$defs")?.get(name)
}

/// Follows `$ref`s (`#/$defs/<name>`) to the node they name; other nodes as they are.
pub(crate) fn deref(node: &'static Value) -> &'static Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => r.strip_prefix("#/$defs/").and_then(def).map_or(node, deref),
        None => node,
    }
}

/// The schema definition (also the Go `pkg.Type`) of a document kind, e.g.
/// `BondConfig` → `network.BondConfigV1Alpha1`.
pub(crate) fn def_for_kind(kind: &str) -> Option<&'static str> {
    schema().by_kind.get(kind).map(String::as_str)
}

/// Every document kind the schema knows.
pub(crate) fn kinds() -> Vec<&'static str> {
    schema().kinds.iter().map(String::as_str).collect()
}

/// Whether documents of this definition are identified by their `name` too.
pub(crate) fn is_named(def: &str) -> bool {
    schema().named.contains(def)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_their_go_types() {
        assert_eq!(
            def_for_kind("BondConfig"),
            Some("network.BondConfigV1Alpha1")
        );
        assert_eq!(def_for_kind("NoSuchConfig"), None);
        assert!(kinds().contains(&"HostnameConfig"));
        assert!(is_named("network.BondConfigV1Alpha1"));
        assert!(!is_named("network.HostnameConfigV1Alpha1"));
        let props = def(LEGACY_DEF).and_then(|d| d.get("properties")).unwrap();
        assert!(deref(&props["machine"]).get("properties").is_some());
    }
}
