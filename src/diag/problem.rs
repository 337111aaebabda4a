//! A diagnostic whose place is not registered yet: the steps run on every core and never touch
//! the shared [`Sources`]; the boundary reports each problem once, in order.

use super::{Diagnostic, Sources, Span};
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
    /// A secrets file's secret values (byte ranges): registered masked, so no report quotes
    /// them.
    secret: Option<Vec<Range<usize>>>,
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
                secret: None,
            }),
        }
    }

    /// [`Problem::in_file`] for a secret-bearing file whose secret values are at `secret`
    /// (e.g. `secrets::redact::value_ranges`): reports show its position, never its values.
    pub fn in_masked_file(
        diagnostic: Diagnostic,
        path: impl Into<PathBuf>,
        text: &str,
        range: Option<Range<usize>>,
        secret: Vec<Range<usize>>,
    ) -> Problem {
        let mut p = Problem::in_file(diagnostic, path, text, range);
        if let Some(place) = &mut p.place {
            place.secret = Some(secret);
        }
        p
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

    /// The diagnostic, for a look before it is reported (its span, if any, is unregistered).
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }

    /// The diagnostic, with its file registered in `sources` (once: re-adding the same file
    /// returns the same id).
    pub fn report(self, sources: &mut Sources) -> Diagnostic {
        let Some(p) = self.place else {
            return self.diagnostic;
        };
        let id = match p.secret {
            Some(masked) => sources.add_masked(p.path, p.text, masked),
            None => sources.add(p.path, p.text),
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
