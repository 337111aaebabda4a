//! `gen config` against Talos' stability goldens of every contract, "base" and "with
//! overrides" (`v1alpha1_stability_test.go` of v1.14.0-rc.1), every role.
//!
//! `testdata/` holds them with placeholder secrets (`scripts/talos-goldens.py`); the upstream
//! bytes themselves, with the upstream test secrets, are checked by their sha256 when the
//! oracle secrets are present.

use super::tests::{emit, golden_input, oracle_bundle, placeholder_bundle};
use super::*;
use crate::model::Role;
use crate::secrets::bundle::Bundle;
use crate::yaml::parse_documents;

/// The names of the bundle's certificates and keys (`testdata/`'s placeholders).
const PEM_NAMES: &[&str] = &[
    "ETCD-CRT",
    "ETCD-KEY",
    "K8S-CRT",
    "K8S-KEY",
    "K8SAGGREGATOR-CRT",
    "K8SAGGREGATOR-KEY",
    "K8SSERVICEACCOUNT-KEY",
    "OS-CRT",
    "OS-KEY",
];

fn encode(name: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{name}\n"))
}

/// The placeholder bundle with every certificate and key the base64 of `NAME\n`, the form a
/// real bundle has (base64 of the PEM text), so that 1.14's PEM documents decode them.
fn encoded_bundle() -> Bundle {
    let mut b = placeholder_bundle();
    for ck in [&mut b.etcd, &mut b.k8s, &mut b.k8s_aggregator, &mut b.os] {
        ck.crt = encode(&ck.crt);
        ck.key = encode(&ck.key);
    }
    b.k8s_service_account.key = encode(&b.k8s_service_account.key);
    b
}

/// Output of [`encoded_bundle`] with the base64 placeholders named again, as `testdata/` has them.
fn named(mut text: String) -> String {
    for name in PEM_NAMES {
        text = text.replace(&encode(name), name);
    }
    text
}

/// The "with overrides" input: `NewInput` with the options of the stability test.
fn overrides_input(talos: &str, role: Role) -> GenInput {
    let mut i = golden_input(talos, role);
    let sans = vec!["foo".to_string(), "bar".to_string()];
    i.machine_cert_sans.clone_from(&sans);
    i.api_server_cert_sans = sans;
    i.allow_scheduling_on_control_planes = true;
    i.dns_domain = Some("example.com".into());
    i.install_disk = Some("/dev/vda".into());
    i.install_extra_kernel_args = vec!["foo=bar".into(), "bar=baz".into()];
    i.local_api_server_port = Some(5443);
    i.sysctls.insert("foo".into(), "bar".into());
    i.cni_custom_url = Some("https://example.com/cni.yaml".into());
    i.registry_mirrors = vec![(
        "ghcr.io".into(),
        vec!["https://ghcr.io.my-mirror.com".into()],
    )];
    i
}

/// The stability test's patch: `patch.yaml` from contract 1.14 on (its kubelet mount
/// would conflict with `KubeletConfig`), `patch-pre14.yaml` before.
fn stability_patch(minor: u32) -> Vec<Yaml> {
    let text = if minor >= 14 {
        "apiVersion: v1alpha1\nkind: KubeletConfig\nclusterDNS:\n  - 3.3.3.3\n"
    } else {
        "machine:\n  kubelet:\n    extraMounts:\n      - source: /var/opt\n        destination: /var/opt\n        type: bind\n        options:\n          - rshared\n"
    };
    parse_documents(text)
        .unwrap()
        .into_iter()
        .map(|d| d.value)
        .collect()
}

fn render(flavor: &str, talos: &str, role: Role, secrets: &Bundle) -> String {
    let minor = v(talos).minor;
    if flavor == "base" {
        return emit(&generate(&golden_input(talos, role), secrets).unwrap());
    }
    let docs = generate(&overrides_input(talos, role), secrets).unwrap();
    let patched = crate::talos::patch::apply_docs(docs, &stability_patch(minor)).unwrap();
    emit(&patched)
}

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

