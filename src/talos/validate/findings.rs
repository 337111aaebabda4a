//! [`schema_findings`]: each document checked against the Talos v1.12.0 JSON schema, an
//! editor-grade check Talos itself doesn't run (reported at the YAML line, secrets hidden).
//! Talos accepts what only the schema rejects, so callers report these as warnings (errors
//! under `--strict`); the schema's own mistakes are corrected in `talos::schema_fixes`.

use crate::talos::edition::{self, Edition};
use crate::talos::schema;
use crate::yaml::{PathSeg, Yaml, parse_documents, to_json};
use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

/// Keys Talos still accepts (deprecated, `docgen:nodoc`) that the schema leaves out; a
/// schema "additional property" finding on one of these is not reported.
const DEPRECATED: &[(&str, &str)] = &[
    ("", "persist"),
    ("/machine", "disks"),
    ("/machine", "time"),
    ("/machine", "registries"),
    ("/machine", "systemDiskEncryption"),
    ("/machine/network", "hostname"),
    ("/machine/network", "interfaces"),
    ("/machine/network", "nameservers"),
    ("/machine/network", "searchDomains"),
    ("/machine/network", "extraHostEntries"),
    ("/machine/network", "disableSearchDomain"),
    ("/machine/install", "extraKernelArgs"),
    ("/machine/install", "extensions"),
    ("/machine/install", "bootloader"),
    ("/machine/features", "rbac"),
    ("/machine/features", "stableHostname"),
    ("/machine/features", "apidCheckExtKeyUsage"),
    ("/cluster/apiServer", "disablePodSecurityPolicy"),
    ("/cluster/etcd", "subnet"),
    ("/cluster", "allowSchedulingOnMasters"),
];

/// `message` with the JSON of `instance` (the value at `path` in `doc`) replaced by the same
/// JSON with its secret values as `******`.
fn hide_secrets(message: &str, instance: &Value, doc: &Yaml, path: &[PathSeg]) -> String {
    let kind = doc.get("kind").and_then(Yaml::as_str);
    let Some(v) = path.iter().try_fold(doc, |v, s| match (v, s) {
        (Yaml::Map(m), PathSeg::Key(k)) => m.get(k),
        (Yaml::Seq(items), PathSeg::Index(i)) => items.get(*i),
        _ => None,
    }) else {
        return message.to_string();
    };
    let mut at = path.to_vec();
    let redacted = redacted_json(kind, &mut at, v);
    if redacted == *instance {
        return message.to_string();
    }
    // A value hidden whole reads as the bare marker, not as a JSON string.
    let shown = match &redacted {
        Value::String(s) if s == crate::secrets::bundle::REDACTED => s.clone(),
        other => other.to_string(),
    };
    message.replace(&instance.to_string(), &shown)
}

fn redacted_json(kind: Option<&str>, path: &mut Vec<PathSeg>, v: &Yaml) -> Value {
    if crate::secrets::redact::is_secret_at(kind, path, v) {
        return Value::String(crate::secrets::bundle::REDACTED.into());
    }
    match v {
        Yaml::Map(m) => Value::Object(
            m.iter()
                .map(|(k, val)| {
                    path.push(PathSeg::Key(k.clone()));
                    let j = redacted_json(kind, path, val);
                    path.pop();
                    (k.clone(), j)
                })
                .collect(),
        ),
        Yaml::Seq(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, val)| {
                    path.push(PathSeg::Index(i));
                    let j = redacted_json(kind, path, val);
                    path.pop();
                    j
                })
                .collect(),
        ),
        other => to_json(other),
    }
}

/// A compiled validator for one definition; compiled once per process (the schema is big).
fn validator_for_def(def: &str) -> Option<Arc<jsonschema::Validator>> {
    type Cache = Mutex<BTreeMap<(usize, String), Arc<jsonschema::Validator>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let key = (edition::current().index(), def.to_string());
    if let Some(v) = cache.lock().ok()?.get(&key) {
        return Some(Arc::clone(v));
    }
    let mut root = schema::root().as_object()?.clone();
    root.remove("oneOf");
    root.insert("$ref".into(), Value::String(format!("#/$defs/{def}")));
    let v = Arc::new(jsonschema::validator_for(&Value::Object(root)).ok()?);
    cache.lock().ok()?.insert(key, Arc::clone(&v));
    Some(v)
}

