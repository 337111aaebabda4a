//! `--talos-mode`: Talos' `gen config` "overrides" goldens of v1.12 byte for byte with
//! `genconfig --talos-mode cloud` (their install kernel args break a metal-only rule).

use crate::support::{Test, repo};

const FIXTURE: &str = "tests/fixtures/talos-v1.12-overrides";

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(repo().join(FIXTURE).join(rel)).expect("fixture file")
}

fn overrides() -> Test {
    let mut t = Test::new();
    for rel in [
        "talconfig.yaml",
        "secrets.yaml",
        "patches/controlplane.yaml",
        "patches/gen-options.yaml",
        "patches/stability.yaml",
        "patches/no-talhelper-hostname.yaml",
        "patches/documents.yaml",
        "patches/k8s-1.28.yaml",
    ] {
        t = t.file(rel, &fixture(rel));
    }
    t
}

#[test]
fn overrides_goldens_of_v1_12_reproduce_with_talos_mode_cloud() {
    let t = overrides().args([
        "genconfig",
        "-c",
        "talconfig.yaml",
        "-s",
        "secrets.yaml",
        "-o",
        "out",
        "--talos-mode",
        "cloud",
        // The temp dir is a stand-in repository: write the plaintext configs there anyway.
        "--force",
    ]);
    let dir = t.dir.path().to_path_buf();
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    for role in ["controlplane", "worker"] {
        let got = std::fs::read_to_string(dir.join(format!("out/base-{role}.yaml"))).unwrap();
        assert_eq!(got, fixture(&format!("overrides-{role}.yaml")), "{role}");
    }
}

#[test]
fn metal_mode_rejects_the_overrides_kernel_args_and_writes_nothing() {
    let t = overrides().args([
        "genconfig",
        "-c",
        "talconfig.yaml",
        "-s",
        "secrets.yaml",
        "-o",
        "out",
        "--force",
    ]);
    let dir = t.dir.path().to_path_buf();
    let out = t.run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "install.extraKernelArgs and install.grubUseUKICmdline can't be used together"
        ) && out.stderr.contains("talosctl validate --mode metal"),
        "{}",
        out.stderr
    );
    assert!(!dir.join("out").exists());
    let bad = overrides()
        .args(["genconfig", "-c", "talconfig.yaml", "--talos-mode", "vm"])
        .run();
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn validation_warnings_print_and_abort_only_under_strict() {
    let script = "let c = cluster(\"lab\", #{ endpoint: \"https://10.0.0.11:6443\", talos_mode: \"cloud\" });\nc.node(\"lab-1\", \"10.0.0.11\", #{ control_plane: true });\nc.patch(all, \"cni\", #{ cluster: #{ network: #{ cni: #{ name: \"custom\" } } } });\n";
    let warn = "machine config of `lab-1`: \"urls\" field should not be empty for \"custom\" CNI";
    let ok = Test::new()
        .file("lab.rhai", script)
        .args(["--color", "never", "check", "lab.rhai"])
        .run();
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stderr.contains(warn), "{}", ok.stderr);
    let strict = Test::new()
        .file("lab.rhai", script)
        .args(["--color", "never", "check", "lab.rhai", "--strict"])
        .run();
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains("warning: \"urls\" field should not be empty for \"custom\" CNI")
            && strict.stderr.contains("--mode cloud --strict"),
        "{}",
        strict.stderr
    );
}
