//! `talforge validate -c FILE --mode metal [--strict]`: `talosctl validate`, same output.

use crate::validate::talos::{self, Mode};
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

pub(super) fn run(a: &ValidateArgs) -> u8 {
    let file = a.config.display().to_string();
    let text = match std::fs::read_to_string(&a.config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("open {file}: {}", io_reason(&e));
            return 1;
        }
    };
    // Hook for SOPS decryption (the secrets module will decrypt here with the age identity).
    if is_sops(&text) {
        eprintln!("{file}: file is SOPS-encrypted");
        return 1;
    }
    // talosctl loads the config before it parses the mode: a decode error wins
    let mode = Mode::parse(&a.mode);
    let outcome = talos::validate_text(&text, *mode.as_ref().unwrap_or(&Mode::Metal), a.strict);
    if outcome.decode_error.is_none()
        && let Err(e) = mode
    {
        eprintln!("{e}");
        return 1;
    }
    let mut stderr = std::io::stderr().lock();
    for w in &outcome.warnings {
        let _ = writeln!(stderr, "WARNING: {w}");
    }
    match outcome.error_text() {
        Some(e) => {
            let _ = writeln!(stderr, "{e}");
            1
        }
        None => {
            println!("{file} is valid for {} mode", a.mode);
            0
        }
    }
}

/// Go's wording for common open errors.
fn io_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "cannot read file",
    }
}
