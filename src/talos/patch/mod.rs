//! Talos config patching as Talos v1.12.0's `configpatcher` does it: strategic merge,
//! `$patch: delete`, JSON6902, strict key/type checks and Talos' key order.
//!
//! Modules: `strategic` (documents), `merge` (values, by Go type), `delete` (markers),
//! `json6902`, `check` (strict schema and Go-type checks), `order` (re-marshalling). The Go
//! struct table and the schema are Talos-wide: [`crate::talos::types`], [`crate::talos::schema`],
//! read in the edition of the config being patched ([`Edition::of_documents`]).

mod check;
mod delete;
mod endpoint;
mod error;
mod json6902;
mod merge;
mod order;
mod strategic;

pub use check::check_document;
pub use error::{PatchError, diagnostic, dotted, locate, to_diagnostic};
pub use json6902::MULTI_DOC;
pub use order::reorder;

use crate::model::Patch;
use crate::talos::edition::{self, Edition};
use crate::yaml::Yaml;

/// How Talos reads a patch's documents (`configpatcher.LoadPatch`).
enum Kind<'a> {
    /// Strategic merge documents.
    Strategic(&'a [Yaml]),
    /// A list of RFC 6902 operations.
    Json(&'a [Yaml]),
}

fn kind(docs: &[Yaml]) -> Result<Kind<'_>, PatchError> {
    let real: Vec<&Yaml> = docs.iter().filter(|d| !matches!(d, Yaml::Null)).collect();
    match real.as_slice() {
        // Talos reads an empty patch as an empty JSON patch (siderolabs/talos#12510).
        [] => Ok(Kind::Json(&[])),
        [Yaml::Seq(ops)] => Ok(Kind::Json(ops)),
        _ if real.iter().any(|d| matches!(d, Yaml::Seq(_))) => {
            let i = docs
                .iter()
                .position(|d| matches!(d, Yaml::Seq(_)))
                .unwrap_or(0);
            Err(PatchError::at(
                i,
                &[],
                "a patch is either JSON6902 operations or strategic merge documents, not both",
            ))
        }
        _ => Ok(Kind::Strategic(docs)),
    }
}

/// Applies one patch (possibly multi-document) to config documents, then restores Talos'
/// key order. JSON6902 patches need a single-document config.
pub fn apply(docs: Vec<Yaml>, patch: &Patch) -> Result<Vec<Yaml>, PatchError> {
    apply_docs(docs, &patch.documents)
}

/// [`apply`] on bare patch documents, with the schema and Go types of the Talos release the
/// config was made for.
pub fn apply_docs(docs: Vec<Yaml>, patch_docs: &[Yaml]) -> Result<Vec<Yaml>, PatchError> {
    let e = Edition::of_documents(&docs);
    edition::scoped(e, || apply_in_edition(docs, patch_docs))
}

fn apply_in_edition(docs: Vec<Yaml>, patch_docs: &[Yaml]) -> Result<Vec<Yaml>, PatchError> {
    let mut out = match kind(patch_docs)? {
        Kind::Strategic(p) => strategic::apply(docs, p)?,
        Kind::Json(ops) => {
            if patch_docs.iter().all(|d| matches!(d, Yaml::Null)) && docs.len() != 1 {
                return Err(PatchError::new(MULTI_DOC)
                    .with_hint("the patch is empty, which Talos reads as a JSON6902 patch: remove it or add content"));
            }
            json6902::apply(docs, ops)?
        }
    };
    out.iter_mut().for_each(reorder);
    Ok(out)
}

/// Whether Talos loads these patch documents as a JSON6902 patch (`configpatcher.LoadPatch`).
pub fn is_json_patch(docs: &[Yaml]) -> bool {
    matches!(kind(docs), Ok(Kind::Json(_)))
}

/// `configpatcher.LoadPatches`: JSON6902 patches that follow one another become one patch
/// (their operations in order); strategic merge patches stay as they are.
pub fn combine(patches: Vec<Vec<Yaml>>) -> Vec<Vec<Yaml>> {
    let mut out: Vec<Vec<Yaml>> = Vec::with_capacity(patches.len());
    for p in patches {
        let ops = match kind(&p) {
            Ok(Kind::Json(ops)) => Some(ops.to_vec()),
            _ => None,
        };
        match (ops, out.last_mut()) {
            (Some(ops), Some(last)) if is_json_patch(last) => {
                let mut all: Vec<Yaml> = match kind(last) {
                    Ok(Kind::Json(prev)) => prev.to_vec(),
                    _ => Vec::new(),
                };
                all.extend(ops);
                *last = vec![Yaml::Seq(all)];
            }
            (Some(ops), _) => out.push(vec![Yaml::Seq(ops)]),
            (None, _) => out.push(p),
        }
    }
    out
}

/// Checks each config document's keys and value types against the Talos schema (deprecated
/// fields allowed): `Err((document index, error))` for the first problem.
pub fn check_documents(docs: &[Yaml]) -> Result<(), (usize, PatchError)> {
    edition::scoped(Edition::of_documents(docs), || {
        for (i, doc) in docs.iter().enumerate() {
            let (_, def) = strategic::identify(doc).map_err(|e| (i, e))?;
            check_document(doc, def, false).map_err(|e| (i, e.in_doc(i)))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod image_rules_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod upstream_tests;
