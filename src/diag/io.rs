//! File system errors as diagnostics: `cannot <verb> `<path>`: <cause>`.

use super::{Diagnostic, IntoDiagnostic, Problem, io_cause};
use std::path::{Path, PathBuf};

/// An I/O error on one path, with what was being done (`read`, `write`, `read script`, …).
#[derive(Debug)]
pub struct IoError {
    /// What failed, as in "cannot *read* `x`".
    pub verb: &'static str,
    /// The path, as shown to the user.
    pub path: PathBuf,
    /// The cause.
    pub error: std::io::Error,
}

impl IoError {
    /// `cannot {verb} `{path}`: {cause}`.
    pub fn new(verb: &'static str, path: impl AsRef<Path>, error: std::io::Error) -> IoError {
        IoError {
            verb,
            path: path.as_ref().to_path_buf(),
            error,
        }
    }

    /// The error's diagnostic.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.to_string())
    }
}

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot {} `{}`: {}",
            self.verb,
            self.path.display(),
            io_cause(&self.error)
        )
    }
}

impl std::error::Error for IoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl IntoDiagnostic for IoError {
    fn into_problem(self) -> Problem {
        self.diagnostic().into()
    }
}
