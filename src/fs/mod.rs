//! Atomic file writes and the comparison of planned files with what is on disk.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

mod lock;
mod paths;
mod tracked;

pub use lock::{RunLock, lock, lock_path};
pub use paths::{absolute, normalize, repo_root, resolve, shown};
pub use tracked::{PLAINTEXT_CONFIGS, refuse_tracked};

/// A file a run wants on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Where.
    pub path: PathBuf,
    /// Exact bytes.
    pub content: String,
    /// Unix permission bits for new files (secrets get 0600).
    pub mode: u32,
    /// The file must not exist when it is written: it is linked into place with an
    /// operation that fails instead of replacing anything (a new secrets bundle).
    pub create_only: bool,
    /// `content` is what this run read from `path` a moment ago (under the run lock): it is
    /// unchanged without reading the file again (a no-change re-run of a fleet would read
    /// every encrypted config twice).
    pub as_read: bool,
}

impl OutFile {
    /// A file that replaces whatever is at `path`.
    pub fn new(path: PathBuf, content: String, mode: u32) -> OutFile {
        OutFile {
            path,
            content,
            mode,
            create_only: false,
            as_read: false,
        }
    }

    /// The file as this run just read it from `path`, planned unchanged.
    pub fn as_read(path: PathBuf, content: String, mode: u32) -> OutFile {
        OutFile {
            as_read: true,
            ..OutFile::new(path, content, mode)
        }
    }

    /// A file that is only ever created, never written over (see [`OutFile::create_only`]).
    pub fn create_only(path: PathBuf, content: String, mode: u32) -> OutFile {
        OutFile {
            create_only: true,
            ..OutFile::new(path, content, mode)
        }
    }
}

/// Prefix and suffix of every temp file talforge writes; generated `.gitignore` files list
/// [`TEMP_PATTERN`] and the next run removes leftovers of a killed one.
const TEMP_PREFIX: &str = ".talforge-";
const TEMP_SUFFIX: &str = ".tmp";

/// The `.gitignore` pattern matching talforge's temp files.
pub const TEMP_PATTERN: &str = ".talforge-*.tmp";

/// Whether a file name is one of talforge's temp files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) && name.len() > 14
}

