//! One node's config documents: `talosctl gen config`, then the cluster's patches in
//! talhelper's order, and why that can fail.

use crate::diag::{Diagnostic, Span};
use crate::model::{Cluster, Node, Patch, PatchTarget, Role};
use crate::pipeline::Problem;
use crate::secrets::bundle::Bundle;
use crate::talos::generate as machine;
use crate::talos::patch::PatchError;
use crate::yaml::Yaml;

/// Why a node's config could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    /// Talos' `gen config` has no rendering for the node (e.g. its Talos version).
    Generate {
        /// The node's hostname.
        node: String,
        /// Its `node()` call.
        span: Option<Span>,
        /// Why.
        message: String,
    },
    /// A patch failed on the config.
    Patch {
        /// The node's hostname.
        node: String,
        /// Index of the patch in the cluster's patches.
        patch: usize,
        /// Where in the patch and why.
        error: PatchError,
    },
}

impl RenderError {
    /// The problem to report: at the script, or at the offending key of the patch file.
    pub fn to_problem(&self, cluster: &Cluster) -> Problem {
        match self {
            RenderError::Generate {
                node,
                span,
                message,
            } => Diagnostic::error(format!(
                "cannot render the machine config of `{node}`: {message}"
            ))
            .at_opt(span.clone())
            .into(),
            RenderError::Patch { node, patch, error } => match cluster.patches.get(*patch) {
                Some(p) => error.in_patch(p),
                None => Diagnostic::error(error.message.clone()).into(),
            }
            .with_note(format!("while patching the machine config of `{node}`")),
        }
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Generate { node, message, .. } => write!(f, "{node}: {message}"),
            RenderError::Patch { node, error, .. } => write!(f, "{node}: {error}"),
        }
    }
}

/// One node's config documents: `talosctl gen config` with `bundle`, then the cluster's
/// patches in talhelper's order.
pub fn node(cluster: &Cluster, node: &Node, bundle: &Bundle) -> Result<Vec<Yaml>, RenderError> {
    let generate_error = |message: String| RenderError::Generate {
        node: node.hostname.clone(),
        span: node.span.clone(),
        message,
    };
    let mut docs = machine::render_node(cluster, node, bundle)
        .map_err(|message| generate_error(message.to_string()))?;
    if let Some(v1alpha1) = docs.first_mut() {
        machine::fill_templates(v1alpha1).map_err(|e| generate_error(e.to_string()))?;
    }
    let patches = node_patches(cluster, node);
    let mut docs =
        machine::apply_patches(docs, &patches).map_err(|(i, error)| RenderError::Patch {
            node: node.hostname.clone(),
            patch: cluster
                .patches
                .iter()
                .position(|p| std::ptr::eq(p, patches[i]))
                .unwrap_or(usize::MAX),
            error,
        })?;
    // talhelper appends `extraManifests` after every patch, unmerged.
    for m in &node.extra_manifests {
        docs.extend(m.documents.iter().cloned());
    }
    Ok(docs)
}

/// The patches of `node` in talhelper's order: role patches, node patches, then global ones.
pub fn node_patches<'a>(cluster: &'a Cluster, node: &Node) -> Vec<&'a Patch> {
    let role = |p: &&Patch| {
        matches!(
            (&p.target, node.role),
            (PatchTarget::ControlPlanes, Role::ControlPlane) | (PatchTarget::Workers, Role::Worker)
        )
    };
    let own = |p: &&Patch| matches!(&p.target, PatchTarget::Node(h) if *h == node.hostname || *h == node.ip.to_string());
    let global = |p: &&Patch| p.target == PatchTarget::All;
    // `overridePatches`: the node's own patches, when it has any, replace its role's.
    let mut out: Vec<&Patch> = if node.override_patches && cluster.patches.iter().any(|p| own(&p)) {
        Vec::new()
    } else {
        cluster.patches.iter().filter(role).collect()
    };
    out.extend(cluster.patches.iter().filter(own));
    out.extend(cluster.patches.iter().filter(global));
    out
}
