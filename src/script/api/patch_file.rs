//! Patch files named in a script, read as talhelper reads them, and JSON6902 operations.

use crate::script::builder::{HostError, Shared};
use crate::yaml::Yaml;
use std::path::PathBuf;

/// A JSON6902 operation: a map with `op` and `path` (no Talos document has either key).
pub(super) fn is_json_op(v: &Yaml) -> bool {
    matches!(v, Yaml::Map(m) if m.contains_key("op") && m.contains_key("path"))
}

/// A patch file as talhelper reads one: decrypted in memory when SOPS-encrypted, comments
/// dropped, `${VAR}`s substituted from the script's environment, then parsed. Returns the
/// documents, the file's text as written (what `run` copies) and its path.
/// A patch file's documents, its text as written, its path and, when its (decrypted) text holds
/// `{{`/`}}`, talhelper's template form (rendered against each node's config, then
/// substituted, as genconfig renders it).
pub(super) fn read(shared: &Shared, rel: &str) -> Result<FilePatch, HostError> {
    let dir = shared.lock().script_dir.clone();
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        HostError::new(format!(
            "cannot read patch file `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        ))
        .hint("patch file paths are relative to the script's directory")
    })?;
    let mut b = shared.lock();
    let id = b.sources.add(path.clone(), text.clone());
    let encrypted = crate::talhelper::is_sops(&text);
    let plain = if encrypted {
        let ids = crate::secrets::keys::Identities::discover();
        crate::secrets::sops::decrypt_to_text(&text, &ids).map_err(|e| {
            let mut h = HostError::new(format!(
                "cannot decrypt patch file `{}`: {}",
                path.display(),
                e.message
            ));
            h.hints.clone_from(&e.hints);
            h
        })?
    } else {
        text.clone()
    };
    if crate::gotemplate::is_template(&plain) {
        let env = b.env()?.clone();
        if let Ok(s) = env.substitute_text(&plain) {
            b.record_used(s.used());
        }
        let docs = crate::talhelper::unrendered(&plain);
        let template = crate::talhelper::file_template(plain, env, rel.to_string());
        return Ok((docs, text, path, Some(template)));
    }
    // Spans into decrypted text would show it: errors there point at the file only.
    let at =
        |r: std::ops::Range<usize>| crate::diag::Span::new(id, if encrypted { 0..0 } else { r });
    let subst = b.env()?.substitute_yaml(&plain).map_err(|errors| {
        let e = &errors[0];
        let msg = if e.yaml {
            format!("patch file `{}` is not valid YAML: {}", path.display(), e.message)
        } else {
            format!("failed to substitute env in `{}`: {}", path.display(), e.message)
        };
        HostError::new(msg)
            .at(at(e.range.clone()))
            .hint("talhelper substitutes `${VAR}` in patch files: set it in the environment or in `talenv.yaml` beside the script, or write `$$` for a literal `$` (`$$patch: delete`)")
    })?;
    b.record_used(subst.used());
    let docs = crate::yaml::parse_documents(subst.text()).map_err(|e| {
        HostError::new(format!(
            "patch file `{}` is not valid YAML: {}",
            path.display(),
            e.message
        ))
        .at(at(subst.original_range(e.span)))
    })?;
    Ok((
        docs.into_iter().map(|d| d.value).collect(),
        text,
        path,
        None,
    ))
}

/// What [`read`] gives.
pub(super) type FilePatch = (
    Vec<Yaml>,
    String,
    PathBuf,
    Option<crate::model::PatchTemplate>,
);
