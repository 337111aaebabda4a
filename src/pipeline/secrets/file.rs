//! Reading a secrets bundle file: parsed, decrypted when it is a sops file, decoded and checked.

use super::Problem;
use super::restore_hint;
use crate::diag::Diagnostic;
use crate::secrets::bundle::Bundle;
use crate::secrets::keys::Identities;
use crate::secrets::sops::{self, SopsErrorKind};
use crate::yaml::parse_documents;
use std::path::Path;

/// A `talsecret.sops.yaml` that is not a readable SOPS file: say which way it is broken and
/// never show its content (it may be a plaintext bundle).
pub(super) fn unreadable_bundle(path: &Path, text: &str, e: &sops::SopsError) -> Problem {
    // Bundle keys and no SOPS ciphertext anywhere: a plaintext bundle, not a cut-off one.
    let plaintext = !text.contains("ENC[")
        && parse_documents(text).ok().is_some_and(|docs| {
            docs.first()
                .is_some_and(|d| d.value.get("certs").is_some() || d.value.get("secrets").is_some())
        });
    if plaintext {
        return Diagnostic::error(format!(
            "the secrets bundle `{}` is not encrypted",
            crate::fs::shown(path)
        ))
        .with_note("a plaintext bundle must never be committed; if it was, treat every secret in it as leaked")
        .with_hint(format!(
            "encrypt it in place: `talforge encrypt -i {}`",
            crate::fs::shown(path)
        ))
        .into();
    }
    let kind = match e.kind {
        SopsErrorKind::Parse => "is not valid YAML (truncated or damaged?)",
        _ => "is not a SOPS file (truncated or damaged?)",
    };
    let d = Diagnostic::error(format!(
        "the secrets bundle `{}` {kind}",
        crate::fs::shown(path)
    ));
    // Masked: the file may hold plaintext secrets; the caret shows the place only.
    Problem::in_secret_file(d, path, text, e.span.clone())
        .with_note(e.message.clone())
        .with_hint(restore_hint(path))
}

pub(super) fn read(path: &Path) -> Result<String, Problem> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read secrets file `{}`: {}",
            crate::fs::shown(path),
            crate::diag::io_cause(&e)
        ))
        .into()
    })
}

/// A bundle from a plaintext or SOPS-encrypted file, checked like Talos would. Every value
/// of a bundle is secret: problems point at lines of the file, never show the values.
pub(crate) fn read_bundle(path: &Path, text: &str, ids: &Identities) -> Result<Bundle, Problem> {
    read_bundle_checked(path, text, ids, Checked::Now)
}

/// Whether [`Bundle::validate`] runs on a bundle that is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Checked {
    /// Validate it.
    Now,
    /// The same bytes passed in the run the state file records.
    Before,
}

pub(super) fn read_bundle_checked(
    path: &Path,
    text: &str,
    ids: &Identities,
    checked: Checked,
) -> Result<Bundle, Problem> {
    let in_file = |d: Diagnostic, range| Problem::in_secret_file(d, path, text, range);
    let docs = parse_documents(text).map_err(|e| {
        in_file(
            Diagnostic::error(format!("secrets file is not valid YAML: {}", e.message)),
            Some(e.span.clone()),
        )
    })?;
    let first = docs.first().ok_or_else(|| {
        Problem::from(Diagnostic::error(format!(
            "secrets file `{}` is empty",
            crate::fs::shown(path)
        )))
    })?;
    let encrypted = first.value.get("sops").is_some();
    let (value, spans) = if encrypted {
        let v = sops::decrypt(text, ids).map_err(|e| {
            e.in_secret_file(path, text)
                .with_note(format!("while decrypting `{}`", crate::fs::shown(path)))
        })?;
        (v, None)
    } else {
        (first.value.clone(), Some(first))
    };
    let bundle = Bundle::from_yaml(&value).map_err(|e| {
        let p = match spans {
            Some(doc) => e.in_secret_file(doc, path, text),
            None => Diagnostic::error(e.message.clone())
                .with_note(format!("in the decrypted content of `{}`", crate::fs::shown(path)))
                .into(),
        };
        p.with_hint("a Talos secrets bundle has cluster, secrets, trustdinfo and certs sections (`talforge secrets gen` writes one)")
    })?;
    let problems = match checked {
        Checked::Now => bundle.validate(),
        Checked::Before => Vec::new(),
    };
    if let Some(first) = problems.first() {
        let mut d = Diagnostic::error(format!(
            "secrets bundle `{}` is not usable: {first}",
            crate::fs::shown(path)
        ));
        for p in problems.iter().skip(1) {
            d = d.with_note(p.clone());
        }
        return Err(d.into());
    }
    Ok(bundle)
}
