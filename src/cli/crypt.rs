//! `talforge encrypt FILE` / `talforge decrypt FILE`: sops-compatible YAML encryption with age.

use super::Reporter;
use crate::diag::{Diagnostic, Sources};
use crate::diag::{Failure, IoError};
use crate::secrets::keys::Identities;
use crate::secrets::redact::value_ranges;
use crate::secrets::rules;
use crate::secrets::sops::{self, EncryptOptions, SopsError};
use std::path::{Path, PathBuf};

/// Arguments of `encrypt`.
#[derive(Debug, clap::Args)]
pub struct EncryptArgs {
    /// The plaintext YAML file.
    pub file: PathBuf,
    /// Replace the file with its encrypted form instead of printing it.
    #[arg(short = 'i', long)]
    pub in_place: bool,
    /// Age recipients (comma-separated); skips `.sops.yaml`, like `sops --age`.
    #[arg(long, value_name = "RECIPIENTS")]
    pub age: Option<String>,
    /// The `.sops.yaml` to use (default: the nearest one above the file).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Arguments of `decrypt`.
#[derive(Debug, clap::Args)]
pub struct DecryptArgs {
    /// The SOPS-encrypted YAML file.
    pub file: PathBuf,
    /// Replace the file with its plaintext instead of printing it.
    #[arg(short = 'i', long)]
    pub in_place: bool,
}

pub(super) fn encrypt(a: &EncryptArgs) -> Result<u8, Failure> {
    let text = read(&a.file)?;
    let (recipients, opts) = match &a.age {
        Some(list) => {
            let rs: Vec<String> = list
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            (rs, EncryptOptions::default())
        }
        None => recipients_from_rules(a)?,
    };
    let now = time::OffsetDateTime::now_utc();
    match sops::encrypt_text(&text, &recipients, &opts, now) {
        Ok(out) => emit(&a.file, a.in_place, &out, 0o644),
        Err(e) => Err(report(&e, &a.file, &text)),
    }
}

fn recipients_from_rules(
    a: &EncryptArgs,
) -> Result<(Vec<String>, EncryptOptions), rules::RulesError> {
    let abs = crate::fs::absolute(&a.file);
    let dir = abs.parent().unwrap_or(Path::new("/"));
    let path = match &a.config {
        Some(p) => p.clone(),
        None => rules::find_config(dir).ok_or_else(|| rules::RulesError {
            message: format!(
                "no {} found in {} or its parents, and no `--age` given",
                rules::CONFIG_NAME,
                dir.display()
            ),
            file: None,
            text: String::new(),
            span: None,
            notes: Vec::new(),
            hints: vec!["pass `--age age1…` or create a .sops.yaml with creation_rules".into()],
        })?,
    };
    rules::load(&path)?.options_for(&abs)
}

pub(super) fn decrypt(a: &DecryptArgs, r: &Reporter) -> Result<u8, Failure> {
    let text = read(&a.file)?;
    let ids = Identities::discover();
    match sops::decrypt_file(&text, &ids) {
        Ok(d) => {
            for w in &d.warnings {
                r.error(Diagnostic::warning(w.clone()));
            }
            let out = sops::text::emit(&d.documents, 4);
            // Plaintext secrets: owner-only when written to disk.
            emit(&a.file, a.in_place, &out, 0o600)
        }
        Err(e) => Err(report(&e, &a.file, &text)),
    }
}

fn read(path: &Path) -> Result<String, IoError> {
    std::fs::read_to_string(path).map_err(|e| IoError::new("read", path, e))
}

fn emit(path: &Path, in_place: bool, out: &str, mode: u32) -> Result<u8, Failure> {
    if !in_place {
        print!("{out}");
        return Ok(0);
    }
    match crate::fs::write_atomic(path, out.as_bytes(), mode) {
        Ok(()) => Ok(0),
        Err(e) => Err(Diagnostic::error(format!("cannot write `{}`: {e}", path.display())).into()),
    }
}

fn report(e: &SopsError, path: &Path, text: &str) -> Failure {
    let mut sources = Sources::default();
    // Whatever is given to `encrypt` or `decrypt` is secret: a report shows where, not what.
    let id = sources.add_masked(path.to_path_buf(), text.to_string(), value_ranges(text));
    let mut d = e.to_diagnostic(Some(id));
    if d.span.is_none() {
        d.message = format!("`{}`: {}", path.display(), d.message);
    }
    Failure::new(sources, vec![d])
}
