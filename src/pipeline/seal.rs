//! Step `seal`: the secrets go in. Per cluster the bundle is loaded (or created once, never
//! replaced silently); per node the rendered config is kept when the state file shows nothing
//! feeding it changed, or else rendered with the secrets, validated, compared with the
//! decrypted file on disk and encrypted only when it differs; then the talosconfig and the
//! state file that lets runs without the age key tell whether the encrypted configs are current.
//! `--plaintext DIR` also writes the plaintext configs (`expose` is the sibling for genconfig).

mod node;

use super::render::{Rendered, RenderedCluster, RenderedNode};
use super::secrets::{self, LoadCtx, Secrets, TALSECRET};
use super::state::{STATE_FILE, State};
use super::{Failure, Problem, RunOptions, existing, parallel_map};
use crate::diag::Diagnostic;
use crate::fs::OutFile;
use crate::model::{Cluster, Node};
use crate::render::credential::CredentialError;
use crate::render::talosconfig;
use crate::script::Evaluated;
use crate::secrets::bundle::Bundle;
use crate::secrets::keys::Identities;
use crate::yaml::{EmitOptions, emit_documents};
use indexmap::IndexMap;
use node::{NodeOut, seal_node};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// What `seal` adds to the rendered tree.
#[derive(Debug, Clone, Default)]
pub struct Sealed {
    /// Every file of the run in write order: the root `.sops.yaml`, then per cluster its
    /// plaintext tree, a new or re-encrypted bundle, the configs, the talosconfig, the state.
    pub files: Vec<OutFile>,
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
    /// Encrypted files kept without decrypting (no key; the state shows unchanged inputs).
    pub unverified: Vec<PathBuf>,
    /// Files `--check` knows are stale but cannot render without the key.
    pub stale: Vec<PathBuf>,
    /// What the operator must hear even on success (new secrets, a re-encrypted bundle).
    pub notices: Vec<String>,
    /// Generated files of nodes, patches and clusters the scripts no longer declare (the
    /// state files know them): removed after the writes.
    pub removed: Vec<PathBuf>,
}

/// Settings every node of a run shares.
struct Ctx<'a> {
    ids: &'a Identities,
    now: OffsetDateTime,
    plaintext: Option<&'a Path>,
}

/// A cluster's secrets and the last run's state, before its nodes.
#[derive(Default)]
struct Head {
    secrets: Secrets,
    state: State,
    /// Why the cluster stops before its nodes (its secrets cannot be loaded, or are locked
    /// and `--plaintext` needs them).
    stop: Option<Problem>,
    /// The talosconfig, when the bundle could be read.
    talosconfig: Option<Result<OutFile, Diagnostic>>,
}

/// Loads the secrets and makes every file of the run; the failure lists every cluster's
/// errors, then the warnings.
pub fn seal(loaded: &Evaluated, rendered: &Rendered, opts: &RunOptions) -> Result<Sealed, Failure> {
    let ids = opts.identities.clone().unwrap_or_else(Identities::discover);
    let ctx = Ctx {
        ids: &ids,
        now: opts.now.unwrap_or_else(OffsetDateTime::now_utc),
        plaintext: opts.plaintext.as_deref(),
    };
    let clusters: Vec<(&Cluster, &RenderedCluster)> = loaded
        .fleet
        .clusters
        .iter()
        .zip(&rendered.clusters)
        .collect();
    let load = LoadCtx {
        secret_file: opts.secret_file.as_deref(),
        ids: &ids,
        now: ctx.now,
        check: opts.check && !opts.preview_new_secrets,
        new_secrets: opts.new_secrets,
        rules: &rendered.rules,
    };
    // Clusters are independent: their secrets load (or a new bundle's RSA key is searched)
    // on every core, then every node of every cluster does.
    let heads = parallel_map(&clusters, |&(c, rc)| head(c, rc, &load, opts, ctx.now));
    let jobs: Vec<(usize, &Node, &RenderedNode)> = clusters
        .iter()
        .enumerate()
        .filter(|(i, _)| heads[*i].stop.is_none())
        .flat_map(|(i, (c, rc))| c.nodes.iter().zip(&rc.nodes).map(move |(n, r)| (i, n, r)))
        .collect();
    let outs = parallel_map(&jobs, |&(i, n, r)| {
        seal_node(clusters[i].0, n, r, &heads[i], &ctx)
    });
    let mut outs = outs.into_iter();
    let mut acc = Acc {
        out: Sealed {
            files: rendered.sops_yaml.iter().cloned().collect(),
            ..Sealed::default()
        },
        errors: Vec::new(),
        check: opts.check,
    };
    for ((c, rc), head) in clusters.into_iter().zip(heads) {
        let nodes = if head.stop.is_none() {
            outs.by_ref().take(c.nodes.len()).collect()
        } else {
            Vec::new()
        };
        acc.cluster(c, rc, head, nodes);
    }
    if acc.errors.is_empty() {
        let (removed, notices) = super::stale::of_removed_clusters(rendered, loaded);
        acc.out.removed.extend(removed);
        acc.out.notices.extend(notices);
        return Ok(acc.out);
    }
    let mut sources = loaded.sources.clone();
    let mut diagnostics = Problem::report_all(acc.errors, &mut sources);
    diagnostics.extend(acc.out.warnings);
    Err(Failure {
        sources,
        diagnostics,
    })
}

