//! `genconfig` on the patterns real talconfig.yaml files use (tests/corpus), each as
//! talhelper v3.1.16 and Talos treat it.

use crate::support::Test;

/// A cluster of one control plane `cp`, with `extra` appended to talconfig.yaml.
fn talconfig(talos: &str, extra: &str) -> String {
    format!(
        "clusterName: lab\nendpoint: https://10.0.0.10:6443\ntalosVersion: {talos}\n\
         kubernetesVersion: v1.34.1\nnodes:\n  - hostname: cp\n    ipAddress: 10.0.0.11\n    \
         controlPlane: true\n    installDisk: /dev/sda\n{extra}"
    )
}

/// Runs `genconfig` in `t` (a secrets bundle made first) with the short diagnostic format:
/// the run and `cp`'s config.
fn genconfig(t: Test) -> (crate::support::Run, String) {
    // Plaintext configs may not go into the (test) repository.
    let outside = tempfile::tempdir().unwrap();
    let bundle = outside.path().join("bundle.yaml").display().to_string();
    let out = outside.path().join("out");
    let made = Test::new()
        .args(["secrets", "gen", "-o", bundle.as_str()])
        .run();
    assert_eq!(made.code, 0, "{}", made.stderr);
    let run = t
        .args([
            "--diagnostic-format",
            "short",
            "genconfig",
            "-s",
            bundle.as_str(),
            "-o",
            &out.display().to_string(),
        ])
        .run();
    let config = std::fs::read_to_string(out.join("lab-cp.yaml")).unwrap_or_default();
    (run, config)
}

/// talhelper envsubsts a patch file after stripping its comments: `$$patch: delete` is a
/// delete marker, `${VAR}` is replaced, and a `${VAR}` in a comment is not looked up.
#[test]
fn patch_files_are_env_substituted_after_their_comments_are_stripped() {
    let patch = "# ${NOT_SET} in a comment is fine\ncluster:\n  apiServer:\n    \
                 admissionControl:\n      $$patch: delete\n    extraArgs:\n      \
                 oidc-issuer-url: https://auth.${DOMAIN}/ # ${NOT_SET}\n";
    let t = Test::new()
        .file(
            "talconfig.yaml",
            &talconfig(
                "v1.11.3",
                "controlPlane:\n  patches:\n    - \"@./patches/cluster.yaml\"\n",
            ),
        )
        .file("patches/cluster.yaml", patch)
        .file("talenv.yaml", "DOMAIN: example.com\n");
    let (run, config) = genconfig(t);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!config.contains("admissionControl"), "{config}");
    assert!(
        config.contains("oidc-issuer-url: https://auth.example.com/\n"),
        "{config}"
    );
    // An unset variable outside a comment is talhelper's error, at its place in the file.
    let t = Test::new()
        .file(
            "talconfig.yaml",
            &talconfig("v1.11.3", "patches:\n  - \"@./p.yaml\"\n"),
        )
        .file("p.yaml", "machine:\n  env:\n    A: ${NOT_SET}\n");
    let (run, _) = genconfig(t);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("p.yaml:3:8: error: failed to substitute env: variable ${NOT_SET} not set"),
        "{}",
        run.stderr
    );
}

/// A script's patch file is read as talhelper reads it: `run` copies it verbatim into the
/// talhelper tree, so `talhelper genconfig` there gives the configs `run` gives.
#[test]
fn script_patch_files_are_substituted_as_talhelper_does() {
    let r = crate::configs::Repo::empty();
    r.write(
        "clusters/lab.rhai",
        &format!(
            "let c = cluster(\"lab\", #{{ endpoint: \"https://10.0.0.11:6443\", age: \"{}\", talos: \"v1.12.0\" }});\n\
             c.node(\"lab-1\", \"10.0.0.11\", #{{ control_plane: true, install_disk: \"/dev/sda\" }});\n\
             c.patch(control_planes, \"cluster\", \"cluster.yaml\");\n",
            r.recipient
        ),
    );
    let patch = "cluster:\n  apiServer:\n    admissionControl:\n      $$patch: delete # ${NOT_SET}\n    \
                 extraArgs:\n      oidc-issuer-url: https://auth.${DOMAIN}/\n";
    r.write("clusters/cluster.yaml", patch);
    r.write("clusters/talenv.yaml", "DOMAIN: example.com\n");
    let plain = tempfile::tempdir().unwrap();
    let dir = plain.path().display().to_string();
    r.run(&["run", "clusters/lab.rhai", "--plaintext", dir.as_str()])
        .ok();
    let config = std::fs::read_to_string(plain.path().join("lab-lab-1.yaml")).unwrap();
    assert!(!config.contains("admissionControl"), "{config}");
    assert!(
        config.contains("oidc-issuer-url: https://auth.example.com/\n"),
        "{config}"
    );
    // The file is written back as it was: talhelper substitutes it again.
    assert_eq!(r.read("clusters/lab/talos/patches/cluster.yaml"), patch);
}
