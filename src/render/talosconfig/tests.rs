//! Tests for the talosconfig: layout, admin certificate, keeping a current file.

use super::*;
use crate::model::{Node, Role, Version};
use crate::yaml::{EmitOptions, emit_document};
use std::sync::OnceLock;

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap()
}

fn cluster() -> Cluster {
    let v = |s| Version::parse(s).unwrap();
    let mut c = Cluster::new(
        "infra",
        "https://10.25.11.10:6443",
        v("v1.12.0"),
        v("v1.35.0"),
    );
    for i in 1..=4u8 {
        let role = if i <= 2 {
            Role::ControlPlane
        } else {
            Role::Worker
        };
        let ip = std::net::IpAddr::from([10, 25, 11, 10 + i]);
        c.nodes.push(Node::new(format!("n{i}"), ip, role));
    }
    c
}

/// A v1.6 bundle: the same OS CA as newer ones, without the slow RSA-4096 key.
fn bundle() -> &'static Bundle {
    static B: OnceLock<Bundle> = OnceLock::new();
    B.get_or_init(|| Bundle::generate_at(&Version::parse("v1.6.0").unwrap(), now()).unwrap())
}

fn render() -> Yaml {
    render_talosconfig(&cluster(), bundle(), now()).unwrap()
}

fn text(y: &Yaml) -> String {
    emit_document(y, &EmitOptions { indent: 4 })
}

fn pem_of(y: &Yaml, key: &str) -> String {
    let b64 = y
        .get_path(&format!("contexts.infra.{key}"))
        .unwrap()
        .as_str()
        .unwrap();
    CertKey {
        crt: b64.into(),
        key: b64.into(),
    }
    .to_pem()
    .unwrap()
    .crt
}

#[test]
fn layout_follows_talhelper() {
    let y = render();
    let top: Vec<&String> = y.as_map().unwrap().keys().collect();
    assert_eq!(top, ["context", "contexts"]);
    assert_eq!(y.get("context").unwrap().as_str(), Some("infra"));
    let ctx = y.get_path("contexts.infra").unwrap();
    let keys: Vec<&String> = ctx.as_map().unwrap().keys().collect();
    assert_eq!(keys, ["endpoints", "nodes", "ca", "crt", "key"]);
    assert_eq!(
        ctx.get("endpoints").unwrap(),
        &Yaml::str_seq(["10.25.11.11", "10.25.11.12"])
    );
    assert_eq!(
        ctx.get("nodes").unwrap(),
        &Yaml::str_seq(["10.25.11.11", "10.25.11.12", "10.25.11.13", "10.25.11.14"])
    );
    assert_eq!(
        ctx.get("ca").unwrap().as_str(),
        Some(bundle().os.crt.as_str())
    );
}

#[test]
fn admin_cert_is_ed25519_os_admin_signed_by_the_os_ca() {
    let y = render();
    let ca_der = pki::cert_der(&bundle().os.to_pem().unwrap().crt).unwrap();
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    let der = pki::cert_der(&pem_of(&y, "crt")).unwrap();
    let (_, cert) = X509Certificate::from_der(&der).unwrap();
    cert.verify_signature(Some(ca.public_key())).unwrap();
    let orgs: Vec<_> = cert
        .subject()
        .iter_organization()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert_eq!(orgs, ["os:admin"]);
    assert_eq!(pki::cert_key_kind(&cert), Some(pki::KeyKind::Ed25519));
    assert_eq!(
        cert.validity().not_before.timestamp(),
        now().unix_timestamp()
    );
    assert_eq!(
        cert.validity().not_after.timestamp(),
        (now() + Duration::days(365)).unix_timestamp()
    );
    let key = pki::parse_private_key(&pem_of(&y, "key")).unwrap();
    assert_eq!(key.kind(), pki::KeyKind::Ed25519);
    assert!(pki::key_matches_cert(&key, &der).unwrap());
}

fn current(y: &Yaml, c: &Cluster, b: &Bundle, at: OffsetDateTime) -> bool {
    doc_is_current(y, c, b, at).is_some()
}

