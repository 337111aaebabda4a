//! `talforge kubeconfig`: an admin kubeconfig made offline from the cluster's secrets bundle,
//! for break-glass access when no node answers `talosctl kubeconfig`.

use super::target::TargetArgs;
use crate::diag::Diagnostic;
use crate::diag::Failure;
use crate::fs;
use crate::pipeline::expose;
use crate::pipeline::secrets::TALSECRET;
use crate::render::kubeconfig::admin_kubeconfig;
use crate::secrets::keys::Identities;
use std::path::PathBuf;

/// Arguments of `kubeconfig`.
#[derive(Debug, clap::Args)]
pub struct KubeconfigArgs {
    /// Which cluster.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Read the secrets bundle from FILE instead of the cluster's `talsecret.sops.yaml`.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Write the kubeconfig to FILE (0600; refused where git would track it) instead of
    /// printing it.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn run(a: &KubeconfigArgs) -> Result<u8, Failure> {
    let t = a.target.load()?;
    let mut sources = t.sources;
    let path = a
        .secret_file
        .clone()
        .unwrap_or_else(|| t.dir.join(TALSECRET));
    let bundle = match expose::bundle(&path, &Identities::discover()) {
        Ok(b) => b,
        Err(p) => {
            let d = p.report(&mut sources);
            return Err(Failure::new(sources, vec![d]));
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let text = admin_kubeconfig(&t.cluster.name, &t.cluster.endpoint, &bundle, now)?;
    let Some(out) = &a.output else {
        print!("{text}");
        return Ok(0);
    };
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Err(d) = fs::refuse_tracked(dir, &[name], "the admin kubeconfig") {
        return Err(d.into());
    }
    if let Err(e) = fs::write_atomic(out, text.as_bytes(), 0o600) {
        return Err(Diagnostic::error(format!(
            "cannot write `{}`: {}",
            out.display(),
            crate::diag::io_cause(&e)
        ))
        .into());
    }
    eprintln!(
        "wrote the admin kubeconfig of `{}` to {} (valid for a year; keep it out of git)",
        t.cluster.name,
        out.display()
    );
    Ok(0)
}
