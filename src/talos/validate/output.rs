//! What `talosctl validate` prints: hashicorp multierror lists, `WARNING:` lines, the verdict.

use super::{Mode, Outcome};

/// Formats errors like hashicorp `go-multierror` v1.1.1's `ListFormatFunc`
/// (`"1 error occurred:\n\t* e\n\n"`, `"N errors occurred:\n\t* a\n\t* b\n\n"`).
pub fn multierror(errors: &[String]) -> String {
    if errors.len() == 1 {
        return format!("1 error occurred:\n\t* {}\n\n", errors[0]);
    }
    let points: Vec<String> = errors.iter().map(|e| format!("* {e}")).collect();
    format!(
        "{} errors occurred:\n\t{}\n\n",
        errors.len(),
        points.join("\n\t")
    )
}

/// The text talosctl writes (stderr and stdout, in order) for `validate -c <file> --mode <mode>`
/// and its exit code: `WARNING: <w>` lines, then either `<file> is valid for <mode> mode` (0)
/// or the error text followed by a newline (1). A decode error prints nothing else.
/// Strictness is already part of the [`Outcome`] (warnings turned into errors).
pub fn format_talosctl(outcome: &Outcome, file: &str, mode: Mode) -> (String, i32) {
    if let Some(e) = &outcome.decode_error {
        return (format!("{e}\n"), 1);
    }
    let mut text: String = outcome
        .warnings
        .iter()
        .map(|w| format!("WARNING: {w}\n"))
        .collect();
    if let Some(e) = outcome.error_text() {
        text.push_str(&e);
        text.push('\n');
        (text, 1)
    } else {
        text.push_str(&format!("{file} is valid for {} mode\n", mode.as_str()));
        (text, 0)
    }
}
