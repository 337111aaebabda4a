//! Tests for the secrets bundle: upstream example, generation, round trip, broken bundles.

use super::*;
use crate::testutil::oracle_text;
use crate::yaml::{EmitOptions, Yaml, emit_document, parse_documents};
use std::sync::OnceLock;

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

/// One generated v1.12 bundle shared by the tests (RSA-4096 keygen takes a moment).
fn generated() -> &'static Bundle {
    static B: OnceLock<Bundle> = OnceLock::new();
    B.get_or_init(|| Bundle::generate(&v("v1.12.0")).unwrap())
}

fn upstream() -> Option<Bundle> {
    let text = oracle_text("talos-examples/gen-input-secrets.yaml")?;
    let docs = parse_documents(&text).unwrap();
    Some(Bundle::from_yaml(&docs[0].value).unwrap())
}

fn decoded(b64: &str) -> String {
    String::from_utf8(STANDARD.decode(b64).unwrap()).unwrap()
}

fn set(doc: &mut Yaml, path: &str, value: Option<Yaml>) {
    let (parent, key) = path.rsplit_once('.').unwrap();
    let mut cur = doc;
    for k in parent.split('.') {
        cur = cur.as_map_mut().unwrap().get_mut(k).unwrap();
    }
    let m = cur.as_map_mut().unwrap();
    match value {
        Some(v) => {
            m.insert(key.to_string(), v);
        }
        None => {
            m.shift_remove(key);
        }
    }
}

#[test]
fn upstream_example_loads_and_validates() {
    let Some(b) = upstream() else { return };
    assert_eq!(b.cluster_id, "0raF93qnkMvF-FZNuvyGozXNdLiT2FOWSlyBaW4PR-w=");
    assert_eq!(b.bootstrap_token, "inn7ol.u4ehnti8qyls9ymo");
    assert!(b.aescbc_encryption_secret.is_none());
    assert!(decoded(&b.os.key).starts_with("-----BEGIN ED25519 PRIVATE KEY-----"));
    // The upstream fixture predates RSA service-account keys: its key is ECDSA.
    assert!(decoded(&b.k8s_service_account.key).starts_with("-----BEGIN EC PRIVATE KEY-----"));
    assert_eq!(b.validate(), Vec::<String>::new());
}

#[test]
fn upstream_example_re_emits_byte_for_byte() {
    let Some(text) = oracle_text("talos-examples/gen-input-secrets.yaml") else {
        return;
    };
    let b = upstream().unwrap();
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        emit_document(&b.to_yaml(), &EmitOptions { indent: 4 }),
        body
    );
}

#[test]
fn generated_bundle_validates_and_round_trips() {
    let b = generated();
    assert_eq!(b.validate(), Vec::<String>::new());
    assert_eq!(Bundle::from_yaml(&b.to_yaml()).unwrap(), *b);
    let text = emit_document(&b.to_yaml(), &EmitOptions { indent: 2 });
    let docs = parse_documents(&text).unwrap();
    assert_eq!(Bundle::from_yaml(&docs[0].value).unwrap(), *b);
}

