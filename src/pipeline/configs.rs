//! Per-node machine configs in a run: render, patch in talhelper's order, validate, then
//! encrypt only what changed, plus the talosconfig and the state file that lets runs without
//! the age key tell whether the encrypted configs are current.

use super::secrets::{RulesFor, Secrets, hex_sha256};
use super::state::{State, StateEntry};
use crate::diag::{Diagnostic, Sources};
use crate::fs::OutFile;
use crate::model::{Cluster, Node, Patch, PatchTarget, Role};
use crate::render::talosconfig;
use crate::secrets::bundle::{Bundle, CertKey};
use crate::secrets::keys::Identities;
use crate::secrets::sops;
use crate::talos::generate as machine;
use crate::talos::patch;
use crate::talos::validate::{self as talos_validate, Mode};
use crate::yaml::{EmitOptions, Yaml, emit_documents};
use indexmap::IndexMap;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

pub use super::state::STATE_FILE;

/// What the configs step adds to a plan.
#[derive(Debug, Default)]
pub(crate) struct ConfigsOut {
    pub files: Vec<OutFile>,
    pub warnings: Vec<Diagnostic>,
    /// Encrypted files whose content could not be compared (no key, `--check`).
    pub unverified: Vec<PathBuf>,
    /// Files `--check` knows are stale but cannot render without the key.
    pub stale: Vec<PathBuf>,
}

/// Settings of the configs step.
pub(crate) struct ConfigsCtx<'a> {
    pub ids: &'a Identities,
    pub now: OffsetDateTime,
    pub plaintext: Option<&'a Path>,
    pub check: bool,
    pub rules_for: &'a RulesFor<'a>,
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
    let mut out: Vec<&Patch> = cluster.patches.iter().filter(role).collect();
    out.extend(cluster.patches.iter().filter(own));
    out.extend(cluster.patches.iter().filter(global));
    out
}

/// Renders and patches one node's config; errors point at the script or the patch.
pub fn render_patched(
    cluster: &Cluster,
    node: &Node,
    bundle: &Bundle,
    sources: &mut Sources,
) -> Result<Vec<Yaml>, Diagnostic> {
    let docs = machine::render_node(cluster, node, bundle).map_err(|e| {
        Diagnostic::error(format!(
            "cannot render the machine config of `{}`: {e}",
            node.hostname
        ))
        .at_opt(node.span.clone())
    })?;
    let patches = node_patches(cluster, node);
    patch::apply_all(docs, &patches).map_err(|(i, e)| {
        patch::to_diagnostic(&e, patches[i], sources).with_note(format!(
            "while patching the machine config of `{}`",
            node.hostname
        ))
    })
}

/// Validates a rendered config like `talosctl validate --mode metal --strict`.
pub fn validate_node(
    node: &Node,
    docs: &[Yaml],
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    let outcome = talos_validate::validate_docs(docs, Mode::Metal, true);
    let file = format!("machine config of `{}`", node.hostname);
    if let Some(e) = &outcome.decode_error {
        errors.push(
            Diagnostic::error(format!("the {file} does not decode: {e}")).at_opt(node.span.clone()),
        );
    }
    for e in &outcome.details {
        errors.push(
            Diagnostic::error(format!("the {file} is invalid: {e}"))
                .at_opt(node.span.clone())
                .with_note("`talosctl validate --mode metal` rejects it; a patch or an option of this node causes it"),
        );
    }
    for w in &outcome.warnings {
        warnings.push(Diagnostic::warning(format!("{file}: {w}")).at_opt(node.span.clone()));
    }
}

/// A bundle of fixed placeholders: configs rendered with it carry everything but the secrets.
pub fn placeholder_bundle() -> Bundle {
    // Well-formed values (token shapes, base64) so the configs also pass validation.
    let b64 = |s: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    let ck = |n: &str| CertKey {
        crt: b64(&format!("redacted {n} certificate")),
        key: b64(&format!("redacted {n} key")),
    };
    let zeros = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_string();
    Bundle {
        cluster_id: zeros.clone(),
        cluster_secret: zeros.clone(),
        bootstrap_token: "redact.edredactedredact".into(),
        secretbox_encryption_secret: Some(zeros),
        aescbc_encryption_secret: None,
        trustd_token: "redact.edredactedredact".into(),
        etcd: ck("etcd"),
        k8s: ck("k8s"),
        k8s_aggregator: ck("k8saggregator"),
        k8s_service_account: CertKey {
            crt: String::new(),
            key: b64("redacted service account key"),
        },
        os: ck("os"),
    }
}

