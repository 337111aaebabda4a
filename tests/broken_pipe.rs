//! Every printing command with its stdout on a pipe nobody reads (`talforge doc | true`) ends
//! quietly by SIGPIPE, like cat or grep: no panic, no message. `run` has written every file
//! completely by then.

use crate::support::{Test, bin, run_in, snapshot};
use age::secrecy::ExposeSecret;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

/// Runs the binary in the test dir with stdout on a pipe whose read end is already closed.
fn into_closed_pipe(t: &Test, args: &[&str], env: &[(String, String)]) -> (ExitStatus, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.dir.path())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("binary runs");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_quiet_sigpipe(what: &str, (status, stderr): (ExitStatus, String)) {
    assert_eq!(
        status.signal(),
        Some(libc::SIGPIPE),
        "`{what}` into a closed pipe: {status:?}, stderr:\n{stderr}"
    );
    assert_eq!(stderr, "", "`{what}` printed to stderr");
}

/// A repository with a one-node cluster for a generated age key, the key in `keys.txt`.
fn lab() -> (Test, Vec<(String, String)>) {
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let t = Test::new()
        .file(
            "keys.txt",
            &format!(
                "# public key: {recipient}\n{}\n",
                id.to_string().expose_secret()
            ),
        )
        .file(
            "clusters/lab.rhai",
            &format!(
                r#"let c = cluster("lab", #{{ endpoint: "https://10.0.0.11:6443", age: "{recipient}", talos: "v1.12.0" }});
c.node("lab-1", "10.0.0.11", #{{ control_plane: true, install_disk: "/dev/sda" }});
"#
            ),
        )
        .file("plain.yaml", "token: s3cr3t-value\n");
    let env = vec![
        (
            "SOPS_AGE_KEY_FILE".to_string(),
            t.path("keys.txt").display().to_string(),
        ),
        ("SOPS_AGE_KEY".to_string(), String::new()),
        ("HOME".to_string(), t.path("home").display().to_string()),
    ];
    (t, env)
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(std::string::ToString::to_string).collect()
}

#[test]
fn run_into_a_closed_pipe_writes_everything_then_ends_quietly() {
    let (t, env) = lab();
    assert_quiet_sigpipe(
        "run",
        into_closed_pipe(&t, &["run", "clusters/lab.rhai"], &env),
    );
    // Every file is complete: a second run finds nothing to do, and no temp file is left.
    let again = run_in(t.dir.path(), &args(&["run", "clusters/lab.rhai"]), &env);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.starts_with("up to date: "), "{}", again.stdout);
    let files = snapshot(t.dir.path());
    assert!(files.contains_key(std::path::Path::new(
        "clusters/lab/talos/clusterconfig/lab-lab-1.sops.yaml"
    )));
    assert!(files.contains_key(std::path::Path::new(
        "clusters/lab/talos/clusterconfig/talosconfig"
    )));
    assert!(
        files.keys().all(|p| !p.to_string_lossy().ends_with(".tmp")),
        "{:?}",
        files.keys()
    );
    // An up-to-date run and `run --check` print too.
    assert_quiet_sigpipe(
        "run (up to date)",
        into_closed_pipe(&t, &["run", "clusters/lab.rhai"], &env),
    );
    assert_quiet_sigpipe(
        "run --check",
        into_closed_pipe(&t, &["run", "clusters/lab.rhai", "--check"], &env),
    );
    assert_eq!(snapshot(t.dir.path()), files);
}

#[test]
fn decrypt_check_doc_and_the_other_printers_end_quietly() {
    let (t, env) = lab();
    let recipient = t.read("keys.txt");
    let recipient = recipient
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("# public key: ");
    let enc = run_in(
        t.dir.path(),
        &args(&["encrypt", "plain.yaml", "--age", recipient]),
        &env,
    );
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    std::fs::write(t.path("secret.sops.yaml"), &enc.stdout).unwrap();
    assert_quiet_sigpipe(
        "decrypt",
        into_closed_pipe(&t, &["decrypt", "secret.sops.yaml"], &env),
    );
    assert_quiet_sigpipe(
        "encrypt",
        into_closed_pipe(&t, &["encrypt", "plain.yaml", "--age", recipient], &env),
    );
    assert_quiet_sigpipe(
        "check",
        into_closed_pipe(&t, &["check", "clusters/lab.rhai"], &env),
    );
    for a in [
        &["doc"][..],
        &["doc", "node"][..],
        &["completions", "bash"][..],
        &["secrets", "gen"][..],
        &["repl", "clusters/lab.rhai", "-e", ":nodes"][..],
        &["--help"][..],
        &["--version"][..],
    ] {
        assert_quiet_sigpipe(&a.join(" "), into_closed_pipe(&t, a, &env));
    }
    // `run` writes talconfig.yaml and (outside the repository) a plaintext config for
    // validate and import.
    let plain = tempfile::tempdir().unwrap();
    let out = run_in(
        t.dir.path(),
        &args(&[
            "run",
            "clusters/lab.rhai",
            "--plaintext",
            plain.path().to_str().unwrap(),
        ]),
        &env,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = snapshot(plain.path())
        .into_keys()
        .find(|p| p.to_string_lossy().ends_with(".yaml"))
        .expect("a plaintext config");
    let config = plain.path().join(config).display().to_string();
    assert_quiet_sigpipe(
        "validate",
        into_closed_pipe(&t, &["validate", "-c", &config, "--mode", "metal"], &env),
    );
    assert_quiet_sigpipe(
        "import",
        into_closed_pipe(&t, &["import", "clusters/lab/talos/talconfig.yaml"], &env),
    );
}
