//! talforge: a Rhai script describing Talos clusters in, a GitOps-ready talhelper tree out.
//!
//! Pipeline (one module per step, each with a typed output):
//! `script` (Rhai → [`model::Fleet`]) → `validate` (model and rendered-config rules) →
//! `render` (talconfig.yaml, patches, machine configs, talosconfig) → `secrets` (bundle,
//! SOPS/age) → `write` (atomic, only what changed). `diag` carries every problem as data;
//! `cli` wires the steps to subcommands; `repl` explores a model interactively.
//!
//! Only `script`, `repl` and `diag::rhai` know about Rhai; `model`, `validate` and `render`
//! are plain Rust.

// `Diagnostic` is the error type of every step; it is cold-path data and boxing it everywhere
// would only add noise.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod diag;
pub mod factory;
pub mod fs;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod repl;
pub mod script;
pub mod secrets;
pub mod talhelper;
pub mod talos;
pub mod validate;
pub mod yaml;

#[cfg(test)]
mod testutil;