fn testdata(flavor: &str, minor: u32, role: Role) -> String {
    let file = format!(
        "{}/src/talos/generate/testdata/{flavor}-v1.{minor}-{}.yaml",
        env!("CARGO_MANIFEST_DIR"),
        role.machine_type()
    );
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn gen_config_matches_every_contract_golden() {
    let secrets = encoded_bundle();
    let minors: Vec<u32> = crate::talos::versions::RELEASES
        .iter()
        .filter(|r| r.configs)
        .map(|r| r.minor)
        .collect();
    // Every minor with machine configs has its goldens: a new release's come with its entry.
    assert_eq!(minors.first(), Some(&3));
    assert!(minors.contains(&14), "{minors:?}");
    let mut checked = 0;
    for minor in minors {
        for flavor in ["base", "overrides"] {
            for role in [Role::ControlPlane, Role::Worker] {
                let expected = testdata(flavor, minor, role);
                // A patch release renders as its minor does (the contract is major.minor).
                for talos in [format!("v1.{minor}.0"), format!("v1.{minor}.9")] {
                    let got = named(render(flavor, &talos, role, &secrets));
                    assert_eq!(
                        got,
                        expected,
                        "{flavor}-v1.{minor}-{} ({talos})",
                        role.machine_type()
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 48, "12 contracts × 2 flavors × 2 roles");
}

/// sha256 of Talos' own stability goldens, byte for byte as upstream ships them (with the
/// upstream test secrets, which stay out of this repository):
/// `pkg/machinery/config/types/v1alpha1/testdata/stability/v1.N/{base,overrides}-*.yaml`.
const UPSTREAM_GOLDEN_SHA256: &[(&str, &str, Role, &str)] = &[
    (
        "base",
        "v1.13.9",
        Role::ControlPlane,
        "2abe4409246831281103d1b0dd036363aae2f88931291b7418b03241f8aa2b56",
    ),
    (
        "base",
        "v1.13.9",
        Role::Worker,
        "17ece0b6b4e321a4b069ce3dbd279d3fe088f90383cece99887147a5a209e844",
    ),
    (
        "overrides",
        "v1.13.9",
        Role::ControlPlane,
        "ea1e212163fb683d6d6894857518dac1ae358846170345c5a5f97f87de815c0a",
    ),
    (
        "overrides",
        "v1.13.9",
        Role::Worker,
        "d6a923cd5742ea2dad06a0050773c12aeefd82642a58efb00cc94b1624ba959e",
    ),
    (
        "base",
        "v1.14.0-rc.1",
        Role::ControlPlane,
        "576f40cc67bf56bb421432e431072d463cae4b8dae1ccb9b19802e93f479b409",
    ),
    (
        "base",
        "v1.14.0-rc.1",
        Role::Worker,
        "457943658eaaf427acf616c48f908118222eb28f58affa4f72cbf8a15cf5a6b0",
    ),
    (
        "overrides",
        "v1.14.0-rc.1",
        Role::ControlPlane,
        "85d26ec3300250928562e798fcc2722b35d93cb17bdeab6fcfc8b319efc28fb2",
    ),
    (
        "overrides",
        "v1.14.0-rc.1",
        Role::Worker,
        "38f633ac3554ff7afded5726f666cb8fbba2a98f11cd36d010f787b50ece776f",
    ),
];

#[test]
fn gen_config_matches_talos_v1_13_and_v1_14_goldens_byte_for_byte() {
    use sha2::{Digest, Sha256};
    let Some(secrets) = oracle_bundle() else {
        return;
    };
    for (flavor, talos, role, want) in UPSTREAM_GOLDEN_SHA256 {
        let got: String = Sha256::digest(render(flavor, talos, *role, &secrets).as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&got, want, "{flavor} {talos} {}", role.machine_type());
    }
}

#[test]
fn pre_releases_and_newer_minors_render_with_the_nearest_contract() {
    let secrets = placeholder_bundle();
    for role in [Role::ControlPlane, Role::Worker] {
        let v1_14 = emit(&generate(&golden_input("v1.14.0-rc.1", role), &secrets).unwrap());
        for talos in [
            "v1.14.0-alpha.2",
            "v1.14.0-beta.1",
            "v1.14.0",
            "v1.15.0",
            "v2.0.0",
        ] {
            let docs = generate(&golden_input(talos, role), &secrets).unwrap();
            assert_eq!(emit(&docs), v1_14, "{talos}");
        }
        // A 1.13 pre-release has the 1.13 contract, not 1.12's or 1.14's.
        let v1_13 = emit(&generate(&golden_input("v1.13.9", role), &secrets).unwrap());
        let beta = generate(&golden_input("v1.13.0-beta.1", role), &secrets).unwrap();
        assert_eq!(emit(&beta), v1_13);
        assert_ne!(v1_13, v1_14);
    }
}
