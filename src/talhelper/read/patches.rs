//! `patches:` lists (top level, role sections, nodes): `@./file` references and inline YAML.

use super::Reader;
use crate::diag::{Diagnostic, Span};
use crate::gotemplate::Value;
use crate::model::{Patch, PatchSource, PatchTarget, PatchTemplate, PatchTemplateError};
use crate::talhelper::keys::Key;
use crate::yaml::parse_documents;
use crate::yaml::strict::Node;
use std::path::Path;
use std::sync::Arc;

impl Reader<'_> {
    /// Reads the `key` entries of `parent` for `target` into `out`: `@./file` references
    /// (relative to talconfig.yaml) or inline YAML strings.
    pub(super) fn patches(
        &mut self,
        parent: &Node,
        key: Key,
        target: &PatchTarget,
        out: &mut Vec<Patch>,
    ) {
        let Some(list) = parent.get(key.name) else {
            return;
        };
        let items = match list.items() {
            Ok(items) => items,
            Err(e) => {
                self.strict(e);
                return;
            }
        };
        for (i, item) in items.iter().enumerate() {
            let Some(entry) = self.string(item) else {
                continue;
            };
            let span = self.span(item.span());
            if let Some(rel) = entry.strip_prefix('@') {
                self.file_patch(rel, i, span, target, out);
            } else if is_bare_file_name(&entry) {
                self.bare_file_patch(&entry, i, span, target, out);
            } else {
                self.inline_patch(&entry, span, target, out);
            }
        }
    }

    /// An inline patch: YAML (or JSON) text, a Go template when it holds `{{` or `}}`
    /// (talhelper renders inline patches too, without envsubst: the whole talconfig.yaml
    /// was substituted before it was read).
    fn inline_patch(
        &mut self,
        entry: &str,
        span: Option<Span>,
        target: &PatchTarget,
        out: &mut Vec<Patch>,
    ) {
        let name = format!("inline-{}", out.len() + 1);
        if crate::gotemplate::is_template(entry) {
            let text: Arc<str> = Arc::from(entry);
            let render = move |data: &Value| {
                let rendered = crate::gotemplate::render(&text, data).map_err(|e| {
                    PatchTemplateError(format!("the Go template of the patch fails: {e}"))
                })?;
                parse_rendered(&rendered)
            };
            out.push(Patch {
                name,
                target: target.clone(),
                documents: unrendered(entry),
                text: None,
                source: PatchSource::Inline,
                span,
                template: Some(PatchTemplate(Arc::new(render))),
            });
            return;
        }
        match parse_documents(entry) {
            Ok(docs) => out.push(Patch {
                name,
                target: target.clone(),
                documents: docs.into_iter().map(|d| d.value).collect(),
                text: None,
                source: PatchSource::Inline,
                span,
                template: None,
            }),
            Err(e) => {
                let d = Diagnostic::error(format!("inline patch is not valid YAML: {}", e.message))
                    .at_opt(span);
                self.push(d);
            }
        }
    }

    /// A patch file's text, or an error at the entry (`why` ends the message) and `None`.
    fn read_patch_file(&mut self, file: &Path, span: Option<Span>, why: &str) -> Option<String> {
        match std::fs::read_to_string(file) {
            Ok(t) => Some(t),
            Err(e) => {
                let d = Diagnostic::error(format!(
                    "cannot read patch `{}`: {}{why}",
                    file.display(),
                    crate::diag::io_cause(&e)
                ))
                .at_opt(span);
                self.push(d);
                None
            }
        }
    }

    /// A patch entry that names a file without `@` (`patches/a.yaml`): Talos'
    /// `configpatcher.LoadPatches` reads it as a file, as is (no decryption, envsubst or
    /// template), where talhelper runs; talforge reads it next to talconfig.yaml.
    fn bare_file_patch(
        &mut self,
        rel: &str,
        i: usize,
        span: Option<Span>,
        target: &PatchTarget,
        out: &mut Vec<Patch>,
    ) {
        let file = self.dir.join(rel);
        let why = " (an entry without `@`, spaces or newlines is a file name for Talos)";
        let Some(text) = self.read_patch_file(&file, span.clone(), why) else {
            return;
        };
        let id = self.sources.add(file.display().to_string(), text.clone());
        match parse_documents(&text) {
            Ok(docs) => out.push(Patch {
                name: stem(rel, i),
                target: target.clone(),
                documents: docs.into_iter().map(|d| d.value).collect(),
                text: Some(text),
                source: PatchSource::File(file),
                span: Some(Span::new(id, 0..0)),
                template: None,
            }),
            Err(e) => {
                let referenced = span.unwrap_or(Span::new(self.src, 0..0));
                self.push(
                    Diagnostic::error(format!("patch is not valid YAML: {}", e.message))
                        .at(Span::new(id, e.span))
                        .with_label(referenced, "referenced here"),
                );
            }
        }
    }

    /// An `@./file` patch, the `i`th entry of its list, referenced at `span`: as talhelper's
    /// `PatchesPatcher`, a SOPS-encrypted file is decrypted (in memory only), then its
    /// comments are dropped and its `${VAR}`s substituted before it is parsed.
    fn file_patch(
        &mut self,
        rel: &str,
        i: usize,
        span: Option<Span>,
        target: &PatchTarget,
        out: &mut Vec<Patch>,
    ) {
        let file = self.dir.join(rel);
        let Some(text) = self.read_patch_file(&file, span.clone(), "") else {
            return;
        };
        // talhelper skips whitespace-only patch files.
        if text.trim().is_empty() {
            return;
        }
        let name = stem(rel, i);
        let id = self.sources.add(file.display().to_string(), text.clone());
        let referenced = span.unwrap_or(Span::new(self.src, 0..0));
        let encrypted = crate::talhelper::envsubst::is_sops(&text);
        let plain = if encrypted {
            let ids = self
                .identities
                .get_or_insert_with(crate::secrets::keys::Identities::discover);
            match crate::secrets::sops::decrypt_to_text(&text, ids) {
                Ok(p) => p,
                Err(e) => {
                    let mut d = e.to_diagnostic(Some(id));
                    d.message = format!("cannot decrypt patch `{}`: {}", file.display(), d.message);
                    self.push(d.with_label(referenced, "referenced here"));
                    return;
                }
            }
        } else {
            text.clone()
        };
        if crate::gotemplate::is_template(&plain) {
            // talhelper renders the template first (against the config it patches, so at
            // render time), then substitutes: `{{ $x }}` is template syntax, not a variable.
            if let Ok(s) = self.env.substitute_text(&plain) {
                self.used.extend(s.used().iter().cloned());
            }
            let documents = unrendered(&plain);
            let render = file_template(plain, self.env.clone(), rel.to_string());
            out.push(Patch {
                name,
                target: target.clone(),
                documents,
                text: Some(text),
                source: PatchSource::File(file),
                span: Some(Span::new(id, 0..0)),
                template: Some(render),
            });
            return;
        }
        // Spans into decrypted text would show it: errors there point at the file only.
        let at =
            |range: std::ops::Range<usize>| Span::new(id, if encrypted { 0..0 } else { range });
        let subst = match self.env.substitute_yaml(&plain) {
            Ok(s) => s,
            Err(errors) => {
                let hint = "set it in the environment or in talenv.yaml next to talconfig.yaml, or write `$$` for a literal `$` (as in `$$patch: delete`)";
                for e in errors {
                    let d = super::substitution_error(&e, at(e.range.clone()), hint);
                    self.push(d.with_label(referenced.clone(), "referenced here"));
                }
                return;
            }
        };
        self.used.extend(subst.used().iter().cloned());
        match parse_documents(subst.text()) {
            Ok(docs) => out.push(Patch {
                name,
                target: target.clone(),
                documents: docs.into_iter().map(|d| d.value).collect(),
                text: Some(text),
                source: PatchSource::File(file),
                span: Some(Span::new(id, 0..0)),
                template: None,
            }),
            Err(e) => self.push(
                Diagnostic::error(format!("patch is not valid YAML: {}", e.message))
                    .at(at(subst.original_range(e.span)))
                    .with_label(referenced, "referenced here"),
            ),
        }
    }
}

