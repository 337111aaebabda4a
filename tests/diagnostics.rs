//! YAML and I/O mistakes outside the script, each reported at its own file and line through
//! the real binary, with nothing written; plus human-format snapshots of the full rendering.

use crate::configs::Repo;
use crate::support::snapshot;

const LAB: &str = r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.11:6443", age: "RECIPIENT", talos: "v1.12.0" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
"#;

fn lab(extra: &str) -> Repo {
    let r = Repo::empty();
    r.write(
        "clusters/lab.rhai",
        &format!("{}{extra}", LAB.replace("RECIPIENT", &r.recipient)),
    );
    r
}

fn short(r: &Repo, args: &[&str]) -> String {
    let mut a = vec!["--diagnostic-format", "short"];
    a.extend_from_slice(args);
    let out = r.run(&a).code(1);
    out.stderr
}

#[test]
fn a_patch_file_with_an_unknown_key_points_at_the_key() {
    let r = lab("c.patch(all, \"extra\", \"extra.yaml\");\n");
    r.write(
        "clusters/extra.yaml",
        "machine:\n  kubelet:\n    extraArgz:\n      rotate-server-certificates: \"true\"\n",
    );
    let before = snapshot(r.dir.path());
    let err = short(&r, &["run", "clusters/lab.rhai"]);
    assert!(err.contains("extra.yaml:3:5: error:"), "{err}");
    assert!(err.contains("extraArgz"), "{err}");
    assert!(err.contains("did you mean `extraArgs`?"), "{err}");
    assert_eq!(snapshot(r.dir.path()), before, "nothing written");
}

#[test]
fn a_broken_sops_yaml_points_at_its_line() {
    let r = lab("");
    r.write(".sops.yaml", "creation_rules:\n  - path_regex: [unclosed\n");
    let err = short(&r, &["run", "clusters/lab.rhai"]);
    assert!(err.contains(".sops.yaml:"), "{err}");
    assert!(err.contains("error:"), "{err}");
    assert!(!r.path("clusters/lab/talos/talconfig.yaml").exists());
}

#[test]
fn a_secrets_bundle_with_a_missing_field_points_at_the_bundle() {
    let r = lab("");
    let bundle = r.run(&["secrets", "gen"]).ok().stdout;
    // Drop the OS CA key: the bundle is unusable.
    let broken: String = {
        let mut lines: Vec<&str> = bundle.lines().collect();
        let os = lines.iter().position(|l| l.trim() == "os:").unwrap();
        lines.remove(os + 2);
        lines.join("\n") + "\n"
    };
    r.write("bundle.yaml", &broken);
    let err = short(
        &r,
        &["run", "clusters/lab.rhai", "--secret-file", "bundle.yaml"],
    );
    assert!(err.contains("bundle.yaml:"), "{err}");
    assert!(err.contains("certs.os.key"), "{err}");
}

#[test]
fn a_talconfig_with_bad_yaml_points_at_its_line() {
    let r = lab("");
    r.write(
        "talconfig.yaml",
        "clusterName: lab\nendpoint: https://10.0.0.11:6443\nnodes:\n  - hostname: a\n   ipAddress: 10.0.0.11\n",
    );
    let err = short(&r, &["genconfig", "-c", "talconfig.yaml"]);
    assert!(err.contains("talconfig.yaml:5:"), "{err}");
}

#[test]
fn a_malformed_sops_file_is_reported_not_printed() {
    let r = lab("");
    r.write(
        "x.sops.yaml",
        "secret: ENC[AES256_GCM,data:abc,iv:short,tag:x,type:str]\nsops:\n    age: []\n",
    );
    let out = r.run(&["decrypt", "x.sops.yaml"]).code(1);
    assert!(
        out.stdout.is_empty(),
        "no partial plaintext: {}",
        out.stdout
    );
    assert!(out.stderr.contains("x.sops.yaml"), "{}", out.stderr);
}

