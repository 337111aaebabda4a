//! Circular and runaway imports are diagnostics (exit 1) in `run`, `check` and `repl`, never a
//! stack overflow.

use crate::support::{Test, run_in, snapshot};

const CLUSTER: &str = r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.11:6443", talos: "v1.12.0" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
"#;

/// `main.rhai` imports `a`, which imports `b`, which imports `a`; `self.rhai` imports itself.
fn cyclic() -> Test {
    Test::new()
        .file(
            "clusters/main.rhai",
            &format!("import \"a\" as a;\n{CLUSTER}"),
        )
        .file(
            "clusters/a.rhai",
            "// a\nimport \"b\" as b;\nfn fa() { 1 }\n",
        )
        .file(
            "clusters/b.rhai",
            "// b\n\n  import \"a\" as a;\nfn fb() { 2 }\n",
        )
        .file(
            "clusters/self.rhai",
            &format!("import \"self\" as me;\n{CLUSTER}"),
        )
        .file("clusters/plain.rhai", CLUSTER)
}

fn json(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("json diagnostic"))
        .collect()
}

/// `(file name, line, column)` of a diagnostic or label.
fn at(v: &serde_json::Value) -> (String, u64, u64) {
    let file = v["file"].as_str().unwrap_or("");
    (
        std::path::Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        v["line"].as_u64().unwrap_or(0),
        v["column"].as_u64().unwrap_or(0),
    )
}

/// The a → b → a diagnostic: at b's import of `a`, labels at a's import of `b` and main's.
fn assert_cycle(stderr: &str) {
    let diags = json(stderr);
    assert_eq!(diags.len(), 1, "{stderr}");
    let d = &diags[0];
    assert_eq!(
        d["message"], "circular import: `a.rhai` imports `b.rhai`, which imports `a.rhai` again",
        "{stderr}"
    );
    assert_eq!(at(d), ("b.rhai".into(), 3, 10), "{stderr}");
    let labels: Vec<_> = d["labels"].as_array().unwrap().iter().map(at).collect();
    assert!(labels.contains(&("a.rhai".into(), 2, 8)), "{stderr}");
    assert!(labels.contains(&("main.rhai".into(), 1, 8)), "{stderr}");
    assert!(!d["hints"].as_array().unwrap().is_empty());
}

fn args(cmd: &[&str]) -> Vec<String> {
    ["--diagnostic-format", "json"]
        .iter()
        .chain(cmd)
        .map(std::string::ToString::to_string)
        .collect()
}

#[test]
fn a_cycle_is_an_error_in_run_check_and_repl() {
    let t = cyclic();
    let before = snapshot(t.dir.path());
    for cmd in [
        &["run", "clusters/main.rhai"][..],
        &["check", "clusters/main.rhai"][..],
        &["repl", "clusters/main.rhai", "-e", ":nodes"][..],
    ] {
        let out = run_in(t.dir.path(), &args(cmd), &[]);
        assert_eq!(out.code, 1, "{cmd:?}: {}", out.stderr);
        assert_cycle(&out.stderr);
        assert!(!out.stderr.contains("overflow"), "{}", out.stderr);
    }
    // Typed into the REPL (piped): the chain starts at the input, which is no file.
    let out = piped_repl(&t, "import \"a\" as a;\n:nodes\n");
    assert_eq!(out.0, Some(1), "{}", out.1);
    let diags = json(&out.1);
    assert_eq!(
        diags[0]["message"],
        "circular import: `a.rhai` imports `b.rhai`, which imports `a.rhai` again",
        "{}",
        out.1
    );
    assert_eq!(snapshot(t.dir.path()), before, "a failed run wrote files");
}

#[test]
fn a_self_import_is_an_error_in_run_check_and_repl() {
    for cmd in [
        &["run", "clusters/self.rhai"][..],
        &["check", "clusters/self.rhai"][..],
        &["repl", "clusters/self.rhai", "-e", ":nodes"][..],
    ] {
        let out = cyclic().args(args(cmd)).run().code(1);
        let diags = json(&out.stderr);
        assert_eq!(diags.len(), 1, "{}", out.stderr);
        assert_eq!(
            diags[0]["message"],
            "circular import: `self.rhai` imports itself"
        );
        assert_eq!(at(&diags[0]), ("self.rhai".into(), 1, 8), "{}", out.stderr);
    }
}

#[test]
fn a_long_import_chain_is_an_error_not_a_stack_overflow() {
    let mut t = Test::new().file(
        "clusters/main.rhai",
        &format!("import \"m1\" as m;\n{CLUSTER}"),
    );
    for i in 1..=2000 {
        t = t.file(
            &format!("clusters/m{i}.rhai"),
            &format!("import \"m{}\" as m;\n", i + 1),
        );
    }
    let t = t.file("clusters/m2001.rhai", "fn x() { 1 }\n");
    for cmd in [
        &["check", "clusters/main.rhai"][..],
        &["repl", "clusters/main.rhai", "-e", ":nodes"][..],
    ] {
        let out = run_in(t.dir.path(), &args(cmd), &[]);
        assert_eq!(out.code, 1, "{cmd:?}: {}", out.stderr);
        let diags = json(&out.stderr);
        assert_eq!(
            diags[0]["message"], "imports nest deeper than 16 modules",
            "{}",
            out.stderr
        );
    }
}

/// Runs `talforge repl clusters/plain.rhai` with `input` on stdin; returns (exit code, stderr).
fn piped_repl(t: &Test, input: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(crate::support::bin())
        .current_dir(t.dir.path())
        .args(["--diagnostic-format", "json", "repl", "clusters/plain.rhai"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