/// The cluster's secrets: loaded, created, or why it cannot go on.
fn head(
    cluster: &Cluster,
    rc: &RenderedCluster,
    load: &LoadCtx<'_>,
    opts: &RunOptions,
    now: OffsetDateTime,
) -> Head {
    if !rc.sealed {
        return Head::default();
    }
    let state = State::read(&rc.dir.join("clusterconfig").join(STATE_FILE));
    let secrets = match secrets::load_or_create(cluster, &rc.dir, &state, load) {
        Ok(s) => s,
        Err(p) => {
            return Head {
                stop: Some(p.or_at(cluster.span.clone())),
                ..Head::default()
            };
        }
    };
    let stop = match (&secrets.bundle, &secrets.locked) {
        (None, Some(l)) if opts.plaintext.is_some() => Some(
            l.clone()
                .with_note("`--plaintext` needs the secrets")
                .into(),
        ),
        _ => None,
    };
    let tc_path = rc.dir.join("clusterconfig").join("talosconfig");
    let talosconfig = secrets
        .bundle
        .as_ref()
        .map(|b| talosconfig_file(cluster, b, &tc_path, now));
    Head {
        secrets,
        state,
        stop,
        talosconfig,
    }
}

/// The run's files and findings so far, cluster by cluster.
struct Acc {
    out: Sealed,
    errors: Vec<Problem>,
    check: bool,
}

impl Acc {
    /// Appends one cluster's files and findings in write order.
    fn cluster(&mut self, c: &Cluster, rc: &RenderedCluster, head: Head, nodes: Vec<NodeOut>) {
        self.out.files.extend(rc.files.iter().cloned());
        self.out.warnings.extend(rc.warnings.iter().cloned());
        if !rc.sealed {
            // Only validated: every node's findings count.
            for n in nodes {
                self.errors.extend(n.errors);
                self.out.warnings.extend(n.warnings);
            }
            return;
        }
        let Head {
            secrets,
            state,
            stop,
            talosconfig,
        } = head;
        self.out.notices.extend(secrets.notices.iter().cloned());
        self.out.warnings.extend(secrets.warnings.iter().cloned());
        if let Some(p) = stop {
            self.errors.push(p);
            return;
        }
        if self.check && secrets.bundle.is_none() && secrets.locked.is_none() {
            self.out.stale.push(rc.dir.join(TALSECRET));
        }
        // The bundle is written before any config derived from it.
        self.out.files.extend(secrets.create.iter().cloned());
        match self.configs(c, rc, &secrets, &state, talosconfig, nodes) {
            Ok((files, warnings)) => {
                self.out.files.extend(files);
                self.out.warnings.extend(warnings);
            }
            Err(errors) => self.errors.extend(errors),
        }
    }

