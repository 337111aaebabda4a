//! The cluster a day-2 command acts on: named by its script (or a directory of scripts) or by
//! a talhelper `talconfig.yaml`, with where its files live.

use crate::diag::{Diagnostic, Sources, closest};
use crate::factory::extensions::{self, Surface};
use crate::model::Cluster;
use crate::pipeline::{Failure, load, render::Layout};
use crate::script::Limits;
use std::path::PathBuf;

/// Which cluster: `SCRIPT|DIR [--cluster NAME]` or `-c talconfig.yaml`.
#[derive(Debug, Clone, clap::Args)]
pub struct TargetArgs {
    /// The cluster script (or a directory of them) that declares the cluster.
    #[arg(value_name = "SCRIPT", required_unless_present = "config")]
    pub script: Option<PathBuf>,
    /// A talhelper config instead of a script.
    #[arg(
        short = 'c',
        long = "config-file",
        value_name = "FILE",
        conflicts_with = "script"
    )]
    pub config: Option<PathBuf>,
    /// The cluster, when the script declares several.
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// Write under `DIR/<cluster>/talos/` as `run --out` did.
    #[arg(long, value_name = "DIR", conflicts_with = "config")]
    pub out: Option<PathBuf>,
}

/// A loaded cluster.
#[derive(Debug)]
pub struct Target {
    /// The cluster as the model has it.
    pub cluster: Cluster,
    /// Its `talos/` directory: `talsecret.sops.yaml` and `clusterconfig/` are in it (for a
    /// talconfig, the talconfig's directory, as talhelper lays it out).
    pub dir: PathBuf,
    /// Texts for diagnostics.
    pub sources: Sources,
}

impl TargetArgs {
    /// Loads the script or talconfig and picks the cluster.
    pub fn load(&self) -> Result<Target, Failure> {
        if let Some(tc) = &self.config {
            let t = load::talconfig(tc, &[])?;
            let dir = tc.parent().map(PathBuf::from).unwrap_or_default();
            return Ok(Target {
                cluster: t.cluster,
                dir,
                sources: t.sources,
            });
        }
        let script = self.script.clone().unwrap_or_default();
        let ev = load::script(&script, &Limits::default())?;
        let layout = Layout::of(&ev.script, self.out.as_deref());
        let names: Vec<&str> = ev.fleet.clusters.iter().map(|c| c.name.as_str()).collect();
        let fail = |d: Diagnostic| Failure {
            sources: ev.sources.clone(),
            diagnostics: vec![d],
        };
        let picked = match (&self.cluster, ev.fleet.clusters.as_slice()) {
            (None, [one]) => one.clone(),
            (None, []) => {
                return Err(fail(Diagnostic::error(format!(
                    "`{}` declares no cluster",
                    script.display()
                ))));
            }
            (None, _) => {
                return Err(fail(
                    Diagnostic::error(format!(
                        "`{}` declares {} clusters: {}",
                        script.display(),
                        names.len(),
                        names.join(", ")
                    ))
                    .with_hint("name one with `--cluster NAME`"),
                ));
            }
            (Some(want), all) => {
                if let Some(c) = all.iter().find(|c| c.name == *want) {
                    c.clone()
                } else {
                    let mut d = Diagnostic::error(format!(
                        "`{}` declares no cluster `{want}`",
                        script.display()
                    ));
                    if let Some(c) = closest(want, names.iter().copied()) {
                        d = d.with_hint(format!("did you mean `{c}`?"));
                    }
                    return Err(fail(d));
                }
            }
        };
        let errors = extensions::check(&picked, Surface::Script);
        if !errors.is_empty() {
            return Err(Failure {
                sources: ev.sources,
                diagnostics: errors,
            });
        }
        Ok(Target {
            dir: layout.base.join(&picked.name).join("talos"),
            cluster: picked,
            sources: ev.sources,
        })
    }
}
