//! One run at a time: the repository's run lock, held with `flock` for the length of a run.

use super::paths::{absolute, normalize, repo_root};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// An exclusive lock on a repository for the duration of a run; released on drop (and by
/// the kernel when the process dies, so a killed run never leaves it held).
#[derive(Debug)]
pub struct RunLock {
    _file: fs::File,
    /// The lock file.
    pub path: PathBuf,
}

/// The lock file for the repository holding `base`: `talforge.lock` in its git directory
/// (never tracked), else `.talforge.lock` in the directory itself when there is no git.
pub fn lock_path(base: &Path) -> PathBuf {
    let abs = absolute(base);
    match repo_root(&abs) {
        Some(root) => git_dir(&root).join("talforge.lock"),
        None => abs.join(".talforge.lock"),
    }
}

/// `.git` of a work tree: the directory itself, or where a `.git` file (`gitdir: …`, as in
/// linked work trees and submodules) points.
fn git_dir(root: &Path) -> PathBuf {
    let dot = root.join(".git");
    if dot.is_file()
        && let Ok(text) = fs::read_to_string(&dot)
        && let Some(rest) = text.trim().strip_prefix("gitdir:")
    {
        let p = Path::new(rest.trim());
        return if p.is_absolute() {
            p.to_path_buf()
        } else {
            normalize(&root.join(p))
        };
    }
    dot
}

/// Takes the run lock of the repository holding `base`. When another run holds it,
/// `waiting` is called once and the call blocks until that run ends.
pub fn lock(base: &Path, waiting: impl FnOnce(&Path)) -> io::Result<RunLock> {
    let path = lock_path(base);
    if let Some(d) = path.parent() {
        fs::create_dir_all(d)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    if !flock(&file, true)? {
        waiting(&path);
        flock(&file, false)?;
    }
    Ok(RunLock { _file: file, path })
}

/// `flock(LOCK_EX)`; with `try_only`, returns false instead of blocking when it is held.
#[cfg(unix)]
fn flock(f: &fs::File, try_only: bool) -> io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    let op = libc::LOCK_EX | if try_only { libc::LOCK_NB } else { 0 };
    loop {
        // SAFETY: the descriptor belongs to an open file we own for the whole call.
        if unsafe { libc::flock(f.as_raw_fd(), op) } == 0 {
            return Ok(true);
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => {}
            Some(libc::EWOULDBLOCK) if try_only => return Ok(false),
            _ => return Err(e),
        }
    }
}

#[cfg(not(unix))]
fn flock(_f: &fs::File, _try_only: bool) -> io::Result<bool> {
    Ok(true)
}