/// Checks each document of a config text against the Talos JSON schema of the release it
/// names ([`Edition::of_documents`]; the definition picked by `kind`; none means `v1alpha1.Config`). Returns `(message, span)`
/// per finding, the message led by the JSON pointer of the offending value. Deprecated keys
/// Talos accepts but the schema omits (e.g. top-level `persist`, which `gen config` emits)
/// are tolerated. Unparseable text gives one finding for the syntax error.
pub fn schema_findings(text: &str) -> Vec<(String, Range<usize>)> {
    let docs = match parse_documents(text) {
        Ok(d) => d,
        Err(e) => return vec![(e.message, e.span)],
    };
    let e = Edition::of_documents(docs.iter().map(|d| &d.value));
    edition::scoped(e, || findings_in(&docs))
}

fn findings_in(docs: &[crate::yaml::ParsedDoc]) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for pd in docs {
        if matches!(pd.value, Yaml::Null) {
            continue;
        }
        let def = match pd.value.get("kind").and_then(Yaml::as_str) {
            None => schema::LEGACY_DEF,
            Some(k) => {
                if let Some(d) = schema::def_for_kind(k) {
                    d
                } else {
                    let span = pd.value_span(&[PathSeg::Key("kind".into())]);
                    out.push((
                        format!("/kind: unknown document kind {k:?}"),
                        span.unwrap_or(pd.span.clone()),
                    ));
                    continue;
                }
            }
        };
        let Some(validator) = validator_for_def(def) else {
            continue;
        };
        let instance = to_json(&pd.value);
        for err in validator.iter_errors(&instance) {
            // yaml.v3 decodes `null` into any Go type as its zero value, the same as leaving
            // the key out: Talos accepts it wherever the schema names another type.
            if err.instance().is_null()
                && matches!(
                    err.kind(),
                    jsonschema::error::ValidationErrorKind::Type { .. }
                )
            {
                continue;
            }
            let pointer = err.instance_path().as_str().to_string();
            let path: Vec<PathSeg> = err
                .instance_path()
                .iter()
                .map(|s| match s {
                    jsonschema::paths::LocationSegment::Property(p) => PathSeg::Key(p.to_string()),
                    jsonschema::paths::LocationSegment::Index(i) => PathSeg::Index(i),
                })
                .collect();
            let (message, key_path) = match err.kind() {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    let kept: Vec<&String> = unexpected
                        .iter()
                        .filter(|k| {
                            def != schema::LEGACY_DEF
                                || !DEPRECATED.contains(&(pointer.as_str(), k.as_str()))
                        })
                        .collect();
                    if kept.is_empty() {
                        continue;
                    }
                    let names: Vec<String> = kept.iter().map(|k| format!("'{k}'")).collect();
                    let verb = if kept.len() == 1 { "was" } else { "were" };
                    let mut p = path.clone();
                    p.push(PathSeg::Key(kept[0].clone()));
                    (
                        format!(
                            "Additional properties are not allowed ({} {verb} unexpected)",
                            names.join(", ")
                        ),
                        Some(p),
                    )
                }
                // The message quotes the value: never a secret (the JSON with them redacted).
                _ => (
                    hide_secrets(&err.to_string(), err.instance(), &pd.value, &path),
                    None,
                ),
            };
            let span = key_path
                .and_then(|p| pd.key_span(&p))
                .or_else(|| pd.value_span(&path))
                .unwrap_or(pd.span.clone());
            let at = if pointer.is_empty() { "/" } else { &pointer };
            out.push((format!("{at}: {message}"), span));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::schema_findings;

    /// Values Talos decodes that the published schema got wrong or that yaml.v3 accepts
    /// anywhere (`null`): no finding.
    #[test]
    fn schema_mistakes_and_nulls_give_no_finding() {
        let logging = "version: v1alpha1\nmachine:\n  logging:\n    destinations:\n      - endpoint: udp://127.0.0.1:12345/\n        format: json_lines\ncluster: null\n";
        assert_eq!(schema_findings(logging), vec![]);
        let tls = "apiVersion: v1alpha1\nkind: RegistryTLSConfig\nname: r.io\nclientIdentity:\n  cert: a\n  key: b\n";
        assert_eq!(schema_findings(tls), vec![]);
        // The schema still describes the endpoint: a mapping is not a URL.
        let map = "version: v1alpha1\nmachine:\n  logging:\n    destinations:\n      - endpoint: {host: x}\n";
        let f = schema_findings(map);
        assert!(
            f.iter()
                .any(|(m, _)| m.starts_with("/machine/logging/destinations/0/endpoint")),
            "{f:?}"
        );
        let crt = "apiVersion: v1alpha1\nkind: RegistryTLSConfig\nname: r.io\nclientIdentity:\n  crt: a\n";
        assert_eq!(schema_findings(crt).len(), 1);
    }
}
