//! The one error contract: every phase error becomes a [`Problem`] ([`IntoDiagnostic`]), and a
//! failed command is one [`Failure`], which `cli/output.rs` prints and turns into exit code 1.

use super::{Diagnostic, Problem, Sources};

/// An error of any step (a patch, sops, a `.sops.yaml` rule, a secrets bundle, a script, a
/// file): what went wrong and where. Steps run without the shared [`Sources`], so an error
/// says where as a [`Problem`], whose file is registered only when it is reported.
pub trait IntoDiagnostic {
    /// The diagnostic with its place still unregistered.
    fn into_problem(self) -> Problem;

    /// The diagnostic, with the file it points into registered in `sources`.
    fn into_diagnostic(self, sources: &mut Sources) -> Diagnostic
    where
        Self: Sized,
    {
        self.into_problem().report(sources)
    }
}

impl IntoDiagnostic for Diagnostic {
    fn into_problem(self) -> Problem {
        Problem::from(self)
    }
}

impl IntoDiagnostic for Problem {
    fn into_problem(self) -> Problem {
        self
    }
}

/// A failed command or step: at least one error, plus the sources the diagnostics point
/// into. The only thing that reaches `cli/output.rs` on failure.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    /// Texts for the report.
    pub sources: Sources,
    /// At least one error (warnings of earlier steps may follow).
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    /// The exit code of every failure: a user error (usage errors are clap's, exit 2).
    pub const EXIT_CODE: u8 = 1;

    /// Diagnostics that point into `sources`.
    pub fn new(sources: Sources, diagnostics: Vec<Diagnostic>) -> Failure {
        Failure {
            sources,
            diagnostics,
        }
    }

    /// A failure of one error, its file registered.
    pub fn of(error: impl IntoDiagnostic) -> Failure {
        let mut sources = Sources::default();
        let d = error.into_diagnostic(&mut sources);
        Failure::new(sources, vec![d])
    }

    /// A failure of several problems, their files registered in order.
    pub fn of_all(sources: Sources, problems: impl IntoIterator<Item = Problem>) -> Failure {
        let mut f = Failure::new(sources, Vec::new());
        for p in problems {
            let d = p.report(&mut f.sources);
            f.diagnostics.push(d);
        }
        f
    }

    /// Puts warnings of earlier steps before this step's own, after its errors.
    #[must_use]
    pub fn after(mut self, earlier: Vec<Diagnostic>) -> Failure {
        let at = self
            .diagnostics
            .iter()
            .position(|d| !d.is_error())
            .unwrap_or(self.diagnostics.len());
        self.diagnostics.splice(at..at, earlier);
        self
    }
}

impl<E: IntoDiagnostic> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::of(error)
    }
}
