//! Talos secrets bundle, SOPS encryption with age, `.sops.yaml` rules and key discovery.

pub mod bundle;
pub mod keys;
pub mod pki;
mod problem;
pub mod redact;
pub mod rules;
pub mod sops;
