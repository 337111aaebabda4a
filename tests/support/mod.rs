//! A fluent builder that runs the real binary in a temporary directory and, like casey/just's
//! `Test`, compares whole outputs: `.stdout(..)`, `.stderr(..)`, `.expect_file(..)`,
//! `.status(..)` are checked by every `run()`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of the binary under test.
pub(crate) fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_talforge")
}

/// The repository root (where `Cargo.toml` is).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An oracle file under `../shared/oracle`, or `None` to skip (panics when
/// `TALFORGE_REQUIRE_ORACLE=1`).
pub(crate) fn oracle(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/oracle").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var("TALFORGE_REQUIRE_ORACLE").as_deref() != Ok("1"),
        "oracle file {} is missing and TALFORGE_REQUIRE_ORACLE=1",
        p.display()
    );
    eprintln!("skipping: oracle {} is missing", p.display());
    None
}

/// A temp directory with files, in which the binary runs.
pub(crate) struct Test {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    expect: Expect,
}

/// What every `run()` must produce; unset parts are not checked.
#[derive(Default)]
struct Expect {
    status: Option<i32>,
    stdout: Option<String>,
    stderr: Option<String>,
    files: Vec<(String, String)>,
}

/// What a run produced.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    /// An empty temp dir that looks like a git repository (so `.sops.yaml` lands in it).
    pub(crate) fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
        Test {
            dir,
            args: Vec::new(),
            env: Vec::new(),
            expect: Expect::default(),
        }
    }

    /// Writes a file (parents created).
    pub(crate) fn file(self, rel: &str, content: &str) -> Test {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    /// Sets the arguments.
    pub(crate) fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Test {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Adds an environment variable.
    pub(crate) fn env(mut self, k: &str, v: &str) -> Test {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Path inside the temp dir.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Reads a file inside the temp dir.
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Expects this exit code from every run.
    pub(crate) fn status(mut self, code: i32) -> Test {
        self.expect.status = Some(code);
        self
    }

    /// Expects exactly this stdout (the whole of it) from every run.
    pub(crate) fn stdout(mut self, expected: impl Into<String>) -> Test {
        self.expect.stdout = Some(expected.into());
        self
    }

    /// Expects exactly this stderr (the whole of it) from every run.
    pub(crate) fn stderr(mut self, expected: impl Into<String>) -> Test {
        self.expect.stderr = Some(expected.into());
        self
    }

    /// Expects the file `rel` (inside the temp dir) to hold exactly `content` after every run.
    pub(crate) fn expect_file(mut self, rel: &str, content: impl Into<String>) -> Test {
        self.expect.files.push((rel.to_string(), content.into()));
        self
    }

    /// Runs the binary with cwd = the temp dir, then checks every expectation set.
    pub(crate) fn run(&self) -> Run {
        let run = run_in(self.dir.path(), &self.args, &self.env);
        self.check(&run);
        run
    }

    /// Runs and expects exit code 0 (on top of the other expectations).
    pub(crate) fn success(&self) -> Run {
        self.run().ok()
    }

    fn check(&self, run: &Run) {
        let e = &self.expect;
        if let Some(code) = e.status {
            assert_eq!(
                run.code, code,
                "exit code {} (wanted {code})\nstdout:\n{}\nstderr:\n{}",
                run.code, run.stdout, run.stderr
            );
        }
        if let Some(want) = &e.stdout {
            same("stdout", want, &run.stdout, run);
        }
        if let Some(want) = &e.stderr {
            same("stderr", want, &run.stderr, run);
        }
        for (rel, want) in &e.files {
            let got = std::fs::read_to_string(self.path(rel))
                .unwrap_or_else(|err| panic!("expected file {rel}: cannot read it: {err}"));
            same(&format!("file {rel}"), want, &got, run);
        }
    }
}

/// Panics with both texts and the first differing line unless `got` is exactly `want`.
fn same(what: &str, want: &str, got: &str, run: &Run) {
    if want == got {
        return;
    }
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
    panic!(
        "{what} differs (first at line {})\n--- expected\n{want}\n--- actual\n{got}\n--- (exit code {})",
        line + 1,
        run.code
    );
}

/// `text` without its common leading indentation and without the first line break, so
/// expected output can be written indented inline (as just's `unindent`).
pub(crate) fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for l in text.split_inclusive('\n') {
        out.push_str(l.get(indent..).unwrap_or(l.trim_start_matches(' ')));
    }
    out
}

/// Runs the binary in `cwd`.
pub(crate) fn run_in(cwd: &Path, args: &[String], env: &[(String, String)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.current_dir(cwd).args(args).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out: Output = cmd.output().expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    /// Asserts the exit code, showing output on failure.
    pub(crate) fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code {} (wanted {code})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Asserts success.
    pub(crate) fn ok(self) -> Run {
        self.code(0)
    }
}

/// Every file under `dir` (relative path → bytes), for before/after comparisons. The git
/// directory is not output (it holds the run lock), so `.git` at the top is left out.
pub(crate) fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    fn walk(base: &Path, d: &Path, out: &mut std::collections::BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if d == base && e.file_name() == ".git" {
                continue;
            }
            if p.is_symlink() && !p.exists() {
                let target = std::fs::read_link(&p).unwrap();
                let mut bytes = b"dangling symlink to ".to_vec();
                bytes.extend(target.to_string_lossy().as_bytes());
                out.insert(p.strip_prefix(base).unwrap().to_path_buf(), bytes);
            } else if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}