/// Removes temp files a killed run left in `dirs` (not recursive); returns what it removed.
/// Callers hold the run lock, so no other run's temp file is in flight.
pub fn remove_stale_temps(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for d in dirs {
        let Ok(rd) = fs::read_dir(d) else { continue };
        for e in rd.flatten() {
            let name = e.file_name();
            let is_file = e.file_type().is_ok_and(|t| t.is_file());
            if is_file && is_temp_name(&name.to_string_lossy()) && fs::remove_file(e.path()).is_ok()
            {
                removed.push(e.path());
            }
        }
    }
    removed
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
    if f.as_read {
        return Ok(Change::Unchanged);
    }
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
    let mut tmp = temp_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if mode != 0o600 {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    // fsync the directory so the rename itself survives a crash.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes several files atomically and durably with far fewer syncs than one
/// [`write_atomic`] each: every new content goes to a temp file first (0600, closed once
/// written, so a batch of any size needs two descriptors at a time); the temp files are
/// flushed (one `syncfs` per filesystem for large batches); then they are renamed over their
/// targets in order and each directory is synced once. `.gitignore` files go first, on their
/// own, so the temp files of secrets never sit in a directory whose ignore rules are not
/// there yet. Until the first rename of the rest nothing else has changed; a crash during
/// the renames leaves each file old or new. A [`OutFile::create_only`] file that appeared
/// meanwhile is an error, never replaced. On error, returns the path that failed.
pub fn write_batch(files: &[&OutFile]) -> Result<(), (PathBuf, io::Error)> {
    let is_ignore = |f: &&&OutFile| f.path.file_name().is_some_and(|n| n == ".gitignore");
    let (ignores, rest): (Vec<&OutFile>, Vec<&OutFile>) = files.iter().partition(is_ignore);
    if ignores.is_empty() {
        return write_group(&rest);
    }
    // A failure after the ignore files landed puts them back, so a failed run still changes
    // nothing (a kill in between leaves new ignore rules, each file old or new).
    let before: Vec<Option<Vec<u8>>> = ignores.iter().map(|f| fs::read(&f.path).ok()).collect();
    write_group(&ignores)?;
    write_group(&rest).inspect_err(|_| {
        for (f, old) in ignores.iter().zip(before) {
            let _ = match old {
                Some(bytes) => write_atomic(&f.path, &bytes, f.mode),
                None => fs::remove_file(&f.path),
            };
        }
    })
}

fn write_group(files: &[&OutFile]) -> Result<(), (PathBuf, io::Error)> {
    let mut temps = Vec::with_capacity(files.len());
    let small = files.len() <= 8;
    let cleanup = |temps: Vec<(tempfile::TempPath, PathBuf)>| drop(temps);
    for f in files {
        let dir = f
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let written = (|| {
            fs::create_dir_all(dir)?;
            let mut tmp = temp_in(dir)?;
            tmp.write_all(f.content.as_bytes())?;
            if small {
                tmp.as_file().sync_all()?;
            }
            Ok(tmp.into_temp_path())
        })();
        match written {
            Ok(t) => temps.push((t, dir.to_path_buf())),
            Err(e) => {
                cleanup(temps);
                return Err((f.path.clone(), e));
            }
        }
    }
    if !small && let Err(e) = sync_filesystems(&temps) {
        let first = files[0].path.clone();
        cleanup(temps);
        return Err((first, e));
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut temps = temps.into_iter();
    for f in files {
        let Some((tmp, dir)) = temps.next() else {
            break;
        };
        let persisted = if f.create_only {
            tmp.persist_noclobber(&f.path)
        } else {
            tmp.persist(&f.path)
        }
        .map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "it appeared while this run was planning and is never replaced",
                )
            } else {
                e.error
            }
        })
        // Temp files stay 0600 for their whole life; a file meant to be readable gets its
        // mode once it is in place (a kill in between leaves it 0600, never wider).
        .and_then(|()| {
            if f.mode == 0o600 {
                Ok(())
            } else {
                fs::set_permissions(&f.path, fs::Permissions::from_mode(f.mode))
            }
        });
        if let Err(e) = persisted {
            cleanup(temps.collect());
            return Err((f.path.clone(), e));
        }
        if seen.insert(dir.clone()) {
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

/// A new 0600 temp file in `dir` named like every talforge temp file.
fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
}

/// Flushes every filesystem the temp files live on (one `syncfs` each, through their
/// directory: the temp files themselves are closed).
#[cfg(target_os = "linux")]
fn sync_filesystems(temps: &[(tempfile::TempPath, PathBuf)]) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let mut seen = Vec::new();
    for (_, dir) in temps {
        let d = fs::File::open(dir)?;
        let dev = d.metadata()?.dev();
        if seen.contains(&dev) {
            continue;
        }
        seen.push(dev);
        // SAFETY: the descriptor belongs to an open directory we own for the whole call.
        if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystems(temps: &[(tempfile::TempPath, PathBuf)]) -> io::Result<()> {
    for (tmp, _) in temps {
        fs::File::open(tmp)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_compares() {
        let dir = tempfile::tempdir().unwrap();
        let f = OutFile::new(dir.path().join("a/b.yaml"), "x: 1\n".into(), 0o644);
        assert_eq!(change_of(&f).unwrap(), Change::Created);
        write_atomic(&f.path, f.content.as_bytes(), f.mode).unwrap();
        assert_eq!(change_of(&f).unwrap(), Change::Unchanged);
        let g = OutFile {
            content: "x: 2\n".into(),
            ..f.clone()
        };
        assert_eq!(change_of(&g).unwrap(), Change::Modified);
        // Read by this run: unchanged without another read (the disk says otherwise here).
        let read = OutFile::as_read(g.path.clone(), g.content.clone(), g.mode);
        assert_eq!(change_of(&read).unwrap(), Change::Unchanged);
        write_atomic(&g.path, g.content.as_bytes(), g.mode).unwrap();
        assert_eq!(fs::read_to_string(&g.path).unwrap(), "x: 2\n");
        // no temp files left behind
        let names: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn create_only_never_replaces_and_a_failed_batch_keeps_the_old_ignore_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("talsecret.sops.yaml");
        fs::write(&secret, "old\n").unwrap();
        let gi = dir.path().join(".gitignore");
        fs::write(&gi, "before\n").unwrap();
        let new_gi = OutFile::new(gi.clone(), "after\n".into(), 0o644);
        let bundle = OutFile::create_only(secret.clone(), "new\n".into(), 0o600);
        let (path, e) = write_batch(&[&new_gi, &bundle]).unwrap_err();
        assert_eq!(path, secret);
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&secret).unwrap(), "old\n");
        assert_eq!(fs::read_to_string(&gi).unwrap(), "before\n");
        let temps: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| is_temp_name(&e.file_name().to_string_lossy()))
            .collect();
        assert!(temps.is_empty(), "{temps:?}");
        fs::remove_file(&secret).unwrap();
        write_batch(&[&new_gi, &bundle]).unwrap();
        assert_eq!(fs::read_to_string(&secret).unwrap(), "new\n");
    }
}
