//! `talforge patch CONFIG --patch @file.yaml [--patch '[json6902]'] [-o OUT]`: Talos'
//! configpatcher on any machine config, like `talosctl machineconfig patch`.
//!
//! Patches are read as `configpatcher.LoadPatches` reads them (`@file`, a bare file name, or
//! the patch itself) and applied in order; the result is what Talos marshals. A SOPS-encrypted
//! CONFIG is decrypted with the operator's age key; the output is encrypted again only when
//! `-o` names a `*.sops.yaml` file (to the input's recipients, else `.sops.yaml`'s rules).
//! Plaintext holding secrets is never written where git would track it.

use crate::diag::{Diagnostic, Failure, Sources, Span};
use crate::model::{Patch, PatchSource, PatchTarget};
use crate::secrets::keys::Identities;
use crate::secrets::redact::secret_ranges;
use crate::secrets::sops::{self, EncryptOptions};
use crate::talos::patch;
use crate::yaml::{EmitOptions, Yaml, emit_documents, parse_documents};
use std::path::{Path, PathBuf};

/// Arguments of `patch`.
#[derive(Debug, clap::Args)]
pub struct PatchArgs {
    /// The machine config (plaintext or SOPS-encrypted).
    pub config: PathBuf,
    /// A patch: `@file`, a file name, a JSON6902 list or strategic merge YAML (repeatable;
    /// applied in order).
    #[arg(short = 'p', long = "patch", value_name = "PATCH", required = true)]
    pub patches: Vec<String>,
    /// Write the result here instead of stdout (`*.sops.yaml`: encrypted).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a plaintext config holding secrets even where git would track it.
    #[arg(long)]
    pub force: bool,
}

/// A config read from disk: its plaintext and, when it was encrypted, its SOPS metadata.
struct Input {
    text: String,
    sops: Option<sops::Metadata>,
}

pub(super) fn run(a: &PatchArgs) -> Result<u8, Failure> {
    let mut sources = Sources::default();
    match patch_config(a, &mut sources) {
        Ok(()) => Ok(0),
        Err(d) => Err(Failure::new(sources, vec![d])),
    }
}

fn patch_config(a: &PatchArgs, sources: &mut Sources) -> Result<(), Diagnostic> {
    let input = read_config(&a.config)?;
    let name = if input.sops.is_some() {
        PathBuf::from(format!("{} (decrypted)", a.config.display()))
    } else {
        a.config.clone()
    };
    // A machine config holds the cluster's keys: reports never show their values.
    let id = sources.add_masked(name, input.text.clone(), secret_ranges(&input.text));
    let docs: Vec<Yaml> = parse_documents(&input.text)
        .map_err(|e| Diagnostic::error(e.message).at(Span::new(id, e.span)))?
        .into_iter()
        .map(|d| d.value)
        .collect();
    let patches = a
        .patches
        .iter()
        .enumerate()
        .map(|(i, spec)| load_patch(i, spec, sources))
        .collect::<Result<Vec<Patch>, Diagnostic>>()?;
    let mut docs = docs;
    for p in &patches {
        docs = patch::apply(docs, p).map_err(|e| patch::to_diagnostic(&e, p, sources))?;
    }
    let out = emit_documents(&docs, &EmitOptions::default());
    match &a.output {
        // talosctl prints the config and a newline.
        None => {
            println!("{out}");
            Ok(())
        }
        Some(path) => write_output(a, path, &out, input.sops.as_ref(), sources),
    }
}

/// Reads CONFIG, decrypting it when it is a SOPS file.
fn read_config(path: &Path) -> Result<Input, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        ))
    })?;
    if !text.lines().any(|l| l.starts_with("sops:")) {
        return Ok(Input { text, sops: None });
    }
    let d = sops::decrypt_file(&text, &Identities::discover()).map_err(|e| {
        e.to_diagnostic(None)
            .with_note(format!("decrypting `{}`", path.display()))
    })?;
    Ok(Input {
        text: sops::text::emit(&d.documents, 4),
        sops: Some(d.metadata),
    })
}

