//! `patches:` lists (top level, role sections, nodes): `@./file` references and inline YAML.

use super::Reader;
use crate::diag::{Diagnostic, SourceId, Span};
use crate::model::{Patch, PatchSource, PatchTarget};
use crate::talhelper::Env;
use crate::talhelper::keys::Key;
use crate::yaml::strict::Node;
use crate::yaml::{blank_comments, parse_documents};
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

    /// An `@./file` patch, the `i`th entry of its list, referenced at `span`.
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
        let Some(body) = self.substituted(&text, id) else {
            return;
        };
        // Parse errors point into the text talhelper parses; it differs from the file only
        // where a `${VAR}` was replaced.
        let parsed_id = if body == text {
            id
        } else {
            self.sources.add(
                format!("{} (after env substitution)", file.display()),
                body.clone(),
            )
        };
        match parse_documents(&body) {
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
                    .at(Span::new(parsed_id, e.span))
                    .with_label(span.unwrap_or(Span::new(self.src, 0..0)), "referenced here"),
            ),
        }
    }

    /// [`patch_file_text`], an error at the variable of the file `id`.
    fn substituted(&mut self, text: &str, id: SourceId) -> Option<String> {
        match patch_file_text(text, self.env) {
            Ok(s) => Some(s),
            Err(d) => {
                self.push(d.at_in(id));
                None
            }
        }
    }
}

/// Why a patch file's variables could not be substituted: the message and the byte range
/// of the variable in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SubstError {
    /// `failed to substitute env: variable ${X} not set`.
    pub message: String,
    /// Where in the file.
    pub at: std::ops::Range<usize>,
}

impl SubstError {
    /// The diagnostic, pointing into the source `id` (the patch file's text).
    pub fn at_in(self, id: SourceId) -> Diagnostic {
        Diagnostic::error(self.message)
            .at(Span::new(id, self.at))
            .with_hint(
                "set it in the environment or in talenv.yaml, or write `$$` for a literal `$`",
            )
    }
}

/// A patch file's text as talhelper's `SubstituteEnvFromByte` hands it to Talos: comments
/// stripped, then `${VAR}`/`$VAR` substituted and `$$` made `$` (so `$$patch: delete` is a
/// delete marker). The file itself stays as written (it is copied into talhelper trees
/// verbatim, where talhelper substitutes it again).
pub fn patch_file_text(text: &str, env: &Env) -> Result<String, SubstError> {
    env.substitute(&blank_comments(text))
        .map_err(|(msg, at)| SubstError {
            message: format!("failed to substitute env: {msg}"),
            at: at..at + 1,
        })
}
