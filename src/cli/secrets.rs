//! `talforge secrets gen [-o FILE]`: a new Talos secrets bundle, like `talhelper gensecret`.

use crate::diag::Diagnostic;
use crate::diag::Failure;
use crate::model::Version;
use crate::secrets::bundle::Bundle;
use crate::yaml::{EmitOptions, emit_document};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `secrets`.
#[derive(Debug, clap::Args)]
pub struct SecretsArgs {
    /// What to do with secrets.
    #[command(subcommand)]
    pub command: SecretsCommand,
}

/// `secrets` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SecretsCommand {
    /// Generate a new secrets bundle (plaintext YAML, talhelper's talsecret layout).
    #[command(after_help = "Examples:\n  talforge secrets gen > talsecret.yaml\n  \
                            talforge secrets gen -o clusters/infra/talos/talsecret.yaml")]
    Gen(GenArgs),
}

/// Arguments of `secrets gen`.
#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Write to FILE (created with mode 0600; an existing file is never overwritten)
    /// instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Talos version whose secrets layout to generate.
    #[arg(long, value_name = "VERSION", default_value = crate::talos::versions::DEFAULT_TALOS)]
    pub talos_version: String,
}

pub(super) fn run(a: &SecretsArgs) -> Result<u8, Failure> {
    match &a.command {
        SecretsCommand::Gen(g) => match generate(g) {
            Ok(()) => Ok(0),
            Err(d) => Err(Failure::of(*d)),
        },
    }
}

fn generate(a: &GenArgs) -> Result<(), Box<Diagnostic>> {
    let Some(version) = Version::parse(&a.talos_version) else {
        return Err(Box::new(
            Diagnostic::error(format!("invalid Talos version `{}`", a.talos_version)).with_hint(
                format!("write it like `{}`", crate::talos::versions::DEFAULT_TALOS),
            ),
        ));
    };
    if let Some(path) = &a.output {
        // Checked before the slow key generation; the write itself is no-clobber too.
        if path.symlink_metadata().is_ok() {
            return Err(exists(path));
        }
    }
    let bundle = Bundle::generate(&version).map_err(|e| {
        Box::new(Diagnostic::error(format!(
            "cannot generate the secrets bundle: {e}"
        )))
    })?;
    // talhelper gensecret re-encodes with yaml.v3 at indent 2.
    let text = emit_document(&bundle.to_yaml(), &EmitOptions { indent: 2 });
    match &a.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| {
                    Box::new(Diagnostic::error(format!(
                        "cannot write to stdout: {}",
                        crate::diag::io_cause(&e)
                    )))
                })
        }
        Some(path) => write_new(path, text.as_bytes()).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                exists(path)
            } else {
                Box::new(Diagnostic::error(format!(
                    "cannot write `{}`: {}",
                    path.display(),
                    crate::diag::io_cause(&e)
                )))
            }
        }),
    }
}

fn exists(path: &Path) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(format!("`{}` already exists", path.display()))
            .with_note("a secrets bundle is never overwritten: the cluster's machines trust it")
            .with_hint("choose another path, or delete the file if no cluster uses it"),
    )
}

/// Writes a new file atomically (temp file + no-clobber rename), readable only by its owner.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".talforge-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}