/// One `--patch` value as `configpatcher.LoadPatches` reads it: `@file`; a bare word (no
/// space, newline, `[` or `{`) is a file name too; anything else is the patch itself.
fn load_patch(i: usize, spec: &str, sources: &mut Sources) -> Result<Patch, Diagnostic> {
    let file = match spec.strip_prefix('@') {
        Some(f) => Some(f),
        None if !spec.contains(['\n', ' ']) && !spec.starts_with(['[', '{']) => Some(spec),
        None => None,
    };
    let (text, source, name) = if let Some(f) = file {
        let text = std::fs::read_to_string(f).map_err(|e| {
            Diagnostic::error(format!(
                "cannot read patch `{f}`: {}",
                crate::diag::io_cause(&e)
            ))
            .with_hint("write `--patch @FILE` for a file, or the patch itself")
        })?;
        let stem = Path::new(f)
            .file_stem()
            .map_or_else(|| f.to_string(), |s| s.to_string_lossy().into_owned());
        (text, PathBuf::from(f), stem)
    } else {
        let label = format!("--patch #{}", i + 1);
        (spec.to_string(), PathBuf::from(&label), label)
    };
    let documents = parse_documents(&text)
        .map_err(|e| {
            let id = sources.add(source.clone(), text.clone());
            Diagnostic::error(e.message).at(Span::new(id, e.span))
        })?
        .into_iter()
        .map(|d| d.value)
        .collect();
    Ok(Patch {
        name,
        target: PatchTarget::All,
        documents,
        text: Some(text),
        source: PatchSource::File(source),
        span: None,
        template: None,
    })
}

/// Writes `-o`: encrypted for a `*.sops.yaml` name, else plaintext (refused into a tracked
/// path when it holds secrets, unless `--force`).
fn write_output(
    a: &PatchArgs,
    path: &Path,
    text: &str,
    sops_in: Option<&sops::Metadata>,
    sources: &mut Sources,
) -> Result<(), Diagnostic> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let encrypted = name.as_deref().is_some_and(|n| n.ends_with(".sops.yaml"));
    let secret = !secret_ranges(text).is_empty();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (content, mode) = if encrypted {
        let (recipients, opts) = recipients_for(path, sops_in, sources)?;
        let now = time::OffsetDateTime::now_utc();
        let enc =
            sops::encrypt_text(text, &recipients, &opts, now).map_err(|e| e.to_diagnostic(None))?;
        (enc, 0o644)
    } else {
        if secret && !a.force {
            let names = [name.unwrap_or_default()];
            crate::fs::refuse_tracked(parent, &names, crate::fs::PLAINTEXT_CONFIGS).map_err(
                |d| {
                    d.with_note(
                        "`-o FILE.sops.yaml` writes it encrypted; `--force` writes it anyway",
                    )
                },
            )?;
        }
        (text.to_string(), if secret { 0o600 } else { 0o644 })
    };
    std::fs::create_dir_all(parent)
        .and_then(|()| crate::fs::write_atomic(path, content.as_bytes(), mode))
        .map_err(|e| {
            Diagnostic::error(format!(
                "cannot write `{}`: {}",
                path.display(),
                crate::diag::io_cause(&e)
            ))
        })
}

/// The input's own recipients and options when it was encrypted, else `.sops.yaml`'s.
fn recipients_for(
    path: &Path,
    sops_in: Option<&sops::Metadata>,
    sources: &mut Sources,
) -> Result<(Vec<String>, EncryptOptions), Diagnostic> {
    if let Some(m) = sops_in {
        let opts = EncryptOptions {
            unencrypted_suffix: m.unencrypted_suffix.clone(),
            encrypted_suffix: m.encrypted_suffix.clone(),
            unencrypted_regex: m.unencrypted_regex.clone(),
            encrypted_regex: m.encrypted_regex.clone(),
            mac_only_encrypted: m.mac_only_encrypted,
            ..EncryptOptions::default()
        };
        return Ok((m.recipients(), opts));
    }
    let abs = crate::fs::absolute(path);
    let dir = abs.parent().unwrap_or(Path::new("/"));
    let Some(config) = crate::secrets::rules::find_config(dir) else {
        return Err(Diagnostic::error(format!(
            "no {} found in {} or its parents to encrypt `{}`",
            crate::secrets::rules::CONFIG_NAME,
            dir.display(),
            path.display()
        ))
        .with_hint("write to a name without `.sops.yaml`, or add creation_rules for it"));
    };
    crate::secrets::rules::load(&config)
        .and_then(|rules| rules.options_for(&abs))
        .map_err(|e| e.to_diagnostic(sources))
}
