//! Step `render`: everything a run writes except the secrets, in memory. The plaintext tree
//! (root `.sops.yaml` rules, per cluster talconfig.yaml, patches, Cilium values, `.gitignore`
//! files) and every node's machine config rendered with placeholder secrets
//! (`talos::generate`, then `talos::patch` in talhelper's order), as written, with the
//! fingerprint the state file records. `seal` puts the real secrets in.

use super::rules::SopsRules;
use super::secrets::{TALSECRET, hex_sha256};
use super::{Failure, Problem, parallel_map};
use crate::diag::{Diagnostic, Span};
use crate::fs::{self, OutFile};
use crate::model::{Cluster, Node, Patch, PatchSource, PatchTarget, Role, TalosMode};
use crate::script::Evaluated;
use crate::secrets::bundle::Bundle;
use crate::secrets::sops::EncryptOptions;
use crate::talhelper;
use crate::talos::generate as machine;
use crate::talos::patch::PatchError;
use crate::talos::validate::{self as talos_validate, Mode};
use crate::yaml::{EmitOptions, Yaml, emit_documents};
use std::path::{Path, PathBuf};

/// Where a run's files go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Files go to `<base>/<cluster>/talos/` (the script's directory, or `--out`).
    pub base: PathBuf,
    /// The repository root (nearest `.git`), which holds the `.sops.yaml` rules.
    pub root: PathBuf,
    /// The script as the generated headers name it: relative to `root`.
    pub script_display: String,
}

impl Layout {
    /// The layout of a run of `script` (`out`: `--out`).
    pub fn of(script: &Path, out: Option<&Path>) -> Layout {
        let script_abs = fs::absolute(script);
        let base = match out {
            Some(o) => fs::absolute(o),
            None => script_abs
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        };
        // The repository root, else the working directory, unless the output lies outside
        // it: `.sops.yaml` rules match paths below their own directory.
        let root = fs::repo_root(&base).unwrap_or_else(|| {
            let cwd = fs::absolute(Path::new("."));
            if base.starts_with(&cwd) {
                cwd
            } else {
                base.clone()
            }
        });
        let script_display = relative_to(&script_abs, &root);
        Layout {
            base,
            root,
            script_display,
        }
    }

    /// A script as the generated headers and the state file name it: relative to the root.
    pub fn display(&self, script: &Path) -> String {
        relative_to(&fs::absolute(script), &self.root)
    }
}

fn relative_to(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

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

/// Why a node's config could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    /// Talos' `gen config` has no rendering for the node (e.g. its Talos version).
    Generate {
        /// The node's hostname.
        node: String,
        /// Its `node()` call.
        span: Option<Span>,
        /// Why.
        message: String,
    },
    /// A patch failed on the config.
    Patch {
        /// The node's hostname.
        node: String,
        /// Index of the patch in the cluster's patches.
        patch: usize,
        /// Where in the patch and why.
        error: PatchError,
    },
}

impl RenderError {
    /// The problem to report: at the script, or at the offending key of the patch file.
    pub fn to_problem(&self, cluster: &Cluster) -> Problem {
        match self {
            RenderError::Generate {
                node,
                span,
                message,
            } => Diagnostic::error(format!(
                "cannot render the machine config of `{node}`: {message}"
            ))
            .at_opt(span.clone())
            .into(),
            RenderError::Patch { node, patch, error } => match cluster.patches.get(*patch) {
                Some(p) => error.in_patch(p),
                None => Diagnostic::error(error.message.clone()).into(),
            }
            .with_note(format!("while patching the machine config of `{node}`")),
        }
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Generate { node, message, .. } => write!(f, "{node}: {message}"),
            RenderError::Patch { node, error, .. } => write!(f, "{node}: {error}"),
        }
    }
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

/// One node's config documents: `talosctl gen config` with `bundle`, then the cluster's
/// patches in talhelper's order.
pub fn node(cluster: &Cluster, node: &Node, bundle: &Bundle) -> Result<Vec<Yaml>, RenderError> {
    let generate_error = |message: String| RenderError::Generate {
        node: node.hostname.clone(),
        span: node.span.clone(),
        message,
    };
    let mut docs = machine::render_node(cluster, node, bundle)
        .map_err(|message| generate_error(message.to_string()))?;
    if let Some(v1alpha1) = docs.first_mut() {
        machine::fill_templates(v1alpha1).map_err(|e| generate_error(e.to_string()))?;
    }
    let patches = node_patches(cluster, node);
    let mut docs =
        machine::apply_patches(docs, &patches).map_err(|(i, error)| RenderError::Patch {
            node: node.hostname.clone(),
            patch: cluster
                .patches
                .iter()
                .position(|p| std::ptr::eq(p, patches[i]))
                .unwrap_or(usize::MAX),
            error,
        })?;
    // talhelper appends `extraManifests` after every patch, unmerged.
    for m in &node.extra_manifests {
        docs.extend(m.documents.iter().cloned());
    }
    Ok(docs)
}

/// The patches of `node` in talhelper's order: role patches, node patches, then global ones.
pub fn node_patches<'a>(cluster: &'a Cluster, node: &Node) -> Vec<&'a Patch> {
    let role = |p: &&Patch| {
        matches!(
            (&p.target, node.role),
            (PatchTarget::ControlPlanes, Role::ControlPlane) | (PatchTarget::Workers, Role::Worker)
        )
    };
    let own = |p: &&Patch| matches!(&p.target, PatchTarget::Node(h) if *h == node.hostname || *h == node.ip.to_string());
    let global = |p: &&Patch| p.target == PatchTarget::All;
    // `overridePatches`: the node's own patches, when it has any, replace its role's.
    let mut out: Vec<&Patch> = if node.override_patches && cluster.patches.iter().any(|p| own(&p)) {
        Vec::new()
    } else {
        cluster.patches.iter().filter(role).collect()
    };
    out.extend(cluster.patches.iter().filter(own));
    out.extend(cluster.patches.iter().filter(global));
    out
}