    /// The configs, talosconfig and state file of a sealed cluster, with their warnings; a
    /// cluster with errors reports them instead (and none of its configs' warnings).
    fn configs(
        &mut self,
        cluster: &Cluster,
        rc: &RenderedCluster,
        secrets: &Secrets,
        old: &State,
        talosconfig: Option<Result<OutFile, Diagnostic>>,
        nodes: Vec<NodeOut>,
    ) -> Result<(Vec<OutFile>, Vec<Diagnostic>), Vec<Problem>> {
        // Without the key the fingerprint is unknown: the last run's stays.
        let mut new = State {
            script: rc.script.clone(),
            files: Vec::new(),
            talsecret: secrets.digest.clone(),
            bundle: secrets
                .fingerprint
                .clone()
                .unwrap_or_else(|| old.bundle.clone()),
            configs: IndexMap::new(),
        };
        let (mut files, mut errors, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
        let mut needs_key = Vec::new();
        for n in nodes {
            files.extend(n.files);
            if let Some((name, entry)) = n.entry {
                new.configs.insert(name, entry);
            }
            self.out.unverified.extend(n.unverified);
            needs_key.extend(n.needs_key);
            errors.extend(n.errors);
            warnings.extend(n.warnings);
        }
        if !needs_key.is_empty() {
            if self.check {
                self.out.stale.extend(needs_key);
            } else if let Some(locked) = &secrets.locked {
                let names: Vec<String> = needs_key
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect();
                let note = format!(
                    "the machine configs {} must be rendered again, which needs the secrets",
                    names.join(", ")
                );
                errors.push(locked.clone().with_note(note).into());
            }
        }
        let cc = rc.dir.join("clusterconfig");
        let tc_path = cc.join("talosconfig");
        match talosconfig {
            Some(Ok(f)) => files.push(f),
            Some(Err(d)) => errors.push(d.into()),
            None if tc_path.exists()
                && existing(&tc_path)
                    .ok()
                    .flatten()
                    .is_some_and(|t| !talosconfig::lists_current_nodes(&t, cluster)) =>
            {
                warnings.push(
                    Diagnostic::warning(format!(
                        "`{}` lists endpoints or nodes the cluster no longer has, and cannot be re-issued: its admin certificate needs the secrets, and `{TALSECRET}` cannot be read with the age keys here",
                        crate::fs::shown(&tc_path),
                    ))
                    .with_hint("run again with the key of the bundle's recipients (SOPS_AGE_KEY_FILE)"),
                );
            }
            None if !tc_path.exists() && !self.check => warnings.push(
                Diagnostic::warning(format!(
                    "`{}` was not written: the admin certificate needs the secrets, and `{TALSECRET}` cannot be read without the age key",
                    tc_path.display(),
                ))
                .with_hint("set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY and run again"),
            ),
            None => {}
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        new.files = files
            .iter()
            .chain(&rc.files)
            .filter(|f| {
                // The talosconfig goes only with its cluster: a run without the key does
                // not write it, and must not remove it.
                let name = f.path.file_name().unwrap_or_default().to_string_lossy();
                !name.ends_with(".sops.yaml") && name != "talosconfig"
            })
            .filter_map(|f| f.path.strip_prefix(&rc.dir).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        new.files.sort();
        // Kept: what this run writes, and the encrypted config of every node it still has
        // (a run without the key keeps those without writing them).
        let mut kept: Vec<PathBuf> = files
            .iter()
            .chain(&rc.files)
            .map(|f| f.path.clone())
            .collect();
        kept.extend(rc.nodes.iter().map(|n| {
            let stem = n.file_name.strip_suffix(".yaml").unwrap_or(&n.file_name);
            cc.join(format!("{stem}.sops.yaml"))
        }));
        self.out.removed.extend(
            super::stale::of_cluster(&rc.dir, old)
                .into_iter()
                .filter(|p| !kept.contains(p)),
        );
        files.push(OutFile::new(cc.join(STATE_FILE), new.to_text(), 0o644));
        Ok((files, warnings))
    }
}

/// The talosconfig: plaintext and git-ignored; kept while it is still valid for the cluster.
fn talosconfig_file(
    cluster: &Cluster,
    bundle: &Bundle,
    path: &Path,
    now: OffsetDateTime,
) -> Result<OutFile, Diagnostic> {
    let text = match existing(path)? {
        Some(text) if talosconfig::talosconfig_is_current(&text, cluster, bundle, now) => text,
        _ => talosconfig_text(cluster, bundle, now).map_err(|e| {
            Diagnostic::error(format!(
                "cannot render the talosconfig of `{}`: {e}",
                cluster.name
            ))
        })?,
    };
    Ok(OutFile::new(path.to_path_buf(), text, 0o600))
}

/// A new talosconfig for the cluster, as written.
pub(crate) fn talosconfig_text(
    cluster: &Cluster,
    bundle: &Bundle,
    now: OffsetDateTime,
) -> Result<String, CredentialError> {
    let doc = talosconfig::render_talosconfig(cluster, bundle, now)?;
    Ok(emit_documents(&[doc], &EmitOptions { indent: 4 }))
}
