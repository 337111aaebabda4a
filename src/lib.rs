//! talforge: a Rhai script describing Talos clusters in, a GitOps-ready talhelper tree out.
//!
//! The run is a chain of typed steps ([`pipeline`]): `load` (a script via [`script`], or a
//! talconfig.yaml via [`talhelper`], → [`model::Fleet`]) → `check` ([`validate`]) → `render`
//! (talconfig.yaml, patches, every node's machine config via [`talos`]) → `seal` ([`secrets`]:
//! the bundle, SOPS/age, the talosconfig, the state file) → write ([`fs`], atomic, under one
//! lock). Every phase error becomes a [`diag::Problem`] through [`diag::IntoDiagnostic`]; a
//! failed command is one [`diag::Failure`], which `cli/output.rs` prints and maps to exit 1.
//!
//! Folders:
//! - `cli/`: the binary's subcommands, one file each; `args.rs` global flags, `output.rs`
//!   the reporter and exit codes;
//! - `pipeline/`: load, check, render, seal (+ `seal/`), expose (genconfig), secrets, state,
//!   stale files, `.sops.yaml` rules per run, parallel map;
//! - `script/`: the only Rhai-aware code besides `repl/`: engine, limits, host API (`api/`),
//!   values, options, convert, errors, unparse (`import`), stdlib, docs, live sessions;
//! - `talhelper/`: the talconfig.yaml codec: one key vocabulary (`keys/`), the reader
//!   (`read/`), the writer, envsubst;
//! - `model/`: the plain typed domain (fleet, clusters, nodes, links, firewall, patches,
//!   versions) and its pure defaults step;
//! - `talos/`: Talos' behaviour per version: contracts, Go type table, JSON schema, Go key
//!   order, Go-worded errors; `generate/` (`gen config`), `patch/` (configpatcher),
//!   `validate/` (`talosctl validate`);
//! - `validate/`: talforge's own model and fleet rules;
//! - `render/`: model → files without I/O: cilium values, talosctl commands, talosconfig,
//!   kubeconfig, the credentials behind them;
//! - `secrets/`: PKI bundle, SOPS (`sops/`), age keys, `.sops.yaml` rules, redaction;
//! - `yaml/`: value type, parser (`parse/`), Go-yaml.v3-style emitter (`emit/`), JSON;
//! - `diag/`: `Diagnostic`, `Sources`, `Problem`, the error contract, io errors; `report.rs`
//!   is the only ariadne user;
//! - `repl/`: the UI-free session and its rustyline front end;
//! - `fs.rs`: atomic batch writes, the run lock, repository root, tracked-path refusal.

// `Diagnostic` is the error type of every step; it is cold-path data and boxing it everywhere
// would only add noise.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod diag;
pub mod factory;
pub mod fs;
pub mod gotemplate;
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
