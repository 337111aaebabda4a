//! Where a run's files go: the output base, the repository root and the script as the
//! generated headers name it.

use crate::fs;
use std::path::{Path, PathBuf};

/// Where a run's files go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Files go to `<base>/<cluster>/talos/` (the script's directory, or `--out`).
    pub base: PathBuf,
    /// The repository root (nearest `.git`), which holds the `.sops.yaml` rules.
    pub root: PathBuf,
    /// The script as the generated headers name it: relative to `root`.
    pub script_display: String,
}

impl Layout {
    /// The layout of a run of `script` (`out`: `--out`).
    pub fn of(script: &Path, out: Option<&Path>) -> Layout {
        let script_abs = fs::absolute(script);
        let base = match out {
            Some(o) => fs::absolute(o),
            None => script_abs
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        };
        // The repository root, else the working directory, unless the output lies outside
        // it: `.sops.yaml` rules match paths below their own directory.
        let root = fs::repo_root(&base).unwrap_or_else(|| {
            let cwd = fs::absolute(Path::new("."));
            if base.starts_with(&cwd) {
                cwd
            } else {
                base.clone()
            }
        });
        let script_display = relative_to(&script_abs, &root);
        Layout {
            base,
            root,
            script_display,
        }
    }

    /// A script as the generated headers and the state file name it: relative to the root.
    pub fn display(&self, script: &Path) -> String {
        relative_to(&fs::absolute(script), &self.root)
    }
}

fn relative_to(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
