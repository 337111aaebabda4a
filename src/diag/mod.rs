//! Diagnostics as data: every step reports `Diagnostic`s; only `report.rs` renders them.
//! [`IntoDiagnostic`] and [`Failure`] are the one error contract of the crate.

mod contract;
mod io;
mod mask;
mod problem;
pub mod report;

pub use contract::{Failure, IntoDiagnostic};
pub use io::IoError;
pub use mask::REDACTED;
pub use problem::Problem;

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a source text in a [`Sources`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SourceId(pub u32);

/// A byte range in one source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// Which source.
    pub source: SourceId,
    /// Byte range in that source.
    pub range: Range<usize>,
}

impl Span {
    /// A span in `source` covering `range`.
    pub fn new(source: SourceId, range: Range<usize>) -> Self {
        Span { source, range }
    }
}

/// The texts diagnostics point into: scripts, modules, patch files, YAML inputs.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
struct SourceFile {
    path: PathBuf,
    text: String,
    /// Byte ranges of secret values: a report shows `******` there and never quotes them.
    masked: Option<Vec<Range<usize>>>,
}

impl Sources {
    /// Registers a text under a display path and returns its id. Re-adding the same path
    /// with the same text returns the existing id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> SourceId {
        let path = path.into();
        let text = text.into();
        if let Some(i) = self
            .files
            .iter()
            .position(|f| f.path == path && f.text == text)
        {
            return SourceId(i as u32);
        }
        self.files.push(SourceFile {
            path,
            text,
            masked: None,
        });
        SourceId((self.files.len() - 1) as u32)
    }

    /// Registers a secret-bearing text: reports point into it by line, column and caret, but
    /// show `******` instead of the text at `secret` (byte ranges, e.g. from
    /// `secrets::redact::value_ranges`) and never repeat it in a message. A source added
    /// before with the same path and text becomes masked too.
    pub fn add_masked(
        &mut self,
        path: impl Into<PathBuf>,
        text: impl Into<String>,
        secret: Vec<Range<usize>>,
    ) -> SourceId {
        let id = self.add(path, text);
        let f = &mut self.files[id.0 as usize];
        f.masked.get_or_insert_with(Vec::new).extend(secret);
        id
    }

    /// The secret ranges of a source, if it is secret-bearing.
    pub(crate) fn masked(&self, id: SourceId) -> Option<&[Range<usize>]> {
        self.files[id.0 as usize].masked.as_deref()
    }

    /// Looks up a source id by its path.
    pub fn find(&self, path: &Path) -> Option<SourceId> {
        self.files
            .iter()
            .rposition(|f| f.path == path)
            .map(|i| SourceId(i as u32))
    }

    /// The display path of a source.
    pub fn path(&self, id: SourceId) -> &Path {
        &self.files[id.0 as usize].path
    }

    /// The text of a source.
    pub fn text(&self, id: SourceId) -> &str {
        &self.files[id.0 as usize].text
    }

    /// 1-based line and column (in chars) of a byte offset.
    pub fn line_col(&self, id: SourceId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    /// Byte offset of a 1-based line and column (in chars); clamps to the text.
    pub fn offset(&self, id: SourceId, line: usize, col: usize) -> usize {
        let text = self.text(id);
        let mut start = 0;
        for _ in 1..line {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        let line_text = &text[start..];
        let line_end = line_text.find('\n').unwrap_or(line_text.len());
        let col_off = line_text[..line_end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line_end, |(i, _)| i);
        start + col_off
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the run, exit code 1.
    Error,
    /// Printed; changes the exit code only with `--deny-warnings`.
    Warning,
}

/// A secondary span with its own message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One problem found by any step of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Lowercase, no trailing period, names in backticks.
    pub message: String,
    /// Where it happened, if the problem has a place in a source.
    pub span: Option<Span>,
    /// Text of the caret label at `span` (defaults to the message).
    pub label: Option<String>,
    /// Other places involved (e.g. the first `node()` of a duplicate IP).
    pub labels: Vec<Label>,
    /// Extra context (e.g. the frame inside a module).
    pub notes: Vec<String>,
    /// Imperative suggestions.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error without a place.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// A warning without a place.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Sets the primary span.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Points at `span` unless the diagnostic already points somewhere.
    pub fn at_opt_if_none(mut self, span: Option<Span>) -> Self {
        if self.span.is_none() {
            self.span = span;
        }
        self
    }

    /// Sets the primary span if there is one.
    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        if span.is_some() {
            self.span = span;
        }
        self
    }

    /// Sets the caret label text.
    pub fn with_label_text(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
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

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The closest candidate to `word` by edit distance, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `s` for counts other than one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The cause of an I/O error without Rust's `(os error N)` suffix.
pub fn io_cause(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s.to_lowercase(),
    }
}
