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
    /// Treat validation warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

/// Whether a config text is a SOPS-encrypted file (a top-level `sops:` key).
fn is_sops(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("sops:"))
}

pub(super) fn run(a: &ValidateArgs) -> Result<u8, Failure> {
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
    // Talos' own checks first, printed exactly as talosctl prints them; then the v1.12.0 JSON
    // schema, reported at the YAML line (nothing is printed for a config that passes both,
    // so valid output stays talosctl's).
    let schema = if outcome.decode_error.is_none() {
        talos::schema_findings(&text)
    } else {
        Vec::new()
    };
    let code = match outcome.error_text() {
        Some(e) => {
            eprintln!("{e}");
            1
        }
        None if schema.is_empty() => {
            println!("{file} is valid for {} mode", a.mode);
            0
        }
        None => 1,
    };
    if !schema.is_empty() {
        let mut sources = crate::diag::Sources::default();
        let name = if encrypted {
            format!("{file} (decrypted)")
        } else {
            file.clone()
        };
        // A machine config holds the cluster's keys: reports never show their values.
        let id = sources.add_masked(name, text.clone(), secret_ranges(&text));
        let diags: Vec<crate::diag::Diagnostic> = schema
            .into_iter()
            .map(|(m, span)| {
                crate::diag::Diagnostic::error(format!("schema: {m}"))
                    .at(crate::diag::Span::new(id, span))
                    .with_note("the Talos v1.12.0 JSON schema does not allow this")
            })
            .collect();
        return Err(Failure::new(sources, diags));
    }
    Ok(code)
}

/// Go's wording for common open errors.
fn io_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "cannot read file",
    }
}
