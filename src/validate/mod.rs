//! Rules over the model and over rendered Talos configs, producing diagnostics.

pub mod model;
pub mod talos;
