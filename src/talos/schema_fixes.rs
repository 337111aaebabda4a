//! The known mistakes of Talos' published JSON schema, corrected in this one place.
//!
//! Talos generates `config.schema.json` from its Go structs with docgen, which describes a
//! type with its own `UnmarshalYAML` by its Go fields rather than by what it decodes, and
//! reads some fields' types from the wrong struct. Each correction names the upstream Go
//! type that decides what Talos accepts. Found by validating Talos' own goldens, the
//! configpatcher and type testdata and the configuration reference's examples (v1.12.0), and
//! Talos' v1.14.0-rc.1 goldens and registered kinds.

use serde_json::{Value, json};

/// One correction: the definition and property to replace (`None`: the definition itself)
/// and the node that describes what Talos decodes.
struct Fix {
    def: &'static str,
    property: Option<&'static str>,
    node: fn() -> Value,
}

const FIXES: &[Fix] = &[
    // `v1alpha1.Endpoint` wraps `*url.URL` and its `UnmarshalYAML` decodes a string through
    // `url.Parse` (`machine.logging.destinations[].endpoint: udp://127.0.0.1:12345`); the
    // schema describes the struct, an object without properties.
    Fix {
        def: "v1alpha1.Endpoint",
        property: None,
        node: || {
            json!({
                "type": "string",
                "description": "Endpoint represents the endpoint URL parsed out of the machine config."
            })
        },
    },
    // `cri.RegistryTLSConfigV1Alpha1.TLSClientIdentity` is a `*meta.CertificateAndKey`
    // (`cert`, `key`); the schema took the v1alpha1 registry's
    // `x509.PEMEncodedCertificateAndKey` (`crt`, `key`).
    Fix {
        def: "cri.RegistryTLSConfigV1Alpha1",
        property: Some("clientIdentity"),
        node: || {
            json!({
                "properties": {
                    "cert": { "type": "string" },
                    "key": { "type": "string" }
                },
                "additionalProperties": false,
                "type": "object",
                "title": "clientIdentity",
                "description": "Enable mutual TLS authentication with the registry.\nClient certificate and key should be PEM-encoded.\n"
            })
        },
    },
    // `runtime.UnattendedInstallConfigV1Alpha1` registers as `UnattendedInstallConfig`
    // (`UnattendedInstallConfigKind`, v1.14.0-rc.1); its `schemaMeta: v1alpha1/UnattendedInstall`
    // comment gave the schema the kind `UnattendedInstall`, which Talos does not register.
    Fix {
        def: "runtime.UnattendedInstallConfigV1Alpha1",
        property: Some("kind"),
        node: || {
            json!({
                "enum": ["UnattendedInstallConfig"],
                "title": "kind",
                "description": "kind is the kind of the resource.\n"
            })
        },
    },
];

/// Applies every correction whose definition the schema has (a later schema that fixed a
/// mistake upstream, or dropped the type, is left as it is).
pub(crate) fn correct(root: &mut Value) {
    let Some(defs) = root.get_mut("$defs").and_then(Value::as_object_mut) else {
        return;
    };
    for fix in FIXES {
        let Some(def) = defs.get_mut(fix.def) else {
            continue;
        };
        match fix.property {
            None => *def = (fix.node)(),
            Some(p) => {
                if let Some(slot) = def.get_mut("properties").and_then(|ps| ps.get_mut(p)) {
                    *slot = (fix.node)();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrections_replace_the_wrong_nodes_only() {
        let mut root = json!({"$defs": {
            "v1alpha1.Endpoint": {"type": "object", "properties": {}, "additionalProperties": false},
            "cri.RegistryTLSConfigV1Alpha1": {"properties": {
                "clientIdentity": {"properties": {"crt": {}, "key": {}}},
                "ca": {"type": "string"}
            }}
        }});
        correct(&mut root);
        assert_eq!(root["$defs"]["v1alpha1.Endpoint"]["type"], "string");
        let tls = &root["$defs"]["cri.RegistryTLSConfigV1Alpha1"]["properties"];
        assert!(tls["clientIdentity"]["properties"].get("cert").is_some());
        assert!(tls["clientIdentity"]["properties"].get("crt").is_none());
        assert_eq!(tls["ca"]["type"], "string");
        // A schema without the definitions is left alone.
        let mut other = json!({"$defs": {"x.Y": {"type": "object"}}});
        correct(&mut other);
        assert_eq!(other, json!({"$defs": {"x.Y": {"type": "object"}}}));
    }
}
