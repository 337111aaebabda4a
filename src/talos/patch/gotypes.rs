//! Talos' config Go structs (field order, tags, types) from `schemas/talos-v1.12.0-structs.json`.
//!
//! Talos merges decoded Go structs, not YAML trees, so merge rules depend on the Go type of
//! each field: pointers vs values (zero values), `merge:"replace"` tags, custom list mergers.
//! The table is extracted from upstream by `scripts/talos-structs.py`; unlike the JSON
//! schema it also lists the deprecated (`docgen:nodoc`) fields Talos still accepts.

use indexmap::IndexMap;
use serde_json::Value;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../../schemas/talos-v1.12.0-structs.json");

/// One YAML-visible field of a Go struct.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// YAML key.
    pub(crate) name: String,
    /// Go type, package-qualified (`*v1alpha1.KubeletConfig`, `[]string`).
    pub(crate) ty: String,
    /// Tagged `merge:"replace"`: a non-empty patch value replaces the field.
    pub(crate) replace: bool,
    /// Tagged `omitempty`: a zero value is left out when Talos marshals the config.
    pub(crate) omitempty: bool,
}

/// A Go struct's YAML fields in declaration order (inline structs flattened).
#[derive(Debug, Clone)]
pub(crate) struct Struct {
    /// Fields in order.
    pub(crate) fields: Vec<Field>,
}

impl Struct {
    /// The field with YAML key `key`.
    pub(crate) fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == key)
    }

    /// Position of `key` in declaration order.
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == key)
    }
}

/// Lists whose items Talos merges by a key instead of appending (their `Merge` methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyedList {
    /// `machine.network.interfaces`: by `interface`, else by equal `deviceSelector`.
    Devices,
    /// `interfaces[].vlans`: by `vlanId`.
    Vlans,
    /// `cluster.apiServer.admissionControl`: by `name`.
    AdmissionPlugins,
    /// ExtensionServiceConfig `configFiles`: by `mountPath`.
    ConfigFiles,
}

/// A resolved Go type, as far as merging and ordering care.
#[derive(Debug, Clone)]
pub(crate) enum GoTy {
    /// A struct (pointer or value).
    Struct(&'static Struct, bool),
    /// A slice; `Some` for the keyed-merge lists.
    Slice(Box<GoTy>, Option<KeyedList>),
    /// `[]byte` (and `Base64Bytes`): always replaced.
    Bytes,
    /// `map[string]T`: merged key by key; Go marshals its keys sorted.
    Map(Box<GoTy>),
    /// `Unstructured` / `map[string]any` / `any`: free YAML, merged with overwrite.
    Any,
    /// `bool` (`ptr`: `*bool`): always merged, even `false`.
    Bool(bool),
    /// A number or a named scalar type with its own YAML codec (enums, addresses)
    /// (`ptr`: a pointer, whose zero value still overrides).
    Scalar(bool),
    /// A type from outside the config packages (certificates, URLs, durations): merged
    /// key by key when both sides are mappings, else replaced.
    Opaque,
    /// `string`: YAML scalars of any type decode into it as text.
    Str(bool),
}

fn raw() -> &'static serde_json::Map<String, Value> {
    static RAW: OnceLock<serde_json::Map<String, Value>> = OnceLock::new();
    RAW.get_or_init(|| serde_json::from_str(TABLE).expect("embedded struct table is valid JSON"))
}

fn table() -> &'static IndexMap<String, Struct> {
    static T: OnceLock<IndexMap<String, Struct>> = OnceLock::new();
    T.get_or_init(|| {
        let raw = raw();
        let mut out = IndexMap::new();
        for name in raw.keys() {
            if raw[name].get("fields").is_some() {
                let mut fields = Vec::new();
                flatten(raw, name, &mut fields);
                out.insert(name.clone(), Struct { fields });
            }
        }
        out
    })
}

/// Collects a struct's fields, expanding `yaml:",inline"` embedded structs in place.
fn flatten(raw: &serde_json::Map<String, Value>, name: &str, out: &mut Vec<Field>) {
    let Some(fields) = raw.get(name).and_then(|v| v.get("fields")?.as_array()) else {
        return;
    };
    for f in fields {
        let cols: Vec<&str> = f
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let [key, ty, omitempty, replace, inline] = cols[..] else {
            continue;
        };
        if inline == "inline" {
            let inner = ty.trim_start_matches('*');
            if raw.contains_key(inner) {
                flatten(raw, inner, out);
            } else if inner == "meta.Meta" {
                out.push(field("apiVersion", "string", false, true));
                out.push(field("kind", "string", false, false));
            }
            continue;
        }
        out.push(field(
            key,
            ty,
            replace == "replace",
            omitempty == "omitempty",
        ));
    }
}

