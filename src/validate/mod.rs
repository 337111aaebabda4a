//! talforge's own rules over the model and the fleet (beyond Talos'), producing diagnostics.

mod addressing;
pub mod fleet;
pub mod kube;
pub mod model;
mod patches;
