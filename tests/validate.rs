//! `talforge validate`: talosctl's output and exit codes on the upstream golden configs.

use crate::support::{Run, Test, oracle};

/// Runs `talforge <args>` in a fresh temp dir holding `files`.
fn run(files: &[(&str, &str)], args: &[&str]) -> Run {
    let mut t = Test::new();
    for (name, content) in files {
        t = t.file(name, content);
    }
    t.args(args.iter().copied()).run()
}

fn golden(name: &str) -> Option<String> {
    Some(std::fs::read_to_string(oracle(&format!("talos-examples/{name}"))?).unwrap())
}

#[test]
fn valid_config_prints_the_verdict() {
    let Some(cp) = golden("gen-v1.12-base-controlplane.yaml") else {
        return;
    };
    let cp = cp.replacen(
        "        wipe: false",
        "        disk: /dev/sda\n        wipe: false",
        1,
    );
    let args = [
        "validate",
        "-c",
        "controlplane.yaml",
        "--mode",
        "metal",
        "--strict",
    ];
    let out = run(&[("controlplane.yaml", &cp)], &args).code(0);
    assert_eq!(out.stdout, "controlplane.yaml is valid for metal mode\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn errors_use_the_multierror_format_and_exit_1() {
    let Some(worker) = golden("gen-v1.12-base-worker.yaml") else {
        return;
    };
    let files = [("worker.yaml", worker.as_str())];
    let out = run(
        &files,
        &["validate", "--config", "worker.yaml", "-m", "metal"],
    )
    .code(1);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "1 error occurred:\n\t* v1alpha1.Config: 1 error occurred:\n\t* either install disk or diskSelector should be defined\n\n\n\n\n"
    );
    let out = run(&files, &["validate", "-c", "worker.yaml", "-m", "cloud"]).code(0);
    assert_eq!(out.stdout, "worker.yaml is valid for cloud mode\n");
}

