//! Hostile YAML in every file talforge reads (patch files, talconfig.yaml, `.sops.yaml`, SOPS
//! files, secrets bundles, configs to validate): an alias bomb of long strings, a long key over
//! many nodes and deep nesting are refused with a diagnostic at their line, quickly and within
//! a hard memory limit (the binary runs under RLIMIT_AS, so a blow-up fails the test instead
//! of the machine).

use crate::support::{Test, bin};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address space the binary may use: a few hundred MiB above what it needs for these files.
const MEMORY: u64 = 1 << 30;

/// About 100 KiB that expands to 10 GiB: six levels of ten aliases over a 100 KiB string,
/// about 111,000 nodes (well under the node guard, which let it through).
fn alias_bomb() -> String {
    let mut s = format!("a0: &a0 \"{}\"\n", "x".repeat(100 * 1024));
    for level in 1..=6 {
        let prev = level - 1;
        let items = vec![format!("*a{prev}"); 10].join(", ");
        s.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    s
}

/// Runs the binary in the test dir under the memory limit; (exit code, stderr, wall time).
fn limited(t: &Test, args: &[&str]) -> (Option<i32>, String, Duration) {
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.dir.path())
        .args(args)
        .env("NO_COLOR", "1")
        .env("SOPS_AGE_KEY", "")
        .env("HOME", t.path("home"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only setrlimit, which is async-signal-safe, runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY,
                rlim_max: MEMORY,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &raw const lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let out = cmd.output().expect("binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

fn assert_refused(what: &str, (code, stderr, took): (Option<i32>, String, Duration), at: &str) {
    assert_eq!(
        code,
        Some(1),
        "{what}: exit {code:?} after {took:?}\n{stderr}"
    );
    assert!(
        stderr.contains("document contains excessive aliasing"),
        "{what}: {stderr}"
    );
    assert!(
        stderr.contains(at),
        "{what}: not reported at {at}:\n{stderr}"
    );
    assert!(
        took < Duration::from_secs(20),
        "{what}: took {took:?} to refuse"
    );
}

const LAB: &str = r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.11:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
"#;

#[test]
fn an_alias_bomb_of_long_strings_is_refused_in_every_yaml_reader() {
    let bomb = alias_bomb();
    // Refused at the eighth `*a1` on line 3 of the bomb (where 10 MiB of copies are crossed),
    // after however many lines a file has before it.
    let t = Test::new()
        .file(
            "clusters/patched.rhai",
            &format!("{LAB}c.patch(all, \"bomb\", \"bomb.yaml\");\n"),
        )
        .file("clusters/bomb.yaml", &bomb)
        .file("clusters/lab.rhai", LAB)
        .file(
            "talconfig.yaml",
            &format!("clusterName: lab\nendpoint: https://10.0.0.11:6443\n{bomb}"),
        )
        .file(
            "bomb.sops.yaml",
            &format!("{bomb}sops:\n  version: 3.11.0\n"),
        )
        .file("bundle.yaml", &format!("cluster:\n  id: x\n{bomb}"))
        .file(
            "good.yaml",
            "clusterName: lab\nendpoint: https://10.0.0.11:6443\nkubernetesVersion: v1.35.0\n\
             nodes:\n  - hostname: lab-1\n    ipAddress: 10.0.0.11\n    controlPlane: true\n\
             \x20   installDisk: /dev/sda\n",
        )
        .file("config.yaml", &format!("version: v1alpha1\n{bomb}"));
    assert_refused(
        "patch file",
        limited(&t, &["check", "clusters/patched.rhai"]),
        "bomb.yaml:3:",
    );
    assert_refused(
        "talconfig.yaml (import)",
        limited(&t, &["import", "talconfig.yaml"]),
        "talconfig.yaml:5:",
    );
    assert_refused(
        "talconfig.yaml (genconfig)",
        limited(&t, &["genconfig", "-c", "talconfig.yaml"]),
        "talconfig.yaml:5:",
    );
    assert_refused(
        "SOPS file",
        limited(&t, &["decrypt", "bomb.sops.yaml"]),
        "bomb.sops.yaml:3:",
    );
    assert_refused(
        "secrets bundle",
        limited(&t, &["genconfig", "-c", "good.yaml", "-s", "bundle.yaml"]),
        "bundle.yaml:5:",
    );
    assert_refused(
        "config to validate",
        limited(&t, &["validate", "-c", "config.yaml", "--mode", "metal"]),
        "line 4",
    );
    // `.sops.yaml` is read by `run` (and `encrypt`) at the repository root.
    let t = t.file(".sops.yaml", &format!("creation_rules: []\n{bomb}"));
    assert_refused(
        ".sops.yaml",
        limited(&t, &["run", "clusters/lab.rhai"]),
        ".sops.yaml:4:",
    );
}

#[test]
fn a_long_key_over_many_nodes_is_refused_quickly() {
    // Every node below a key carries its path: a 200 KB key over 20,000 items would copy the
    // key 20,000 times (4 GB from a 240 KB file).
    let text = format!(
        "? {}\n: [{}]\n",
        "k".repeat(200_000),
        vec!["1"; 20_000].join(",")
    );
    let t = Test::new()
        .file(
            "clusters/patched.rhai",
            &format!("{LAB}c.patch(all, \"keys\", \"keys.yaml\");\n"),
        )
        .file("clusters/keys.yaml", &text);
    let (code, stderr, took) = limited(&t, &["check", "clusters/patched.rhai"]);
    assert_eq!(code, Some(1), "exit {code:?} after {took:?}\n{stderr}");
    assert!(stderr.contains("document paths are too long"), "{stderr}");
    assert!(stderr.contains("keys.yaml:2:"), "{stderr}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// Runs the binary in the test dir; (exit code, stderr, wall time).
fn timed(t: &Test, args: &[&str]) -> (Option<i32>, String, Duration) {
    let start = Instant::now();
    let out = Command::new(bin())
        .current_dir(t.dir.path())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

#[test]
fn many_documents_and_many_nodes_take_linear_time() {
    // 5,000 patch documents: each used to be matched by identifying every config document
    // again (over two minutes); a second or so now, even in a debug build.
    let mut docs = String::new();
    for i in 0..5_000 {
        docs.push_str(&format!(
            "---\napiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: svc-{i}\nenvironment:\n  - KEY_{i}=value-{i}\n"
        ));
    }
    // 48,000 talconfig nodes: every node's span used to be a scan of all the others.
    let mut nodes = String::from(
        "clusterName: big\nendpoint: https://10.0.0.11:6443\nkubernetesVersion: v1.35.0\nnodes:\n",
    );
    for i in 0..48_000 {
        nodes.push_str(&format!(
            "  - hostname: node-{i}\n    ipAddress: 10.{}.{}.{}\n    controlPlane: {}\n    installDisk: /dev/sda\n",
            i / 65536,
            (i / 256) % 256,
            i % 256,
            i < 3
        ));
    }
    let t = Test::new()
        .file(
            "clusters/docs.rhai",
            &format!("{LAB}c.patch(all, \"services\", \"services.yaml\");\n"),
        )
        .file("clusters/services.yaml", &docs)
        .file("talconfig.yaml", &nodes);
    let (code, stderr, took) = timed(&t, &["check", "clusters/docs.rhai"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        took < Duration::from_secs(30),
        "5,000 documents took {took:?}"
    );
    let (code, stderr, took) = timed(&t, &["import", "talconfig.yaml", "-o", "big.rhai"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(took < Duration::from_secs(30), "48,000 nodes took {took:?}");
    assert!(t.read("big.rhai").contains("for i in"));
}
