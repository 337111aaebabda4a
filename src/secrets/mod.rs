//! Talos secrets bundle, SOPS encryption with age, `.sops.yaml` rules and key discovery.

pub mod bundle;
