//! CLI behaviour of run, check, completions, version and help.

use crate::support::{Test, snapshot, unindent};

const MINIMAL: &str = r#"
let c = cluster("lab", #{ endpoint: "https://10.0.0.11:6443", talos: "v1.13.9" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
c.node("lab-2", "10.0.0.12", #{ install_disk: "/dev/sda" });
"#;

#[test]
fn version_and_help() {
    Test::new()
        .args(["--version"])
        .stdout(format!("talforge {}\n", env!("CARGO_PKG_VERSION")))
        .stderr("")
        .success();
    let out = Test::new().args(["--help"]).run().ok();
    assert!(out.stdout.contains("Examples:"), "{}", out.stdout);
    assert!(out.stdout.contains("talforge run clusters/infra.rhai"));
    let out = Test::new().args(["run", "--help"]).run().ok();
    assert!(out.stdout.contains("--check"));
}

#[test]
fn usage_errors_exit_2() {
    Test::new().args(["frobnicate"]).run().code(2);
    Test::new().args(["run"]).run().code(2);
    Test::new()
        .args(["--color", "sometimes", "check", "x.rhai"])
        .run()
        .code(2);
}

#[test]
fn completions_for_bash_and_zsh() {
    let out = Test::new().args(["completions", "bash"]).run().ok();
    assert!(out.stdout.contains("_talforge"), "{}", out.stdout);
    let out = Test::new().args(["completions", "zsh"]).run().ok();
    assert!(out.stdout.contains("#compdef talforge"));
}

#[test]
fn missing_script_is_a_user_error() {
    Test::new()
        .args(["run", "clusters/nope.rhai"])
        .status(1)
        .stdout("")
        .stderr(unindent(
            "
            error: cannot read script `clusters/nope.rhai`: no such file or directory
              = hint: check the path; scripts usually live in `clusters/<name>.rhai`
            ",
        ))
        .run();
}

#[test]
fn run_writes_then_is_idempotent() {
    let t = Test::new()
        .file("clusters/lab.rhai", MINIMAL)
        .args(["run", "clusters/lab.rhai"]);
    let first = t.run().ok();
    assert!(
        first
            .stdout
            .contains("created: clusters/lab/talos/talconfig.yaml"),
        "{}",
        first.stdout
    );
    let before = snapshot(t.dir.path());
    assert!(before.contains_key(std::path::Path::new("clusters/lab/talos/.gitignore")));
    assert!(before.contains_key(std::path::Path::new(
        "clusters/lab/talos/clusterconfig/.gitignore"
    )));
    let second = t.run().ok();
    assert!(
        second.stdout.starts_with("up to date:"),
        "{}",
        second.stdout
    );
    assert_eq!(before, snapshot(t.dir.path()), "a re-run changed files");
}

#[test]
fn check_flag_lists_changes_and_writes_nothing() {
    let t = Test::new().file("clusters/lab.rhai", MINIMAL);
    let t = t.args(["run", "clusters/lab.rhai", "--check"]);
    let before = snapshot(t.dir.path());
    let out = t.run().code(1);
    assert!(
        out.stdout
            .contains("would be created: clusters/lab/talos/talconfig.yaml"),
        "{}",
        out.stdout
    );
    assert_eq!(before, snapshot(t.dir.path()));
    let t = t.args(["run", "clusters/lab.rhai"]);
    t.run().ok();
    std::fs::write(t.path("clusters/lab/talos/talconfig.yaml"), "edited\n").unwrap();
    t.args(["run", "clusters/lab.rhai", "--check"])
        .status(1)
        .stdout("would be modified: clusters/lab/talos/talconfig.yaml\n")
        .expect_file("clusters/lab/talos/talconfig.yaml", "edited\n")
        .run();
}

#[test]
fn failing_script_writes_nothing() {
    let t = Test::new()
        .file("clusters/lab.rhai", MINIMAL)
        .args(["run", "clusters/lab.rhai"]);
    t.run().ok();
    let before = snapshot(t.dir.path());
    let broken = format!(
        "{MINIMAL}\nc.node(\"lab-3\", \"10.0.0.12\", #{{ install_disk: \"/dev/sda\" }});\n"
    );
    std::fs::write(t.path("clusters/lab.rhai"), &broken).unwrap();
    let out = t.run().code(1);
    assert!(
        out.stderr.contains("duplicate IP `10.0.0.12`"),
        "{}",
        out.stderr
    );
    let mut after = snapshot(t.dir.path());
    after.insert(
        "clusters/lab.rhai".into(),
        before[std::path::Path::new("clusters/lab.rhai")].clone(),
    );
    assert_eq!(before, after, "a failing run changed files");
}

#[test]
fn check_command_writes_nothing() {
    let t = Test::new()
        .file("clusters/lab.rhai", MINIMAL)
        .args(["check", "clusters/lab.rhai"])
        .stdout("clusters/lab.rhai: 1 cluster, 2 nodes, ok\n")
        .stderr("");
    t.success();
    assert_eq!(snapshot(t.dir.path()).len(), 1);
}

#[test]
fn human_report_shows_file_line_and_caret() {
    let t = Test::new()
        .file(
            "lab.rhai",
            "let c = cluster(\"lab\", #{ endpoint: \"https://10.0.0.11:6443\" });\nc.node(\"lab-1\", \"10.0.0.11\", #{ contol_plane: true });\n",
        )
        .args(["check", "lab.rhai"])
        .status(1)
        .stdout("")
        .stderr(concat!(
            "Error: unknown node option `contol_plane`\n",
            "   ╭─[ lab.rhai:2:33 ]\n",
            "   │\n",
            " 2 │ c.node(\"lab-1\", \"10.0.0.11\", #{ contol_plane: true });\n",
            "   │                                 ──────┬─────  \n",
            "   │                                       ╰─────── unknown node option `contol_plane`\n",
            "   │ \n",
            "   │ Help: did you mean `control_plane`?\n",
            "───╯\n",
        ));
    t.run();
}

#[test]
fn warnings_do_not_fail_unless_denied() {
    let two_cps = r#"
let c = cluster("lab", #{ endpoint: "https://10.0.0.11:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
c.node("lab-2", "10.0.0.12", #{ control_plane: true, install_disk: "/dev/sda" });
"#;
    let t = Test::new()
        .file("lab.rhai", two_cps)
        .args(["check", "lab.rhai"]);
    let out = t.run().ok();
    assert!(
        out.stderr.contains("etcd needs an odd number"),
        "{}",
        out.stderr
    );
    let t = t.args(["check", "lab.rhai", "--deny-warnings"]);
    t.run().code(1);
}
