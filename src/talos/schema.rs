//! Talos' JSON schema per [`Edition`] (`schemas/talos-<tag>-config.schema.json`), each loaded once and indexed.
//!
//! Upstream data: `pkg/machinery/config/schemas/config.schema.json` of v1.13.9 (configs up to
//! 1.13) and v1.14.0-rc.1; lookups read the edition in force ([`super::edition::current`]). Its `$defs` are named
//! after the Go types (`network.BondConfigV1Alpha1`), which is how [`def_for_kind`] finds a
//! document's Go type. The patcher's strict checks and the validator's unknown-key and
//! editor-grade checks all read this one copy.

use super::edition::{self, Edition};
use super::types::{FnvMap, FnvSet};
use serde_json::Value;
use std::sync::OnceLock;

/// The schema text of each edition, in [`Edition::ALL`] order, as `build.rs` embeds it:
/// upstream's file without the descriptions (no check reads them; they are five sixths of
/// the text every run parses).
const SCHEMA_TEXT: [&str; 2] = [
    include_str!(concat!(
        env!("OUT_DIR"),
        "/talos-v1.13.9-config.schema.json"
    )),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/talos-v1.14.0-rc.1-config.schema.json"
    )),
];

/// The deprecated `machine.network` and `machine.env` as Talos v1.12.0's schema describes
/// them: v1.13 still decodes both (its `v1alpha1.MachineConfig` keeps the fields, `docgen:nodoc`)
/// and every 1.12 config has `machine.network`, so the schema findings must not flag them.
const DEPRECATED_TEXT: &str = include_str!("../../schemas/talos-v1.12.0-deprecated.schema.json");

/// Puts the deprecated definitions back into the schema (properties a definition lacks,
/// definitions it lacks; nothing of the edition's own schema is replaced).
fn restore_deprecated(root: &mut Value) {
    let extra: Value = serde_json::from_str(DEPRECATED_TEXT).expect("embedded extract is JSON");
    let Some(defs) = root.get_mut("$defs").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, def) in extra["$defs"].as_object().into_iter().flatten() {
        defs.entry(name.clone()).or_insert_with(|| def.clone());
    }
    for (name, props) in extra["properties"].as_object().into_iter().flatten() {
        let target = defs
            .get_mut(name)
            .and_then(|d| d.get_mut("properties"))
            .and_then(Value::as_object_mut);
        if let (Some(target), Some(props)) = (target, props.as_object()) {
            for (k, v) in props {
                target.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

/// Puts back what an older edition's schema describes and this one dropped: v1.14.0-rc.1
/// marks most of the v1alpha1 document `docgen:nodoc` (its `v1alpha1.MachineConfig` lists 8
/// of 1.13's 21 properties) while `v1alpha1.Config` still decodes every field, so 1.14
/// configs with the legacy keys talhelper and older configs use must not be flagged.
fn restore_from_older(root: &mut Value, older: &Value) {
    let Some(defs) = root.get_mut("$defs").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, def) in older["$defs"].as_object().into_iter().flatten() {
        let Some(own) = defs.get_mut(name) else {
            defs.insert(name.clone(), def.clone());
            continue;
        };
        let (Some(target), Some(props)) = (
            own.get_mut("properties").and_then(Value::as_object_mut),
            def.get("properties").and_then(Value::as_object),
        ) else {
            continue;
        };
        for (k, v) in props {
            target.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

/// Document kinds Talos registers whose definition the schema generator left out, with their
/// Go type: `security.ImageVerificationConfigV1Alpha1` is a `schemaRoot` in v1.13.9 and
/// v1.14.0-rc.1 but its `docgen:alias` rule list keeps it out of `config.schema.json`. Their keys are known from
/// the struct table ([`super::types`]).
const UNLISTED_KINDS: &[(&str, &str)] = &[(
    "ImageVerificationConfig",
    "security.ImageVerificationConfigV1Alpha1",
)];

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
    schema_in(edition::current())
}

/// Loads and indexes the edition's schema now (see [`super::warm_up`]).
pub(crate) fn warm(e: Edition) {
    let _ = schema_in(e);
}

fn schema_in(e: Edition) -> &'static Schema {
    static S: [OnceLock<Schema>; 2] = [OnceLock::new(), OnceLock::new()];
    S[e.index()].get_or_init(|| load(e))
}

fn load(e: Edition) -> Schema {
    let mut root: Value =
        serde_json::from_str(SCHEMA_TEXT[e.index()]).expect("embedded schema is valid JSON");
    restore_deprecated(&mut root);
    if let Some(older) = Edition::ALL.iter().rev().find(|o| **o < e) {
        restore_from_older(&mut root, &schema_in(*older).root);
    }
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
    for (kind, def) in UNLISTED_KINDS {
        if !by_kind.contains_key(*kind) {
            by_kind.insert((*kind).to_string(), (*def).to_string());
            kinds.push((*kind).to_string());
        }
    }
    Schema {
        root,
        by_kind,
        named,
        kinds,
    }
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

/// [`def_for_kind`] in a given edition's schema.
pub(crate) fn def_for_kind_in(e: Edition, kind: &str) -> Option<&'static str> {
    schema_in(e).by_kind.get(kind).map(String::as_str)
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
        // Documents new in Talos 1.13.
        for (kind, def) in [
            ("KubeSpanConfig", "network.KubeSpanConfigV1Alpha1"),
            ("ExternalVolumeConfig", "block.ExternalVolumeConfigV1Alpha1"),
            ("RoutingRuleConfig", "network.RoutingRuleConfigV1Alpha1"),
            ("VRFConfig", "network.VRFConfigV1Alpha1"),
            (
                "BlackholeRouteConfig",
                "network.BlackholeRouteConfigV1Alpha1",
            ),
            ("TCPProbeConfig", "network.TCPProbeConfigV1Alpha1"),
            ("EnvironmentConfig", "runtime.EnvironmentV1Alpha1"),
            (
                "ImageVerificationConfig",
                "security.ImageVerificationConfigV1Alpha1",
            ),
        ] {
            assert_eq!(def_for_kind(kind), Some(def), "{kind}");
            assert!(kinds().contains(&kind), "{kind}");
            assert!(
                crate::talos::types::lookup(def).is_some(),
                "{def} is in the struct table"
            );
        }
        assert!(is_named("network.BondConfigV1Alpha1"));
        assert!(!is_named("network.HostnameConfigV1Alpha1"));
        let props = def(LEGACY_DEF).and_then(|d| d.get("properties")).unwrap();
        let machine = deref(&props["machine"]).get("properties").unwrap();
        // v1.13.9 omits the deprecated fields; the loader restores them from v1.12.0.
        assert!(
            deref(&machine["network"])
                .pointer("/properties/kubespan")
                .is_some()
        );
        assert!(machine.get("env").is_some());
        assert!(machine.get("install").is_some());
    }
}
