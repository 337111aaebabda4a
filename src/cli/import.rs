//! `talforge import talconfig.yaml [-o cluster.rhai]`: a talhelper config as a cluster script.

use super::Reporter;
use crate::diag::Diagnostic;
use crate::talhelper::{self, DEFAULT_ENV_FILES, Env, Talconfig};
use std::path::{Path, PathBuf};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The talhelper config to import.
    #[arg(default_value = "talconfig.yaml")]
    pub talconfig: PathBuf,
    /// Write the script here instead of stdout (an existing file is never overwritten).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Env files for `${VAR}` substitution (default: talhelper's `talenv.yaml` next to the
    /// talconfig).
    #[arg(short = 'e', long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
}

/// Reads a talconfig.yaml with the process environment and env files for substitution;
/// diagnostics are printed on failure.
pub(super) fn load_talconfig(
    path: &Path,
    env_files: &[PathBuf],
    r: &Reporter,
) -> Option<Talconfig> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            r.error(Diagnostic::error(format!(
                "cannot read `{}`: {}",
                path.display(),
                crate::diag::io_cause(&e)
            )));
            return None;
        }
    };
    let mut env = Env::from_process();
    let dir = path.parent().unwrap_or(Path::new("."));
    let files: Vec<PathBuf> = if env_files.is_empty() {
        DEFAULT_ENV_FILES.iter().map(|f| dir.join(f)).collect()
    } else {
        env_files.to_vec()
    };
    // talhelper decrypts `talenv.sops.yaml` with the operator's key; so do we.
    let (encrypted, plain): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| f.to_string_lossy().contains(".sops."));
    if let Err(e) = talhelper::load_env_files(&mut env, &plain) {
        r.error(Diagnostic::error(e));
        return None;
    }
    for f in encrypted.iter().filter(|f| f.exists()) {
        let ids = crate::secrets::keys::Identities::discover();
        let text = std::fs::read_to_string(f)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                crate::secrets::sops::decrypt_to_text(&t, &ids).map_err(|e| e.to_string())
            })
            .and_then(|t| talhelper::parse_env(&mut env, &t, f));
        if let Err(e) = text {
            r.error(Diagnostic::error(format!(
                "cannot read `{}`: {e}",
                f.display()
            )));
            return None;
        }
    }
    match talhelper::read_talconfig(path, &text, &env) {
        Ok(t) => Some(t),
        Err((sources, diags)) => {
            r.emit(&diags, &sources);
            None
        }
    }
}

pub(super) fn run(a: &ImportArgs, r: &Reporter) -> u8 {
    let Some(mut tc) = load_talconfig(&a.talconfig, &a.env_files, r) else {
        return 1;
    };
    // talconfig.yaml does not name the age recipients; the `.sops.yaml` rule for the
    // cluster's talsecret does, so the script keeps encrypting for the same keys.
    let dir = crate::fs::absolute(a.talconfig.parent().unwrap_or(Path::new("")));
    if let Some(cfg) =
        crate::secrets::rules::find_config(&dir).and_then(|p| crate::secrets::rules::load(&p).ok())
        && let Ok(rule) = cfg.rule_for(&dir.join(crate::pipeline::secrets::TALSECRET))
    {
        tc.cluster.sops.age = rule.age.clone();
    }
    let script_dir = match &a.output {
        Some(o) => o.parent().map(Path::to_path_buf).unwrap_or_default(),
        None => PathBuf::from("."),
    };
    let script = crate::script::unparse::script_for(&tc.cluster, &a.talconfig, &script_dir);
    match &a.output {
        None => {
            print!("{script}");
            0
        }
        Some(o) if o.exists() => {
            r.error(
                Diagnostic::error(format!("`{}` already exists", o.display()))
                    .with_hint("import never overwrites a script; choose another `-o` path"),
            );
            1
        }
        Some(o) => match crate::fs::write_atomic(o, script.as_bytes(), 0o644) {
            Ok(()) => {
                eprintln!("wrote {}", o.display());
                0
            }
            Err(e) => {
                r.error(Diagnostic::error(format!(
                    "cannot write `{}`: {}",
                    o.display(),
                    crate::diag::io_cause(&e)
                )));
                1
            }
        },
    }
}