#[test]
fn warnings_go_to_stderr_and_strict_turns_them_into_errors() {
    let Some(cp) = golden("gen-v1.12-base-controlplane.yaml") else {
        return;
    };
    let custom = cp.replacen(
        "        dnsDomain: cluster.local",
        "        cni:\n            name: custom\n        dnsDomain: cluster.local",
        1,
    );
    let files = [("cp.yaml", custom.as_str())];
    let out = run(&files, &["validate", "-c", "cp.yaml", "--mode", "cloud"]).code(0);
    assert_eq!(
        out.stderr,
        "WARNING: \"urls\" field should not be empty for \"custom\" CNI\n"
    );
    assert_eq!(out.stdout, "cp.yaml is valid for cloud mode\n");
    let out = run(
        &files,
        &["validate", "-c", "cp.yaml", "--mode", "cloud", "--strict"],
    )
    .code(1);
    assert!(
        out.stderr
            .contains("\t* warning: \"urls\" field should not be empty for \"custom\" CNI\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn decode_errors_bad_modes_and_sops_files() {
    let bad = [("bad.yaml", "machine:\n    typo: 1\n")];
    let out = run(&bad, &["validate", "-c", "bad.yaml", "--mode", "metal"]).code(1);
    // Talos v1.13's decoder (the default) names the document and its line ...
    assert_eq!(
        out.stderr,
        "error decoding document /v1alpha1/ (line 1): unknown keys found during decoding:\nmachine:\n    typo: 1\n\n"
    );
    // ... v1.12's (the installer image says which Talos) does not; a duplicate likewise.
    let v1_12 = "machine:\n    typo: 1\n    install:\n        image: ghcr.io/siderolabs/installer:v1.12.0\n";
    let out = run(
        &[("bad.yaml", v1_12)],
        &["validate", "-c", "bad.yaml", "--mode", "metal"],
    )
    .code(1);
    assert_eq!(
        out.stderr,
        "unknown keys found during decoding:\nmachine:\n    typo: 1\n\n"
    );
    let dup = "# two\n---\napiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://a/\n---\napiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://b/\n";
    let out = run(
        &[("dup.yaml", dup)],
        &["validate", "-c", "dup.yaml", "--mode", "cloud"],
    )
    .code(1);
    assert_eq!(
        out.stderr,
        "duplicate document v1alpha1/SideroLinkConfig/ is not allowed (line 7)\n"
    );
    let enc = [(
        "enc.yaml",
        "machine: ENC[AES256_GCM,data:x]\nsops:\n    version: 3.9.0\n",
    )];
    let out = run(&enc, &["validate", "-c", "enc.yaml", "--mode", "metal"]).code(1);
    // An encrypted config is decrypted first; without a usable key that is the error.
    assert!(
        out.stderr.starts_with(
            "enc.yaml: the file has no age recipients, so talforge cannot decrypt it\n"
        ),
        "{}",
        out.stderr
    );
    let out = run(&[], &["validate", "-c", "nope.yaml", "--mode", "metal"]).code(1);
    assert_eq!(out.stderr, "open nope.yaml: no such file or directory\n");
    let Some(cp) = golden("gen-v1.12-base-controlplane.yaml") else {
        return;
    };
    let out = run(
        &[("cp.yaml", &cp)],
        &["validate", "-c", "cp.yaml", "--mode", "vm"],
    )
    .code(1);
    assert_eq!(out.stderr, "unknown runtime mode: \"vm\"\n");
}

/// After Talos' own checks, the v1.12.0 JSON schema, reported at the YAML line: Talos
/// accepts what only the schema rejects, so these are warnings (errors under `--strict`).
#[test]
fn schema_violations_are_warnings_at_their_line_and_errors_when_strict() {
    let Some(cp) = golden("gen-v1.12-base-controlplane.yaml") else {
        return;
    };
    let cp = cp.replacen(
        "        wipe: false",
        "        disk: /dev/sda\n        wipe: false",
        1,
    );
    // A valid config stays exactly talosctl's output.
    let ok = run(
        &[("cp.yaml", &cp)],
        &["validate", "-c", "cp.yaml", "--mode", "metal"],
    )
    .code(0);
    assert_eq!(ok.stdout, "cp.yaml is valid for metal mode\n");
    assert_eq!(ok.stderr, "");
    // A number where the schema wants a string: Go's decoder takes it, the schema does not.
    let bad = cp.replacen("        disk: /dev/sda", "        disk: 42", 1);
    assert_ne!(bad, cp);
    let line = bad.lines().position(|l| l.contains("disk: 42")).unwrap() + 1;
    let args = |strict: bool| {
        let mut a = vec![
            "--diagnostic-format",
            "short",
            "validate",
            "-c",
            "cp.yaml",
            "--mode",
            "metal",
        ];
        if strict {
            a.push("--strict");
        }
        a
    };
    let out = run(&[("cp.yaml", &bad)], &args(false));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "cp.yaml is valid for metal mode\n");
    assert!(
        out.stderr.contains(&format!("cp.yaml:{line}:"))
            && out.stderr.contains("warning")
            && out.stderr.contains("schema: "),
        "{}",
        out.stderr
    );
    let out = run(&[("cp.yaml", &bad)], &args(true));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains(&format!("cp.yaml:{line}:")) && out.stderr.contains("error"),
        "{}",
        out.stderr
    );
}

/// Configs talosctl accepts exit 0 whatever the schema says: `type: join` (Talos' alias of
/// `worker`) and an `http://` control-plane endpoint warn; the schema's own mistakes (a
/// logging endpoint is a URL string, `RegistryTLSConfig.clientIdentity.cert`) say nothing.
#[test]
fn configs_talos_accepts_exit_0_and_schema_mistakes_are_corrected() {
    let Some(wk) = golden("gen-v1.12-base-worker.yaml") else {
        return;
    };
    let warned = wk
        .replacen("    type: worker", "    type: join", 1)
        .replacen("https://base:6443", "http://base:6443", 1);
    assert_ne!(warned, wk);
    let out = run(
        &[("wk.yaml", &warned)],
        &["validate", "-c", "wk.yaml", "--mode", "cloud"],
    )
    .code(0);
    assert_eq!(out.stdout, "wk.yaml is valid for cloud mode\n");
    assert!(out.stderr.contains("/machine/type"), "{}", out.stderr);
    assert!(out.stderr.contains("http://base:6443"), "{}", out.stderr);
    run(
        &[("wk.yaml", &warned)],
        &["validate", "-c", "wk.yaml", "--mode", "cloud", "--strict"],
    )
    .code(1);
    let fixed = wk.replacen(
        "    features:",
        "    logging:\n        destinations:\n            - endpoint: udp://127.0.0.1:12345/\n              format: json_lines\n    features:",
        1,
    ) + registry_tls_doc().as_str();
    assert!(fixed.contains("logging:"));
    let out = run(
        &[("wk.yaml", &fixed)],
        &["validate", "-c", "wk.yaml", "--mode", "cloud", "--strict"],
    );
    assert_eq!(out.stderr, "");
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "wk.yaml is valid for cloud mode\n");
}