/// What validation found in one config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// `talosctl validate` rejects the config.
    pub errors: Vec<Diagnostic>,
    /// It accepts it with warnings.
    pub warnings: Vec<Diagnostic>,
}

/// Validates a config's text like `talosctl validate --mode <the cluster's talos_mode>`,
/// with `--strict` when `strict`: warnings are printed and never abort unless strict. The
/// run does so when it makes a config (a kept one was validated when it was made).
pub fn validate(cluster: &Cluster, node: &Node, text: &str, strict: bool) -> Findings {
    let mode = mode_of(cluster);
    findings(
        node,
        &talos_validate::validate_text(text, mode, strict),
        mode,
        strict,
    )
}

/// [`validate`] of rendered documents `docs` whose text is `text` (the tree is read directly
/// when it can be; the findings are the same).
pub fn validate_rendered(
    cluster: &Cluster,
    node: &Node,
    docs: &[Yaml],
    text: &str,
    strict: bool,
) -> Findings {
    let mode = mode_of(cluster);
    let outcome = talos_validate::validate_rendered(docs, text, mode, strict);
    findings(node, &outcome, mode, strict)
}

fn mode_of(cluster: &Cluster) -> Mode {
    match cluster.talos_mode {
        TalosMode::Metal => Mode::Metal,
        TalosMode::Cloud => Mode::Cloud,
        TalosMode::Container => Mode::Container,
    }
}

/// The diagnostics of a validation outcome, at the node's `node()` call.
fn findings(node: &Node, outcome: &talos_validate::Outcome, mode: Mode, strict: bool) -> Findings {
    let file = format!("machine config of `{}`", node.hostname);
    let mut found = Findings::default();
    if let Some(e) = &outcome.decode_error {
        found.errors.push(
            Diagnostic::error(format!("the {file} does not decode: {e}")).at_opt(node.span.clone()),
        );
    }
    for e in &outcome.details {
        found.errors.push(
            Diagnostic::error(format!("the {file} is invalid: {e}"))
                .at_opt(node.span.clone())
                .with_note(format!("`talosctl validate --mode {}{}` rejects it; a patch or an option of this node causes it", mode.as_str(), if strict { " --strict" } else { "" })),
        );
    }
    for w in &outcome.warnings {
        found
            .warnings
            .push(Diagnostic::warning(format!("{file}: {w}")).at_opt(node.span.clone()));
    }
    found
}

/// Header comment of generated YAML files.
pub fn header(script_display: &str) -> String {
    format!("# generated by talforge from {script_display} — do not edit\n")
}

/// The plaintext files of one cluster under its `talos/` directory.
pub fn cluster_files(cluster: &Cluster, dir: &Path, script_display: &str) -> Vec<OutFile> {
    let head = header(script_display);
    let two = EmitOptions { indent: 2 };
    let mut files = Vec::new();
    let tc = talhelper::write::talconfig(cluster);
    files.push(OutFile::new(
        dir.join("talconfig.yaml"),
        format!(
            "# yaml-language-server: $schema={}\n{head}{}",
            talhelper::write::SCHEMA_URL,
            emit_documents(std::slice::from_ref(&tc), &two)
        ),
        0o644,
    ));
    for p in &cluster.patches {
        let content = match (&p.source, &p.text) {
            // A patch file the operator wrote is copied as is: it keeps their comments.
            (PatchSource::File(_), Some(text)) => text.clone(),
            _ => format!(
                "{head}{}",
                emit_documents(&talhelper::write::patch_documents(cluster, p), &two)
            ),
        };
        files.push(OutFile::new(
            dir.join("patches").join(format!("{}.yaml", p.name)),
            content,
            0o644,
        ));
    }
    // Each node's extra manifests, once per name (nodes sharing a file share its name).
    let mut written: Vec<&str> = Vec::new();
    for m in cluster.nodes.iter().flat_map(|n| &n.extra_manifests) {
        if written.contains(&m.name.as_str()) {
            continue;
        }
        written.push(&m.name);
        let content = match &m.text {
            Some(text) => text.clone(),
            None => format!("{head}{}", emit_documents(&m.documents, &two)),
        };
        files.push(OutFile::new(
            dir.join("manifests").join(format!("{}.yaml", m.name)),
            content,
            0o644,
        ));
    }
    if let Some(values) = crate::render::cilium::helm_values(cluster) {
        files.push(OutFile::new(
            dir.join("cilium-values.yaml"),
            format!(
                "{head}{}",
                emit_documents(std::slice::from_ref(&values), &two)
            ),
            0o644,
        ));
    }
    files.push(OutFile::new(
        dir.join(".gitignore"),
        format!(
            "{head}talosconfig\n*.talosconfig\n!*.sops.yaml\n.talenv\n{}\n",
            fs::TEMP_PATTERN
        ),
        0o644,
    ));
    let mut ignore = head.clone();
    for n in &cluster.nodes {
        ignore.push_str(&format!("{}-{}.yaml\n", cluster.name, n.hostname));
    }
    ignore.push_str("talosconfig\n");
    // A killed run's temp files may hold a plaintext config or the talosconfig.
    ignore.push_str(fs::TEMP_PATTERN);
    ignore.push('\n');
    files.push(OutFile::new(
        dir.join("clusterconfig").join(".gitignore"),
        ignore,
        0o644,
    ));
    files
}
