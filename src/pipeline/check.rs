//! Step `check`: talforge's model and fleet rules on the loaded model. Errors stop the run;
//! the warnings (the rules', then the script's own) go on with it.

use super::Failure;
use crate::diag::Diagnostic;
use crate::script::Evaluated;
use crate::validate;

/// The warnings of a model that passes every rule, or the failure listing the errors first.
pub fn check(loaded: &Evaluated) -> Result<Vec<Diagnostic>, Failure> {
    let findings: Vec<Diagnostic> = validate::model::validate(&loaded.fleet)
        .into_iter()
        .chain(validate::fleet::validate(&loaded.fleet))
        .collect();
    let (errors, mut warnings): (Vec<_>, Vec<_>) =
        findings.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(Failure {
            sources: loaded.sources.clone(),
            diagnostics: errors.into_iter().chain(warnings).collect(),
        });
    }
    warnings.extend(loaded.warnings.iter().cloned());
    Ok(warnings)
}
