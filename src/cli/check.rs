//! `talforge check SCRIPT`: every step of a run (load, check, render, seal) in check mode, in
//! memory; writes nothing.

use super::Reporter;
use crate::diag::Failure;
use crate::diag::plural;
use crate::pipeline::{self, RunOptions};
use std::path::PathBuf;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The cluster script.
    pub script: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Treat Talos' validation warnings as errors (`talosctl validate --strict`).
    #[arg(long)]
    pub strict: bool,
}

pub(super) fn run(a: &CheckArgs, r: &Reporter) -> Result<u8, Failure> {
    let opts = RunOptions {
        check: true,
        strict: a.strict,
        ..RunOptions::default()
    };
    match pipeline::plan(&a.script, &opts) {
        Err(f) => Err(f),
        Ok(plan) => {
            r.emit(&plan.warnings, &plan.evaluated.sources);
            if a.deny_warnings && !plan.warnings.is_empty() {
                return Ok(1);
            }
            let nodes: usize = plan
                .evaluated
                .fleet
                .clusters
                .iter()
                .map(|c| c.nodes.len())
                .sum();
            println!(
                "{}: {} cluster{}, {nodes} node{}, ok",
                a.script.display(),
                plan.evaluated.fleet.clusters.len(),
                plural(plan.evaluated.fleet.clusters.len()),
                plural(nodes)
            );
            Ok(0)
        }
    }
}
