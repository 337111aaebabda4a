//! The run as a chain of typed steps, shared by `run`, `check`, `genconfig` and the REPL:
//!
//! - [`load`]: a script (or a directory of them) or a talconfig.yaml → the model;
//! - [`check`]: talforge's model and fleet rules (errors stop, warnings go on);
//! - [`render`] → [`render::Rendered`]: the plaintext tree and every node's config with
//!   placeholder secrets, with fingerprints; no secret is read;
//! - [`seal`] → [`seal::Sealed`]: the secrets in, each config kept, compared or encrypted, the
//!   talosconfig and the state file: every file of the run ([`Plan`]);
//!   [`expose`] is its sibling for `genconfig` (plaintext configs, nothing encrypted);
//! - writing is the caller's (`fs::write_batch`, under the run lock).
//!
//! Steps run on every core and never touch the shared `Sources`: their errors are
//! [`Problem`]s, whose files (patches, `.sops.yaml`, bundles) are registered once, in order,
//! when the step's failure is reported.

pub mod check;
pub mod expose;
pub mod load;
mod parallel;
pub mod render;
mod rules;
pub mod seal;
pub mod secrets;
mod stale;
pub mod state;

pub use crate::diag::{Failure, Problem};
pub use load::script as evaluate_path;
pub(crate) use parallel::parallel_map;

use crate::diag::Diagnostic;
// The step tests (`use super::*`) build failures by hand.
#[cfg(test)]
use crate::diag::Sources;
use crate::fs::OutFile;
use crate::script::{Evaluated, Limits};
use crate::secrets::keys::Identities;
use std::path::{Path, PathBuf};

/// Settings of one run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Base directory replacing the script's directory (`--out`): files go to
    /// `<out>/<cluster>/talos/`.
    pub out: Option<PathBuf>,
    /// Script limits.
    pub limits: Limits,
    /// Read the secrets bundle from this file (plaintext or SOPS) instead of
    /// `talsecret.sops.yaml`; nothing is created.
    pub secret_file: Option<PathBuf>,
    /// Also write the plaintext machine configs into this directory.
    pub plaintext: Option<PathBuf>,
    /// `--check`: plan for comparison; files that need the key to render are reported, not
    /// an error.
    pub check: bool,
    /// With `check`: still generate a missing bundle in memory, so the plan shows the configs
    /// a first run would write (the REPL's preview).
    pub preview_new_secrets: bool,
    /// Age identities for decryption; `None` discovers them from the environment.
    pub identities: Option<Identities>,
    /// The time stamped into SOPS metadata and certificates; `None` is now.
    pub now: Option<time::OffsetDateTime>,
    /// `--new-secrets`: create a missing bundle, or accept a different one, although the
    /// configs on disk were made from another (never the default).
    pub new_secrets: bool,
    /// `--strict`: Talos' validation warnings are errors (`talosctl validate --strict`).
    pub strict: bool,
}

/// Everything a run would write, plus what diagnostics need.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Files in write order.
    pub files: Vec<OutFile>,
    /// The evaluated model.
    pub evaluated: Evaluated,
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
    /// Encrypted files kept as they are because their content could not be decrypted and
    /// compared (no age key); their inputs are unchanged according to the state file.
    pub unverified: Vec<PathBuf>,
    /// Encrypted files that are stale but need the age key to render (`--check` only).
    pub stale: Vec<PathBuf>,
    /// What the operator must be told even on success (new secrets, a re-encrypted bundle).
    pub notices: Vec<String>,
    /// Generated files that no node, patch or cluster of the scripts makes any more.
    pub removed: Vec<PathBuf>,
}

/// Every step of a run of `script_path` (a directory means every cluster script in it, see
/// [`load::scripts_in`]); writes nothing.
pub fn plan(script_path: &Path, opts: &RunOptions) -> Result<Plan, Failure> {
    crate::talos::warm_up();
    plan_evaluated(load::script(script_path, &opts.limits)?, opts)
}

/// The steps after `load`: check, render, seal.
pub fn plan_evaluated(evaluated: Evaluated, opts: &RunOptions) -> Result<Plan, Failure> {
    let mut warnings = check::check(&evaluated)?;
    let rendered = render::render(&evaluated, opts)?;
    let sealed = seal::seal(&evaluated, &rendered, opts).map_err(|f| f.after(warnings.clone()))?;
    warnings.extend(sealed.warnings);
    Ok(Plan {
        files: sealed.files,
        evaluated,
        warnings,
        unverified: sealed.unverified,
        stale: sealed.stale,
        notices: sealed.notices,
        removed: sealed.removed,
    })
}

/// A file's text, `None` when it does not exist; other read errors name path and cause.
pub(crate) fn existing(path: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(format!(
            "cannot read `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        ))),
    }
}

#[cfg(test)]
mod tests;