fn field(name: &str, ty: &str, replace: bool, omitempty: bool) -> Field {
    Field {
        name: name.to_string(),
        ty: ty.to_string(),
        replace,
        omitempty,
    }
}

/// A struct by its `pkg.Type` name.
pub(crate) fn lookup(name: &str) -> Option<&'static Struct> {
    table().get(name)
}

fn alias(name: &str) -> Option<&'static str> {
    raw().get(name)?.get("type")?.as_str()
}

/// Resolves a Go type string from the table.
pub(crate) fn resolve(ty: &str) -> GoTy {
    let (ptr, ty) = match ty.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, ty),
    };
    if let Some(item) = ty.strip_prefix("[]") {
        return match item {
            "byte" | "uint8" => GoTy::Bytes,
            _ => GoTy::Slice(Box::new(resolve(item)), None),
        };
    }
    if let Some(val) = ty.strip_prefix("map[string]") {
        return match val {
            "any" => GoTy::Any,
            _ => GoTy::Map(Box::new(resolve(val))),
        };
    }
    let keyed = match ty {
        "v1alpha1.NetworkDeviceList" => Some(KeyedList::Devices),
        "v1alpha1.VlanList" => Some(KeyedList::Vlans),
        "v1alpha1.AdmissionPluginConfigList" => Some(KeyedList::AdmissionPlugins),
        "extensions.ConfigFileList" => Some(KeyedList::ConfigFiles),
        _ => None,
    };
    match ty {
        "bool" => return GoTy::Bool(ptr),
        "string" => return GoTy::Str(ptr),
        "any" | "v1alpha1.Unstructured" => return GoTy::Any,
        "v1alpha1.Base64Bytes" => return GoTy::Bytes,
        _ => {}
    }
    if let Some(s) = lookup(ty) {
        // A struct without YAML fields has its own codec (URLs, sizes, endpoints).
        return if s.fields.is_empty() {
            GoTy::Opaque
        } else {
            GoTy::Struct(s, ptr)
        };
    }
    if let Some(under) = alias(ty) {
        return match (resolve(under), keyed) {
            (GoTy::Slice(item, _), Some(k)) => GoTy::Slice(item, Some(k)),
            // A named string type (enums, tokens) decodes like a scalar, not as free text.
            (GoTy::Str(p), _) => GoTy::Scalar(p || ptr),
            (other, _) => other,
        };
    }
    let builtin = matches!(
        ty,
        "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "float32"
            | "float64"
    );
    if builtin {
        GoTy::Scalar(ptr)
    } else {
        GoTy::Opaque
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_order_includes_hidden_fields() {
        let c = lookup("v1alpha1.Config").unwrap();
        let names: Vec<&str> = c.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["version", "debug", "persist", "machine", "cluster"]);
        let net = lookup("v1alpha1.NetworkConfig").unwrap();
        assert_eq!(net.position("interfaces"), Some(1));
    }

    #[test]
    fn inline_structs_are_flattened() {
        let bond = lookup("network.BondConfigV1Alpha1").unwrap();
        assert_eq!(bond.fields[0].name, "apiVersion");
        assert_eq!(bond.fields[1].name, "kind");
        assert!(bond.field("mtu").is_some(), "CommonLinkConfig is inlined");
    }

    #[test]
    fn resolves_replace_tags_and_keyed_lists() {
        let net = lookup("v1alpha1.ClusterNetworkConfig").unwrap();
        assert!(net.field("podSubnets").unwrap().replace);
        assert!(
            !lookup("v1alpha1.MachineConfig")
                .unwrap()
                .field("certSANs")
                .unwrap()
                .replace
        );
        let ifs = lookup("v1alpha1.NetworkConfig")
            .unwrap()
            .field("interfaces")
            .unwrap();
        assert!(matches!(
            resolve(&ifs.ty),
            GoTy::Slice(_, Some(KeyedList::Devices))
        ));
        assert!(matches!(resolve("v1alpha1.Unstructured"), GoTy::Any));
        assert!(matches!(resolve("*uint32"), GoTy::Scalar(true)));
        assert!(matches!(resolve("map[string]string"), GoTy::Map(_)));
    }
}
