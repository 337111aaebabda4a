//! One node of `seal`: its config kept, or made with the secrets, validated, compared with
//! the decrypted file on disk and encrypted only when it differs.

use super::{Ctx, Head};
use crate::diag::Diagnostic;
use crate::diag::IntoDiagnostic;
use crate::fs::OutFile;
use crate::model::{Cluster, Node};
use crate::pipeline::render::{self, Findings, RenderedNode, SealedFile};
use crate::pipeline::secrets::hex_sha256;
use crate::pipeline::state::StateEntry;
use crate::pipeline::{Problem, existing};
use crate::secrets::bundle::Bundle;
use crate::secrets::sops;
use crate::yaml::{EmitOptions, emit_documents};
use std::path::{Path, PathBuf};

/// What one node adds to its cluster.
#[derive(Default)]
pub(super) struct NodeOut {
    /// Its plaintext config (with `--plaintext`), then its encrypted one.
    pub files: Vec<OutFile>,
    /// Its line in the new state file.
    pub entry: Option<(String, StateEntry)>,
    /// Kept without decrypting: no key, and the state shows its inputs unchanged.
    pub unverified: Option<PathBuf>,
    /// Must be rendered again, which needs the secrets.
    pub needs_key: Option<PathBuf>,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Diagnostic>,
}

impl NodeOut {
    fn found(&mut self, f: Findings) {
        self.errors.extend(f.errors.into_iter().map(Problem::from));
        self.warnings.extend(f.warnings);
    }

    fn failed(p: Problem) -> NodeOut {
        NodeOut {
            errors: vec![p],
            ..NodeOut::default()
        }
    }
}

/// One node's encrypted config (and plaintext one with `--plaintext`), or for a cluster that
/// is not sealed its validation only.
pub(super) fn seal_node(
    cluster: &Cluster,
    node: &Node,
    rendered: &RenderedNode,
    head: &Head,
    ctx: &Ctx<'_>,
) -> NodeOut {
    let mut out = NodeOut::default();
    let cfg = match &rendered.config {
        Ok(c) => c,
        Err(p) => return NodeOut::failed(p.clone()),
    };
    let Some(enc) = &cfg.sealed else {
        out.found(cfg.findings.clone());
        return out;
    };
    let current = match existing(&enc.path) {
        Ok(c) => c,
        Err(d) => return NodeOut::failed(d.into()),
    };
    let current_sum = current.as_ref().map(|t| hex_sha256(t.as_bytes()));
    let (secrets, old) = (&head.secrets, &head.state);
    // The last run made this file from the same bundle file and the same inputs.
    let recorded = old.configs.get(&enc.name).filter(|r| {
        old.talsecret == secrets.digest
            && r.rendered == enc.fingerprint
            && current_sum.as_ref() == Some(&r.file)
    });
    let Some(bundle) = &secrets.bundle else {
        out.found(cfg.findings.clone());
        // Without the key: current when nothing that feeds the config changed.
        match (recorded, &current, current_sum) {
            (Some(_), Some(text), Some(file)) if same_recipients(text, &enc.recipients) => {
                let entry = StateEntry {
                    rendered: enc.fingerprint.clone(),
                    file,
                };
                out.entry = Some((enc.name.clone(), entry));
                out.unverified = Some(enc.path.clone());
            }
            _ => {
                out.entry = old
                    .configs
                    .get(&enc.name)
                    .map(|r| (enc.name.clone(), r.clone()));
                out.needs_key = Some(enc.path.clone());
            }
        }
        return out;
    };
    // Unchanged inputs, bundle and file since the last run: the file is current (it was
    // validated then), so neither rendering with secrets nor decrypting is needed.
    if let (Some(r), Some(text), None) = (recorded, &current, ctx.plaintext) {
        out.entry = Some((enc.name.clone(), r.clone()));
        out.files
            .push(OutFile::as_read(enc.path.clone(), text.clone(), 0o644));
        return out;
    }
    let job = Job {
        cluster,
        node,
        file_name: &rendered.file_name,
        findings: &cfg.findings,
        enc,
    };
    match job.sealed_config(bundle, current, ctx, &mut out) {
        Ok((content, file)) => {
            let entry = StateEntry {
                rendered: enc.fingerprint.clone(),
                file,
            };
            out.entry = Some((enc.name.clone(), entry));
            out.files
                .push(OutFile::new(enc.path.clone(), content, 0o644));
        }
        Err(p) => out.errors.push(p),
    }
    out
}

/// A node whose config is made again.
struct Job<'a> {
    cluster: &'a Cluster,
    node: &'a Node,
    file_name: &'a str,
    /// What validating the config with placeholder secrets found.
    findings: &'a Findings,
    enc: &'a SealedFile,
}

impl Job<'_> {
    /// Renders the config with the secrets and returns the encrypted file's text and sha256:
    /// the file on disk when it decrypts to the same config for the same recipients, else a
    /// new encryption. Validation findings, the plaintext file and a tampered file's warning
    /// go to `out`.
    // The seam for rendering each config once: fill the secrets into the placeholder config
    // instead of rendering again (its structure can differ with the bundle, e.g. aescbc
    // instead of secretbox, so this is not a plain substitution).
    fn sealed_config(
        &self,
        bundle: &Bundle,
        current: Option<String>,
        ctx: &Ctx<'_>,
        out: &mut NodeOut,
    ) -> Result<(String, String), Problem> {
        let (cluster, node, enc) = (self.cluster, self.node, self.enc);
        let docs = render::node(cluster, node, bundle).map_err(|e| e.to_problem(cluster))?;
        // Validation sees the same structure with placeholder secrets.
        out.found(self.findings.clone());
        if let Some(p) = ctx.plaintext {
            out.files.push(OutFile::new(
                p.join(self.file_name),
                emit_documents(&docs, &EmitOptions { indent: 4 }),
                0o600,
            ));
        }
        let keep = current.filter(|text| match sops::decrypt_file(text, ctx.ids) {
            Ok(d) => {
                same_recipient_set(&d.metadata, &enc.recipients)
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
                    out.warnings.push(tampered_warning(&enc.path, &e));
                }
                false
            }
        });
        if let Some(text) = keep {
            let sum = hex_sha256(text.as_bytes());
            return Ok((text, sum));
        }
        let c = sops::encrypt_documents(&docs, &enc.recipients, &enc.options, ctx.now).map_err(
            |e| {
                e.into_problem().with_note(format!(
                    "while encrypting the machine config of `{}`",
                    node.hostname
                ))
            },
        )?;
        let sum = hex_sha256(c.as_bytes());
        Ok((c, sum))
    }
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
    sops::metadata_quick(text).is_ok_and(|m| same_recipient_set(&m, want))
}

fn same_recipient_set(m: &sops::Metadata, want: &[String]) -> bool {
    let mut have: Vec<&str> = m.age.iter().map(|a| a.recipient.as_str()).collect();
    let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
    have.sort_unstable();
    want.sort_unstable();
    have == want
}
