//! Errors in the words of Talos' Go code (and the Go libraries it uses), printed verbatim.

/// One error as Talos' Go code words it: the exact text `talosctl validate` prints (Go's
/// `error.Error()`), so it is compared and printed verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoError(pub String);

impl std::fmt::Display for GoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GoError {}

// An error is its message: tables of Go's outputs compare with the text.
impl PartialEq<&str> for GoError {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl From<&str> for GoError {
    fn from(message: &str) -> Self {
        GoError(message.to_string())
    }
}

impl From<String> for GoError {
    fn from(message: String) -> Self {
        GoError(message)
    }
}

impl From<GoError> for String {
    fn from(e: GoError) -> Self {
        e.0
    }
}
