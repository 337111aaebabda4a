//! What a document's `Validate` returns: warnings and the errors `errors.Join` collects.

/// Warnings and errors of one document (the errors print joined with newlines).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Found {
    pub(crate) warnings: Vec<String>,
    pub(crate) errors: Vec<String>,
}

impl Found {
    /// Only errors.
    pub(crate) fn errors(errors: Vec<String>) -> Found {
        Found {
            warnings: Vec::new(),
            errors,
        }
    }

    /// Appends another spec's findings (`warnings = append(...)`, `errors.Join(...)`).
    pub(crate) fn extend(&mut self, other: Found) {
        self.warnings.extend(other.warnings);
        self.errors.extend(other.errors);
    }

    /// Adds one error.
    pub(crate) fn err(&mut self, e: impl Into<String>) {
        self.errors.push(e.into());
    }
}
