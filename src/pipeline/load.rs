//! Step `load`: the front ends. A cluster script (or a directory of them) is evaluated into
//! [`Evaluated`]; a talhelper `talconfig.yaml` is read into a [`Talconfig`]. Both are the
//! model after its defaults, with the sources its diagnostics point into.

use super::Failure;
use crate::diag::{Diagnostic, Sources};
use crate::factory::extensions::{self, Surface};
use crate::script::{self, Evaluated, Limits};
use crate::talhelper::{self, DEFAULT_ENV_FILES, Env, Talconfig};
use std::path::{Path, PathBuf};

fn failure(d: Diagnostic) -> Failure {
    Failure {
        sources: Sources::default(),
        diagnostics: vec![d],
    }
}

/// Evaluates a script, or every cluster script of a directory into one fleet (see
/// [`scripts_in`]).
pub fn script(path: &Path, limits: &Limits) -> Result<Evaluated, Failure> {
    if !path.is_dir() {
        return script::evaluate_file(path, limits);
    }
    let scripts = scripts_in(path).map_err(failure)?;
    let mut all: Option<Evaluated> = None;
    for s in scripts {
        let seed = all.as_ref().map(|a| a.sources.clone()).unwrap_or_default();
        let text = std::fs::read_to_string(&s).map_err(|e| Failure {
            sources: seed.clone(),
            diagnostics: vec![Diagnostic::error(format!(
                "cannot read script `{}`: {}",
                s.display(),
                crate::diag::io_cause(&e)
            ))],
        })?;
        let ev = script::evaluate_source_with(&s, &text, limits, seed)?;
        match &mut all {
            None => all = Some(ev),
            Some(a) => a.absorb(ev),
        }
    }
    all.ok_or_else(|| {
        failure(Diagnostic::error(format!(
            "no cluster scripts (`*.rhai`) in `{}`",
            path.display()
        )))
    })
}

/// The cluster scripts of a directory: every `*.rhai` directly in it, sorted, except modules
/// that another script there imports (`import "site"` makes `site.rhai` a module).
pub fn scripts_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read directory `{}`: {}",
            dir.display(),
            crate::diag::io_cause(&e)
        ))
    })?;
    let mut all: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rhai"))
        .collect();
    all.sort();
    let mut imported = std::collections::BTreeSet::new();
    for p in &all {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        for line in text.lines() {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix("import") {
                let rest = rest.trim_start();
                if let Some(q) = rest.strip_prefix('"')
                    && let Some(end) = q.find('"')
                {
                    imported.insert(format!("{}.rhai", &q[..end]));
                }
            }
        }
    }
    Ok(all
        .into_iter()
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| imported.contains(&n.to_string_lossy().into_owned()))
        })
        .collect())
}

/// Reads a talconfig.yaml, substituting `${VAR}` from the process environment and the env
/// files (default: talhelper's `talenv.yaml` and `talenv.sops.yaml` next to it).
pub fn talconfig(path: &Path, env_files: &[PathBuf]) -> Result<Talconfig, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        failure(Diagnostic::error(format!(
            "cannot read `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        )))
    })?;
    let mut env = Env::from_process();
    let dir = path.parent().unwrap_or(Path::new("."));
    let files: Vec<PathBuf> = if env_files.is_empty() {
        DEFAULT_ENV_FILES.iter().map(|f| dir.join(f)).collect()
    } else {
        env_files.to_vec()
    };
    // talhelper decrypts `talenv.sops.yaml` with the operator's key; so do we, in memory.
    talhelper::load_env_files(&mut env, &files, None).map_err(failure)?;
    let mut tc =
        talhelper::read_talconfig(path, &text, &env).map_err(|(mut sources, diagnostics)| {
            env.mask_secrets(&mut sources);
            Failure {
                sources,
                diagnostics,
            }
        })?;
    env.mask_secrets(&mut tc.sources);
    // talhelper's schematic check runs on every command that loads a talconfig.
    let errors = extensions::check(&tc.cluster, Surface::Talconfig);
    if !errors.is_empty() {
        return Err(Failure {
            sources: tc.sources,
            diagnostics: errors,
        });
    }
    Ok(tc)
}
