use super::*;

/// A controlplane config with every bundle secret set to a recognisable value.
const CONFIG: &str = "version: v1alpha1
machine:
    type: controlplane
    token: SECRET-machine-token
    ca:
        crt: Q1JUIG9z
        key: SECRET-os-key
    certSANs: []
cluster:
    id: Y2x1c3Rlci1pZA==
    secret: SECRET-cluster-secret
    controlPlane:
        endpoint: https://10.0.0.10:6443
    token: SECRET-bootstrap
    secretboxEncryptionSecret: SECRET-secretbox
    aescbcEncryptionSecret: SECRET-aescbc
    ca:
        crt: Q1JUIGs4cw==
        key: SECRET-k8s-key
    aggregatorCA:
        crt: Q1JUIGFnZw==
        key: SECRET-aggregator-key
    serviceAccount:
        key: SECRET-sa-key
    etcd:
        ca:
            crt: Q1JUIGV0Y2Q=
            key: SECRET-etcd-key
---
apiVersion: v1alpha1
kind: WireguardConfig
name: wg0
privateKey: SECRET-wg
peers:
    - publicKey: cHVibGlj
      presharedKey: SECRET-psk
";

#[test]
fn every_bundle_secret_of_a_machine_config_is_redacted_and_nothing_else() {
    let r = redact(CONFIG);
    assert!(!r.contains("SECRET"), "{r}");
    assert_eq!(r.matches("'******'").count(), 12, "{r}");
    // Certificates, the cluster id and everything else stay.
    for kept in [
        "crt: Q1JUIG9z",
        "id: Y2x1c3Rlci1pZA==",
        "endpoint: https://10.0.0.10:6443",
        "publicKey: cHVibGlj",
        "type: controlplane",
        "certSANs: []",
    ] {
        assert!(r.contains(kept), "{kept}: {r}");
    }
    assert!(
        r.contains("    token: '******'\n    ca:\n        crt: Q1JUIG9z\n        key: '******'\n")
    );
    // The result is still the same YAML, secrets aside.
    let docs = parse_documents(&r).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs[0].value.get_path("cluster.etcd.ca.key"),
        Some(&Yaml::str("******"))
    );
}

#[test]
fn misplaced_and_multi_line_secrets_are_redacted_whole() {
    let text = "machine:\n    ca: SECRET-scalar-where-a-mapping-belongs\ncluster:\n    ca:\n        key: |\n            SECRET-line-1\n            SECRET-line-2\n        crt: Q1JU\n    serviceAccount:\n        key:\n            - SECRET-in-a-list\n    token: {nested: SECRET-flow}\n";
    let r = redact(text);
    assert!(!r.contains("SECRET"), "{r}");
    assert!(
        r.contains("        key: '******'\n        crt: Q1JU\n"),
        "{r}"
    );
    // Empty values hide nothing and stay as they are.
    assert_eq!(
        redact("machine:\n    token: \"\"\n    ca: {}\n"),
        "machine:\n    token: \"\"\n    ca: {}\n"
    );
}

#[test]
fn patches_are_redacted_like_configs() {
    let json6902 = "- op: add\n  path: /machine/ca\n  value:\n    crt: Q1JU\n    key: SECRET-a\n- op: replace\n  path: /cluster/secret\n  value: SECRET-b\n- op: add\n  path: /machine/install/disk\n  value: /dev/sda\n";
    let r = redact(json6902);
    assert!(!r.contains("SECRET"), "{r}");
    assert!(
        r.contains("crt: Q1JU") && r.contains("value: /dev/sda"),
        "{r}"
    );
    let strategic = "machine:\n    registries:\n        config:\n            ghcr.io:\n                auth:\n                    username: me\n                    password: SECRET-c\n";
    let r = redact(strategic);
    assert!(!r.contains("SECRET") && r.contains("username: me"), "{r}");
}

#[test]
fn broken_yaml_has_every_value_redacted() {
    let text =
        "machine:\n    token: SECRET-a\n    ca: [SECRET-b\n# SECRET-comment\n    - SECRET-c\n";
    let r = redact(text);
    assert!(!r.contains("SECRET"), "{r}");
    assert!(
        r.starts_with("machine:\n    token: '******'\n    ca: '******'\n"),
        "{r}"
    );
}

#[test]
fn value_ranges_keep_structure() {
    let text = "cluster:\n    id: SECRET-a # note\n    \"quoted\": SECRET-b\nlist:\n    - SECRET-c\n    - k: SECRET-d\n    - - SECRET-e\nblock: |-\n    SECRET-f\n---\nurl: http://x:80\n";
    let shown: Vec<&str> = value_ranges(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(
        shown,
        [
            "SECRET-a # note",
            "\"quoted\": SECRET-b",
            "SECRET-c",
            "SECRET-d",
            "SECRET-e",
            "SECRET-f",
            "http://x:80",
        ]
    );
}

#[test]
fn is_secret_follows_the_list() {
    let s = Yaml::str("x");
    assert!(is_secret(None, &["machine", "token"], &s));
    assert!(!is_secret(
        Some("HostnameConfig"),
        &["machine", "token"],
        &s
    ));
    assert!(is_secret(
        Some("UserVolumeConfig"),
        &["encryption", "keys", "0", "static", "passphrase"],
        &s
    ));
    assert!(is_secret(
        None,
        &[
            "machine",
            "network",
            "interfaces",
            "bond0",
            "wireguard",
            "privateKey"
        ],
        &s
    ));
    assert!(!is_secret(None, &["machine", "ca", "crt"], &s));
    assert!(!is_secret(None, &["cluster", "id"], &s));
    // A list where the list of interfaces belongs is not a secret; one where `ca` belongs is.
    let list = Yaml::Seq(vec![s.clone()]);
    assert!(!is_secret(
        None,
        &["machine", "network", "interfaces"],
        &list
    ));
    assert!(is_secret(None, &["machine", "ca"], &list));
    assert!(!is_secret(None, &["machine", "ca"], &Yaml::map()));
    assert!(!is_secret(None, &["machine", "token"], &Yaml::Null));
}

#[test]
fn value_ranges_leave_sops_metadata_alone() {
    let text = "password: ENC[AES256_GCM,data:x,type:str]\nsops:\n    age:\n        - recipient: age1abc\n    mac: ENC[mac]\nafter: SECRET-a\n";
    let shown: Vec<&str> = value_ranges(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(shown, ["ENC[AES256_GCM,data:x,type:str]", "SECRET-a"]);
}
