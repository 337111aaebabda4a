//! `pkg/machinery/labels` checks of the node labels, annotations and taints (keys visited
//! sorted, as Talos does).

use super::super::output::multierror;
use super::super::yamlx::{at, q, scalar_text};
use crate::talos::GoError;
use crate::yaml::Yaml;
use regex::Regex;
use std::sync::OnceLock;

const QNAME: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

fn re(pat: &'static str, cell: &'static OnceLock<Regex>) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

fn qname_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", &R)
}

fn value_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", &R)
}

fn dns_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        &R,
    )
}

fn sorted(m: Option<&Yaml>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = m
        .and_then(Yaml::as_map)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), scalar_text(v))).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// `labels.ValidateDNS1123Subdomain`.
pub(in crate::talos::validate) fn dns1123_subdomain(value: &str) -> Result<(), GoError> {
    if value.len() > 253 {
        Err(format!("domain name length exceeds limit of 253: {}", q(value)).into())
    } else if !dns_re().is_match(value) {
        Err(format!("domain doesn't match required format: {}", q(value)).into())
    } else {
        Ok(())
    }
}

fn qualified_name(value: &str) -> Result<(), GoError> {
    let _ = QNAME;
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [n] => *n,
        [prefix, n] => {
            if prefix.is_empty() {
                return Err(format!("prefix cannot be empty: {}", q(value)).into());
            }
            let err = if prefix.len() > 253 {
                Some(format!(
                    "domain name length exceeds limit of 253: {}",
                    q(prefix)
                ))
            } else if !dns_re().is_match(prefix) {
                Some(format!(
                    "domain doesn't match required format: {}",
                    q(prefix)
                ))
            } else {
                None
            };
            if let Some(err) = err {
                return Err(format!("prefix {} is invalid: {err}", q(prefix)).into());
            }
            *n
        }
        _ => return Err(format!("invalid format: too many slashes: {}", q(value)).into()),
    };
    if name.is_empty() {
        Err(format!("name cannot be empty: {}", q(value)).into())
    } else if name.len() > 63 {
        Err(format!("name is too long: {} (limit is 63)", q(value)).into())
    } else if !qname_re().is_match(name) {
        Err(format!("name {} is invalid", q(name)).into())
    } else {
        Ok(())
    }
}

fn label_value(v: &str) -> Result<(), GoError> {
    if v.len() > 63 {
        Err(format!("label value length exceeds limit of 63: {}", q(v)).into())
    } else if !value_re().is_match(v) {
        Err(format!("label value {} is invalid", q(v)).into())
    } else {
        Ok(())
    }
}

/// `labels.Validate`.
pub(in crate::talos::validate) fn validate(m: Option<&Yaml>) -> Vec<GoError> {
    let mut e = Vec::new();
    for (k, v) in sorted(m) {
        e.extend(qualified_name(&k).err());
        e.extend(label_value(&v).err());
    }
    e
}

/// `labels.ValidateAnnotations`.
pub(in crate::talos::validate) fn validate_annotations(m: Option<&Yaml>) -> Vec<GoError> {
    let mut e = Vec::new();
    let mut size = 0usize;
    for (k, v) in sorted(m) {
        e.extend(qualified_name(&k).err());
        if [
            "talos.dev/owned-annotations",
            "talos.dev/owned-labels",
            "talos.dev/owned-taints",
        ]
        .contains(&k.as_str())
        {
            e.push(format!("annotation {} is reserved", q(&k)).into());
        }
        size += k.len() + v.len();
    }
    if size > 256 * 1024 {
        e.push("total annotation size exceeds limit of 262144 bytes".into());
    }
    e
}

/// `labels.ValidateTaints`.
pub(in crate::talos::validate) fn validate_taints(m: Option<&Yaml>) -> Vec<GoError> {
    let mut e = Vec::new();
    for (k, v) in sorted(m) {
        if let Err(err) = qualified_name(&k) {
            e.push(err);
            continue;
        }
        let (val, effect, found) = match v.split_once(':') {
            Some((a, b)) => (a.to_string(), b.to_string(), true),
            None => (v.clone(), v.clone(), false),
        };
        if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect.as_str()) {
            e.push(format!("invalid taint effect: {}", q(&effect)).into());
            continue;
        }
        if found && let Err(err) = label_value(&val) {
            e.push(err);
        }
    }
    e
}

/// The `machine.nodeLabels`, `nodeAnnotations` and `nodeTaints` checks, one multierror each.
pub(super) fn node_metadata(m: &Yaml, e: &mut Vec<String>) {
    let mut report = |what: &str, errs: Vec<GoError>| {
        if !errs.is_empty() {
            let errs: Vec<String> = errs.into_iter().map(|e| e.0).collect();
            e.push(format!(
                "invalid machine node {what}: {}",
                multierror(&errs)
            ));
        }
    };
    report("labels", validate(at(m, "nodeLabels")));
    report(
        "annotations",
        validate_annotations(at(m, "nodeAnnotations")),
    );
    report("taints", validate_taints(at(m, "nodeTaints")));
}
