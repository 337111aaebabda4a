//! `talforge run SCRIPT`: the pipeline's plan of every file of the script's clusters, written
//! under the run lock (only what changed, in one batch), or compared with `--check`.

use super::Reporter;
use crate::diag::Diagnostic;
use crate::diag::Failure;
use crate::fs::{self, Change};
use crate::pipeline::{self, Plan, RunOptions};
use std::path::{Path, PathBuf};

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The cluster script.
    pub script: PathBuf,
    /// Write under `DIR/<cluster>/talos/` instead of next to the script.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 and list every file that would change.
    #[arg(long)]
    pub check: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Treat Talos' validation warnings as errors (`talosctl validate --strict`).
    #[arg(long)]
    pub strict: bool,
    /// Read the Talos secrets bundle from FILE (plaintext or SOPS) instead of the cluster's
    /// `talsecret.sops.yaml`.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Also write the plaintext machine configs into DIR (refused when git tracks it).
    #[arg(long, value_name = "DIR")]
    pub plaintext: Option<PathBuf>,
    /// Give a cluster new secrets: create its missing `talsecret.sops.yaml`, or accept a
    /// different one, although its machine configs were made from another bundle. Every
    /// config and the talosconfig are then made again; running nodes reject them.
    #[arg(long)]
    pub new_secrets: bool,
}

pub(super) fn run(a: &RunArgs, r: &Reporter) -> Result<u8, Failure> {
    if let Some(dir) = &a.plaintext
        && let Err(d) = fs::refuse_tracked(dir, &[], fs::PLAINTEXT_CONFIGS)
    {
        return Err(d.into());
    }
    let opts = RunOptions {
        out: a.out.clone(),
        secret_file: a.secret_file.clone(),
        plaintext: a.plaintext.clone(),
        check: a.check,
        new_secrets: a.new_secrets,
        strict: a.strict,
        ..RunOptions::default()
    };
    // One run at a time per repository, from reading the bundle to the last rename: two runs
    // could otherwise both create secrets, or write configs from a bundle that lost the race.
    // `--check` writes nothing, not even the lock file.
    let _lock = if a.check {
        None
    } else {
        match lock(a) {
            Ok(l) => Some(l),
            Err(d) => {
                return Err(d.into());
            }
        }
    };
    let plan = pipeline::plan(&a.script, &opts)?;
    r.emit(&plan.warnings, &plan.evaluated.sources);
    if a.deny_warnings && !plan.warnings.is_empty() {
        return Ok(1);
    }
    for n in &plan.notices {
        eprintln!("note: {n}");
    }
    // The exact files, now that they are known: a pattern may ignore some and not others.
    if let Some(dir) = &a.plaintext
        && let Err(d) = fs::refuse_tracked(dir, &names_in(&plan, dir), fs::PLAINTEXT_CONFIGS)
    {
        return Err(d.into());
    }
    // Compare everything first: a failure to read any target aborts before the first write.
    let changes = match plan.files.iter().map(change).collect::<Result<Vec<_>, _>>() {
        Ok(c) => c,
        Err(d) => {
            return Err(d.into());
        }
    };
    if a.check {
        return Ok(report_check(&plan, &changes));
    }
    write(&plan, changes)
}

/// Takes the run lock of the output's repository (waiting for another run to finish).
fn lock(a: &RunArgs) -> Result<fs::RunLock, Diagnostic> {
    let base = a.out.clone().unwrap_or_else(|| {
        if a.script.is_dir() {
            a.script.clone()
        } else {
            fs::absolute(&a.script)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        }
    });
    fs::lock(&base, |p| {
        eprintln!(
            "note: waiting for another talforge run to finish (lock `{}`)",
            p.display()
        );
    })
    .map_err(|e| {
        Diagnostic::error(format!(
            "cannot take the run lock `{}`: {}",
            fs::lock_path(&base).display(),
            crate::diag::io_cause(&e)
        ))
    })
}

