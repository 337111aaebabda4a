//! Secrets errors under the one error contract ([`IntoDiagnostic`]): sops failures, `.sops.yaml`
//! rules and bundle fields become problems; a secret-bearing file is registered masked.

use super::bundle::BundleError;
use super::redact::value_ranges;
use super::rules::RulesError;
use super::sops::SopsError;
use crate::diag::{Diagnostic, IntoDiagnostic, Problem};
use crate::yaml::ParsedDoc;
use std::ops::Range;
use std::path::{Path, PathBuf};

// Masking needs `redact`, which `diag` must not import: this constructor lives here.
impl Problem {
    /// [`Problem::in_file`] for a secret-bearing file: reports show its position, never its
    /// values.
    pub fn in_secret_file(
        diagnostic: Diagnostic,
        path: impl Into<PathBuf>,
        text: &str,
        range: Option<Range<usize>>,
    ) -> Problem {
        let secret = if range.is_some() {
            value_ranges(text)
        } else {
            Vec::new()
        };
        Problem::in_masked_file(diagnostic, path, text, range, secret)
    }
}

impl IntoDiagnostic for SopsError {
    /// Without its file: the span, if any, is dropped (see [`SopsError::in_secret_file`]).
    fn into_problem(self) -> Problem {
        self.to_diagnostic(None).into()
    }
}

impl SopsError {
    /// The error at its place in the secret-bearing file `path` whose text is `text`, with
    /// its label at the caret.
    pub fn in_secret_file(&self, path: &Path, text: &str) -> Problem {
        let mut d = self.to_diagnostic(None);
        if let (Some(_), Some(l)) = (&self.span, &self.label) {
            d = d.with_label_text(l.clone());
        }
        Problem::in_secret_file(d, path, text, self.span.clone())
    }
}

impl IntoDiagnostic for RulesError {
    /// At its place in the `.sops.yaml`, which the error carries.
    fn into_problem(self) -> Problem {
        let mut d = Diagnostic::error(self.message);
        d.notes = self.notes;
        d.hints = self.hints;
        match &self.file {
            Some(f) => Problem::in_file(d, f, &self.text, self.span),
            None => d.into(),
        }
    }
}

impl IntoDiagnostic for BundleError {
    /// Without the bundle's text: see [`BundleError::in_secret_file`].
    fn into_problem(self) -> Problem {
        Diagnostic::error(self.message).into()
    }
}

impl BundleError {
    /// The error at its field (or nearest parent) in the bundle file `path`, parsed as `doc`
    /// from `text`; the file is registered masked.
    pub fn in_secret_file(&self, doc: &ParsedDoc, path: &Path, text: &str) -> Problem {
        Problem::in_secret_file(Diagnostic::error(&self.message), path, text, self.span(doc))
    }
}
