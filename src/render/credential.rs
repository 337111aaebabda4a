//! Credentials made from the secrets bundle (the talosconfig's and the kubeconfig's admin
//! certificates) and why one could not be made.

use crate::diag::{Diagnostic, IntoDiagnostic, Problem};
use crate::secrets::pki::PkiError;

/// A credential that could not be made: which step (`cannot issue the … certificate`) and
/// the key or certificate error behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialError {
    /// What failed, as in "cannot read `certs.os` of the secrets bundle".
    pub what: &'static str,
    /// Why.
    pub cause: PkiError,
}

impl CredentialError {
    /// `what` failed because of `cause`.
    pub fn new(what: &'static str) -> impl FnOnce(PkiError) -> CredentialError {
        move |cause| CredentialError { what, cause }
    }
}

impl std::fmt::Display for CredentialError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.cause)
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

// An error is its message: tests compare with the text users read.
impl PartialEq<&str> for CredentialError {
    fn eq(&self, other: &&str) -> bool {
        let text = self.to_string();
        text == *other
    }
}

impl IntoDiagnostic for CredentialError {
    fn into_problem(self) -> Problem {
        Diagnostic::error(self.to_string()).into()
    }
}
