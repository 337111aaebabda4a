//! Strategic merge of a (multi-document) patch into config documents, as Talos'
//! `configpatcher.StrategicMerge`: documents match by `apiVersion/kind[/name]`, matched
//! ones merge, unmatched ones are appended, `$patch: delete` markers run first.

use super::delete::{self, Outcome, Selector};
use super::error::PatchError;
use super::gotypes::{self, GoTy};
use super::merge::{merge, normalize};
use super::schema::{self, LEGACY_DEF};
use crate::yaml::{PathSeg, Yaml};

/// Identity of a document: `apiVersion/kind[/name]` (`/v1alpha1` for the legacy document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocId {
    api_version: String,
    kind: String,
    name: Option<String>,
}

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.api_version, self.kind)?;
        if let Some(n) = &self.name {
            write!(f, "/{n}")?;
        }
        Ok(())
    }
}

/// One step of a loaded patch, in Talos' order (a document's deletes before its merge).
enum Step {
    Delete(Selector),
    Merge {
        id: DocId,
        def: &'static str,
        doc: Yaml,
        index: usize,
    },
}

/// Identifies a config or patch document and finds its Go type, like Talos' decoder.
pub(crate) fn identify(doc: &Yaml) -> Result<(DocId, &'static str), PatchError> {
    let text = |k: &str| doc.get(k).and_then(Yaml::as_str).unwrap_or("").to_string();
    let mut api_version = text("apiVersion");
    let kind = text("kind");
    let legacy_key = ["machine", "cluster", "debug", "persist"]
        .iter()
        .any(|k| doc.get(k).is_some());
    if legacy_key || (kind.is_empty() && text("version") == "v1alpha1") {
        api_version = "v1alpha1".into();
    }
    if kind.is_empty() {
        if api_version != "v1alpha1" {
            return Err(PatchError::new("missing kind")
                .with_hint("set `apiVersion` and `kind`, or patch `machine`/`cluster` keys"));
        }
        let id = DocId {
            api_version: String::new(),
            kind: "v1alpha1".into(),
            name: None,
        };
        return Ok((id, LEGACY_DEF));
    }
    let def = schema::def_for_kind(&kind).filter(|_| api_version == "v1alpha1");
    let Some(def) = def else {
        let mut err = PatchError::at_path(
            &[PathSeg::Key("kind".into())],
            format!("\"{kind}\" \"{api_version}\": not registered"),
        );
        if api_version != "v1alpha1" && schema::def_for_kind(&kind).is_some() {
            err = err.with_hint("use `apiVersion: v1alpha1`");
        } else if let Some(c) = crate::diag::closest(&kind, schema::kinds()) {
            err = err.with_hint(format!("did you mean `{c}`?"));
        }
        return Err(err);
    };
    let name = schema::is_named(def).then(|| text("name"));
    Ok((
        DocId {
            api_version,
            kind,
            name,
        },
        def,
    ))
}

/// Loads patch documents: delete markers, strict key/type check, duplicate check.
fn load(patch_docs: &[Yaml]) -> Result<Vec<Step>, PatchError> {
    let mut steps = Vec::new();
    let mut seen: Vec<DocId> = Vec::new();
    for (i, raw) in patch_docs.iter().enumerate() {
        if matches!(raw, Yaml::Null) {
            continue;
        }
        if raw.as_map().is_none() {
            return Err(PatchError::at(
                i,
                &[],
                format!("patch document is {}, expected a mapping", raw.type_name()),
            ));
        }
        let mut doc = raw.clone();
        let (selectors, keep) = delete::extract(&mut doc).map_err(|e| e.in_doc(i))?;
        steps.extend(selectors.into_iter().map(|s| Step::Delete(s.with_doc(i))));
        if !keep {
            continue;
        }
        let (id, def) = identify(&doc).map_err(|e| e.in_doc(i))?;
        if seen.contains(&id) {
            let n = id.name.clone().unwrap_or_default();
            return Err(PatchError::at(
                i,
                &[],
                format!(
                    "duplicate document {}/{}/{n} is not allowed",
                    id.api_version, id.kind
                ),
            ));
        }
        seen.push(id.clone());
        // Check the patch as written (markers included) so error paths match the text.
        schema::check_document(raw, def, true).map_err(|e| e.in_doc(i))?;
        if let Some(s) = gotypes::lookup(def) {
            normalize(&mut doc, &GoTy::Struct(s, true));
        }
        steps.push(Step::Merge {
            id,
            def,
            doc,
            index: i,
        });
    }
    Ok(steps)
}

/// Applies a strategic-merge patch (its documents) to config documents.
pub(crate) fn apply(mut docs: Vec<Yaml>, patch_docs: &[Yaml]) -> Result<Vec<Yaml>, PatchError> {
    let steps = load(patch_docs)?;
    let ids = |docs: &[Yaml]| -> Vec<Option<(DocId, &'static str)>> {
        docs.iter().map(|d| identify(d).ok()).collect()
    };
    for step in steps {
        let current = ids(&docs);
        match step {
            Step::Delete(sel) => {
                let target = DocId {
                    api_version: sel.api_version.clone(),
                    kind: sel.kind.clone(),
                    name: sel.name.clone(),
                };
                // An unnamed selector matches a named document only by kind (Talos' id
                // of a selector carries the name only when the patch document has one).
                let pos = current.iter().position(|c| {
                    c.as_ref().is_some_and(|(id, _)| {
                        id.api_version == target.api_version
                            && id.kind == target.kind
                            && id.name.as_deref().filter(|n| !n.is_empty())
                                == target.name.as_deref()
                    })
                });
                let Some(pos) = pos else {
                    return Err(PatchError::at(
                        sel.doc,
                        &sel.at,
                        format!("patch delete: no document {target} in the config"),
                    ));
                };
                let def = current[pos].as_ref().map(|(_, d)| *d).unwrap_or(LEGACY_DEF);
                match delete::apply(&sel, &mut docs[pos], def).map_err(|e| e.in_doc(sel.doc))? {
                    Outcome::Edited => {}
                    Outcome::RemoveDocument => {
                        docs.remove(pos);
                    }
                }
            }
            Step::Merge {
                id,
                def,
                doc,
                index,
            } => {
                let pos = current
                    .iter()
                    .position(|c| c.as_ref().is_some_and(|(cid, _)| *cid == id));
                match pos {
                    Some(pos) => {
                        let Some(s) = gotypes::lookup(def) else {
                            continue;
                        };
                        let mut path = Vec::new();
                        merge(
                            &mut docs[pos],
                            &doc,
                            &GoTy::Struct(s, true),
                            false,
                            &mut path,
                        )
                        .map_err(|e| e.in_doc(index))?;
                    }
                    None => docs.push(doc),
                }
            }
        }
    }
    Ok(docs)
}