#[test]
fn generated_bundle_has_talos_formats() {
    let b = generated();
    let y = b.to_yaml();
    let keys: Vec<&String> = y.as_map().unwrap().keys().collect();
    assert_eq!(keys, ["cluster", "secrets", "trustdinfo", "certs"]);
    assert_eq!(URL_SAFE.decode(&b.cluster_id).unwrap().len(), 32);
    assert_eq!(STANDARD.decode(&b.cluster_secret).unwrap().len(), 32);
    let secretbox = b.secretbox_encryption_secret.as_deref().unwrap();
    assert_eq!(STANDARD.decode(secretbox).unwrap().len(), 32);
    assert!(b.aescbc_encryption_secret.is_none());
    let token = regex::Regex::new(r"^[a-z0-9]{6}\.[a-z0-9]{16}$").unwrap();
    assert!(token.is_match(&b.bootstrap_token) && token.is_match(&b.trustd_token));
    assert_ne!(b.bootstrap_token, b.trustd_token);
    assert!(decoded(&b.etcd.key).starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    assert!(decoded(&b.os.key).starts_with("-----BEGIN ED25519 PRIVATE KEY-----\n"));
    let sa = decoded(&b.k8s_service_account.key);
    assert!(sa.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    match pki::parse_private_key(&sa).unwrap() {
        PrivateKey::Rsa(k) => {
            use rsa::traits::PublicKeyParts;
            assert_eq!(k.size() * 8, 4096);
        }
        PrivateKey::Signing(..) => panic!("service-account key is not RSA"),
    }
    for (ck, org) in [
        (&b.etcd, Some("etcd")),
        (&b.k8s, Some("kubernetes")),
        (&b.k8s_aggregator, None),
        (&b.os, Some("talos")),
    ] {
        let der = pki::cert_der(&decoded(&ck.crt)).unwrap();
        let (_, c) = X509Certificate::from_der(&der).unwrap();
        let orgs: Vec<_> = c.subject().iter_organization().collect();
        assert_eq!(orgs.len(), usize::from(org.is_some()));
        if let Some(o) = org {
            assert_eq!(orgs[0].as_str().unwrap(), o);
        }
    }
}

#[test]
fn old_contracts_use_aescbc_and_ecdsa_service_account() {
    let b = Bundle::generate(&v("v1.2.0")).unwrap();
    assert!(b.secretbox_encryption_secret.is_none());
    assert!(b.aescbc_encryption_secret.is_some());
    assert!(decoded(&b.k8s_service_account.key).starts_with("-----BEGIN EC PRIVATE KEY-----"));
    assert_eq!(b.validate(), Vec::<String>::new());
    let y = b.to_yaml();
    let secrets: Vec<&String> = y.get("secrets").unwrap().as_map().unwrap().keys().collect();
    assert_eq!(secrets, ["bootstraptoken", "aescbcencryptionsecret"]);
    // v1.3–v1.6: secretbox, still an ECDSA service-account key.
    let b = Bundle::generate(&v("v1.6.0")).unwrap();
    assert!(b.secretbox_encryption_secret.is_some());
    assert!(decoded(&b.k8s_service_account.key).starts_with("-----BEGIN EC PRIVATE KEY-----"));
}

#[test]
fn swapped_keys_are_reported() {
    let mut b = generated().clone();
    std::mem::swap(&mut b.etcd.key, &mut b.k8s.key);
    assert_eq!(
        b.validate(),
        [
            "`certs.etcd.key` does not belong to `certs.etcd.crt`",
            "`certs.k8s.key` does not belong to `certs.k8s.crt`",
        ]
    );
    let mut b = generated().clone();
    b.os.key = b.etcd.key.clone();
    assert_eq!(
        b.validate(),
        ["`certs.os.key` does not belong to `certs.os.crt`"]
    );
    let mut b = generated().clone();
    b.k8s_service_account.key = b.os.key.clone();
    assert_eq!(
        b.validate(),
        ["`certs.k8sserviceaccount.key` is Ed25519, expected RSA or ECDSA P-256"]
    );
}

#[test]
fn corrupt_pem_content_is_reported() {
    let mut b = generated().clone();
    b.k8s.crt = b.k8s.key.clone();
    b.os.key = STANDARD.encode("not a key");
    b.bootstrap_token = "ABC.def".into();
    assert_eq!(
        b.validate(),
        [
            "`secrets.bootstraptoken` must match `[a-z0-9]{6}.[a-z0-9]{16}`",
            "`certs.k8s.crt` is invalid: expected a CERTIFICATE PEM block, found \"EC PRIVATE KEY\"",
            "`certs.os.key` is invalid: failed to parse PEM block",
        ]
    );
}

#[test]
fn corrupt_base64_names_the_field() {
    let mut y = generated().to_yaml();
    set(&mut y, "certs.os.key", Some(Yaml::str("not*base64")));
    let e = Bundle::from_yaml(&y).unwrap_err();
    assert_eq!(e.dotted(), "certs.os.key");
    assert_eq!(e.message, "`certs.os.key` is not valid base64");
}

#[test]
fn missing_and_wrong_fields_name_their_paths() {
    let base = generated().to_yaml();
    let case = |path: &str, value: Option<Yaml>| {
        let mut y = base.clone();
        set(&mut y, path, value);
        let e = Bundle::from_yaml(&y).unwrap_err();
        (e.dotted(), e.message)
    };
    assert_eq!(
        case("certs.os.key", None),
        ("certs.os.key".into(), "`certs.os.key` is required".into())
    );
    assert_eq!(
        case("certs.k8saggregator", None),
        (
            "certs.k8saggregator".into(),
            "`certs.k8saggregator` is required".into()
        )
    );
    assert_eq!(
        case("trustdinfo.token", Some(Yaml::str(""))),
        (
            "trustdinfo.token".into(),
            "`trustdinfo.token` is required".into()
        )
    );
    assert_eq!(
        case("cluster.id", Some(Yaml::Seq(vec![]))),
        (
            "cluster.id".into(),
            "`cluster.id` must be a string, found sequence".into()
        )
    );
    assert_eq!(
        case("certs.etcd", Some(Yaml::str("x"))),
        (
            "certs.etcd".into(),
            "`certs.etcd` must be a mapping, found string".into()
        )
    );
    assert_eq!(
        case("certs.os.crtt", Some(Yaml::str("x"))),
        (
            "certs.os.crtt".into(),
            "unknown field `certs.os.crtt` (did you mean `crt`?)".into()
        )
    );
    assert_eq!(
        case("secrets.secretboxencryptionsecret", None).1,
        "one of [`secrets.secretboxencryptionsecret`, `secrets.aescbcencryptionsecret`] is required"
    );
    assert_eq!(
        case("secrets.aescbcencryptionsecret", Some(Yaml::str("x"))).0,
        "secrets.aescbcencryptionsecret"
    );
    let e = Bundle::from_yaml(&Yaml::str("x")).unwrap_err();
    assert!(e.path.is_empty());
    assert_eq!(
        e.message,
        "the secrets bundle must be a mapping, found string"
    );
}

#[test]
fn redacted_values_load_but_do_not_validate() {
    let mut y = generated().to_yaml();
    set(&mut y, "certs.os.key", Some(Yaml::str(REDACTED)));
    let b = Bundle::from_yaml(&y).unwrap();
    assert_eq!(b.os.key, REDACTED);
    assert_eq!(
        b.validate(),
        ["`certs.os.key` is invalid: value is redacted"]
    );
}

#[test]
fn errors_point_at_the_field_or_its_parent() {
    let text = "cluster:\n  id: x\n  secret: y\nsecrets:\n  bootstraptoken: t\n  secretboxencryptionsecret: s\ntrustdinfo:\n  token: t\ncerts:\n  etcd:\n    crt: '%%'\n";
    let doc = &parse_documents(text).unwrap()[0];
    let e = Bundle::from_yaml(&doc.value).unwrap_err();
    assert_eq!(e.dotted(), "certs.etcd.crt");
    let at = text.find("crt:").unwrap();
    assert_eq!(e.span(doc), Some(at..at + 3));
    // A missing field points at its parent's key.
    let text = text.replace("    crt: '%%'\n", "    key: a2V5\n");
    let doc = &parse_documents(&text).unwrap()[0];
    let e = Bundle::from_yaml(&doc.value).unwrap_err();
    assert_eq!(e.dotted(), "certs.etcd.crt");
    let at = text.find("etcd:").unwrap();
    assert_eq!(e.span(doc), Some(at..at + 4));
    let mut sources = crate::diag::Sources::default();
    let id = sources.add("talsecret.yaml", text.clone());
    let d = e.to_diagnostic(doc, id);
    assert_eq!(d.message, "`certs.etcd.crt` is required");
    assert_eq!(d.span.map(|s| s.range), Some(at..at + 4));
}
