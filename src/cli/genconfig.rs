//! `talforge genconfig`: a drop-in for `talhelper genconfig` that reads talconfig.yaml.

use super::Reporter;
use super::import::load_talconfig;
use crate::diag::{Diagnostic, Sources};
use crate::fs::{self, Change, OutFile};
use crate::pipeline::configs::{render_patched, validate_node};
use crate::pipeline::secrets::{TALSECRET, read_bundle};
use crate::render::talosconfig;
use crate::secrets::keys::Identities;
use crate::talos::generate as machine;
use crate::yaml::{EmitOptions, emit_documents};
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
}

pub(super) fn run(a: &GenconfigArgs, r: &Reporter) -> u8 {
    let Some(tc) = load_talconfig(&a.config, &a.env_files, r) else {
        return 1;
    };
    let dir = a.config.parent().unwrap_or(Path::new("")).to_path_buf();
    let secret_path = a.secret_file.clone().unwrap_or_else(|| dir.join(TALSECRET));
    let out_dir = a
        .out_dir
        .clone()
        .unwrap_or_else(|| dir.join("clusterconfig"));
    let mut sources: Sources = tc.sources.clone();
    let text = match std::fs::read_to_string(&secret_path) {
        Ok(t) => t,
        Err(e) => {
            r.error(
                Diagnostic::error(format!(
                    "cannot read secrets `{}`: {}",
                    secret_path.display(),
                    crate::diag::io_cause(&e)
                ))
                .with_hint(
                    "pass the bundle with `--secret-file`; `talforge secrets gen` makes one",
                ),
            );
            return 1;
        }
    };
    let ids = Identities::discover();
    let bundle = match read_bundle(&secret_path, &text, &ids, &mut sources) {
        Ok(b) => b,
        Err(d) => {
            r.emit(&[d], &sources);
            return 1;
        }
    };
    let cluster = &tc.cluster;
    let nodes: Vec<_> = cluster
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
        r.error(d);
        return 1;
    }
    // Render and validate everything before the first write.
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let mut files = Vec::new();
    for node in &nodes {
        match render_patched(cluster, node, &bundle, &mut sources) {
            Ok(docs) => {
                validate_node(node, &docs, &mut errors, &mut warnings);
                files.push((
                    node.hostname.clone(),
                    OutFile::new(
                        out_dir.join(machine::output_file_name(cluster, node)),
                        emit_documents(&docs, &EmitOptions { indent: 4 }),
                        0o600,
                    ),
                ));
            }
            Err(d) => errors.push(d),
        }
    }
    r.emit(&warnings, &sources);
    if !errors.is_empty() {
        r.emit(&errors, &sources);
        return 1;
    }
    // The plaintext configs and talosconfig hold every secret: like `run --plaintext`.
    if !a.force {
        let mut names: Vec<String> = files
            .iter()
            .filter_map(|(_, f)| f.path.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        names.push("talosconfig".into());
        if let Err(d) = fs::refuse_tracked(&out_dir, &names) {
            r.error(d.with_note("`--force` writes there anyway"));
            return 1;
        }
    }
    let now = time::OffsetDateTime::now_utc();
    let tc_path = out_dir.join("talosconfig");
    let tc_file = match std::fs::read_to_string(&tc_path) {
        Ok(t) if talosconfig::talosconfig_is_current(&t, cluster, &bundle, now) => None,
        _ => match talosconfig::render_talosconfig(cluster, &bundle, now) {
            Ok(doc) => Some(OutFile::new(
                tc_path,
                emit_documents(&[doc], &EmitOptions { indent: 4 }),
                0o600,
            )),
            Err(e) => {
                r.error(Diagnostic::error(e));
                return 1;
            }
        },
    };
    // Like `run`: compare everything, then write what changed in one durable batch.
    let mut todo = Vec::new();
    let all = files.iter().map(|(_, f)| f).chain(tc_file.as_ref());
    for f in all {
        match fs::change_of(f) {
            Ok(Change::Unchanged) => {}
            Ok(_) => todo.push(f),
            Err(e) => {
                r.error(Diagnostic::error(format!(
                    "cannot read `{}`: {}",
                    f.path.display(),
                    crate::diag::io_cause(&e)
                )));
                return 1;
            }
        }
    }
    if let Err((path, e)) = fs::write_batch(&todo) {
        r.error(Diagnostic::error(format!(
            "cannot write `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        )));
        return 1;
    }
    for (host, f) in &files {
        println!("generated config for {host} in {}", f.path.display());
    }
    if let Some(f) = &tc_file {
        println!(
            "generated client configuration file in {}",
            f.path.display()
        );
    }
    0
}
