//! Refusing plaintext secrets in a directory git would pick up.

use super::paths::{absolute, repo_root, resolve};
use std::path::{Path, PathBuf};

/// What `run --plaintext` and `genconfig` write, for [`refuse_tracked`]'s message.
pub const PLAINTEXT_CONFIGS: &str = "plaintext machine configs";

/// Refuses a directory for plaintext secrets when git would pick them up: inside a work tree
/// (after resolving symbolic links) with any of `names` (the files to write; a probe name
/// when empty) not ignored, checked on the file paths so that a `dir/` pattern counts before
/// the directory exists; or holding files git tracks although they are ignored (`git add
/// -f`). Without git the repository marker decides.
pub fn refuse_tracked(
    dir: &Path,
    names: &[String],
    what: &str,
) -> Result<(), crate::diag::Diagnostic> {
    let abs = resolve(dir);
    let Some(root) = repo_root(&abs) else {
        return Ok(());
    };
    let refuse = |why: String| {
        Err(crate::diag::Diagnostic::error(format!(
            "refusing to write {what} into `{}`: {why}",
            dir.display()
        ))
        .with_hint(
            "choose a directory outside the repository (e.g. /tmp/talos) or add it to .gitignore",
        ))
    };
    let git = || {
        let mut c = std::process::Command::new("git");
        c.arg("-C").arg(&root);
        c
    };
    let probe = ["talforge-plaintext.yaml".to_string()];
    let names = if names.is_empty() { &probe[..] } else { names };
    let paths: Vec<PathBuf> = names.iter().map(|n| abs.join(n)).collect();
    // Prints the ignored ones; every path must be among them.
    let ignored = git()
        .args(["check-ignore", "--no-index", "--"])
        .args(&paths)
        .output()
        .ok()
        .map_or(0, |o| String::from_utf8_lossy(&o.stdout).lines().count());
    if ignored < paths.len() {
        let shown = if abs == absolute(dir) {
            String::new()
        } else {
            format!(" (it resolves to `{}`)", abs.display())
        };
        return refuse(format!(
            "it is inside the git repository at `{}` and not ignored{shown}",
            root.display()
        ));
    }
    let tracked = git()
        .args(["ls-files", "-z", "--"])
        .arg(&abs)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if let Some(first) = tracked.split('\0').find(|f| !f.is_empty()) {
        return refuse(format!(
            "git tracks files in it although it is ignored (`{first}` was added with `git add -f`)"
        ));
    }
    Ok(())
}
