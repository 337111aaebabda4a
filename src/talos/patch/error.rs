//! Patch errors keyed by a path into the patch document; [`locate`] finds their place in the
//! patch file without touching `Sources`, which callers register at their boundary.

use crate::diag::{Diagnostic, IntoDiagnostic, Problem, Sources};
use crate::model::{Patch, PatchSource};
use crate::yaml::{PathSeg, parse_documents};
use std::ops::Range;
use std::path::PathBuf;

/// Why a patch could not be applied, and where in the patch.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchError {
    /// Lowercase, no trailing period (Talos' own wording where it has one).
    pub message: String,
    /// Index of the patch document at fault (`None`: the patch as a whole).
    pub doc: Option<usize>,
    /// Path inside that document (for JSON6902 patches: `[Index(op)]`, then the op's keys).
    pub path: Vec<PathSeg>,
    /// An imperative suggestion.
    pub hint: Option<String>,
}

impl PatchError {
    /// An error about the whole patch.
    pub fn new(message: impl Into<String>) -> Self {
        PatchError {
            message: message.into(),
            doc: None,
            path: Vec::new(),
            hint: None,
        }
    }

    /// An error at `path` in patch document `doc`.
    pub fn at(doc: usize, path: &[PathSeg], message: impl Into<String>) -> Self {
        PatchError {
            message: message.into(),
            doc: Some(doc),
            path: path.to_vec(),
            hint: None,
        }
    }

    /// An error at `path` in a document not known yet (see [`PatchError::in_doc`]).
    pub(crate) fn at_path(path: &[PathSeg], message: impl Into<String>) -> Self {
        PatchError {
            message: message.into(),
            doc: None,
            path: path.to_vec(),
            hint: None,
        }
    }

    /// Adds a hint (a second one becomes part of the first).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        self.hint = Some(match self.hint.take() {
            Some(first) => format!("{hint}; {first}"),
            None => hint,
        });
        self
    }

    /// Sets the document index if none is set yet.
    pub(crate) fn in_doc(mut self, doc: usize) -> Self {
        self.doc.get_or_insert(doc);
        self
    }
}

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatchError {}

/// Renders a path like `machine.network.interfaces[0].bond` (one rendering for every YAML path).
pub use crate::yaml::strict::dotted;

/// The diagnostic of a patch error without its place: message, the patch's name, the hint.
pub fn diagnostic(err: &PatchError, patch: &Patch) -> Diagnostic {
    let mut diag = Diagnostic::error(err.message.clone())
        .with_note(format!("while applying patch `{}`", patch.name));
    if let Some(hint) = &err.hint {
        diag = diag.with_hint(hint.clone());
    }
    diag
}

/// Where in the patch's text (`patch.text`) the error points: the display path of the patch
/// file and the byte range of the offending key (its text is re-parsed for spans). `None`
/// when the patch has no text or the text has no such key.
pub fn locate(err: &PatchError, patch: &Patch) -> Option<(PathBuf, Range<usize>)> {
    let text = patch.text.as_deref()?;
    let path = match &patch.source {
        PatchSource::File(p) => p.clone(),
        PatchSource::Inline => PathBuf::from(format!("patches/{}.yaml", patch.name)),
    };
    let parsed = parse_documents(text).ok()?;
    let doc = parsed.get(err.doc.unwrap_or(0))?;
    // The offending key may be gone from the text (e.g. an index shifted by a delete):
    // fall back to the nearest ancestor that the text has.
    let range = (0..=err.path.len())
        .rev()
        .find_map(|n| doc.key_span(&err.path[..n]))?;
    Some((path, range))
}

/// Turns a patch error into a diagnostic pointing at the offending key of the patch file
/// (registered in `sources`), or at the `patch()` call for inline patches.
pub fn to_diagnostic(err: &PatchError, patch: &Patch, sources: &mut Sources) -> Diagnostic {
    err.in_patch(patch).into_diagnostic(sources)
}

impl PatchError {
    /// The problem of this error in `patch`: at the offending key of its file, or at its
    /// `patch()` call.
    pub fn in_patch(&self, patch: &Patch) -> Problem {
        let d = diagnostic(self, patch);
        match (locate(self, patch), &patch.text) {
            (Some((path, range)), Some(text)) => Problem::in_file(d, path, text, Some(range)),
            _ => d.at_opt(patch.span.clone()).into(),
        }
    }
}

impl IntoDiagnostic for PatchError {
    /// Without its patch: message and hint (see [`PatchError::in_patch`]).
    fn into_problem(self) -> Problem {
        let mut d = Diagnostic::error(self.message);
        if let Some(hint) = self.hint {
            d = d.with_hint(hint);
        }
        d.into()
    }
}
