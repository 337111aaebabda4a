//! Day-2 commands (issue 16) with the real binary: the offline admin kubeconfig.

use crate::configs::Repo;
use base64::Engine as _;
use talforge::yaml::{Yaml, parse_documents};
use x509_parser::prelude::{FromDer, X509Certificate};

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn der_of(pem_b64: &str) -> Vec<u8> {
    pem::parse(b64(pem_b64)).unwrap().into_contents()
}

/// The admin kubeconfig verifies against the Kubernetes CA in the bundle and carries the
/// identity Talos gives it; written 0600 only where git would not track it.
#[test]
fn kubeconfig_is_made_offline_from_the_bundle() {
    let r = Repo::infra();
    r.run(&["run", "clusters/infra.rhai"]).ok();
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("infra.kubeconfig");
    let out = r
        .run(&[
            "kubeconfig",
            "clusters/infra.rhai",
            "-o",
            &file.display().to_string(),
        ])
        .ok();
    assert_eq!(out.stdout, "");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let doc = &parse_documents(&text).unwrap()[0].value;
    let first = |k: &str| doc.get(k).and_then(Yaml::as_seq).unwrap()[0].clone();
    let s = |y: &Yaml, p: &str| y.get_path(p).and_then(Yaml::as_str).unwrap().to_string();
    assert_eq!(
        s(&first("clusters"), "cluster.server"),
        "https://10.25.11.10:6443"
    );
    assert_eq!(s(doc, "current-context"), "admin@infra");
    let bundle = talforge::secrets::sops::decrypt(
        &r.read("clusters/infra/talos/talsecret.sops.yaml"),
        &r.identities(),
    )
    .unwrap();
    let k8s_ca = bundle
        .get_path("certs.k8s.crt")
        .and_then(Yaml::as_str)
        .unwrap();
    assert_eq!(
        s(&first("clusters"), "cluster.certificate-authority-data"),
        k8s_ca
    );
    let ca_der = der_of(k8s_ca);
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    let crt_der = der_of(&s(&first("users"), "user.client-certificate-data"));
    let (_, crt) = X509Certificate::from_der(&crt_der).unwrap();
    crt.verify_signature(Some(ca.public_key()))
        .expect("signed by the Kubernetes CA");
    assert_eq!(crt.subject().to_string(), "O=system:masters, CN=admin");
    // Stdout, for a pipe into kubectl.
    let printed = r.run(&["kubeconfig", "clusters/infra.rhai"]).ok();
    assert!(
        printed.stdout.starts_with("apiVersion: v1\nclusters:\n"),
        "{}",
        printed.stdout
    );
    // Inside the repository and not ignored: refused.
    let refused = r
        .run(&["kubeconfig", "clusters/infra.rhai", "-o", "kubeconfig"])
        .code(1);
    assert!(
        refused
            .stderr
            .contains("refusing to write the admin kubeconfig into `.`"),
        "{}",
        refused.stderr
    );
    assert!(!r.path("kubeconfig").exists());
    // From the talconfig, as talhelper users name their cluster.
    let from_tc = r
        .run(&["kubeconfig", "-c", "clusters/infra/talos/talconfig.yaml"])
        .ok();
    assert!(
        from_tc.stdout.contains("name: admin@infra"),
        "{}",
        from_tc.stdout
    );
    // Without the key: what is missing, not a panic.
    let keyless = r
        .run_without_key(&["kubeconfig", "clusters/infra.rhai"])
        .code(1);
    assert!(
        keyless.stderr.contains("talsecret.sops.yaml"),
        "{}",
        keyless.stderr
    );
    let typo = r
        .run(&["kubeconfig", "clusters/infra.rhai", "--cluster", "infr"])
        .code(1);
    assert!(
        typo.stderr.contains("did you mean `infra`?"),
        "{}",
        typo.stderr
    );
}
