//! Rules over the model and over rendered Talos configs, producing diagnostics.

pub mod fleet;
pub mod model;
