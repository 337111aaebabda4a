//! Talos' config Go types (field order, tags, types), one table per [`Edition`], each loaded once from `schemas/talos-<tag>-structs.json`.
//!
//! Talos decodes, merges and re-marshals Go structs, not YAML trees, so how a key behaves
//! depends on the Go type of its field: pointers vs values (zero values), `merge:"replace"`
//! tags, custom list mergers, types with their own YAML codec. The table is extracted from
//! upstream by `scripts/talos-structs.py`; unlike the JSON schema it also lists the deprecated
//! (`docgen:nodoc`) fields Talos still accepts. The patcher reads it as [`GoTy`]s
//! ([`Field::go_ty`]), the validator's decoder as type names ([`Field::decoded`]), and
//! [`super::marshal`] orders generated and patched documents by it. Lookups read the table of
//! the edition in force ([`super::edition::current`]).

use super::edition::{self, Edition};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// The struct table of each edition, in [`Edition::ALL`] order.
const TABLE: [&str; 2] = [
    include_str!("../../schemas/talos-v1.13.9-structs.json"),
    include_str!("../../schemas/talos-v1.14.0-rc.1-structs.json"),
];

/// FNV-1a for the table's maps: a lookup is mostly hashing a short name, and SipHash's flood
/// resistance buys nothing for a fixed table that input never inserts into.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A map with [`Fnv`] hashing.
pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// A set with [`Fnv`] hashing.
pub(crate) type FnvSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

/// One YAML-visible field of a Go struct.
#[derive(Debug)]
pub(crate) struct Field {
    /// YAML key.
    pub(crate) name: String,
    /// Go type, package-qualified, as declared (`*v1alpha1.KubeletConfig`, `[]string`).
    pub(crate) ty: String,
    /// Tagged `merge:"replace"`: a non-empty patch value replaces the field.
    pub(crate) replace: bool,
    /// Tagged `omitempty`: a zero value is left out when Talos marshals the config.
    pub(crate) omitempty: bool,
    /// `ty` resolved, at first use.
    resolved: OnceLock<GoTy>,
    /// The table the field belongs to: its type resolves there.
    edition: Edition,
    /// `ty` without pointers (`[]v1alpha1.Route` for `[]*v1alpha1.Route`).
    decoded: String,
}

impl Field {
    fn new(name: &str, ty: &str, replace: bool, omitempty: bool, edition: Edition) -> Field {
        Field {
            name: name.to_string(),
            ty: ty.to_string(),
            replace,
            omitempty,
            resolved: OnceLock::new(),
            edition,
            decoded: without_pointers(ty),
        }
    }

    /// The field's type as merging and ordering see it.
    pub(crate) fn go_ty(&'static self) -> &'static GoTy {
        self.resolved
            .get_or_init(|| resolve_in(table_in(self.edition), &self.ty))
    }

    /// The type yaml decodes the value into: pointers dereferenced, as yaml.v3's type errors
    /// name it (`cannot unmarshal !!str into bool` for a `*bool`).
    pub(crate) fn decoded(&self) -> &str {
        &self.decoded
    }
}

/// A Go struct's YAML fields in declaration order (inline structs flattened).
#[derive(Debug)]
pub(crate) struct Struct {
    /// Fields by YAML key, in declaration order.
    pub(crate) fields: IndexMap<String, Field, BuildHasherDefault<Fnv>>,
    /// Has an inline `map[string]any` (`Unstructured`): any key is accepted.
    pub(crate) open: bool,
    /// Decoded by its own `UnmarshalYAML` (the x509 certificates): `fields` are the keys it
    /// reads, but merging treats it as an opaque value.
    pub(crate) codec: bool,
}

impl Struct {
    /// The field with YAML key `key`.
    pub(crate) fn field(&self, key: &str) -> Option<&Field> {
        self.fields.get(key)
    }

    /// Position of `key` in declaration order.
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        self.fields.get_index_of(key)
    }

    /// The YAML keys in declaration order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
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
    /// ImageVerificationConfig `rules`: a patch rule replaces the rule with its `image`
    /// pattern (`ImageVerificationRules.Merge`, v1.13).
    ImageRules,
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

/// A named non-struct type (`type VlanList []*Vlan`).
#[derive(Debug)]
struct Alias {
    /// The underlying type as declared (`= map[string]string` for a Go alias declaration).
    raw: String,
    /// The underlying type without pointers or the alias `=`.
    decoded: String,
}

/// The table, indexed by `pkg.Type`.
#[derive(Debug, Default)]
struct Table {
    structs: FnvMap<String, Struct>,
    aliases: FnvMap<String, Alias>,
}

fn table() -> &'static Table {
    table_in(edition::current())
}

/// Builds the edition's table now (see [`super::warm_up`]).
pub(crate) fn warm(e: Edition) {
    let _ = table_in(e);
}

fn table_in(e: Edition) -> &'static Table {
    static T: [OnceLock<Table>; 2] = [OnceLock::new(), OnceLock::new()];
    T[e.index()].get_or_init(|| {
        let raw: serde_json::Map<String, Value> =
            serde_json::from_str(TABLE[e.index()]).expect("embedded struct table is valid JSON");
        let mut t = Table::default();
        for (name, entry) in &raw {
            if entry.get("fields").is_some() {
                let mut s = Struct {
                    fields: IndexMap::default(),
                    open: false,
                    codec: entry.get("codec").is_some(),
                };
                flatten(&raw, name, &mut s, e);
                t.structs.insert(name.clone(), s);
            } else if let Some(under) = entry.get("type").and_then(Value::as_str) {
                let decoded = without_pointers(under.trim_start_matches("= "));
                let alias = Alias {
                    raw: under.to_string(),
                    decoded,
                };
                t.aliases.insert(name.clone(), alias);
            }
        }
        t
    })
}

