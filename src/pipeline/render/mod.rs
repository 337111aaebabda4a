//! Step `render`: everything a run writes except the secrets, in memory. The plaintext tree
//! (root `.sops.yaml` rules, per cluster talconfig.yaml, patches, Cilium values, `.gitignore`
//! files) and every node's machine config rendered with placeholder secrets
//! (`talos::generate`, then `talos::patch` in talhelper's order), as written, with the
//! fingerprint the state file records. `seal` puts the real secrets in.

//!
//! `layout.rs` says where the files go, `tree.rs` makes the plaintext tree, `documents.rs`
//! one node's config documents and `validate.rs` what `talosctl validate` finds in them.

mod documents;
mod layout;
mod tree;
mod validate;

pub use documents::{RenderError, node, node_patches};
pub use layout::Layout;
pub use tree::{cluster_files, header};
pub use validate::{Findings, validate, validate_rendered};

use super::rules::SopsRules;
use super::secrets::{TALSECRET, hex_sha256};
use super::{Failure, Problem, parallel_map};
use crate::diag::Diagnostic;
use crate::fs::OutFile;
use crate::model::{Cluster, Node};
use crate::script::Evaluated;
use crate::secrets::bundle::Bundle;
use crate::secrets::sops::EncryptOptions;
use crate::talhelper;
use crate::talos::generate as machine;
use crate::yaml::{EmitOptions, emit_documents};
use std::path::PathBuf;

/// What `render` makes of a loaded model.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Where the files go.
    pub layout: Layout,
    /// The root `.sops.yaml`, when this run adds rules to it (written first).
    pub sops_yaml: Option<OutFile>,
    /// Parallel to the fleet's clusters.
    pub clusters: Vec<RenderedCluster>,
    /// The rules as they will be after this run, for the secrets bundle's recipients.
    pub(crate) rules: SopsRules,
}

/// One cluster, rendered.
#[derive(Debug, Clone)]
pub struct RenderedCluster {
    /// `<base>/<cluster>/talos`.
    pub dir: PathBuf,
    /// The script that declares the cluster, as its files name it.
    pub script: String,
    /// The plaintext tree in write order.
    pub files: Vec<OutFile>,
    /// Whether its secrets and machine configs are written, encrypted: the script names a
    /// recipient, or a `.sops.yaml` rule covers its files. Otherwise only `files` are.
    pub sealed: bool,
    /// Findings about the cluster as a whole.
    pub warnings: Vec<Diagnostic>,
    /// Parallel to the cluster's nodes.
    pub nodes: Vec<RenderedNode>,
}

/// One node, rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedNode {
    /// talhelper's name of the plaintext config, `<cluster>-<hostname>.yaml`.
    pub file_name: String,
    /// The config, or why it cannot be rendered. A failing node does not stop the others, so
    /// a run reports every node's problems at once.
    pub config: Result<Config, Problem>,
}

/// A machine config as written (Talos' 4-space style), with placeholder secrets.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The documents' text: what the fingerprint hashes.
    pub text: String,
    /// What `talosctl validate` finds in it (with `--strict` when the run is strict); `seal`
    /// reports it for every config it makes or checks.
    pub findings: Findings,
    /// Where a sealed cluster's config is encrypted to.
    pub sealed: Option<SealedFile>,
}

/// The encrypted file of one config.
#[derive(Debug, Clone, PartialEq)]
pub struct SealedFile {
    /// `<cluster>-<hostname>.sops.yaml`: its key in the state file.
    pub name: String,
    /// Under the cluster's `clusterconfig/`.
    pub path: PathBuf,
    /// Its recipients, from the nearest `.sops.yaml` rule.
    pub recipients: Vec<String>,
    /// Its sops options, from the same rule.
    pub options: EncryptOptions,
    /// sha256 of everything but the secrets (the config text and the recipients): the state
    /// file's `rendered`.
    pub fingerprint: String,
}

