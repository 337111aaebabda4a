//! `talforge import talconfig.yaml [-o cluster.rhai]`: a talhelper config as a cluster script.

use crate::diag::Diagnostic;
use crate::diag::Failure;
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

pub(super) fn run(a: &ImportArgs) -> Result<u8, Failure> {
    let mut tc = crate::pipeline::load::talconfig(&a.talconfig, &a.env_files)?;
    // talconfig.yaml does not name the age recipients; the `.sops.yaml` rule for the
    // cluster's talsecret does, so the script keeps encrypting for the same keys.
    let dir = crate::fs::absolute(a.talconfig.parent().unwrap_or(Path::new("")));
    if let Some(cfg) =
        crate::secrets::rules::find_config(&dir).and_then(|p| crate::secrets::rules::load(&p).ok())
        && let Ok(rule) = cfg.rule_for(&dir.join(crate::pipeline::secrets::TALSECRET))
    {
        tc.cluster.sops.age.clone_from(&rule.age);
    }
    let script_dir = match &a.output {
        Some(o) => o.parent().map(Path::to_path_buf).unwrap_or_default(),
        None => PathBuf::from("."),
    };
    // Decrypted file content would be written into the script in plaintext.
    if let Some(f) = tc.decrypted.first() {
        return Err(Diagnostic::error(format!(
            "`{}` is SOPS-encrypted and its content is inline in the cluster (machineFiles or inlineManifests): import would write it in plaintext",
            f.display()
        ))
        .with_hint("genconfig renders it as talhelper does; for a script, keep the secret out of the file content (a patch file stays encrypted)")
        .into());
    }
    // A script's inline patch is a map, not a template: the script would render differently.
    if let Some(p) = tc
        .cluster
        .patches
        .iter()
        .find(|p| p.template.is_some() && p.source == crate::model::PatchSource::Inline)
    {
        let d = Diagnostic::error(
            "an inline patch holds a Go template (`{{`/`}}`): a script's inline patch is a map, which import cannot keep as a template",
        )
        .at_opt(p.span.clone())
        .with_hint("move the patch into a file (`- \"@./patches/name.yaml\"`): import keeps patch files as files and `run` renders their templates");
        return Err(Failure {
            sources: tc.sources,
            diagnostics: vec![d],
        });
    }
    let script = crate::script::unparse::script_for(&tc.cluster, &a.talconfig, &script_dir);
    // A secret stays `env("NAME")`; one the script would spell out is refused, never written.
    let target = a
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdout>"));
    if let Some(d) = crate::talhelper::envref::leak_in(&target, &script, &tc.cluster.env_vars) {
        return Err(d
            .with_note("the value is used where a script cannot say `env(\"NAME\")` (a number, a key, a computed address)")
            .into());
    }
    match &a.output {
        None => {
            print!("{script}");
            Ok(0)
        }
        Some(o) if o.exists() => Err(Diagnostic::error(format!(
            "`{}` already exists",
            o.display()
        ))
        .with_hint("import never overwrites a script; choose another `-o` path")
        .into()),
        Some(o) => match crate::fs::write_atomic(o, script.as_bytes(), 0o644) {
            Ok(()) => {
                eprintln!("wrote {}", o.display());
                Ok(0)
            }
            Err(e) => Err(Diagnostic::error(format!(
                "cannot write `{}`: {}",
                o.display(),
                crate::diag::io_cause(&e)
            ))
            .into()),
        },
    }
}
