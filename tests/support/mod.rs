//! A fluent builder that runs the real binary in a temporary directory.

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
    if std::env::var("TALFORGE_REQUIRE_ORACLE").as_deref() == Ok("1") {
        panic!(
            "oracle file {} is missing and TALFORGE_REQUIRE_ORACLE=1",
            p.display()
        );
    }
    eprintln!("skipping: oracle {} is missing", p.display());
    None
}

/// A temp directory with files, in which the binary runs.
pub(crate) struct Test {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
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

    /// Runs the binary with cwd = the temp dir.
    pub(crate) fn run(&self) -> Run {
        run_in(self.dir.path(), &self.args, &self.env)
    }
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
