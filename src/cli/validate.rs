//! `talforge validate -c FILE --mode metal [--strict]`: `talosctl validate`, same output.

use crate::diag::Failure;
use crate::secrets::redact::secret_ranges;
use crate::talos::validate::{self as talos, Mode};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `validate` (the flags of `talosctl validate`).
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The machine config file.
    #[arg(short = 'c', long = "config")]
    pub config: PathBuf,
    /// The mode to validate the config for (metal, cloud or container).
    #[arg(short = 'm', long = "mode")]
    pub mode: String,
    /// Treat validation warnings as errors: Talos' own and the JSON schema's findings.
    #[arg(long)]
    pub strict: bool,
}

/// Whether a config text is a SOPS-encrypted file (a top-level `sops:` key).
fn is_sops(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("sops:"))
}

#[allow(clippy::unnecessary_wraps)] // every subcommand returns `Result<u8, Failure>`; `cli::run` matches them alike
pub(super) fn run(a: &ValidateArgs, r: &super::Reporter) -> Result<u8, Failure> {
    let file = a.config.display().to_string();
    let text = match std::fs::read_to_string(&a.config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("open {file}: {}", io_reason(&e));
            return Ok(1);
        }
    };
    // An encrypted config (clusterconfig/*.sops.yaml) is validated as `sops -d` prints it.
    let encrypted = is_sops(&text);
    let text = if encrypted {
        let ids = crate::secrets::keys::Identities::discover();
        match crate::secrets::sops::decrypt_to_text(&text, &ids) {
            Ok(plain) => plain,
            Err(e) => {
                eprintln!("{file}: {e}");
                return Ok(1);
            }
        }
    } else {
        text
    };
    // talosctl loads the config before it parses the mode: a decode error wins
    let mode = Mode::parse(&a.mode);
    let outcome = talos::validate_text(&text, *mode.as_ref().unwrap_or(&Mode::Metal), a.strict);
    if outcome.decode_error.is_none()
        && let Err(e) = mode
    {
        eprintln!("{e}");
        return Ok(1);
    }
    let mut stderr = std::io::stderr().lock();
    for w in &outcome.warnings {
        let _ = writeln!(stderr, "WARNING: {w}");
    }
    drop(stderr);
    // Then the v1.12.0 JSON schema, reported at the YAML line. Talos does not run it, so
    // its findings are warnings that keep talosctl's verdict and exit code (errors under
    // `--strict`, like talosctl's own warnings).
    let schema = if outcome.decode_error.is_none() {
        talos::schema_findings(&text)
    } else {
        Vec::new()
    };
    let schema_found = !schema.is_empty();
    if schema_found {
        let name = if encrypted {
            format!("{file} (decrypted)")
        } else {
            file.clone()
        };
        emit_schema(schema, name, &text, a.strict, r);
    }
    match outcome.error_text() {
        Some(e) => {
            eprintln!("{e}");
            Ok(1)
        }
        None if a.strict && schema_found => Ok(1),
        None => {
            println!("{file} is valid for {} mode", a.mode);
            Ok(0)
        }
    }
}

/// Reports schema findings as warnings, or as errors under `--strict`.
fn emit_schema(
    schema: Vec<(String, std::ops::Range<usize>)>,
    name: String,
    text: &str,
    strict: bool,
    r: &super::Reporter,
) {
    let mut sources = crate::diag::Sources::default();
    // A machine config holds the cluster's keys: reports never show their values.
    let id = sources.add_masked(name, text.to_string(), secret_ranges(text));
    let diags: Vec<crate::diag::Diagnostic> = schema
        .into_iter()
        .map(|(m, span)| {
            let message = format!("schema: {m}");
            let d = if strict {
                crate::diag::Diagnostic::error(message)
            } else {
                crate::diag::Diagnostic::warning(message)
            };
            d.at(crate::diag::Span::new(id, span))
                .with_note("the Talos v1.12.0 JSON schema does not allow this; Talos accepts it")
        })
        .collect();
    r.emit(&diags, &sources);
}

/// Go's wording for common open errors.
fn io_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "cannot read file",
    }
}
