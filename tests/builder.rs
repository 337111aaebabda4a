//! The test builder itself: each expectation passes on the exact output and fails on any other.

use crate::support::{Test, unindent};

fn version() -> String {
    format!("talforge {}\n", env!("CARGO_PKG_VERSION"))
}

#[test]
fn exact_outputs_pass() {
    Test::new()
        .args(["--version"])
        .stdout(version())
        .stderr("")
        .status(0)
        .success();
}

#[test]
#[should_panic(expected = "stdout differs (first at line 1)")]
fn a_different_stdout_fails() {
    Test::new()
        .args(["--version"])
        .stdout("talforge 0.0.0-not-this\n")
        .run();
}

#[test]
#[should_panic(expected = "stdout differs")]
fn a_prefix_of_stdout_is_not_enough() {
    Test::new().args(["--version"]).stdout("talforge ").run();
}

#[test]
#[should_panic(expected = "stderr differs")]
fn unexpected_stderr_fails() {
    Test::new().args(["check", "nope.rhai"]).stderr("").run();
}

#[test]
#[should_panic(expected = "exit code 1 (wanted 0)")]
fn a_different_status_fails() {
    Test::new().args(["check", "nope.rhai"]).status(0).run();
}

#[test]
#[should_panic(expected = "file out.yaml differs")]
fn a_different_file_fails() {
    Test::new()
        .file("out.yaml", "a: 1\n")
        .args(["--version"])
        .expect_file("out.yaml", "a: 2\n")
        .run();
}

#[test]
fn an_equal_file_passes() {
    Test::new()
        .file("out.yaml", "a: 1\n")
        .args(["--version"])
        .expect_file("out.yaml", "a: 1\n")
        .success();
}

#[test]
#[should_panic(expected = "expected file missing.yaml: cannot read it")]
fn a_missing_file_fails() {
    Test::new()
        .args(["--version"])
        .expect_file("missing.yaml", "")
        .run();
}

#[test]
fn unindent_strips_the_common_indent_and_the_first_newline() {
    assert_eq!(unindent("\n    a\n      b\n\n    c\n"), "a\n  b\n\nc\n");
    assert_eq!(unindent("x\n"), "x\n");
}
