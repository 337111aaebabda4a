//! `patches:` lists (top level, role sections, nodes): `@./file` references and inline YAML.

use super::Reader;
use crate::diag::{Diagnostic, Span};
use crate::model::{Patch, PatchSource, PatchTarget};
use crate::talhelper::keys::Key;
use crate::yaml::parse_documents;
use crate::yaml::strict::Node;
use std::path::Path;

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
            } else {
                match parse_documents(&entry) {
                    Ok(docs) => out.push(Patch {
                        name: format!("inline-{}", out.len() + 1),
                        target: target.clone(),
                        documents: docs.into_iter().map(|d| d.value).collect(),
                        text: None,
                        source: PatchSource::Inline,
                        span,
                    }),
                    Err(e) => {
                        let d = Diagnostic::error(format!(
                            "inline patch is not valid YAML: {}",
                            e.message
                        ))
                        .at_opt(span);
                        self.push(d);
                    }
                }
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
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                self.push(
                    Diagnostic::error(format!(
                        "cannot read patch `{}`: {}",
                        file.display(),
                        crate::diag::io_cause(&e)
                    ))
                    .at_opt(span),
                );
                return;
            }
        };
        // talhelper skips whitespace-only patch files.
        if text.trim().is_empty() {
            return;
        }
        let name = Path::new(rel).file_stem().map_or_else(
            || format!("patch-{i}"),
            |s| s.to_string_lossy().into_owned(),
        );
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
            }),
            Err(e) => self.push(
                Diagnostic::error(format!("patch is not valid YAML: {}", e.message))
                    .at(at(subst.original_range(e.span)))
                    .with_label(referenced, "referenced here"),
            ),
        }
    }
}