fn context_mut(y: &mut Yaml) -> &mut crate::yaml::Map {
    y.as_map_mut().unwrap()["contexts"].as_map_mut().unwrap()["infra"]
        .as_map_mut()
        .unwrap()
}

#[test]
fn current_file_is_kept_and_stale_ones_are_not() {
    let c = cluster();
    let b = bundle();
    let y = render();
    assert!(current(&y, &c, b, now()));
    assert!(current(&y, &c, b, now() + Duration::days(300)));
    // Expiring within 30 days, or not yet valid: renew.
    assert!(!current(&y, &c, b, now() + Duration::days(340)));
    assert!(!current(&y, &c, b, now() - Duration::days(1)));
    // Another node set, another cluster name, another CA.
    let mut fewer = c.clone();
    fewer.nodes.pop();
    assert!(!current(&y, &fewer, b, now()));
    let mut renamed = c.clone();
    renamed.name = "other".into();
    assert!(!current(&y, &renamed, b, now()));
    let mut other_ca = b.clone();
    other_ca.os =
        CertKey::from_pem(&pki::new_ca(pki::KeyKind::Ed25519, Some("talos"), now()).unwrap());
    assert!(!current(&y, &c, &other_ca, now()));
}

#[test]
fn current_check_reads_the_file_text() {
    let (c, b) = (cluster(), bundle());
    assert!(talosconfig_is_current(&text(&render()), &c, b, now()));
    assert!(!talosconfig_is_current("not: [yaml", &c, b, now()));
    assert!(!talosconfig_is_current("", &c, b, now()));
    let two = format!("{}---\n{}", text(&render()), text(&render()));
    assert!(!talosconfig_is_current(&two, &c, b, now()));
}

#[test]
fn foreign_or_mismatched_admin_cert_is_replaced() {
    let c = cluster();
    let b = bundle();
    let mut y = render();
    assert!(current(&y, &c, b, now()));
    // A certificate signed by a different CA, with its own key.
    let foreign_ca = pki::new_ca(pki::KeyKind::Ed25519, Some("talos"), now()).unwrap();
    let foreign = pki::issue_client_cert(&foreign_ca, &[ADMIN_ROLE], now(), ADMIN_CERT_VALIDITY);
    let foreign = CertKey::from_pem(&foreign.unwrap());
    context_mut(&mut y).insert("crt".into(), Yaml::str(&foreign.crt));
    context_mut(&mut y).insert("key".into(), Yaml::str(&foreign.key));
    assert!(!current(&y, &c, b, now()));
    // The right certificate with another key.
    let good = render();
    let good_crt = good.get_path("contexts.infra.crt").unwrap().clone();
    context_mut(&mut y).insert("crt".into(), good_crt);
    assert!(!current(&y, &c, b, now()));
    // A reader certificate from the right CA is not an admin one.
    let reader = pki::issue_client_cert(
        &b.os.to_pem().unwrap(),
        &["os:reader"],
        now(),
        ADMIN_CERT_VALIDITY,
    );
    let reader = CertKey::from_pem(&reader.unwrap());
    context_mut(&mut y).insert("crt".into(), Yaml::str(&reader.crt));
    context_mut(&mut y).insert("key".into(), Yaml::str(&reader.key));
    assert!(!current(&y, &c, b, now()));
}

#[test]
fn cluster_without_nodes_has_empty_endpoints_and_no_nodes() {
    let mut c = cluster();
    c.nodes.clear();
    let y = render_talosconfig(&c, bundle(), now()).unwrap();
    let ctx = y.get_path("contexts.infra").unwrap();
    assert_eq!(ctx.get("endpoints"), Some(&Yaml::Seq(vec![])));
    assert!(ctx.get("nodes").is_none());
    assert!(text(&y).contains("        endpoints: []\n"));
    assert!(current(&y, &c, bundle(), now()));
}

#[test]
fn broken_os_ca_is_an_error() {
    let mut b = bundle().clone();
    b.os.key = "***".into();
    let e = render_talosconfig(&cluster(), &b, now()).unwrap_err();
    assert_eq!(
        e,
        "cannot read `certs.os` of the secrets bundle: not valid base64"
    );
}
