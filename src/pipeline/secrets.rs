//! The secrets step of a run: load `talsecret.sops.yaml` (or `--secret-file`), or create it once.

use crate::diag::{Diagnostic, Sources, Span};
use crate::model::Cluster;
use crate::secrets::bundle::Bundle;
use crate::secrets::keys::Identities;
use crate::secrets::redact::value_ranges;
use crate::secrets::sops::{self, EncryptOptions};
use crate::write::OutFile;
use crate::yaml::parse_documents;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// The file name talhelper and talforge keep a cluster's secrets bundle in.
pub const TALSECRET: &str = "talsecret.sops.yaml";

/// What a run knows about a cluster's secrets.
#[derive(Debug, Clone)]
pub(crate) struct Secrets {
    /// The bundle, when it could be read (or was just created).
    pub bundle: Option<Bundle>,
    /// sha256 of the bundle file's bytes: a replaced bundle makes every config stale.
    pub digest: String,
    /// A new `talsecret.sops.yaml` to create (never an overwrite).
    pub create: Option<OutFile>,
    /// Why the bundle could not be read: no matching age identity.
    pub locked: Option<Diagnostic>,
}

/// Recipients and sops options for an output file, from the `.sops.yaml` rules.
pub(crate) type RulesFor<'a> =
    dyn Fn(&Path, &mut Sources) -> Result<(Vec<String>, EncryptOptions), Diagnostic> + Sync + 'a;

/// Lowercase hex sha256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How secrets are found for a run.
#[derive(Clone, Copy)]
pub(crate) struct LoadCtx<'a> {
    /// `--secret-file`.
    pub secret_file: Option<&'a Path>,
    /// Identities for decryption.
    pub ids: &'a Identities,
    /// SOPS `lastmodified`.
    pub now: OffsetDateTime,
    /// `--check` / `check`: report a missing bundle instead of generating it.
    pub check: bool,
    /// Recipients for the new bundle.
    pub rules_for: &'a RulesFor<'a>,
}

/// Loads the bundle for `cluster` (talsecret under `dir`, or `secret_file`), or plans a new one
/// (`check` plans nothing: a missing bundle is reported, not generated).
pub(crate) fn load_or_create(
    cluster: &Cluster,
    dir: &Path,
    ctx: &LoadCtx<'_>,
    sources: &mut Sources,
) -> Result<Secrets, Diagnostic> {
    let LoadCtx {
        secret_file,
        ids,
        now,
        check,
        rules_for,
    } = *ctx;
    if let Some(f) = secret_file {
        let text = read(f)?;
        let bundle = read_bundle(f, &text, ids, sources)?;
        return Ok(Secrets {
            bundle: Some(bundle),
            digest: hex_sha256(text.as_bytes()),
            create: None,
            locked: None,
        });
    }
    let path = dir.join(TALSECRET);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let digest = hex_sha256(text.as_bytes());
            let meta = sops::metadata(&text).map_err(|e| {
                let id = sources.add_masked(path.clone(), text.clone(), value_ranges(&text));
                e.to_diagnostic(Some(id))
                    .with_note(format!("while reading `{}`", path.display()))
            })?;
            let recipients: Vec<String> = meta.age.iter().map(|a| a.recipient.clone()).collect();
            let ours = ids.recipients();
            if !recipients.iter().any(|r| ours.contains(r)) {
                let d = Diagnostic::error(format!(
                    "cannot read `{}`: no age identity for its recipients",
                    path.display()
                ))
                .with_note(format!(
                    "the file is encrypted for {}",
                    recipients.join(", ")
                ))
                .with_note(format!("looked for age identities in: {}", ids.describe()))
                .with_hint(ids.hint());
                return Ok(Secrets {
                    bundle: None,
                    digest,
                    create: None,
                    locked: Some(d),
                });
            }
            let bundle = read_bundle(&path, &text, ids, sources)?;
            Ok(Secrets {
                bundle: Some(bundle),
                digest,
                create: None,
                locked: None,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && check => Ok(Secrets {
            bundle: None,
            digest: String::new(),
            create: None,
            locked: None,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let bundle = Bundle::generate(&cluster.talos_version).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot generate secrets for `{}`: {e}",
                    cluster.name
                ))
            })?;
            let (recipients, options) = rules_for(&path, sources)?;
            let content = sops::encrypt(&bundle.to_yaml(), &recipients, &options, now)
                .map_err(|e| e.to_diagnostic(None))?;
            Ok(Secrets {
                bundle: Some(bundle),
                digest: hex_sha256(content.as_bytes()),
                create: Some(OutFile {
                    path,
                    content,
                    mode: 0o600,
                }),
                locked: None,
            })
        }
        Err(e) => Err(Diagnostic::error(format!(
            "cannot read `{}`: {}",
            path.display(),
            crate::script::io_cause(&e)
        ))),
    }
}

fn read(path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read secrets file `{}`: {}",
            path.display(),
            crate::script::io_cause(&e)
        ))
    })
}

/// A bundle from a plaintext or SOPS-encrypted file, checked like Talos would.
pub(crate) fn read_bundle(
    path: &Path,
    text: &str,
    ids: &Identities,
    sources: &mut Sources,
) -> Result<Bundle, Diagnostic> {
    // Every value of a bundle is secret: reports point at lines, never show the values.
    let id = sources.add_masked(PathBuf::from(path), text.to_string(), value_ranges(text));
    let docs = parse_documents(text).map_err(|e| {
        Diagnostic::error(format!("secrets file is not valid YAML: {}", e.message))
            .at(Span::new(id, e.span.clone()))
    })?;
    let first = docs
        .first()
        .ok_or_else(|| Diagnostic::error(format!("secrets file `{}` is empty", path.display())))?;
    let encrypted = first.value.get("sops").is_some();
    let (value, spans) = if encrypted {
        let v = sops::decrypt(text, ids).map_err(|e| {
            e.to_diagnostic(Some(id))
                .with_note(format!("while decrypting `{}`", path.display()))
        })?;
        (v, None)
    } else {
        (first.value.clone(), Some(first))
    };
    let bundle = Bundle::from_yaml(&value).map_err(|e| {
        let d = match spans {
            Some(doc) => e.to_diagnostic(doc, id),
            None => Diagnostic::error(e.message.clone())
                .with_note(format!("in the decrypted content of `{}`", path.display())),
        };
        d.with_hint("a Talos secrets bundle has cluster, secrets, trustdinfo and certs sections (`talforge secrets gen` writes one)")
    })?;
    let problems = bundle.validate();
    if let Some(first) = problems.first() {
        let mut d = Diagnostic::error(format!(
            "secrets bundle `{}` is not usable: {first}",
            path.display()
        ));
        for p in problems.iter().skip(1) {
            d = d.with_note(p.clone());
        }
        return Err(d);
    }
    Ok(bundle)
}