/// A `RegistryTLSConfig` whose client identity is the golden control plane's machine CA
/// (a real PEM certificate and key, which Talos' `Validate` parses).
fn registry_tls_doc() -> String {
    use base64::Engine as _;
    let cp = golden("gen-v1.12-base-controlplane.yaml").unwrap_or_default();
    let field = |key: &str| {
        let b64 = cp
            .lines()
            .skip_while(|l| l.trim() != "ca:")
            .find_map(|l| l.trim().strip_prefix(key))
            .unwrap_or_default();
        let pem = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .unwrap_or_default();
        String::from_utf8(pem)
            .unwrap_or_default()
            .lines()
            .map(|l| format!("        {l}\n"))
            .collect::<String>()
    };
    format!(
        "---\napiVersion: v1alpha1\nkind: RegistryTLSConfig\nname: my-registry.io\nclientIdentity:\n    cert: |\n{}    key: |\n{}",
        field("crt: "),
        field("key: ")
    )
}

/// A multi-document config whose VLANConfig and UserVolumeConfig break their own `Validate`
/// rules (one with a CEL disk selector cel-go's checker rejects): talosctl joins each
/// document's errors under `Kind/name:` in one multierror and exits 1.
#[test]
fn document_rules_and_cel_selectors_fail_like_talosctl() {
    let Some(worker) = golden("gen-v1.12-base-worker.yaml") else {
        return;
    };
    let config = format!(
        "{worker}---\napiVersion: v1alpha1\nkind: VLANConfig\nname: vlan0\n---\napiVersion: v1alpha1\nkind: UserVolumeConfig\nname: data\nprovisioning:\n    diskSelector:\n        match: disk.size > 120\n---\napiVersion: v1alpha1\nkind: ExistingVolumeConfig\nname: old\ndiscovery:\n    volumeSelector:\n        match: volume.partition_label == \"OLD\"\n"
    );
    let out = run(
        &[("worker.yaml", &config)],
        &["validate", "-c", "worker.yaml", "-m", "cloud"],
    )
    .code(1);
    assert_eq!(out.stdout, "");
    // talforge adds the JSON schema's findings (warnings) before talosctl's own text
    let at = out
        .stderr
        .find("2 errors occurred:")
        .expect("talosctl's multierror");
    let (schema, talosctl) = out.stderr.split_at(at);
    assert_eq!(
        schema.matches("Warning: schema: /: ").count(),
        2,
        "{schema}"
    );
    assert!(!schema.contains("Error"), "{schema}");
    assert_eq!(
        talosctl,
        "2 errors occurred:\n\
         \t* VLANConfig/vlan0: vlanID must be specified and between 1 and 4094\n\
         parent must be specified\n\
         \t* UserVolumeConfig/data: disk selector is invalid: ERROR: <input>:1:11: found no matching overload for '_>_' applied to '(uint, int)'\n \
         | disk.size > 120\n \
         | ..........^\n\
         min size or max size is required\n\n\n"
    );
    // the same documents with a selector that type-checks and sizes: valid
    let fixed = config
        .replace(
            "kind: VLANConfig\nname: vlan0\n",
            "kind: VLANConfig\nname: vlan0\nvlanID: 10\nparent: eth0\n",
        )
        .replace(
            "match: disk.size > 120\n",
            "match: disk.size > 120u * GiB\n    minSize: 10GiB\n",
        );
    let out = run(
        &[("worker.yaml", &fixed)],
        &["validate", "-c", "worker.yaml", "-m", "cloud"],
    )
    .code(0);
    assert_eq!(out.stdout, "worker.yaml is valid for cloud mode\n");
}
