//! `talforge genconfig`: a drop-in for `talhelper genconfig` that reads talconfig.yaml. The
//! pipeline's `load` (talconfig front end), then `expose`: each node rendered with the bundle
//! and validated like `run` does, written as plaintext configs with the talosconfig.

use super::Reporter;
use crate::diag::Diagnostic;
use crate::diag::Failure;
use crate::fs::{self, Change, OutFile};
use crate::model::{Cluster, Node, TalosMode};
use crate::pipeline::secrets::TALSECRET;
use crate::pipeline::{Problem, expose, load};
use crate::secrets::keys::Identities;
use std::path::{Path, PathBuf};

/// Arguments of `genconfig`.
#[derive(Debug, clap::Args)]
pub struct GenconfigArgs {
    /// The talhelper config.
    #[arg(short = 'c', long = "config-file", default_value = "talconfig.yaml")]
    pub config: PathBuf,
    /// The secrets bundle, plaintext or SOPS (default: `talsecret.sops.yaml` next to the
    /// talconfig).
    #[arg(short = 's', long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Where the machine configs go (default: `clusterconfig/` next to the talconfig).
    #[arg(short = 'o', long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Only this node (hostname or IP address).
    #[arg(short = 'n', long, value_name = "HOST")]
    pub node: Option<String>,
    /// Env files for `${VAR}` substitution (default: `talenv.yaml` next to the talconfig).
    #[arg(short = 'e', long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    /// Write the plaintext configs even into a directory git would track.
    #[arg(long)]
    pub force: bool,
    /// The mode the configs are validated for, as talhelper's flag.
    #[arg(long, value_name = "MODE", default_value = "metal", value_parser = TalosMode::NAMES)]
    pub talos_mode: String,
    /// Treat Talos' validation warnings as errors (`talosctl validate --strict`).
    #[arg(long)]
    pub strict: bool,
}

pub(super) fn run(a: &GenconfigArgs, r: &Reporter) -> Result<u8, Failure> {
    let mut tc = load::talconfig(&a.config, &a.env_files)?;
    r.emit(&tc.warnings, &tc.sources);
    let dir = a.config.parent().unwrap_or(Path::new("")).to_path_buf();
    let secret_path = a.secret_file.clone().unwrap_or_else(|| dir.join(TALSECRET));
    let out_dir = a
        .out_dir
        .clone()
        .unwrap_or_else(|| dir.join("clusterconfig"));
    let mut sources = tc.sources.clone();
    let bundle = match expose::bundle(&secret_path, &Identities::discover()) {
        Ok(b) => b,
        Err(p) => {
            let d = p.report(&mut sources);
            return Err(Failure::new(sources, vec![d]));
        }
    };
    tc.cluster.talos_mode = TalosMode::parse(&a.talos_mode).unwrap_or_default();
    let cluster = &tc.cluster;
    let nodes = match selected(cluster, a) {
        Ok(n) => n,
        Err(d) => {
            return Err(d.into());
        }
    };
    // Render and validate everything before the first write.
    let exposed = expose::expose(cluster, &nodes, &bundle, &out_dir, a.strict);
    r.emit(&exposed.warnings, &sources);
    if !exposed.errors.is_empty() {
        let errors = Problem::report_all(exposed.errors, &mut sources);
        r.emit(&errors, &sources);
        return Ok(1);
    }
    // The plaintext configs and talosconfig hold every secret: like `run --plaintext`.
    if !a.force {
        let mut names: Vec<String> = exposed
            .configs
            .iter()
            .filter_map(|(_, f)| f.path.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        names.push("talosconfig".into());
        if let Err(d) = fs::refuse_tracked(&out_dir, &names, fs::PLAINTEXT_CONFIGS) {
            return Err(d.with_note("`--force` writes there anyway").into());
        }
    }
    let now = time::OffsetDateTime::now_utc();
    let tc_file = match expose::talosconfig(cluster, &bundle, &out_dir, now) {
        Ok(f) => f,
        Err(d) => {
            return Err(d.into());
        }
    };
    let all: Vec<&OutFile> = exposed
        .configs
        .iter()
        .map(|(_, f)| f)
        .chain(&tc_file)
        .collect();
    if let Err(d) = write_changed(&all) {
        return Err(d.into());
    }
    for (host, f) in &exposed.configs {
        println!("generated config for {host} in {}", f.path.display());
    }
    if let Some(f) = &tc_file {
        println!(
            "generated client configuration file in {}",
            f.path.display()
        );
    }
    Ok(0)
}

/// The nodes `--node` selects (all without it).
fn selected<'a>(cluster: &'a Cluster, a: &GenconfigArgs) -> Result<Vec<&'a Node>, Diagnostic> {
    let nodes: Vec<&Node> = cluster
        .nodes
        .iter()
        .filter(|n| {
            a.node
                .as_ref()
                .is_none_or(|h| *h == n.hostname || *h == n.ip.to_string())
        })
        .collect();
    if nodes.is_empty()
        && let Some(h) = &a.node
    {
        let names: Vec<&str> = cluster.nodes.iter().map(|n| n.hostname.as_str()).collect();
        let mut d = Diagnostic::error(format!("no node `{h}` in `{}`", a.config.display()));
        if let Some(c) = crate::diag::closest(h, names.iter().copied()) {
            d = d.with_hint(format!("did you mean `{c}`?"));
        }
        return Err(d);
    }
    Ok(nodes)
}

/// Like `run`: compares everything, then writes what changed in one durable batch.
fn write_changed(files: &[&OutFile]) -> Result<(), Diagnostic> {
    let mut todo = Vec::new();
    for f in files {
        match fs::change_of(f) {
            Ok(Change::Unchanged) => {}
            Ok(_) => todo.push(*f),
            Err(e) => {
                return Err(Diagnostic::error(format!(
                    "cannot read `{}`: {}",
                    f.path.display(),
                    crate::diag::io_cause(&e)
                )));
            }
        }
    }
    fs::write_batch(&todo).map_err(|(path, e)| {
        Diagnostic::error(format!(
            "cannot write `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        ))
    })
}
