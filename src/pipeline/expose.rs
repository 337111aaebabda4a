//! Step `expose`, the sibling of `seal` for `genconfig`: the secrets go in from a bundle file,
//! and each node's config is rendered with them, validated, and kept as a plaintext file for
//! an output directory, with the talosconfig. Nothing is encrypted and no state is kept.

use super::render;
use super::seal::talosconfig_text;
use super::{Problem, parallel_map, secrets};
use crate::diag::Diagnostic;
use crate::fs::OutFile;
use crate::model::{Cluster, Node};
use crate::render::talosconfig;
use crate::secrets::bundle::Bundle;
use crate::secrets::keys::Identities;
use crate::talos::generate as machine;
use crate::yaml::{EmitOptions, emit_documents};
use std::path::Path;
use time::OffsetDateTime;

/// The plaintext configs of some nodes, or what stops them.
#[derive(Debug, Clone, Default)]
pub struct Exposed {
    /// Per node: its hostname and its config file (mode 0600: it holds every secret).
    pub configs: Vec<(String, OutFile)>,
    /// Render and validation errors, in node order.
    pub errors: Vec<Problem>,
    /// Validation warnings, in node order.
    pub warnings: Vec<Diagnostic>,
}

/// The bundle in a file, plaintext or SOPS.
pub fn bundle(path: &Path, ids: &Identities) -> Result<Bundle, Problem> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read secrets `{}`: {}",
            path.display(),
            crate::diag::io_cause(&e)
        ))
        .with_hint("pass the bundle with `--secret-file`; `talforge secrets gen` makes one")
    })?;
    secrets::read_bundle(path, &text, ids)
}

/// Renders `nodes` with `bundle` (each once, on every core) and validates them (`strict`:
/// warnings are errors); the files go to `out_dir` under talhelper's names.
pub fn expose(
    cluster: &Cluster,
    nodes: &[&Node],
    bundle: &Bundle,
    out_dir: &Path,
    strict: bool,
) -> Exposed {
    let texts = parallel_map(nodes, |n| {
        render::node(cluster, n, bundle)
            .map(|docs| {
                let text = emit_documents(&docs, &EmitOptions { indent: 4 });
                let found = render::validate_rendered(cluster, n, &docs, &text, strict);
                (text, found)
            })
            .map_err(|e| e.to_problem(cluster))
    });
    let mut out = Exposed::default();
    for (node, text) in nodes.iter().zip(texts) {
        match text {
            Ok((text, found)) => {
                out.errors
                    .extend(found.errors.into_iter().map(Problem::from));
                out.warnings.extend(found.warnings);
                let path = out_dir.join(machine::output_file_name(cluster, node));
                out.configs
                    .push((node.hostname.clone(), OutFile::new(path, text, 0o600)));
            }
            Err(p) => out.errors.push(p),
        }
    }
    out
}

/// `out_dir/talosconfig` when it has to be written: missing, unreadable or no longer valid.
pub fn talosconfig(
    cluster: &Cluster,
    bundle: &Bundle,
    out_dir: &Path,
    now: OffsetDateTime,
) -> Result<Option<OutFile>, Diagnostic> {
    let path = out_dir.join("talosconfig");
    match std::fs::read_to_string(&path) {
        Ok(t) if talosconfig::talosconfig_is_current(&t, cluster, bundle, now) => Ok(None),
        _ => talosconfig_text(cluster, bundle, now)
            .map(|t| Some(OutFile::new(path, t, 0o600)))
            .map_err(|e| Diagnostic::error(e.to_string())),
    }
}