/// Talos' guess (`configpatcher.LoadPatches`): an entry with no newline or space that does
/// not start with `[` or `{` is a file name given without `@`.
fn is_bare_file_name(entry: &str) -> bool {
    !entry.contains(['\n', ' ']) && !entry.starts_with('[') && !entry.starts_with('{')
}

/// The patch's name: its file's stem.
fn stem(rel: &str, i: usize) -> String {
    Path::new(rel).file_stem().map_or_else(
        || format!("patch-{i}"),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// What a template's text parses to before it is rendered (nothing when it does not parse):
/// what `import` and the written tree see.
pub fn unrendered(text: &str) -> Vec<crate::yaml::Yaml> {
    parse_documents(text)
        .map(|docs| docs.into_iter().map(|d| d.value).collect())
        .unwrap_or_default()
}

/// Rendered patch text as patch documents.
fn parse_rendered(rendered: &str) -> Result<Vec<crate::yaml::Yaml>, PatchTemplateError> {
    parse_documents(rendered)
        .map(|docs| docs.into_iter().map(|d| d.value).collect())
        .map_err(|e| {
            PatchTemplateError(format!(
                "the patch is not valid YAML once its Go template is rendered: {}",
                e.message
            ))
        })
}

/// talhelper's `PatchesPatcher` on a (decrypted) `@file` patch: the Go template rendered
/// against the target config, then comments dropped and `${VAR}`s substituted.
pub fn file_template(
    plain: String,
    env: crate::talhelper::envsubst::Env,
    rel: String,
) -> PatchTemplate {
    let render = move |data: &Value| {
        let rendered = crate::gotemplate::render(&plain, data).map_err(|e| {
            PatchTemplateError(format!("the Go template in patch `{rel}` fails: {e}"))
        })?;
        let subst = env.substitute_yaml(&rendered).map_err(|errors| {
            let msgs: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            PatchTemplateError(format!(
                "failed to substitute env in patch `{rel}` (after its template): {}",
                msgs.join("; ")
            ))
        })?;
        parse_rendered(subst.text())
    };
    PatchTemplate(Arc::new(render))
}

#[cfg(test)]
#[path = "patches_tests.rs"]
mod tests;
