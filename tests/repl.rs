//! `talforge repl`: scripted through `--eval` and stdin, and interactive through tmux.

use crate::support::{Run, Test, bin, repo, run_in};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn infra() -> Test {
    let script = std::fs::read_to_string(repo().join("clusters/infra.rhai")).unwrap();
    Test::new().file("clusters/infra.rhai", &script)
}

/// Runs the binary in the test's directory.
fn run(t: &Test, args: &[&str]) -> Run {
    let args: Vec<String> = args.iter().map(|a| (*a).to_string()).collect();
    run_in(t.dir.path(), &args, &[])
}

/// Runs `talforge repl clusters/infra.rhai` in `dir` with `stdin` piped in.
fn piped(dir: &Path, stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(bin())
        .current_dir(dir)
        .args(["repl", "clusters/infra.rhai"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn eval_prints_plain_text() {
    let t = infra().args([
        "repl",
        "clusters/infra.rhai",
        "--eval",
        ":nodes",
        "--eval",
        ":show infra-wk-2 machine.install.disk",
        "-e",
        "net.host(3)",
    ]);
    let out = t.run().ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["HOSTNAME", "ROLE", "IP", "DISK", "BOND"]
    );
    assert_eq!(
        lines[5].split_whitespace().collect::<Vec<_>>(),
        [
            "infra-wk-2",
            "worker",
            "10.25.11.15",
            "/dev/nvme0n1",
            "bond0(enp0s1,enp0s2)",
            "802.3ad"
        ]
    );
    assert_eq!(lines[7], "6 nodes");
    assert_eq!(lines[8], "/dev/nvme0n1");
    assert_eq!(lines[9], "ip(\"10.25.11.3\")");
    assert_eq!(
        lines.len(),
        10,
        "no prompt or banner noise:\n{}",
        out.stdout
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn show_prints_the_machine_config_and_its_parts() {
    let out = infra()
        .args([
            "repl",
            "clusters/infra.rhai",
            "--eval",
            ":show infra-cp-1 machine.install",
            "--eval",
            ":show infra-cp-1 BondConfig/bond0",
        ])
        .run()
        .ok();
    let (install, bond) = out.stdout.split_once("apiVersion").expect("two outputs");
    assert!(
        install.starts_with("disk: /dev/nvme0n1\nimage: factory.talos.dev/"),
        "{install}"
    );
    assert_eq!(
        format!("apiVersion{bond}"),
        "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks:\n    - enp0s1\n    - enp0s2\n\
         bondMode: 802.3ad\nlacpRate: fast\nmtu: 9000\n"
    );
    let out = infra()
        .args(["repl", "clusters/infra.rhai", "--eval", ":show infra-cp-1"])
        .run()
        .ok();
    assert!(
        out.stdout.starts_with("version: v1alpha1\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("    type: controlplane\n"),
        "{}",
        out.stdout
    );
    // The secrets are redacted: showing a config needs no key and leaks nothing.
    assert!(
        out.stdout.contains("    token: '******'\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("kind: Layer2VIPConfig\nname: 10.25.11.10\n"),
        "{}",
        out.stdout
    );
    let out = infra()
        .args([
            "repl",
            "clusters/infra.rhai",
            "--eval",
            ":show infra-cp-1 talconfig.networkInterfaces.bond0.bond",
        ])
        .run()
        .ok();
    assert_eq!(
        out.stdout,
        "interfaces:\n  - enp0s1\n  - enp0s2\nmode: 802.3ad\nlacpRate: fast\n"
    );
}

#[test]
fn piped_stdin_runs_multi_line_input() {
    let t = infra();
    let (code, stdout, stderr) = piped(
        t.dir.path(),
        "fn twice(x) {\n    x * 2\n}\ntwice(21)\nlet more = [\n  1,\n  2];\nmore.len()\n:funcs vip\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[..3], ["42", "2", "cluster.vip(ip)"], "{stdout}");
    assert_eq!(stderr, "");
}

#[test]
fn statements_change_what_commands_show() {
    let t = infra();
    let (code, stdout, stderr) = piped(
        t.dir.path(),
        "c.node(\"infra-wk-4\", net.host(17), #{ install_disk: \"/dev/sda\" });\n:nodes\n:validate\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("infra-wk-4  worker        10.25.11.17  /dev/sda"),
        "{stdout}"
    );
    assert!(stdout.contains("7 nodes\n"), "{stdout}");
    assert!(stdout.ends_with("ok: 1 cluster, 7 nodes\n"), "{stdout}");
}

#[test]
fn errors_are_reports_and_set_the_exit_code() {
    let t = infra();
    let (code, stdout, stderr) = piped(t.dir.path(), "nope(1)\n:show infra-cp-9\n:nodes\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown function `nope"), "{stderr}");
    assert!(
        stderr.contains("─[ <repl:1>:1:1 ]"),
        "an ariadne report: {stderr}"
    );
    assert!(stderr.contains("did you mean `node`?"), "{stderr}");
    assert!(stderr.contains("no node `infra-cp-9`"), "{stderr}");
    assert!(
        !stderr.contains('\x1b'),
        "no colour off a terminal: {stderr:?}"
    );
    // The session goes on after errors.
    assert!(stdout.contains("6 nodes"), "{stdout}");
}

#[test]
fn a_script_that_does_not_load_exits_1() {
    let out = Test::new()
        .file("bad.rhai", "let c = cluster(\"x\", #{ endpoint: 1 });\n")
        .args(["repl", "bad.rhai", "--eval", ":nodes"])
        .run()
        .code(1);
    assert!(out.stderr.contains("bad.rhai"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let out = Test::new()
        .args(["repl", "missing.rhai", "--eval", ":nodes"])
        .run()
        .code(1);
    assert!(
        out.stderr.contains("cannot read script `missing.rhai`"),
        "{}",
        out.stderr
    );
}

#[test]
fn render_and_diff_compare_with_disk() {
    let t = infra();
    let out = run(&t, &["repl", "clusters/infra.rhai", "-e", ":render"]).ok();
    assert!(
        out.stdout.contains("created")
            && out.stdout.contains("clusters/infra/talos/talconfig.yaml"),
        "{}",
        out.stdout
    );
    run(&t, &["run", "clusters/infra.rhai"]).ok();
    let out = run(&t, &["repl", "clusters/infra.rhai", "-e", ":diff"]).ok();
    assert!(out.stdout.starts_with("no changes in "), "{}", out.stdout);
    let (code, stdout, stderr) = piped(
        t.dir.path(),
        "c.node(\"infra-wk-4\", net.host(17), #{ install_disk: \"/dev/sda\" });\n:diff infra-wk-4\n:render\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("--- a/clusters/infra/talos/talconfig.yaml\n+++ b/clusters/infra/talos/talconfig.yaml\n@@ "), "{stdout}");
    assert!(
        stdout.contains("\n+  - hostname: infra-wk-4\n+    ipAddress: 10.25.11.17\n"),
        "{stdout}"
    );
    assert!(stdout.contains("modified"), "{stdout}");
    assert!(
        stdout.contains("stale: clusters/infra/talos/clusterconfig/infra-infra-wk-4.sops.yaml"),
        "the :diff of the node names its config: {stdout}"
    );
    // No age key here: the new node's encrypted config cannot be rendered, and says so.
    assert!(
        stdout.contains("stale  ")
            && stdout.contains(
                "clusters/infra/talos/clusterconfig/infra-infra-wk-4.sops.yaml (needs the secrets bundle and your age key to render)"
            ),
        "{stdout}"
    );
}

// ---- interactive, through a pseudo-terminal (tmux) ----

/// A tmux server of our own (its own socket), killed when the test ends.
struct Tmux {
    socket: String,
    _state: tempfile::TempDir,
    state_dir: std::path::PathBuf,
}

impl Tmux {
    /// Starts `talforge repl clusters/infra.rhai` in a 200x50 pane, or `None` without tmux.
    fn start(dir: &Path, name: &str) -> Option<Tmux> {
        Tmux::start_with(dir, name, "NO_COLOR=1")
    }

    /// Like [`Tmux::start`] with one environment setting (`NO_COLOR=` for colours).
    fn start_with(dir: &Path, name: &str, env: &str) -> Option<Tmux> {
        let have = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !have {
            assert!(
                std::env::var("TALFORGE_REQUIRE_ORACLE").as_deref() != Ok("1"),
                "tmux is missing and TALFORGE_REQUIRE_ORACLE=1"
            );
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let state = tempfile::tempdir().unwrap();
        let t = Tmux {
            socket: format!("talforge-test-{}-{name}", std::process::id()),
            state_dir: state.path().to_path_buf(),
            _state: state,
        };
        let status = Command::new("tmux")
            .args([
                "-L",
                &t.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "repl",
            ])
            .args(["-x", "200", "-y", "50", "-c"])
            .arg(dir)
            .arg("-e")
            .arg(format!("XDG_STATE_HOME={}", t.state_dir.display()))
            .args(["-e", env, bin(), "repl", "clusters/infra.rhai"])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        t.wait_for("talforge>");
        Some(t)
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types literal text.
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "repl", "-l", text]);
    }

    /// Presses keys by name (`Enter`, `Tab`, `C-c`, `C-d`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "repl"];
        args.extend(keys);
        self.tmux(&args);
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "repl", "-S", "-200"])
    }

    /// The screen with its colour escapes.
    fn screen_escaped(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-e", "-t", "repl", "-S", "-200"])
    }

    /// Waits until the pane shows `text`; panics with the screen after 20 s.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() <= Duration::from_secs(20),
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn prompts(&self) -> usize {
        self.screen().matches("talforge>").count()
    }

    /// Presses keys that end the current prompt and waits for the next one. Input typed
    /// before a prompt is drawn can be eaten by rustyline's cursor-position query.
    fn then_prompt(&self, keys: &[&str]) -> String {
        let before = self.prompts();
        self.keys(keys);
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.matches("talforge>").count() > before {
                return s;
            }
            assert!(
                start.elapsed() <= Duration::from_secs(20),
                "timed out waiting for a new prompt; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types an input, presses Enter and waits for the next prompt.
    fn submit(&self, text: &str) -> String {
        self.type_text(text);
        self.then_prompt(&["Enter"])
    }

    /// Whether the REPL process has left (the session is gone with it).
    fn exited(&self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            let alive = Command::new("tmux")
                .args(["-L", &self.socket, "has-session", "-t", "repl"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !alive {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn tty_tab_completes_commands_nodes_and_paths() {
    let t = infra();
    let Some(tm) = Tmux::start(t.dir.path(), "complete") else {
        return;
    };
    tm.type_text(":sh");
    tm.keys(&["Tab"]);
    tm.wait_for("talforge> :show");
    tm.type_text(" infra-w");
    tm.keys(&["Tab"]);
    tm.wait_for("talforge> :show infra-wk-");
    // A second Tab lists the choices.
    tm.keys(&["Tab"]);
    let s = tm.wait_for("infra-wk-3");
    assert!(s.contains("infra-wk-1") && s.contains("infra-wk-2"), "{s}");
    tm.type_text("2 machine.inst");
    tm.keys(&["Tab"]);
    tm.wait_for(":show infra-wk-2 machine.install");
    let s = tm.then_prompt(&["Enter"]);
    assert!(s.contains("\ndisk: /dev/nvme0n1\n"), "{s}");
    tm.type_text("talos::lacp");
    tm.keys(&["Tab"]);
    tm.wait_for("talforge> talos::lacp_bond");
}

#[test]
fn tty_multi_line_function_error_report_and_nodes() {
    let t = infra();
    let Some(tm) = Tmux::start(t.dir.path(), "multi") else {
        return;
    };
    for line in ["fn twice(x) {", "    x * 2"] {
        tm.type_text(line);
        tm.keys(&["Enter"]);
    }
    tm.submit("}");
    let s = tm.submit("twice(21)");
    assert!(s.contains("\n42\n"), "{s}");
    // The function went in as one input: no error from its first line alone.
    assert!(!s.contains("Error"), "{s}");
    let s = tm.submit("nope(1)");
    assert!(s.contains("did you mean `node`?"), "{s}");
    assert!(s.contains("unknown function `nope"), "{s}");
    assert!(s.contains("─[ <repl:3>:1:1 ]"), "{s}");
    let s = tm.submit(":nodes");
    assert!(s.contains("6 nodes"), "{s}");
    assert!(s.contains("infra-cp-3  controlplane  10.25.11.13"), "{s}");
}

#[test]
fn tty_ctrl_c_cancels_ctrl_d_quits_and_history_is_kept() {
    let t = infra();
    let Some(tm) = Tmux::start(t.dir.path(), "keys") else {
        return;
    };
    tm.type_text("this is not finished");
    tm.then_prompt(&["C-c"]);
    let s = tm.submit("40 + 2");
    assert!(s.contains("\n42\n"), "{s}");
    assert!(!s.contains("Error"), "the cancelled line must not run: {s}");
    tm.keys(&["C-d"]);
    assert!(tm.exited(), "Ctrl-D did not quit");
    let history = std::fs::read_to_string(tm.state_dir.join("talforge/history")).unwrap();
    assert!(history.contains("40 + 2"), "{history}");
    assert!(!history.contains("not finished"), "{history}");
}

#[test]
fn tty_errors_are_coloured_on_a_terminal() {
    let t = infra();
    let Some(tm) = Tmux::start_with(t.dir.path(), "colour", "NO_COLOR=") else {
        return;
    };
    tm.submit("c.bogus(1)");
    let s = tm.screen_escaped();
    assert!(s.contains("\x1b[31mError:"), "a red ariadne header: {s:?}");
    assert!(
        s.contains("\x1b[31mbogus"),
        "the call is underlined in red: {s:?}"
    );
}

#[test]
fn validate_checks_machine_configs_before_any_secrets_exist() {
    let t = infra();
    let (code, stdout, stderr) = piped(
        t.dir.path(),
        ":validate\nc.patch(all, \"name\", #{ machine: #{ network: #{ hostname: \"x\" } } });\n:validate\n",
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stdout, "ok: 1 cluster, 6 nodes\n",
        "the patch statement echoes nothing"
    );
    assert!(
        stderr.contains(
            "the machine config of `infra-cp-1` is invalid: static hostname is already set"
        ),
        "{stderr}"
    );
}

#[test]
fn diff_decrypts_configs_with_the_operators_key() {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let key = id.to_string().expose_secret().to_string();
    let script = std::fs::read_to_string(repo().join("clusters/infra.rhai"))
        .unwrap()
        .replace(
            "age1j3hsfptdfsfwvkf504etjkrtmajny9csrfh5s24uqh6fchmg5dgqg087ek",
            &id.to_public().to_string(),
        );
    let t = Test::new()
        .file("clusters/infra.rhai", &script)
        .env("SOPS_AGE_KEY", &key)
        .args(["run", "clusters/infra.rhai"]);
    t.run().ok();
    let out = t
        .args([
            "repl",
            "clusters/infra.rhai",
            "-e",
            r#"c.patch("infra-wk-1", "wk1", #{ machine: #{ sysctls: #{ "vm.swappiness": "1" } } });"#,
            "-e",
            ":diff infra-wk-1",
        ])
        .run()
        .ok();
    let d = out.stdout;
    assert!(
        d.contains(
            "--- a/clusters/infra/talos/clusterconfig/infra-infra-wk-1.sops.yaml (decrypted)\n\
             +++ b/clusters/infra/talos/clusterconfig/infra-infra-wk-1.sops.yaml (decrypted)\n@@ "
        ),
        "{d}"
    );
    assert!(d.contains("\n+        vm.swappiness: \"1\"\n"), "{d}");
    assert!(
        d.contains("+++ b/clusters/infra/talos/talconfig.yaml\n"),
        "{d}"
    );
    assert!(
        !d.contains("infra-infra-wk-2"),
        "only the node's files: {d}"
    );
}

/// A repository where `talforge run` wrote the infra cluster for a key generated here: the
/// test directory, the key, and every secret value of its bundle.
fn infra_with_secrets() -> (Test, String, Vec<String>) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let key = id.to_string().expose_secret().to_string();
    let script = std::fs::read_to_string(repo().join("clusters/infra.rhai"))
        .unwrap()
        .replace(
            "age1j3hsfptdfsfwvkf504etjkrtmajny9csrfh5s24uqh6fchmg5dgqg087ek",
            &id.to_public().to_string(),
        );
    let t = Test::new()
        .file("clusters/infra.rhai", &script)
        .env("SOPS_AGE_KEY", &key)
        .args(["run", "clusters/infra.rhai"]);
    t.run().ok();
    let ids = talforge::secrets::keys::Identities::from_text(&key, "test");
    let text = t.read("clusters/infra/talos/talsecret.sops.yaml");
    let plain = talforge::secrets::sops::decrypt(&text, &ids).unwrap();
    let b = talforge::secrets::bundle::Bundle::from_yaml(&plain).unwrap();
    let mut secrets = vec![
        b.cluster_secret,
        b.bootstrap_token,
        b.trustd_token,
        b.etcd.key,
        b.k8s.key,
        b.k8s_aggregator.key,
        b.k8s_service_account.key,
        b.os.key,
    ];
    secrets.extend(b.secretbox_encryption_secret);
    secrets.extend(b.aescbc_encryption_secret);
    // A credential a patch adds: redacted like the bundle's.
    secrets.push("SECRETVALUE123".into());
    (t, key, secrets)
}

/// Inputs that give every view something secret to show: a new node (its config is all
/// new), a change next to `machine.token` and `machine.ca` (context lines), and a patch
/// with a registry password.
const SECRET_SESSION: &[&str] = &[
    r#"c.node("infra-wk-4", net.host(17), #{ install_disk: "/dev/sda" });"#,
    r#"c.patch("infra-cp-1", "cp1", #{ machine: #{ certSANs: ["10.25.11.99"] } });"#,
    r#"c.patch(all, "registry", #{ machine: #{ registries: #{ config: #{ "ghcr.io": #{ auth: #{ username: "me", password: "SECRETVALUE123" } } } } } });"#,
];

#[test]
fn no_view_prints_a_secret() {
    let (t, key, secrets) = infra_with_secrets();
    let views: &[(&str, &[&str])] = &[
        (
            ":show infra-cp-1",
            &["    token: '******'\n", "    ca:\n        crt: "],
        ),
        (":show infra-cp-1 machine.ca", &["key: '******'\n"]),
        (":show infra-cp-1 machine.token", &["'******'\n"]),
        (
            ":show infra-wk-4 machine.registries",
            &["username: me\n", "password: '******'\n"],
        ),
        (":show infra-cp-1 talconfig", &["hostname: infra-cp-1\n"]),
        (
            ":diff",
            &[
                "+++ b/clusters/infra/talos/clusterconfig/infra-infra-wk-4.sops.yaml (decrypted)\n@@ -0,0 +1,",
                "+    token: '******'\n",
                "+    - 10.25.11.99\n",
                "+++ b/clusters/infra/talos/patches/registry.yaml\n",
                "+          password: '******'\n",
            ],
        ),
        (
            ":diff infra-cp-1",
            &["         key: '******'\n", "+        - 10.25.11.99\n"],
        ),
        (":render", &["infra-infra-wk-4.sops.yaml"]),
        (":talconfig", &["clusterName: infra\n"]),
        (":validate", &["ok: 1 cluster, 7 nodes"]),
        (":nodes", &["infra-wk-4"]),
    ];
    for (view, expected) in views {
        let mut args = vec!["repl", "clusters/infra.rhai"];
        for input in SECRET_SESSION {
            args.extend(["-e", input]);
        }
        args.extend(["-e", view]);
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let out = run_in(t.dir.path(), &args, &[("SOPS_AGE_KEY".into(), key.clone())]);
        assert_eq!(out.code, 0, "{view}:\n{}{}", out.stdout, out.stderr);
        for s in &secrets {
            assert!(
                !out.stdout.contains(s.as_str()) && !out.stderr.contains(s.as_str()),
                "{view} prints the secret {s}:\n{}{}",
                out.stdout,
                out.stderr
            );
        }
        for e in *expected {
            assert!(
                out.stdout.contains(e),
                "{view}: no {e:?} in\n{}",
                out.stdout
            );
        }
    }
}

#[test]
fn a_diff_of_secrets_only_says_that_they_change() {
    let (t, key, secrets) = infra_with_secrets();
    let args: Vec<String> = [
        "repl",
        "clusters/infra.rhai",
        "-e",
        r#"c.patch("infra-wk-1", "token", #{ machine: #{ token: "SECRETVALUE123" } });"#,
        "-e",
        ":diff infra-wk-1",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let out = run_in(t.dir.path(), &args, &[("SOPS_AGE_KEY".into(), key)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for s in &secrets {
        assert!(!out.stdout.contains(s.as_str()), "{s}:\n{}", out.stdout);
    }
    assert!(
        out.stdout.contains(
            "clusters/infra/talos/clusterconfig/infra-infra-wk-1.sops.yaml would change only in secret values (not shown)\n"
        ),
        "{}",
        out.stdout
    );
}

/// Documents by kind (`HostnameConfig`) or `Kind/name`, and handles shown as short tables.
#[test]
fn show_finds_documents_by_kind_and_handles_print_as_tables() {
    let t = infra();
    let out = run(
        &t,
        &[
            "repl",
            "clusters/infra.rhai",
            "-e",
            ":show infra-cp-1 HostnameConfig",
            "-e",
            ":show infra-cp-1 HostnameConfig.hostname",
            "-e",
            ":show infra-cp-1 BondConfig/bond0.bondMode",
            "-e",
            "c",
        ],
    )
    .ok();
    assert!(
        out.stdout.starts_with(
            "apiVersion: v1alpha1\nkind: HostnameConfig\nauto: \"off\"\nhostname: infra-cp-1\ninfra-cp-1\n802.3ad\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "cluster     infra\nendpoint    https://10.25.11.10:6443\ntalos       v1.12.0\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("nodes       6 (3 control planes): infra-cp-1, infra-cp-2, infra-cp-3, infra-wk-1, … (2 more)"),
        "{}",
        out.stdout
    );
    let node = run(&t, &["repl", "clusters/infra.rhai", "-e", "c.nodes[3]"]).ok();
    assert!(
        node.stdout.contains("node     infra-wk-1\ncluster  infra\nrole     worker\nip       10.25.11.14\ninstall  /dev/nvme0n1"),
        "{}",
        node.stdout
    );
}
