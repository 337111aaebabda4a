//! Config patches: which nodes they target and where their content came from.

use crate::diag::Span;
use crate::yaml::Yaml;
use std::path::PathBuf;

/// Which nodes a patch applies to (talhelper: global `patches`, `controlPlane.patches`,
/// `worker.patches`, node `patches`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PatchTarget {
    /// Every node; applied last (talhelper's top-level `patches`).
    All,
    /// Control planes (role patches, applied first).
    ControlPlanes,
    /// Workers (role patches, applied first).
    Workers,
    /// One node by hostname (applied after role patches).
    Node(String),
}

/// Where a patch's content came from.
#[derive(Debug, Clone, PartialEq)]
pub enum PatchSource {
    /// A Rhai map in the script.
    Inline,
    /// A YAML file the script named (path as given, resolved against the script directory).
    File(PathBuf),
}

/// A strategic-merge (or JSON6902) patch, written to `patches/<name>.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Patch {
    /// File stem under `patches/`.
    pub name: String,
    /// Nodes it applies to.
    pub target: PatchTarget,
    /// Documents of the patch, in order.
    pub documents: Vec<Yaml>,
    /// Original text when the patch came from a file (written verbatim, keeps comments).
    pub text: Option<String>,
    /// Inline or file.
    pub source: PatchSource,
    /// The `patch()` call.
    pub span: Option<Span>,
}
