//! The script front end's last step: the model's defaults, their errors as diagnostics.

use crate::diag::Diagnostic;
use crate::model::{Fleet, defaults};

/// Applies cluster-wide settings to nodes; fails when a setting cannot be placed.
pub(crate) fn finish(fleet: Fleet) -> Result<Fleet, Vec<Diagnostic>> {
    defaults::apply_fleet(fleet).map_err(|errors| {
        errors
            .iter()
            .map(defaults::DefaultsError::to_diagnostic)
            .collect()
    })
}
