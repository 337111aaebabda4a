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
    /// talhelper's Go template form, rendered against the config it patches (then
    /// `documents` is only what the unrendered text parses to, possibly nothing).
    pub template: Option<PatchTemplate>,
}

/// Renders a templated patch against the template data of the config it patches (Go
/// names, [`crate::talos::goview`]) to its documents, or says why it cannot.
pub type RenderPatch =
    dyn Fn(&crate::gotemplate::Value) -> Result<Vec<Yaml>, PatchTemplateError> + Send + Sync;

/// Why a templated patch does not render: its Go template fails, its substitution fails, or
/// the rendered text is not YAML (the message names the patch, never its decrypted text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchTemplateError(pub String);

impl std::fmt::Display for PatchTemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A patch talhelper renders as a Go template (`PatchesPatcher`): its text, once decrypted,
/// stays in memory, inside the renderer.
#[derive(Clone)]
pub struct PatchTemplate(pub std::sync::Arc<RenderPatch>);

impl PatchTemplate {
    /// Renders the patch against `data`.
    pub fn render(&self, data: &crate::gotemplate::Value) -> Result<Vec<Yaml>, PatchTemplateError> {
        (self.0)(data)
    }
}

impl std::fmt::Debug for PatchTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text may be decrypted: never printed.
        f.write_str("PatchTemplate(..)")
    }
}

impl PartialEq for PatchTemplate {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}
