//! Printing diagnostics and file lists with the user's `--color` and `--diagnostic-format`.

use super::args::{ColorChoice, DiagFormat};
use crate::diag::report::{self, Format};
use crate::diag::{Diagnostic, Failure, Sources};
use std::io::IsTerminal;

/// Prints diagnostics to stderr in the chosen format.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    /// Colors on.
    pub color: bool,
    /// Output format.
    pub format: Format,
}

impl Reporter {
    /// Resolves `auto` against the terminal and `NO_COLOR`.
    pub fn new(color: ColorChoice, format: DiagFormat) -> Self {
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        };
        let format = match format {
            DiagFormat::Human => Format::Human,
            DiagFormat::Short => Format::Short,
            DiagFormat::Json => Format::Json,
        };
        Reporter { color, format }
    }

    /// Prints diagnostics (errors and warnings) to stderr.
    pub fn emit(&self, diags: &[Diagnostic], sources: &Sources) {
        if diags.is_empty() {
            return;
        }
        eprint!(
            "{}",
            report::render_all(diags, sources, self.format, self.color)
        );
    }

    /// Prints one diagnostic without a source.
    pub fn error(&self, d: Diagnostic) {
        self.emit(&[d], &Sources::default());
    }

    /// Prints a failure's report and returns its exit code.
    pub fn fail(&self, f: &Failure) -> u8 {
        self.emit(&f.diagnostics, &f.sources);
        Failure::EXIT_CODE
    }

    /// The exit code of a command: its own, or its failure's once the report is printed.
    pub fn finish(&self, result: Result<u8, Failure>) -> u8 {
        result.unwrap_or_else(|f| self.fail(&f))
    }
}
