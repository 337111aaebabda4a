//! Cluster names that are paths (`../../x`, `/abs`) are refused at their line, and nothing is
//! written anywhere: not next to the repository, not at the absolute path.

use crate::support::{Test, run_in, snapshot};
use age::secrecy::ExposeSecret;

/// A temp dir holding a repository in `repo/` (with an age key and a `.sops.yaml` rule that
/// matches any path, so bundles and configs would be written wherever the name points).
fn outer() -> (Test, String) {
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let t = Test::new()
        .file("repo/.git/HEAD", "ref: refs/heads/main\n")
        .file(
            "keys.txt",
            &format!(
                "# public key: {recipient}\n{}\n",
                id.to_string().expose_secret()
            ),
        )
        .file(
            "repo/.sops.yaml",
            &format!("creation_rules:\n  - path_regex: .*\n    age: {recipient}\n"),
        );
    (t, recipient)
}

fn env(t: &Test) -> Vec<(String, String)> {
    vec![
        (
            "SOPS_AGE_KEY_FILE".into(),
            t.path("keys.txt").display().to_string(),
        ),
        ("SOPS_AGE_KEY".into(), String::new()),
        ("HOME".into(), t.path("home").display().to_string()),
    ]
}

/// Files added, removed or changed between two snapshots, besides the run lock in `.git`.
fn changed(
    before: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    after: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) -> Vec<std::path::PathBuf> {
    let all: std::collections::BTreeSet<_> = before.keys().chain(after.keys()).collect();
    all.into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .filter(|p| !p.starts_with("repo/.git"))
        .cloned()
        .collect()
}

fn write(t: &Test, rel: &str, text: &str) {
    let p = t.path(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(std::string::ToString::to_string).collect()
}

#[test]
fn script_cluster_names_that_are_paths_write_nothing_anywhere() {
    let (t, recipient) = outer();
    let abs = t.path("abs");
    for name in [
        "../../outside",
        abs.to_str().unwrap(),
        "../x/../../../outside2",
    ] {
        let script = format!(
            "let c = cluster(\"{name}\", #{{ endpoint: \"https://10.0.0.11:6443\", age: \"{recipient}\" }});\n\
             c.node(\"lab-1\", \"10.0.0.11\", #{{ control_plane: true, install_disk: \"/dev/sda\" }});\n"
        );
        write(&t, "repo/clusters/evil.rhai", &script);
        let before = snapshot(t.dir.path());
        for extra in [&[][..], &["--out", "out"][..]] {
            let mut a = args(&["run", "clusters/evil.rhai"]);
            a.extend(args(extra));
            let out = run_in(&t.path("repo"), &a, &env(&t));
            assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
            assert!(
                out.stderr
                    .contains(&format!("cluster name `{name}` is not a valid DNS name")),
                "{name}: {}",
                out.stderr
            );
            assert!(
                out.stderr.contains("clusters/evil.rhai:1:17"),
                "{}",
                out.stderr
            );
            assert_eq!(out.stdout, "");
            assert_eq!(
                changed(&before, &snapshot(t.dir.path())),
                Vec::<std::path::PathBuf>::new(),
                "`run {extra:?}` with cluster name {name:?} wrote files"
            );
        }
        assert!(!abs.exists());
    }
}

const TALCONFIG: &str = "clusterName: NAME
endpoint: https://10.0.0.11:6443
kubernetesVersion: v1.35.0
nodes:
  - hostname: lab-1
    ipAddress: 10.0.0.11
    controlPlane: true
    installDisk: /dev/sda
";

#[test]
fn talconfig_cluster_names_that_are_paths_write_nothing_anywhere() {
    let (t, _) = outer();
    let bundle = run_in(t.dir.path(), &args(&["secrets", "gen"]), &[]);
    assert_eq!(bundle.code, 0, "{}", bundle.stderr);
    let t = t.file("repo/talos/talsecret.yaml", &bundle.stdout);
    let abs = t.path("abs");
    for name in ["../../outside", abs.to_str().unwrap()] {
        write(
            &t,
            "repo/talos/talconfig.yaml",
            &TALCONFIG.replace("NAME", name),
        );
        let before = snapshot(t.dir.path());
        for a in [
            &[
                "genconfig",
                "-c",
                "talos/talconfig.yaml",
                "-s",
                "talos/talsecret.yaml",
                "-o",
                "out",
            ][..],
            &[
                "genconfig",
                "-c",
                "talos/talconfig.yaml",
                "-s",
                "talos/talsecret.yaml",
            ][..],
            &[
                "import",
                "talos/talconfig.yaml",
                "-o",
                "clusters/imported.rhai",
            ][..],
            &["import", "talos/talconfig.yaml"][..],
        ] {
            let out = run_in(&t.path("repo"), &args(a), &env(&t));
            assert_eq!(out.code, 1, "{a:?} {name}: {}{}", out.stdout, out.stderr);
            assert!(
                out.stderr
                    .contains(&format!("cluster name `{name}` is not a valid DNS name")),
                "{}",
                out.stderr
            );
            // At the `clusterName` value on line 1, column 14.
            assert!(
                out.stderr.contains("talos/talconfig.yaml:1:14"),
                "{}",
                out.stderr
            );
            assert_eq!(out.stdout, "", "{a:?}");
            assert_eq!(
                changed(&before, &snapshot(t.dir.path())),
                Vec::<std::path::PathBuf>::new(),
                "{a:?} with clusterName {name:?} wrote files"
            );
        }
        assert!(!abs.exists());
    }
}
