//! A diagnostic whose place is not registered yet: the steps run on every core and never touch
//! the shared [`Sources`]; the boundary reports each problem once, in order.

use crate::diag::{Diagnostic, Sources, Span};
use crate::model::Patch;
use crate::secrets::redact::value_ranges;
use crate::secrets::rules::RulesError;
use crate::talos::patch::{self, PatchError};
use std::ops::Range;
use std::path::PathBuf;

/// An error found by a step: a diagnostic, plus the file its primary span points into when
/// that file is not among the loaded sources (a patch file, a `.sops.yaml`, a secrets bundle).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    diagnostic: Diagnostic,
    place: Option<Place>,
}

/// A byte range in a file that is registered only when the problem is reported.
#[derive(Debug, Clone, PartialEq)]
struct Place {
    path: PathBuf,
    text: String,
    range: Range<usize>,
    /// A secrets file: registered masked, so no report quotes its values.
    secret: bool,
}

impl Problem {
    /// A problem at `range` of the file `path` with `text` (no place when `range` is `None`).
    pub fn in_file(
        diagnostic: Diagnostic,
        path: impl Into<PathBuf>,
        text: &str,
        range: Option<Range<usize>>,
    ) -> Problem {
        Problem {
            diagnostic,
            place: range.map(|range| Place {
                path: path.into(),
                text: text.to_string(),
                range,
                secret: false,
            }),
        }
    }

    /// [`Problem::in_file`] for a secret-bearing file: reports show its position, never its
    /// values.
    pub fn in_secret_file(
        diagnostic: Diagnostic,
        path: impl Into<PathBuf>,
        text: &str,
        range: Option<Range<usize>>,
    ) -> Problem {
        let mut p = Problem::in_file(diagnostic, path, text, range);
        if let Some(place) = &mut p.place {
            place.secret = true;
        }
        p
    }

    /// A `.sops.yaml` problem, at its place in that file.
    pub fn rules(e: &RulesError) -> Problem {
        let mut d = Diagnostic::error(e.message.clone());
        d.notes.extend(e.notes.iter().cloned());
        d.hints.extend(e.hints.iter().cloned());
        match &e.file {
            Some(f) => Problem::in_file(d, f, &e.text, e.span.clone()),
            None => d.into(),
        }
    }

    /// A patch that failed: at the offending key of its file, or at its `patch()` call.
    pub fn patch(e: &PatchError, p: &Patch) -> Problem {
        let d = patch::diagnostic(e, p);
        match (patch::locate(e, p), &p.text) {
            (Some((path, range)), Some(text)) => Problem::in_file(d, path, text, Some(range)),
            _ => d.at_opt(p.span.clone()).into(),
        }
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Problem {
        self.diagnostic = self.diagnostic.with_note(note);
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.diagnostic = self.diagnostic.with_hint(hint);
        self
    }

    /// Points at `span` unless the problem already has a place.
    pub fn or_at(mut self, span: Option<Span>) -> Problem {
        if self.place.is_none() {
            self.diagnostic = self.diagnostic.at_opt_if_none(span);
        }
        self
    }

    /// The message, for tests and summaries.
    pub fn message(&self) -> &str {
        &self.diagnostic.message
    }

    /// The diagnostic, with its file registered in `sources` (once: re-adding the same file
    /// returns the same id).
    pub fn report(self, sources: &mut Sources) -> Diagnostic {
        let Some(p) = self.place else {
            return self.diagnostic;
        };
        let id = if p.secret {
            let masked = value_ranges(&p.text);
            sources.add_masked(p.path, p.text, masked)
        } else {
            sources.add(p.path, p.text)
        };
        self.diagnostic.at(Span::new(id, p.range))
    }

    /// Reports every problem, in order.
    pub fn report_all(problems: Vec<Problem>, sources: &mut Sources) -> Vec<Diagnostic> {
        problems.into_iter().map(|p| p.report(sources)).collect()
    }
}

impl From<Diagnostic> for Problem {
    fn from(diagnostic: Diagnostic) -> Self {
        Problem {
            diagnostic,
            place: None,
        }
    }
}
