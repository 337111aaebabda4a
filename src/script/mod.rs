//! Evaluates cluster scripts with Rhai into a typed [`Fleet`](crate::model::Fleet).
//!
//! `engine.rs` builds a sandboxed engine (limits, module resolver), `api/` registers the host
//! functions, `builder.rs` accumulates the model while the script runs, `options.rs` checks
//! option maps, and `convert.rs` turns Rhai values into YAML.

mod api;
mod builder;
mod convert;
pub mod docs;
mod engine;
pub mod error;
mod finish;
mod live;
mod options;
mod stdlib;
pub mod unparse;
mod values;

pub use builder::HostError;
pub(crate) use engine::engine_names;
pub use engine::{Limits, evaluate_file, evaluate_source, evaluate_source_with};
pub use live::{Live, is_incomplete};

use crate::diag::{Diagnostic, Sources};
use crate::model::Fleet;
use std::path::PathBuf;

/// A successful evaluation: the model, the sources it came from, and warnings.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// Every cluster the script declared.
    pub fleet: Fleet,
    /// Script and module texts, for diagnostics.
    pub sources: Sources,
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
    /// The script that was evaluated (the first one when several were merged).
    pub script: PathBuf,
    /// The script each cluster came from, parallel to `fleet.clusters`.
    pub cluster_scripts: Vec<PathBuf>,
}

impl Evaluated {
    /// Appends another evaluation whose sources were seeded with this one's (see
    /// [`evaluate_source_with`]).
    pub fn absorb(&mut self, other: Evaluated) {
        self.fleet.clusters.extend(other.fleet.clusters);
        self.cluster_scripts.extend(other.cluster_scripts);
        self.warnings.extend(other.warnings);
        self.sources = other.sources;
    }
}

pub use crate::diag::Failure;
