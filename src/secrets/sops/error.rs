//! SOPS failures as data: a kind, a message, and where in the file.

use crate::diag::{Diagnostic, SourceId, Span};
use std::ops::Range;

/// What kind of failure, so callers can pick exit codes and wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SopsErrorKind {
    /// The text is not valid YAML.
    Parse,
    /// Valid YAML, but no (valid) `sops:` metadata.
    NotSops,
    /// A sops feature talforge does not implement (key groups, comment regexes, …).
    Unsupported,
    /// Bad options or recipients.
    Config,
    /// Encryption failed (random source, age).
    Encrypt,
    /// None of the available identities can decrypt the data key.
    NoKey,
    /// A value or the wrapped data key does not authenticate.
    Tampered,
    /// The values do not match the MAC.
    MacMismatch,
}

/// A SOPS failure: a message, and where it applies in the input text when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SopsError {
    /// What kind.
    pub kind: SopsErrorKind,
    /// Lowercase, no trailing period.
    pub message: String,
    /// Byte range in the input text.
    pub span: Option<Range<usize>>,
    /// Context (recipients, places looked at).
    pub notes: Vec<String>,
    /// What to do.
    pub hints: Vec<String>,
    /// Short text for the caret at `span`.
    pub label: Option<String>,
}

impl SopsError {
    /// An error without span, notes or hints.
    pub fn new(kind: SopsErrorKind, message: impl Into<String>) -> Self {
        SopsError {
            kind,
            message: message.into(),
            span: None,
            notes: Vec::new(),
            hints: Vec::new(),
            label: None,
        }
    }

    /// Sets the span.
    pub fn with_span(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// The user-facing diagnostic; `source` is the id of the text the span points into.
    pub fn to_diagnostic(&self, source: Option<SourceId>) -> Diagnostic {
        let mut d = Diagnostic::error(self.message.clone());
        if let (Some(src), Some(r)) = (source, &self.span) {
            d = d.at(Span::new(src, r.clone()));
            if let Some(l) = &self.label {
                d = d.with_label_text(l.clone());
            }
        }
        d.notes.extend(self.notes.iter().cloned());
        d.hints.extend(self.hints.iter().cloned());
        d
    }
}

impl std::fmt::Display for SopsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        for n in &self.notes {
            write!(f, "\n  note: {n}")?;
        }
        for h in &self.hints {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SopsError {}