/// Renders and validates every node with placeholder secrets (for clusters whose configs
/// are not written, and for `check`).
pub(crate) fn validate_only(
    cluster: &Cluster,
    sources: &mut Sources,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    let placeholder = placeholder_bundle();
    // Nodes render and validate independently, on every core; a node whose patches fail is
    // rendered again here so its diagnostic points into the real sources.
    let results = super::parallel_map(&cluster.nodes, |node| {
        let mut scratch = Sources::default();
        let (mut e, mut w) = (Vec::new(), Vec::new());
        match render_patched(cluster, node, &placeholder, &mut scratch) {
            Ok(docs) => {
                validate_node(node, &docs, &mut e, &mut w);
                Some((e, w))
            }
            Err(_) => None,
        }
    });
    for (node, r) in cluster.nodes.iter().zip(results) {
        match r {
            Some((e, w)) => {
                errors.extend(e);
                warnings.extend(w);
            }
            None => {
                if let Err(d) = render_patched(cluster, node, &placeholder, sources) {
                    errors.push(d);
                }
            }
        }
    }
}

/// A file's text, `None` when it does not exist; other read errors name path and cause.
pub(crate) fn existing(path: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(format!(
            "cannot read `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        ))),
    }
}

/// Plans the machine configs, talosconfig and state file of one cluster.
pub(crate) fn plan_cluster(
    cluster: &Cluster,
    dir: &Path,
    secrets: &Secrets,
    old: &State,
    ctx: &ConfigsCtx<'_>,
    sources: &mut Sources,
) -> Result<ConfigsOut, Vec<Diagnostic>> {
    let cc = dir.join("clusterconfig");
    let state_path = cc.join(STATE_FILE);
    // Without the key the fingerprint is unknown: the last run's stays.
    let mut new = State {
        talsecret: secrets.digest.clone(),
        bundle: secrets
            .fingerprint
            .clone()
            .unwrap_or_else(|| old.bundle.clone()),
        configs: IndexMap::new(),
    };
    let mut out = ConfigsOut::default();
    let mut errors = Vec::new();
    let placeholder = placeholder_bundle();
    let opts4 = EmitOptions { indent: 4 };
    let mut needs_key = Vec::new();
    for node in &cluster.nodes {
        let plain_name = machine::output_file_name(cluster, node);
        let enc_name = plain_name.strip_suffix(".yaml").map_or_else(
            || format!("{plain_name}.sops"),
            |b| format!("{b}.sops.yaml"),
        );
        let enc_path = cc.join(&enc_name);
        let (recipients, options) = match (ctx.rules_for)(&enc_path, sources) {
            Ok(r) => r,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        // The fingerprint of everything but the secrets: script, patches, recipients.
        let redacted = match render_patched(cluster, node, &placeholder, sources) {
            Ok(d) => d,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let rendered = hex_sha256(
            format!(
                "{}\n{}",
                emit_documents(&redacted, &opts4),
                recipients.join(",")
            )
            .as_bytes(),
        );
        let current = match existing(&enc_path) {
            Ok(c) => c,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let current_sum = current.as_ref().map(|t| hex_sha256(t.as_bytes()));
        let Some(bundle) = &secrets.bundle else {
            validate_node(node, &redacted, &mut errors, &mut out.warnings);
            // Without the key: current when nothing that feeds the config changed.
            let recorded = old.configs.get(&enc_name);
            let up_to_date = match (&current, &current_sum, recorded) {
                (Some(text), Some(sum), Some(r)) => {
                    old.talsecret == secrets.digest
                        && r.rendered == rendered
                        && r.file == *sum
                        && same_recipients(text, &recipients)
                }
                _ => false,
            };
            match (up_to_date, current_sum) {
                (true, Some(file)) => {
                    new.configs
                        .insert(enc_name.clone(), StateEntry { rendered, file });
                    out.unverified.push(enc_path);
                }
                _ => {
                    if let Some(r) = old.configs.get(&enc_name) {
                        new.configs.insert(enc_name.clone(), r.clone());
                    }
                    needs_key.push(enc_path);
                }
            }
            continue;
        };
        // Unchanged inputs, bundle and file since the last run: the file is current (it was
        // validated then), so neither rendering with secrets nor decrypting is needed.
        let recorded = old.configs.get(&enc_name);
        if let (Some(text), Some(sum), Some(r), None) =
            (&current, &current_sum, recorded, ctx.plaintext)
            && old.talsecret == secrets.digest
            && r.rendered == rendered
            && r.file == *sum
        {
            new.configs.insert(enc_name, r.clone());
            out.files.push(OutFile::new(enc_path, text.clone(), 0o644));
            continue;
        }
        let docs = match render_patched(cluster, node, bundle, sources) {
            Ok(d) => d,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        // Validation sees the same structure with placeholder secrets.
        validate_node(node, &redacted, &mut errors, &mut out.warnings);
        if let Some(p) = ctx.plaintext {
            out.files.push(OutFile::new(
                p.join(&plain_name),
                emit_documents(&docs, &opts4),
                0o600,
            ));
        }
        let keep = current
            .as_ref()
            .filter(|text| match sops::decrypt_file(text, ctx.ids) {
                Ok(d) => {
                    same_recipient_set(&d.metadata, &recipients)
                        && d.documents.len() == docs.len()
                        && d.documents
                            .iter()
                            .zip(&docs)
                            .all(|(a, b)| a.to_yaml() == *b)
                }
                Err(e) => {
                    if matches!(
                        e.kind,
                        sops::SopsErrorKind::Tampered | sops::SopsErrorKind::MacMismatch
                    ) {
                        out.warnings.push(tampered_warning(&enc_path, &e));
                    }
                    false
                }
            });
        let (content, file) = match (keep, current_sum) {
            (Some(text), Some(sum)) => (text.clone(), sum),
            _ => match sops::encrypt_documents(&docs, &recipients, &options, ctx.now) {
                Ok(c) => {
                    let sum = hex_sha256(c.as_bytes());
                    (c, sum)
                }
                Err(e) => {
                    errors.push(e.to_diagnostic(None).with_note(format!(
                        "while encrypting the machine config of `{}`",
                        node.hostname
                    )));
                    continue;
                }
            },
        };
        new.configs.insert(enc_name, StateEntry { rendered, file });
        out.files.push(OutFile::new(enc_path, content, 0o644));
    }
    if !needs_key.is_empty() {
        if ctx.check {
            out.stale = needs_key;
        } else if let Some(locked) = &secrets.locked {
            let names: Vec<String> = needs_key
                .iter()
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            errors.push(locked.clone().with_note(format!(
                "the machine configs {} must be rendered again, which needs the secrets",
                names.join(", ")
            )));
        }
    }
    // talosconfig: plaintext and git-ignored; kept while it is still valid for this cluster.
    let tc_path = cc.join("talosconfig");
    if let Some(bundle) = &secrets.bundle {
        match existing(&tc_path) {
            Ok(Some(text))
                if talosconfig::talosconfig_is_current(&text, cluster, bundle, ctx.now) =>
            {
                out.files.push(OutFile::new(tc_path, text, 0o600));
            }
            Ok(_) => match talosconfig::render_talosconfig(cluster, bundle, ctx.now) {
                Ok(doc) => out.files.push(OutFile::new(
                    tc_path,
                    emit_documents(&[doc], &EmitOptions { indent: 4 }),
                    0o600,
                )),
                Err(e) => errors.push(Diagnostic::error(format!(
                    "cannot render the talosconfig of `{}`: {e}",
                    cluster.name
                ))),
            },
            Err(d) => errors.push(d),
        }
    } else if !tc_path.exists() && !ctx.check {
        out.warnings.push(
            Diagnostic::warning(format!(
                "`{}` was not written: the admin certificate needs the secrets, and `{}` cannot be read without the age key",
                tc_path.display(),
                super::secrets::TALSECRET
            ))
            .with_hint("set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY and run again"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.files
        .push(OutFile::new(state_path, new.to_text(), 0o644));
    Ok(out)
}

/// An encrypted config on disk that fails to authenticate is replaced, never trusted; the
/// operator hears that someone or something changed it.
fn tampered_warning(path: &Path, e: &sops::SopsError) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{}` failed to authenticate and is replaced by a new encryption of its rendered config",
        path.display()
    ))
    .with_note(e.message.clone())
    .with_hint(format!(
        "if nobody meant to edit it, find out who changed it: `git log -p -- {}`",
        path.display()
    ))
}

fn same_recipients(text: &str, want: &[String]) -> bool {
    sops::metadata(text).is_ok_and(|m| same_recipient_set(&m, want))
}

fn same_recipient_set(m: &sops::Metadata, want: &[String]) -> bool {
    let mut have: Vec<&str> = m.age.iter().map(|a| a.recipient.as_str()).collect();
    let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
    have.sort_unstable();
    want.sort_unstable();
    have == want
}
