//! Renders the model into files: talconfig.yaml, patches, machine configs, talosconfig.

pub mod cilium;
pub mod commands;
pub mod credential;
pub mod kubeconfig;
pub mod talosconfig;