#[test]
fn a_blocked_output_path_is_an_error_with_path_and_cause_and_writes_nothing() {
    let r = lab("");
    // A file where the cluster's directory should be.
    r.write("clusters/lab", "not a directory\n");
    let before = snapshot(r.dir.path());
    let out = r.run(&["run", "clusters/lab.rhai"]).code(1);
    // Every target is read before anything is written, so the blocked path shows up there.
    assert!(
        out.stderr.contains("cannot read") || out.stderr.contains("cannot write"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("clusters/lab/talos"), "{}", out.stderr);
    assert!(out.stderr.contains("not a directory"), "{}", out.stderr);
    assert_eq!(snapshot(r.dir.path()), before, "nothing written");
}

#[test]
fn an_unreadable_script_directory_is_reported() {
    let r = Repo::empty();
    let out = r.run(&["run", "clusters/"]).code(1);
    assert!(out.stderr.contains("clusters"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

/// Full human rendering: file, line, caret, label and hint, for a patch error.
#[test]
fn human_snapshot_of_a_patch_error() {
    let r = lab("c.patch(all, \"extra\", \"extra.yaml\");\n");
    r.write(
        "clusters/extra.yaml",
        "machine:\n  instal:\n    disk: /dev/sdb\n",
    );
    let out = r
        .run(&["--color", "never", "run", "clusters/lab.rhai"])
        .code(1);
    let err: String = out
        .stderr
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    assert_eq!(
        err,
        "Error: unknown field `machine.instal`
   ╭─[ clusters/extra.yaml:2:3 ]
   │
 2 │   instal:
   │   ───┬──
   │      ╰──── unknown field `machine.instal`
   │
   │ Help: did you mean `install`?
   │
   │ Note 1: while applying patch `extra`
   │
   │ Note 2: while patching the machine config of `lab-1`
───╯
"
    );
}

/// A full disk: a 16 KiB tmpfs as the output (needs root to mount; skipped elsewhere).
#[test]
fn a_full_disk_is_an_error_with_path_and_cause_and_leaves_nothing() {
    let r = lab("");
    let mnt = r.path("tiny");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16k", "tmpfs"])
        .arg(&mnt)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipping: cannot mount a tmpfs here (not root?)");
        return;
    }
    let out = r.run(&[
        "run",
        "clusters/lab.rhai",
        "--out",
        &mnt.display().to_string(),
    ]);
    let files = snapshot(&mnt);
    let _ = std::process::Command::new("umount").arg(&mnt).status();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("no space left on device"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("cannot write"), "{}", out.stderr);
    assert!(files.is_empty(), "nothing written: {:?}", files.keys());
}

/// talhelper's own example, with `cniConfig.flannel.kubeNetworkPoliciesEnabled` (the last key
/// talforge did not model; `false`, as Talos' ValidateCNI refuses `true` with the example's
/// custom CNI) added: every key is read, so the only errors are the files the
/// example references and does not ship; no key is called unsupported or unknown, and
/// nothing is written.
#[test]
fn every_key_of_talhelpers_example_is_read() {
    let Some(example) = crate::support::oracle("talhelper/examples/example-talconfig.yaml") else {
        return;
    };
    let r = Repo::empty();
    let text = std::fs::read_to_string(example).unwrap();
    let text = text.replacen(
        "\ncniConfig:\n",
        "\ncniConfig:\n  flannel:\n    kubeNetworkPoliciesEnabled: false\n",
        1,
    );
    r.write("talconfig.yaml", &text);
    // talhelper substitutes before it reads anything: the example's variable must be set.
    r.write("talenv.yaml", "myDomainName: example.com\n");
    let before = snapshot(r.dir.path());
    let err = short(&r, &["import", "talconfig.yaml", "-o", "cluster.rhai"]);
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert!(!errors.is_empty(), "{err}");
    for e in &errors {
        assert!(e.contains("no such file or directory"), "{err}");
    }
    assert!(!err.contains("does not support"), "{err}");
    assert!(!err.contains("unknown key"), "{err}");
    assert!(err.contains("talconfig.yaml:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(r.dir.path()), before, "nothing written");
}

// ---- secret-bearing files: a diagnostic says where, never what ----

/// The fake secret the files below carry.
const SECRET: &str = "SECRETVALUE123";

/// Runs `args` in every `--diagnostic-format`: each run fails, points at `file` line `line`
/// (with the line, masked, and a caret in the human format), and prints none of `secrets`.
fn hides_secrets(r: &Repo, args: &[&str], file: &str, line: usize, secrets: &[String]) {
    for format in ["human", "short", "json"] {
        let mut a = vec!["--color", "never", "--diagnostic-format", format];
        a.extend_from_slice(args);
        let out = r.run(&a).code(1);
        for s in secrets {
            assert!(
                !out.stderr.contains(s.as_str()) && !out.stdout.contains(s.as_str()),
                "{format} {args:?} prints the secret {s}:\n{}{}",
                out.stdout,
                out.stderr
            );
        }
        let e = &out.stderr;
        match format {
            "human" => {
                assert!(e.contains(&format!("─[ {file}:{line}:")), "{e}");
                // The line is there, its value masked, with the caret under it.
                let shown = e
                    .lines()
                    .find(|l| l.starts_with(&format!("{line:>2} │ ")))
                    .unwrap_or_else(|| panic!("no line {line} shown:\n{e}"));
                assert!(shown.contains("******"), "{e}");
                assert!(e.contains('┬'), "a caret: {e}");
            }
            "short" => assert!(e.contains(&format!("{file}:{line}:")), "{e}"),
            _ => {
                let diag = e
                    .lines()
                    .find(|l| l.starts_with('{'))
                    .unwrap_or_else(|| panic!("no JSON diagnostic:\n{e}"));
                let v: serde_json::Value = serde_json::from_str(diag).unwrap();
                assert_eq!(v["file"], file, "{e}");
                assert_eq!(v["line"], line, "{e}");
            }
        }
    }
}

/// A generated secrets bundle with `cluster.secret`'s line replaced, and every value in it.
fn bundle_with(r: &Repo, secret_line: &str) -> (String, Vec<String>) {
    let bundle = r.run(&["secrets", "gen"]).ok().stdout;
    let mut values: Vec<String> = bundle
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(_, v)| v.trim().to_string()))
        .filter(|v| v.len() >= 8)
        .collect();
    values.push(SECRET.into());
    let text: String = bundle
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("secret:") {
                format!("{secret_line}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(text.contains(SECRET), "{text}");
    (text, values)
}

#[test]
fn a_secret_file_with_a_yaml_error_shows_where_not_what() {
    let r = lab("");
    let (text, values) = bundle_with(&r, &format!("  secret: {SECRET}: x"));
    r.write("bundle.yaml", &text);
    let run = ["run", "clusters/lab.rhai", "--secret-file", "bundle.yaml"];
    hides_secrets(&r, &run, "bundle.yaml", 3, &values);
    r.run(&["run", "clusters/lab.rhai"]).ok();
    let genconfig = [
        "genconfig",
        "-c",
        "clusters/lab/talos/talconfig.yaml",
        "-s",
        "bundle.yaml",
    ];
    hides_secrets(&r, &genconfig, "bundle.yaml", 3, &values);
}

#[test]
fn a_secret_file_with_a_wrongly_typed_value_shows_where_not_what() {
    let r = lab("");
    let (text, values) = bundle_with(&r, &format!("  secret: [{SECRET}]"));
    r.write("list.yaml", &text);
    let run = ["run", "clusters/lab.rhai", "--secret-file", "list.yaml"];
    hides_secrets(&r, &run, "list.yaml", 3, &values);
    let out = r.run(&run).code(1);
    assert!(
        out.stderr.contains("`cluster.secret` must be a string"),
        "the key path is named: {}",
        out.stderr
    );
    // The YAML reader's own message quotes a value it cannot resolve: not this one.
    let (text, values) = bundle_with(&r, &format!("  secret: !!int {SECRET}"));
    r.write("tag.yaml", &text);
    let run = ["run", "clusters/lab.rhai", "--secret-file", "tag.yaml"];
    hides_secrets(&r, &run, "tag.yaml", 3, &values);
}

#[test]
fn encrypt_of_broken_yaml_shows_where_not_what() {
    let r = lab("");
    let secrets = vec![SECRET.to_string()];
    r.write("plain.yaml", &format!("user: me\npassword: {SECRET}: x\n"));
    let args = ["encrypt", "--age", &r.recipient, "plain.yaml"];
    hides_secrets(&r, &args, "plain.yaml", 2, &secrets);
    r.write("tagged.yaml", &format!("user: me\npin: !!int {SECRET}\n"));
    let args = ["encrypt", "--age", &r.recipient, "tagged.yaml"];
    hides_secrets(&r, &args, "tagged.yaml", 2, &secrets);
}

#[test]
fn decrypt_never_quotes_a_decrypted_value() {
    let r = lab("");
    r.write("plain.yaml", &format!("password: {SECRET}\n"));
    let enc = r
        .run(&["encrypt", "--age", &r.recipient, "plain.yaml"])
        .ok()
        .stdout;
    // The value's type is not authenticated: say it is an int, which it does not parse as.
    let tampered = enc.replacen("type:str]", "type:int]", 1);
    assert_ne!(tampered, enc);
    r.write("x.sops.yaml", &tampered);
    for format in ["human", "short", "json"] {
        let out = r
            .run(&["--diagnostic-format", format, "decrypt", "x.sops.yaml"])
            .code(1);
        assert!(
            !out.stderr.contains(SECRET) && !out.stdout.contains(SECRET),
            "{format}:\n{}{}",
            out.stdout,
            out.stderr
        );
        assert!(out.stderr.contains("`password`"), "{}", out.stderr);
    }
}

/// A controlplane config whose `machine.ca.key` is a list holding the key, at line 8.
const LIST_KEY: &str = "version: v1alpha1
machine:
    type: controlplane
    token: SECRETTOKEN0123456789
    ca:
        crt: Q1JU
        key:
            - SECRETVALUE123
cluster:
    controlPlane:
        endpoint: https://10.0.0.11:6443
";

#[test]
fn validate_shows_where_a_wrongly_typed_ca_key_is_not_what() {
    let r = lab("");
    let secrets = vec![SECRET.to_string(), "SECRETTOKEN0123456789".to_string()];
    r.write("cp.yaml", LIST_KEY);
    let args = ["validate", "-c", "cp.yaml", "-m", "metal"];
    hides_secrets(&r, &args, "cp.yaml", 8, &secrets);
    let out = r.run(&args).code(1);
    assert!(out.stderr.contains("/machine/ca/key"), "{}", out.stderr);
    // Encrypted, it is validated decrypted, just as secretly.
    let enc = r
        .run(&["encrypt", "--age", &r.recipient, "cp.yaml"])
        .ok()
        .stdout;
    r.write("cp.sops.yaml", &enc);
    let args = ["validate", "-c", "cp.sops.yaml", "-m", "metal"];
    hides_secrets(&r, &args, "cp.sops.yaml (decrypted)", 8, &secrets);
    // Where Talos' decoder would quote the first characters of the value, it does not.
    r.write(
        "scalar.yaml",
        &LIST_KEY.replace(
            "    ca:\n        crt: Q1JU\n        key:\n            - SECRETVALUE123\n",
            "    ca: SECRETVALUE123\n",
        ),
    );
    let out = r
        .run(&["validate", "-c", "scalar.yaml", "-m", "metal"])
        .code(1);
    assert!(
        out.stderr.contains(
            "line 5: cannot unmarshal !!str (value not shown) into x509.PEMEncodedCertificateAndKey"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("SECRETV"), "{}", out.stderr);
}
