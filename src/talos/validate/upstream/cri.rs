//! CRI documents' upstream cases.

use super::{Case, case, run};

/// pkg/machinery/config/types/cri/registry_auth_test.go@v1.13.9 `TestRegistryAuthConfigValidate`
pub(super) const AUTH: &[Case] = &[
    case("empty", "{name: ''}", "name must be specified"),
    case(
        "username and identity token",
        "{name: k8s.io, username: user, identityToken: token}",
        "only one of username/password or identityToken authentication can be specified",
    ),
    case(
        "valid",
        "{name: k8s.io, username: user, password: pass}",
        "",
    ),
];

/// pkg/machinery/config/types/cri/registry_mirror_test.go@v1.13.9 `TestRegistryMirrorConfigValidate`
pub(super) const MIRROR: &[Case] = &[
    case("empty", "{name: ''}", "name must be specified"),
    case(
        "invalid endpoint URL",
        "{name: docker.io, endpoints: [{url: ''}]}",
        "endpoints[0].url must be specified",
    ),
    case(
        "unsupported endpoint URL scheme",
        "{name: docker.io, endpoints: [{url: 'ftp://my-registry.local:5000'}]}",
        "endpoints[0].url has unsupported scheme: \"ftp\"",
    ),
    case("valid empty endpoints", "{name: docker.io}", ""),
    case(
        "valid",
        "{name: gcr.io, endpoints: [{url: 'https://my-private-registry.local:5000'}, {url: 'http://my-harbor/v2/registry-k8s.io/', overridePath: true}]}",
        "",
    ),
];

/// pkg/machinery/config/types/cri/registry_tls_test.go@v1.13.9 `TestRegistryTLSConfigValidate`
/// (upstream generates a fresh CA for "valid"; here rcgen makes one the same way), then a
/// case of talforge's own (a CA that is no certificate).
fn tls_cases(ca_pem: &str, key_pem: &str) -> Vec<(String, &'static str)> {
    vec![
        ("{name: ''}".into(), "name must be specified"),
        ("{name: rr.k8s.io, insecureSkipVerify: true}".into(), ""),
        (
            format!(
                "name: k8s.io\nca: {ca_pem:?}\nclientIdentity:\n  cert: {ca_pem:?}\n  key: {key_pem:?}\ninsecureSkipVerify: false"
            ),
            "",
        ),
        (
            "{name: k8s.io, ca: not a certificate}".into(),
            "ca must be a valid PEM-encoded certificate",
        ),
    ]
}

/// How many of [`tls_cases`] are upstream's.
const TLS_UPSTREAM: usize = 3;

/// Runs the RegistryTLSConfig cases: (upstream cases run, failures of any case).
pub(super) fn check_tls() -> (usize, Vec<String>) {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("ca");
    let mut failed = Vec::new();
    for (doc, want) in tls_cases(&cert.pem(), &key.serialize_pem()) {
        let value = crate::yaml::parse_documents(&doc)
            .expect("yaml")
            .remove(0)
            .value;
        let got = super::super::document("RegistryTLSConfig", &value, 13)
            .errors
            .join("\n");
        if got != want {
            failed.push(format!(
                "RegistryTLSConfig {doc:?}: want {want:?} got {got:?}"
            ));
        }
    }
    (TLS_UPSTREAM, failed)
}

#[test]
fn registry_documents() {
    run("RegistryAuthConfig", AUTH);
    run("RegistryMirrorConfig", MIRROR);
    let (_, failed) = check_tls();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
