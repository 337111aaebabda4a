//! `talforge patch`: `talosctl machineconfig patch` on real configs, plaintext or SOPS.

use crate::configs::Repo;
use crate::support::{Test, oracle, repo};

fn upstream(rel: &str) -> String {
    let p = repo().join("src/talos/patch/testdata/v1.12.0").join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

// Talos' configpatcher/apply_test.go@v1.12.0 TestApply through the command line, with the
// patch forms of load_test.go: `@file`, a bare file name (TestLoadStraightFilename).
#[test]
fn upstream_apply_through_the_cli() {
    let mut t = Test::new().file("config.yaml", &upstream("apply/config.yaml"));
    for f in [
        "strategic1",
        "jsonpatch1",
        "jsonpatch2",
        "strategic2",
        "strategic3",
    ] {
        t = t.file(&format!("{f}.yaml"), &upstream(&format!("apply/{f}.yaml")));
    }
    let out = t
        .args([
            "patch",
            "config.yaml",
            "--patch",
            "@strategic1.yaml",
            "-p",
            "@jsonpatch1.yaml",
            "-p",
            "jsonpatch2.yaml",
            "-p",
            "@strategic2.yaml",
            "-p",
            "@strategic3.yaml",
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    // talosctl prints the config and a newline.
    assert_eq!(out.stdout, format!("{}\n", upstream("apply/expected.yaml")));
    assert_eq!(out.stderr, "");
}

#[test]
fn inline_patches_output_file_and_errors() {
    let t = Test::new().file("config.yaml", &upstream("apply/config.yaml"));
    let dir = t.dir.path().to_path_buf();
    // A config without secrets may go anywhere; JSON values take Talos' types.
    let t = t.args([
        "patch",
        "config.yaml",
        "-p",
        r#"[{"op": "add", "path": "/machine/sysctls", "value": {"vm.max_map_count": 262144}}]"#,
        "-p",
        "machine:\n  network:\n    hostname: patched\n",
        "-o",
        "out/patched.yaml",
    ]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let written = std::fs::read_to_string(dir.join("out/patched.yaml")).unwrap();
    assert!(written.contains("        hostname: patched\n"), "{written}");
    assert!(
        written.contains("    sysctls:\n        vm.max_map_count: \"262144\"\n"),
        "{written}"
    );
    // An unknown key: a diagnostic at the inline patch's line, exit 1.
    let bad = Test::new()
        .file("config.yaml", &upstream("apply/config.yaml"))
        .args([
            "--diagnostic-format",
            "short",
            "patch",
            "config.yaml",
            "-p",
            "machine:\n  netwrk: {}\n",
        ])
        .run();
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("--patch #1:2:") && bad.stderr.contains("netwrk"),
        "{}",
        bad.stderr
    );
    let missing = Test::new()
        .file("config.yaml", &upstream("apply/config.yaml"))
        .args(["patch", "config.yaml", "-p", "@nope.yaml"])
        .run();
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("cannot read patch `nope.yaml`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn secrets_never_go_plaintext_into_a_tracked_path_and_sops_round_trips() {
    let Some(golden) = oracle("talos-examples/gen-v1.12-base-worker.yaml") else {
        return;
    };
    let r = Repo::empty();
    r.write("worker.yaml", &std::fs::read_to_string(golden).unwrap());
    let sysctl = "machine:\n  sysctls:\n    vm.max_map_count: 262144\n";
    let refused = r.run(&["patch", "worker.yaml", "-p", sysctl, "-o", "patched.yaml"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("refusing to write"),
        "{}",
        refused.stderr
    );
    assert!(!r.path("patched.yaml").exists());
    // Encrypted in, encrypted out: the input's recipients, decryptable with the same key.
    let enc = r.run(&["encrypt", "--age", &r.recipient, "worker.yaml"]);
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    r.write("worker.sops.yaml", &enc.stdout);
    let out = r.run(&[
        "patch",
        "worker.sops.yaml",
        "-p",
        sysctl,
        "-o",
        "patched.sops.yaml",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = r.read("patched.sops.yaml");
    assert!(written.contains("sops:") && !written.contains("d8cwfa.eyvpi0xwxyarbfid"));
    let docs = r.decrypt("patched.sops.yaml");
    assert_eq!(
        docs[0]
            .get("machine")
            .and_then(|m| m.get("sysctls")?.get("vm.max_map_count")),
        Some(&talforge::yaml::Yaml::str("262144"))
    );
    // Decrypted to stdout (like `talforge decrypt`), but not into a tracked file.
    let shown = r.run(&["patch", "worker.sops.yaml", "-p", sysctl]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("vm.max_map_count: \"262144\""),
        "{}",
        shown.stdout
    );
    let plain = r.run(&[
        "patch",
        "worker.sops.yaml",
        "-p",
        sysctl,
        "-o",
        "plain.yaml",
    ]);
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    // Without the key the encrypted config cannot be read.
    let locked = r.run_without_key(&["patch", "worker.sops.yaml", "-p", sysctl]);
    assert_eq!(locked.code, 1);
    assert_eq!(locked.stdout, "");
}

/// An ImageVerificationConfig patch (Talos v1.13) through the CLI: its rules replace the
/// config's rule of the same image pattern and append the others, as
/// `ImageVerificationRules.Merge` does; the stdout is the patched config and a newline.
#[test]
fn image_verification_rules_merge_by_image_pattern() {
    let config = "apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules:\n    - image: registry.k8s.io/*\n      skip: true\n    - image: ghcr.io/siderolabs/*\n      keyless:\n        issuer: https://accounts.google.com\n        subject: a@example.com\n";
    let patch = "apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules:\n  - image: ghcr.io/siderolabs/*\n    deny: true\n  - image: docker.io/*\n    skip: true\n";
    let out = Test::new()
        .file("config.yaml", config)
        .file("patch.yaml", patch)
        .args(["patch", "config.yaml", "-p", "@patch.yaml"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules:\n    - image: registry.k8s.io/*\n      skip: true\n    - image: ghcr.io/siderolabs/*\n      deny: true\n    - image: docker.io/*\n      skip: true\n\n"
    );
}