/// Renders the plaintext tree and every node's config with placeholder secrets; writes and
/// reads no secret. Fails only when the root `.sops.yaml` cannot be read or extended.
pub fn render(loaded: &Evaluated, opts: &super::RunOptions) -> Result<Rendered, Failure> {
    let layout = Layout::of(&loaded.script, opts.out.as_deref());
    let clusters = &loaded.fleet.clusters;
    let (rules, sops_yaml) =
        SopsRules::ensure(clusters, &layout.base, &layout.root).map_err(|p| {
            let mut sources = loaded.sources.clone();
            let d = p.report(&mut sources);
            Failure {
                sources,
                diagnostics: vec![d],
            }
        })?;
    // Each cluster's files name the script that declares it (a directory run has several).
    let with_scripts: Vec<(&Cluster, String)> = clusters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let script = loaded.cluster_scripts.get(i).unwrap_or(&loaded.script);
            (c, layout.display(script))
        })
        .collect();
    let mut out: Vec<RenderedCluster> = with_scripts
        .iter()
        .map(|(c, script)| cluster_head(c, script, &layout, &rules, opts.check))
        .collect();
    // Each cluster's plaintext tree and every node of every cluster are independent: all on
    // every core, the trees first (a big cluster's talconfig is one long job).
    let jobs: Vec<Job<'_>> = (0..clusters.len())
        .map(Job::Files)
        .chain(
            clusters
                .iter()
                .enumerate()
                .flat_map(|(i, c)| c.nodes.iter().map(move |n| Job::Node(i, n))),
        )
        .collect();
    let placeholder = Bundle::placeholder();
    let done = parallel_map(&jobs, |job| match *job {
        Job::Files(i) => Done::Files(cluster_files(&clusters[i], &out[i].dir, &out[i].script)),
        Job::Node(i, n) => Done::Node(render_node(
            &clusters[i],
            n,
            &out[i],
            &rules,
            &placeholder,
            opts.strict,
        )),
    });
    for (job, d) in jobs.iter().zip(done) {
        match (job, d) {
            (Job::Files(i), Done::Files(files)) => out[*i].files = files,
            (Job::Node(i, _), Done::Node(n)) => out[*i].nodes.push(n),
            _ => unreachable!("results come in the order of their jobs"),
        }
    }
    // The hard rule: a secret from talenv.sops.yaml reaches no tracked file.
    for (rc, c) in out.iter().zip(clusters) {
        if let Some(d) = talhelper::envref::leak(&rc.files, &c.env_vars) {
            return Err(Failure {
                sources: loaded.sources.clone(),
                diagnostics: vec![d],
            });
        }
    }
    Ok(Rendered {
        layout,
        sops_yaml,
        clusters: out,
        rules,
    })
}

/// A piece of the render step's work.
enum Job<'a> {
    /// A cluster's plaintext tree.
    Files(usize),
    /// A node's config.
    Node(usize, &'a Node),
}

/// What a [`Job`] made.
#[allow(clippy::large_enum_variant)] // one per job, each moved into its place at once
enum Done {
    Files(Vec<OutFile>),
    Node(RenderedNode),
}

/// A cluster's directory, whether it is sealed and its warnings; its plaintext tree and its
/// nodes come next.
fn cluster_head(
    cluster: &Cluster,
    script: &str,
    layout: &Layout,
    rules: &SopsRules,
    check: bool,
) -> RenderedCluster {
    let dir = layout.base.join(&cluster.name).join("talos");
    let probe = dir.join("clusterconfig").join("probe.sops.yaml");
    let sealed = !cluster.sops.age.is_empty()
        || (rules.for_file(&dir.join(TALSECRET)).is_ok() && rules.for_file(&probe).is_ok());
    let mut warnings = Vec::new();
    // Only a real run says so: `check` writes nothing either way.
    if !sealed && !check {
        warnings.push(
            Diagnostic::warning(format!(
                "cluster `{}` has no age recipient: its secrets and encrypted machine configs are not written",
                cluster.name
            ))
            .at_opt(cluster.span.clone())
            .with_hint("add `age: \"age1...\"` to `cluster()` (or a creation rule to .sops.yaml)"),
        );
    }
    RenderedCluster {
        dir,
        script: script.to_string(),
        files: Vec::new(),
        sealed,
        warnings,
        nodes: Vec::with_capacity(cluster.nodes.len()),
    }
}

fn render_node(
    cluster: &Cluster,
    node: &Node,
    rc: &RenderedCluster,
    rules: &SopsRules,
    placeholder: &Bundle,
    strict: bool,
) -> RenderedNode {
    let file_name = machine::output_file_name(cluster, node);
    let config = (|| -> Result<Config, Problem> {
        let target = if rc.sealed {
            let name = file_name
                .strip_suffix(".yaml")
                .map_or_else(|| format!("{file_name}.sops"), |b| format!("{b}.sops.yaml"));
            let path = rc.dir.join("clusterconfig").join(&name);
            let (recipients, options) = rules.for_file(&path)?;
            Some((name, path, recipients, options))
        } else {
            None
        };
        let docs = self::node(cluster, node, placeholder).map_err(|e| e.to_problem(cluster))?;
        let text = emit_documents(&docs, &EmitOptions { indent: 4 });
        // Validated here, while the tree is at hand: it need not be parsed back from the text.
        let findings = validate_rendered(cluster, node, &docs, &text, strict);
        let sealed = target.map(|(name, path, recipients, options)| SealedFile {
            fingerprint: hex_sha256(format!("{text}\n{}", recipients.join(",")).as_bytes()),
            name,
            path,
            recipients,
            options,
        });
        Ok(Config {
            text,
            findings,
            sealed,
        })
    })();
    RenderedNode { file_name, config }
}