/// The names of the planned files directly in `dir`.
fn names_in(plan: &Plan, dir: &Path) -> Vec<String> {
    let dir_abs = fs::absolute(dir);
    plan.files
        .iter()
        .filter(|f| fs::absolute(&f.path).parent() == Some(dir_abs.as_path()))
        .filter_map(|f| f.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
}

fn change(f: &fs::OutFile) -> Result<Change, Diagnostic> {
    fs::change_of(f).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read `{}`: {}",
            f.path.display(),
            crate::diag::io_cause(&e)
        ))
    })
}

/// A path relative to the working directory when it is below it.
fn show(p: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    fs::absolute(p)
        .strip_prefix(&cwd)
        .map_or_else(|_| p.display().to_string(), |x| x.display().to_string())
}

/// `--check`: lists what would change; exit 1 when anything would.
fn report_check(plan: &Plan, changes: &[Change]) -> u8 {
    let changed: Vec<_> = plan
        .files
        .iter()
        .zip(changes)
        .filter(|(_, c)| **c != Change::Unchanged)
        .collect();
    for (f, c) in &changed {
        println!("would be {}: {}", c.word(), show(&f.path));
    }
    for p in &plan.stale {
        println!(
            "would be modified (needs the age key to render): {}",
            show(p)
        );
    }
    for p in &plan.removed {
        println!("would be removed: {}", show(p));
    }
    if !plan.unverified.is_empty() {
        eprintln!(
            "note: {} encrypted file{} not decrypted (no age key); their inputs are unchanged according to {}",
            plan.unverified.len(),
            crate::diag::plural(plan.unverified.len()),
            crate::pipeline::state::STATE_FILE
        );
    }
    if changed.is_empty() && plan.stale.is_empty() && plan.removed.is_empty() {
        println!("up to date: {} files", plan.files.len());
        return 0;
    }
    1
}

/// Writes what changed in one batch, after removing a killed run's temp files.
fn write(plan: &Plan, changes: Vec<Change>) -> Result<u8, Failure> {
    let todo: Vec<(&fs::OutFile, Change)> = plan
        .files
        .iter()
        .zip(changes)
        .filter(|(_, c)| *c != Change::Unchanged)
        .collect();
    // Temp files of a killed run (they may hold plaintext secrets); the lock guarantees no
    // other run's are in flight.
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in &plan.files {
        if let Some(d) = f.path.parent()
            && seen.insert(d)
        {
            dirs.push(d.to_path_buf());
        }
    }
    for p in fs::remove_stale_temps(&dirs) {
        eprintln!("note: removed `{}`, left by an interrupted run", show(&p));
    }
    let batch: Vec<&fs::OutFile> = todo.iter().map(|(f, _)| *f).collect();
    if let Err((path, e)) = fs::write_batch(&batch) {
        return Err(Diagnostic::error(format!(
            "cannot write `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        ))
        .with_hint("each file is either as it was or completely new; fix the cause and run again")
        .into());
    }
    for (f, c) in &todo {
        println!("{}: {}", c.word(), show(&f.path));
    }
    // After the new files are in place: a kill before this leaves stale files, never
    // missing ones.
    for p in &plan.removed {
        match std::fs::remove_file(p) {
            Ok(()) => println!("removed: {}", show(p)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Diagnostic::error(format!(
                    "cannot remove `{}`: {}",
                    show(p),
                    crate::diag::io_cause(&e)
                ))
                .into());
            }
        }
    }
    if todo.is_empty() && plan.removed.is_empty() {
        println!("up to date: {} files", plan.files.len());
    }
    if !plan.unverified.is_empty() {
        eprintln!(
            "note: {} encrypted file{} kept without decrypting (no age key); the state file shows their inputs are unchanged",
            plan.unverified.len(),
            crate::diag::plural(plan.unverified.len())
        );
    }
    Ok(0)
}
