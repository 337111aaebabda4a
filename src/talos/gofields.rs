//! A v1alpha1 document seen through its Go field names, as talhelper's templates read the config (`{{ .MachineConfig.MachineInstall.InstallImage }}`).
//!
//! `schemas/talos-v1.13.9-gonames.json` (from `scripts/talos-gonames.py`) names each v1alpha1
//! struct's Go fields and their YAML keys; the struct table ([`super::types`]) gives each
//! field's Go type, so a chain walks the document key by key and an unset field reads as its
//! Go zero value.

use super::types;
use crate::gotmpl::{Data, Value};
use crate::yaml::Yaml;
use std::collections::HashMap;
use std::sync::OnceLock;

const GONAMES: &str = include_str!("../../schemas/talos-v1.13.9-gonames.json");

/// `pkg.Type` → Go field name → YAML key.
fn gonames() -> &'static HashMap<String, HashMap<String, String>> {
    static TABLE: OnceLock<HashMap<String, HashMap<String, String>>> = OnceLock::new();
    TABLE.get_or_init(|| serde_json::from_str(GONAMES).expect("the Go names table is valid JSON"))
}

/// A v1alpha1 document (`v1alpha1.Config`) as template data.
pub(crate) struct ConfigData<'a>(pub(crate) &'a Yaml);

impl Data for ConfigData<'_> {
    fn field(&self, chain: &[String]) -> Result<Value, String> {
        let mut ty = "v1alpha1.Config".to_string();
        let mut value = Some(self.0);
        let mut walked = String::new();
        for name in chain {
            walked.push('.');
            walked.push_str(name);
            if let Some(map_value) = ty.strip_prefix("map[string]") {
                // A map field: the next name is a key (`.MachineConfig.MachineNodeLabels.zone`).
                value = value.and_then(|v| v.get(name));
                ty = map_value.to_string();
                continue;
            }
            let struct_ty = ty.trim_start_matches('*');
            let key = gonames()
                .get(struct_ty)
                .and_then(|n| n.get(name))
                .ok_or_else(|| format!("`{walked}`: `{struct_ty}` has no field `{name}`"))?;
            let field_ty = types::lookup(struct_ty)
                .and_then(|s| s.field(key))
                .map(|f| f.ty.clone())
                .ok_or_else(|| format!("`{walked}`: unknown field type"))?;
            if value.is_none() && ty.starts_with('*') {
                return Err(format!("`{walked}`: nil pointer evaluating `{ty}`"));
            }
            value = value.and_then(|v| v.get(key));
            ty = field_ty;
        }
        scalar(value, &ty).ok_or_else(|| {
            format!("`{walked}` is a `{ty}`; templates print strings, numbers and booleans")
        })
    }
}

/// A leaf value, or the zero value of its Go type when it is unset.
fn scalar(v: Option<&Yaml>, ty: &str) -> Option<Value> {
    match v {
        Some(Yaml::Str(s)) => Some(Value::Str(s.clone())),
        Some(Yaml::Bool(b)) => Some(Value::Bool(*b)),
        Some(Yaml::Int(i)) => Some(Value::Int(*i)),
        Some(Yaml::Null) | None => Some(match ty.trim_start_matches('*') {
            _ if ty.starts_with('*') => Value::Nil,
            "string" => Value::Str(String::new()),
            "bool" => Value::Bool(false),
            t if t.starts_with("int") || t.starts_with("uint") => Value::Int(0),
            _ if ty.starts_with("map[") || ty.starts_with("[]") => Value::Nil,
            _ => return None,
        }),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gotmpl::render;
    use crate::yaml::parse_documents;

    fn doc(t: &str) -> Yaml {
        parse_documents(t).unwrap().remove(0).value
    }

    #[test]
    fn go_field_chains_read_the_document() {
        let d = doc(
            "version: v1alpha1\nmachine:\n  type: worker\n  install:\n    image: ghcr.io/x/installer:v1\n  nodeLabels:\n    zone: a\n",
        );
        let r = |t: &str| render(t, &ConfigData(&d));
        assert_eq!(r("{{ .ConfigVersion }}").unwrap(), "v1alpha1");
        assert_eq!(
            r("{{ .MachineConfig.MachineInstall.InstallImage }}").unwrap(),
            "ghcr.io/x/installer:v1"
        );
        assert_eq!(r("{{ .MachineConfig.MachineType }}").unwrap(), "worker");
        assert_eq!(
            r("{{ .MachineConfig.MachineNodeLabels.zone }}").unwrap(),
            "a"
        );
        // Unset fields are Go zero values.
        assert_eq!(
            r("[{{ .MachineConfig.MachineInstall.InstallDisk }}]").unwrap(),
            "[]"
        );
        assert!(
            r("{{ .MachineConfig.Nope }}")
                .unwrap_err()
                .contains("has no field `Nope`")
        );
        assert!(
            r("{{ .MachineConfig.MachineKubelet.KubeletImage }}")
                .unwrap_err()
                .contains("nil pointer")
        );
        assert!(
            r("{{ .MachineConfig.MachineInstall }}")
                .unwrap_err()
                .contains("templates print")
        );
    }
}