/// Collects a struct's fields, expanding `yaml:",inline"` embedded structs in place.
fn flatten(raw: &serde_json::Map<String, Value>, name: &str, out: &mut Struct, e: Edition) {
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
        let mut push = |f: Field| {
            // The first declaration of a key wins, as Go's field lookup does.
            out.fields.entry(f.name.clone()).or_insert(f);
        };
        if inline == "inline" {
            let inner = ty.trim_start_matches('*');
            if raw.contains_key(inner) {
                flatten(raw, inner, out, e);
            } else if inner == "meta.Meta" {
                push(Field::new("apiVersion", "string", false, true, e));
                push(Field::new("kind", "string", false, false, e));
            } else if inner.starts_with("map[") {
                out.open = true;
            }
            continue;
        }
        push(Field::new(
            key,
            ty,
            replace == "replace",
            omitempty == "omitempty",
            e,
        ));
    }
}

fn without_pointers(ty: &str) -> String {
    ty.replace('*', "")
}

/// A struct by its `pkg.Type` name.
pub(crate) fn lookup(name: &str) -> Option<&'static Struct> {
    table().structs.get(name)
}

/// The underlying type of a named non-struct type as yaml decodes it (no pointers, no `=`).
pub(crate) fn decoded_alias(name: &str) -> Option<&'static str> {
    table().aliases.get(name).map(|a| a.decoded.as_str())
}

/// Resolves a Go type string from the table of the edition in force.
pub(crate) fn resolve(ty: &str) -> GoTy {
    resolve_in(table(), ty)
}

fn resolve_in(t: &'static Table, ty: &str) -> GoTy {
    let (ptr, ty) = match ty.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, ty),
    };
    if let Some(item) = ty.strip_prefix("[]") {
        return match item {
            "byte" | "uint8" => GoTy::Bytes,
            _ => GoTy::Slice(Box::new(resolve_in(t, item)), None),
        };
    }
    if let Some(val) = ty.strip_prefix("map[string]") {
        return match val {
            "any" => GoTy::Any,
            _ => GoTy::Map(Box::new(resolve_in(t, val))),
        };
    }
    let keyed = match ty {
        "v1alpha1.NetworkDeviceList" => Some(KeyedList::Devices),
        "v1alpha1.VlanList" => Some(KeyedList::Vlans),
        "v1alpha1.AdmissionPluginConfigList" => Some(KeyedList::AdmissionPlugins),
        "extensions.ConfigFileList" => Some(KeyedList::ConfigFiles),
        "security.ImageVerificationRules" => Some(KeyedList::ImageRules),
        _ => None,
    };
    match ty {
        "bool" => return GoTy::Bool(ptr),
        "string" => return GoTy::Str(ptr),
        "any" | "v1alpha1.Unstructured" | "meta.Unstructured" => return GoTy::Any,
        "v1alpha1.Base64Bytes" => return GoTy::Bytes,
        _ => {}
    }
    if let Some(s) = t.structs.get(ty) {
        // A struct without YAML fields, or decoded by its own `UnmarshalYAML`, has its own
        // codec (URLs, sizes, endpoints, certificates).
        return if s.fields.is_empty() || s.codec {
            GoTy::Opaque
        } else {
            GoTy::Struct(s, ptr)
        };
    }
    if let Some(under) = t.aliases.get(ty).map(|a| a.raw.as_str()) {
        return match (resolve_in(t, under), keyed) {
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
        let names: Vec<&str> = c.names().collect();
        assert_eq!(names, ["version", "debug", "persist", "machine", "cluster"]);
        let net = lookup("v1alpha1.NetworkConfig").unwrap();
        assert_eq!(net.position("interfaces"), Some(1));
    }

    #[test]
    fn inline_structs_are_flattened() {
        let bond = lookup("network.BondConfigV1Alpha1").unwrap();
        let names: Vec<&str> = bond.names().collect();
        assert_eq!(names[..2], ["apiVersion", "kind"]);
        assert!(bond.field("mtu").is_some(), "CommonLinkConfig is inlined");
        let unstructured = lookup("v1alpha1.Unstructured").unwrap();
        assert!(unstructured.open && unstructured.fields.is_empty());
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
            ifs.go_ty(),
            GoTy::Slice(_, Some(KeyedList::Devices))
        ));
        assert!(matches!(resolve("v1alpha1.Unstructured"), GoTy::Any));
        assert!(matches!(resolve("*uint32"), GoTy::Scalar(true)));
        assert!(matches!(resolve("map[string]string"), GoTy::Map(_)));
    }

    #[test]
    fn certificates_have_keys_but_merge_opaque() {
        let ca = lookup("x509.PEMEncodedCertificateAndKey").unwrap();
        assert!(ca.codec);
        assert_eq!(ca.names().collect::<Vec<_>>(), ["crt", "key"]);
        assert!(matches!(
            resolve("*x509.PEMEncodedCertificateAndKey"),
            GoTy::Opaque
        ));
    }

    #[test]
    fn decoded_types_drop_pointers_and_alias_marks() {
        let routes = lookup("v1alpha1.Device").unwrap().field("routes").unwrap();
        assert_eq!(routes.ty, "[]*v1alpha1.Route");
        assert_eq!(routes.decoded(), "[]v1alpha1.Route");
        assert_eq!(decoded_alias("v1alpha1.Env"), Some("map[string]string"));
        assert_eq!(
            decoded_alias("v1alpha1.NetworkDeviceList"),
            Some("[]v1alpha1.Device")
        );
    }
}
