//! A machine config as Go code sees it: Go field names, absent fields as Go zero values, secrets hidden.
//!
//! talhelper executes its templates against Talos' `*v1alpha1.Config` struct, so a template
//! reads `.MachineConfig.MachineInstall.InstallImage` where the YAML says `machine.install.image`.
//! The Go names come from `schemas/talos-v1.13.9-gonames.json` (extracted by
//! `scripts/talos-structs.py` with `TALOS_STRUCTS_GO_NAMES=1`). A field the YAML leaves out
//! is Go's zero value (`""`, `false`, `0`, `<nil>`), so a template reads it as Go would; a key
//! Go has no field for is absent, so the template fails on it as Go does.
//!
//! Secret fields (the bundle's keys and tokens) read as `******`: templates fill labels and
//! annotations, which are no place for a secret, and the config is rendered once with
//! placeholder secrets and once with the real ones, which must give the same text.

use super::types::{self, FnvMap, GoTy};
use crate::gotemplate::{Value, map};
use crate::secrets::redact::is_secret;
use crate::yaml::Yaml;
use std::sync::{Arc, OnceLock};

const TABLE: &str = include_str!("../../schemas/talos-v1.13.9-gonames.json");

/// Go field names by struct, then by YAML key.
fn go_names() -> &'static FnvMap<String, FnvMap<String, String>> {
    static NAMES: OnceLock<FnvMap<String, FnvMap<String, String>>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let raw: FnvMap<String, Vec<(String, String)>> =
            serde_json::from_str(TABLE).expect("the Go names table is valid JSON");
        raw.into_iter()
            .map(|(ty, fields)| (ty, fields.into_iter().collect()))
            .collect()
    })
}

/// The `v1alpha1.Config` document `doc` as template data.
pub fn v1alpha1(doc: &Yaml) -> Value {
    let mut path = Vec::new();
    of_type(Some(doc), "*v1alpha1.Config", &mut path)
}

/// `value` (absent: `None`) as a value of Go type `ty`.
fn of_type(value: Option<&Yaml>, ty: &str, path: &mut Vec<String>) -> Value {
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    if let Some(v) = value
        && is_secret(None, &keys, v)
    {
        return Value::String(crate::diag::REDACTED.into());
    }
    let name = ty.trim_start_matches('*');
    if let (Some(names), Some(strukt)) = (go_names().get(name), types::lookup(name))
        && !strukt.fields.is_empty()
        && !strukt.codec
    {
        return match value {
            // A nil pointer prints `<nil>`; a struct value is there with its zero fields.
            None | Some(Yaml::Null) if ty.starts_with('*') => Value::Nil,
            _ => {
                let fields = strukt.fields.iter().filter_map(|(key, field)| {
                    let go = names.get(key)?;
                    path.push(key.clone());
                    let v = of_type(value.and_then(|v| v.get(key)), &field.ty, path);
                    path.pop();
                    Some((go.clone(), v))
                });
                map(fields.collect::<Vec<_>>())
            }
        };
    }
    if let (Some(item), Some(Yaml::Seq(items))) = (name.strip_prefix("[]"), value) {
        let out = items.iter().enumerate().map(|(i, x)| {
            path.push(i.to_string());
            let v = of_type(Some(x), item, path);
            path.pop();
            v
        });
        return Value::List(out.collect::<Vec<_>>().into());
    }
    match value {
        Some(v) => yaml(v),
        None => zero(&types::resolve(ty)),
    }
}

/// Free YAML as template data: maps keep their YAML keys.
fn yaml(v: &Yaml) -> Value {
    match v {
        Yaml::Null => Value::Nil,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Int(i) => Value::Int(*i),
        Yaml::Float(f) => Value::Float(*f),
        Yaml::Str(s) => Value::String(Arc::from(s.as_str())),
        Yaml::Seq(items) => Value::List(items.iter().map(yaml).collect::<Vec<_>>().into()),
        Yaml::Map(m) => map(m.iter().map(|(k, v)| (k.clone(), yaml(v)))),
    }
}

/// Go's zero value of `ty`.
fn zero(ty: &GoTy) -> Value {
    match ty {
        GoTy::Bool(false) => Value::Bool(false),
        GoTy::Str(false) => Value::String(Arc::from("")),
        GoTy::Slice(..) | GoTy::Bytes => Value::List(Vec::new().into()),
        GoTy::Map(_) => map([]),
        _ => Value::Nil,
    }
}

#[cfg(test)]
mod tests {
    use super::v1alpha1;
    use crate::gotemplate::render;
    use crate::yaml::parse_documents;

    fn config(text: &str) -> crate::gotemplate::Value {
        let docs = parse_documents(text).unwrap();
        v1alpha1(&docs[0].value)
    }

    #[test]
    fn fields_read_by_their_go_names() {
        let c = config(
            "version: v1alpha1\nmachine:\n  type: worker\n  token: abc.def\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.9\n    disk: /dev/sda\n  nodeLabels:\n    a: b\ncluster:\n  clusterName: lab\n",
        );
        let cases = [
            (
                "{{ .MachineConfig.MachineInstall.InstallImage }}",
                "ghcr.io/siderolabs/installer:v1.13.9",
            ),
            ("{{ .MachineConfig.MachineType }}", "worker"),
            ("{{ .ClusterConfig.ClusterName }}", "lab"),
            ("{{ .MachineConfig.MachineNodeLabels.a }}", "b"),
            // Absent fields are Go's zero values.
            (
                "[{{ .MachineConfig.MachineInstall.InstallDisk }}]",
                "[/dev/sda]",
            ),
            // A nil pointer is false (gotmpl prints it `<no value>` where Go prints `<nil>`).
            (
                "{{ if .MachineConfig.MachineKubelet }}set{{ else }}unset{{ end }}",
                "unset",
            ),
            ("{{ if .ConfigDebug }}on{{ else }}off{{ end }}", "off"),
            (
                "[{{ .MachineConfig.MachineInstall.InstallWipe }}]",
                "[<no value>]",
            ),
            // Secrets are hidden.
            ("{{ .MachineConfig.MachineToken }}", "******"),
        ];
        for (text, want) in cases {
            assert_eq!(render(text, &c).as_deref(), Ok(want), "{text}");
        }
    }

    #[test]
    fn a_yaml_name_is_not_a_go_field() {
        let c = config("version: v1alpha1\nmachine:\n  type: worker\n");
        assert!(render("{{ .machine.type }}", &c).is_err());
    }
}
