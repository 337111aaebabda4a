//! `talforge run SCRIPT`: render and write every file of the script's clusters.

use super::Reporter;
use crate::diag::Diagnostic;
use crate::pipeline::{self, RunOptions};
use crate::write::{self, Change};
use std::path::PathBuf;

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
    /// Read the Talos secrets bundle from FILE (plaintext or SOPS) instead of the cluster's
    /// `talsecret.sops.yaml`.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Also write the plaintext machine configs into DIR (refused when git tracks it).
    #[arg(long, value_name = "DIR")]
    pub plaintext: Option<PathBuf>,
}

pub(super) fn run(a: &RunArgs, r: &Reporter) -> u8 {
    if let Some(dir) = &a.plaintext
        && let Err(d) = write::refuse_tracked(dir)
    {
        r.error(d);
        return 1;
    }
    let opts = RunOptions {
        out: a.out.clone(),
        secret_file: a.secret_file.clone(),
        plaintext: a.plaintext.clone(),
        check: a.check,
        ..RunOptions::default()
    };
    let plan = match pipeline::plan(&a.script, &opts) {
        Ok(p) => p,
        Err(f) => {
            r.emit(&f.diagnostics, &f.sources);
            return 1;
        }
    };
    r.emit(&plan.warnings, &plan.evaluated.sources);
    if a.deny_warnings && !plan.warnings.is_empty() {
        return 1;
    }
    // Compare everything first: a failure to read any target aborts before the first write.
    let mut changes = Vec::new();
    for f in &plan.files {
        match write::change_of(f) {
            Ok(c) => changes.push(c),
            Err(e) => {
                r.error(Diagnostic::error(format!(
                    "cannot read `{}`: {}",
                    f.path.display(),
                    crate::script::io_cause(&e)
                )));
                return 1;
            }
        }
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let show = |p: &std::path::Path| {
        write::absolute(p)
            .strip_prefix(&cwd)
            .map(|x| x.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    if a.check {
        let changed: Vec<_> = plan
            .files
            .iter()
            .zip(&changes)
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
        if !plan.unverified.is_empty() {
            eprintln!(
                "note: {} encrypted file{} not decrypted (no age key); their inputs are unchanged according to {}",
                plan.unverified.len(),
                super::check::plural(plan.unverified.len()),
                crate::pipeline::configs::STATE_FILE
            );
        }
        if changed.is_empty() && plan.stale.is_empty() {
            println!("up to date: {} files", plan.files.len());
            return 0;
        }
        return 1;
    }
    let todo: Vec<(&write::OutFile, Change)> = plan
        .files
        .iter()
        .zip(changes)
        .filter(|(_, c)| *c != Change::Unchanged)
        .collect();
    // Secrets are created once; a bundle that appeared since the plan is never replaced.
    if let Some((f, _)) = todo.iter().find(|(f, _)| {
        f.path
            .file_name()
            .is_some_and(|n| n == crate::pipeline::secrets::TALSECRET)
            && f.path.exists()
    }) {
        r.error(
            Diagnostic::error(format!("refusing to overwrite `{}`", f.path.display()))
                .with_note("an existing secrets bundle is never replaced"),
        );
        return 1;
    }
    let batch: Vec<&write::OutFile> = todo.iter().map(|(f, _)| *f).collect();
    if let Err((path, e)) = write::write_batch(&batch) {
        r.error(
            Diagnostic::error(format!(
                "cannot write `{}`: {}",
                path.display(),
                crate::script::io_cause(&e)
            ))
            .with_hint(
                "each file is either as it was or completely new; fix the cause and run again",
            ),
        );
        return 1;
    }
    for (f, c) in &todo {
        println!("{}: {}", c.word(), show(&f.path));
    }
    let written = todo.len();
    if written == 0 {
        println!("up to date: {} files", plan.files.len());
    }
    if !plan.unverified.is_empty() {
        eprintln!(
            "note: {} encrypted file{} kept without decrypting (no age key); the state file shows their inputs are unchanged",
            plan.unverified.len(),
            super::check::plural(plan.unverified.len())
        );
    }
    0
}
