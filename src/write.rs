//! Atomic file writes and the comparison of planned files with what is on disk.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file a run wants on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Where.
    pub path: PathBuf,
    /// Exact bytes.
    pub content: String,
    /// Unix permission bits for new files (secrets get 0600).
    pub mode: u32,
}

/// How a planned file differs from disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Same bytes on disk.
    Unchanged,
    /// Not on disk yet.
    Created,
    /// On disk with other bytes.
    Modified,
}

impl Change {
    /// `created` / `modified` / `unchanged`.
    pub fn word(self) -> &'static str {
        match self {
            Change::Unchanged => "unchanged",
            Change::Created => "created",
            Change::Modified => "modified",
        }
    }
}

/// Compares a planned file with the disk.
pub fn change_of(f: &OutFile) -> io::Result<Change> {
    match fs::read(&f.path) {
        Ok(bytes) if bytes == f.content.as_bytes() => Ok(Change::Unchanged),
        Ok(_) => Ok(Change::Modified),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Change::Created),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to `path` atomically: a temp file in the same directory, fsync, rename.
/// A crash leaves either the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".talforge-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    set_mode(tmp.as_file(), mode)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // fsync the directory so the rename itself survives a crash.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes several files atomically and durably with far fewer syncs than one
/// [`write_atomic`] each: every new content goes to a temp file first; the temp files are
/// flushed (one `syncfs` per filesystem for large batches); then they are renamed over their
/// targets in order and each directory is synced once. Until the first rename nothing has
/// changed; a crash during the renames leaves each file old or new. On error, returns the
/// path that failed.
pub fn write_batch(files: &[&OutFile]) -> Result<(), (PathBuf, io::Error)> {
    let mut temps = Vec::with_capacity(files.len());
    for f in files {
        let dir = f
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| (f.path.clone(), e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".talforge-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| (f.path.clone(), e))?;
        tmp.write_all(f.content.as_bytes())
            .map_err(|e| (f.path.clone(), e))?;
        set_mode(tmp.as_file(), f.mode).map_err(|e| (f.path.clone(), e))?;
        temps.push((tmp, dir.to_path_buf()));
    }
    if temps.len() <= 8 {
        for ((tmp, _), f) in temps.iter().zip(files) {
            tmp.as_file().sync_all().map_err(|e| (f.path.clone(), e))?;
        }
    } else {
        sync_filesystems(&temps).map_err(|e| (files[0].path.clone(), e))?;
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for ((tmp, dir), f) in temps.into_iter().zip(files) {
        tmp.persist(&f.path)
            .map_err(|e| (f.path.clone(), e.error))?;
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    for d in dirs {
        if let Ok(d) = fs::File::open(&d) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Flushes every filesystem the temp files live on (one `syncfs` each).
#[cfg(target_os = "linux")]
fn sync_filesystems(temps: &[(tempfile::NamedTempFile, PathBuf)]) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let mut seen = Vec::new();
    for (tmp, _) in temps {
        let dev = tmp.as_file().metadata()?.dev();
        if seen.contains(&dev) {
            continue;
        }
        seen.push(dev);
        // SAFETY: the descriptor belongs to an open file we own for the whole call.
        if unsafe { libc::syncfs(tmp.as_file().as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystems(temps: &[(tempfile::NamedTempFile, PathBuf)]) -> io::Result<()> {
    for (tmp, _) in temps {
        tmp.as_file().sync_all()?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(f: &fs::File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_f: &fs::File, _mode: u32) -> io::Result<()> {
    Ok(())
}

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

/// Refuses a directory for plaintext secrets when git would pick it up: inside a work tree
/// and not ignored (`git check-ignore`). Without git the repository marker decides.
pub fn refuse_tracked(dir: &Path) -> Result<(), crate::diag::Diagnostic> {
    let abs = absolute(dir);
    let Some(root) = repo_root(&abs) else {
        return Ok(());
    };
    let ignored = std::process::Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["check-ignore", "-q", "--no-index"])
        .arg(&abs)
        .status()
        .is_ok_and(|s| s.success());
    if ignored {
        return Ok(());
    }
    Err(crate::diag::Diagnostic::error(format!(
        "refusing to write plaintext machine configs into `{}`: it is inside the git repository at `{}` and not ignored",
        dir.display(),
        root.display()
    ))
    .with_hint("choose a directory outside the repository (e.g. /tmp/talos) or add it to .gitignore"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_compares() {
        let dir = tempfile::tempdir().unwrap();
        let f = OutFile {
            path: dir.path().join("a/b.yaml"),
            content: "x: 1\n".into(),
            mode: 0o644,
        };
        assert_eq!(change_of(&f).unwrap(), Change::Created);
        write_atomic(&f.path, f.content.as_bytes(), f.mode).unwrap();
        assert_eq!(change_of(&f).unwrap(), Change::Unchanged);
        let g = OutFile {
            content: "x: 2\n".into(),
            ..f.clone()
        };
        assert_eq!(change_of(&g).unwrap(), Change::Modified);
        write_atomic(&g.path, g.content.as_bytes(), g.mode).unwrap();
        assert_eq!(fs::read_to_string(&g.path).unwrap(), "x: 2\n");
        // no temp files left behind
        let names: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
