//! Rules over the model and over rendered Talos configs, producing diagnostics.
