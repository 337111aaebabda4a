//! Paths as a run sees them: the repository root, absolute and normalised forms, how a path is shown.

use std::fs;
use std::path::{Path, PathBuf};

/// Nearest ancestor of `start` (inclusive) holding `.git`.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    let abs = absolute(start);
    abs.ancestors()
        .find(|p| p.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `path` made absolute against the working directory, without touching the filesystem.
pub fn absolute(path: &Path) -> PathBuf {
    let p = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("."))
            .join(path)
    };
    normalize(&p)
}

/// `path` as an operator would type it here: relative to the working directory when it lies
/// below it, else as given.
pub fn shown(path: &Path) -> String {
    let abs = absolute(path);
    match std::env::current_dir() {
        Ok(cwd) => abs
            .strip_prefix(&cwd)
            .map_or_else(|_| path.display().to_string(), |p| p.display().to_string()),
        Err(_) => path.display().to_string(),
    }
}

/// Removes `.` and resolves `..` lexically.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` with every symbolic link resolved: the longest existing prefix canonicalised,
/// the rest appended. A link cannot smuggle a directory into (or out of) a repository.
pub fn resolve(path: &Path) -> PathBuf {
    let abs = absolute(path);
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = fs::canonicalize(cur) {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
