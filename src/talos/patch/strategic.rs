//! Strategic merge of a (multi-document) patch into config documents, as Talos'
//! `configpatcher.StrategicMerge`: documents match by `apiVersion/kind[/name]`, matched
//! ones merge, unmatched ones are appended, `$patch: delete` markers run first.

use super::check::check_document;
use super::delete::{self, Outcome, Selector};
use super::error::PatchError;
use super::merge::{merge, normalize};
use crate::talos::schema::{self, LEGACY_DEF};
use crate::talos::types::{self, GoTy};
use crate::yaml::{PathSeg, Yaml};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Identity of a document: `apiVersion/kind[/name]` (`/v1alpha1` for the legacy document).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

/// Decodes a config document into its Go type and back, as Talos' loader does before it
/// patches: values take their Go types' form (see [`normalize`]). Unknown documents stay.
pub(crate) fn decode(doc: &mut Yaml) {
    if let Ok((_, def)) = identify(doc)
        && let Some(s) = types::lookup(def)
    {
        normalize(doc, &GoTy::Struct(s, true));
    }
}

/// Loads patch documents: delete markers, strict key/type check, duplicate check.
fn load(patch_docs: &[Yaml]) -> Result<Vec<Step>, PatchError> {
    let mut steps = Vec::new();
    let mut seen: HashSet<DocId> = HashSet::new();
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
        seen.insert(id.clone());
        // Check the patch as written (markers included) so error paths match the text.
        check_document(raw, def, true).map_err(|e| e.in_doc(i))?;
        if let Some(s) = types::lookup(def) {
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

/// How a delete selector names its document: an unnamed selector matches a named document
/// only by kind (Talos' id of a selector carries the name only when the patch document has
/// one), so documents are also indexed with an empty name as none.
type LooseId = (String, String, Option<String>);

fn loose(id: &DocId) -> LooseId {
    (
        id.api_version.clone(),
        id.kind.clone(),
        id.name.clone().filter(|n| !n.is_empty()),
    )
}

/// The config documents being patched with their identities, indexed so that each patch
/// step finds its document directly: identifying every document for every step made a
/// patch of n documents cost n² identifications.
struct Docs {
    /// `None` once removed (indices stay stable; the order is kept).
    #[allow(clippy::struct_field_names)] // Talos' own field name
    docs: Vec<Option<Yaml>>,
    ids: Vec<Option<(DocId, &'static str)>>,
    exact: HashMap<DocId, BTreeSet<usize>>,
    loose: HashMap<LooseId, BTreeSet<usize>>,
}

impl Docs {
    fn new(docs: Vec<Yaml>) -> Docs {
        let mut d = Docs {
            docs: Vec::with_capacity(docs.len()),
            ids: Vec::with_capacity(docs.len()),
            exact: HashMap::new(),
            loose: HashMap::new(),
        };
        for doc in docs {
            d.push(doc);
        }
        d
    }

    fn push(&mut self, doc: Yaml) {
        self.ids.push(identify(&doc).ok());
        self.docs.push(Some(doc));
        self.index(self.docs.len() - 1);
    }

    fn index(&mut self, i: usize) {
        if let Some((id, _)) = &self.ids[i] {
            self.loose.entry(loose(id)).or_default().insert(i);
            self.exact.entry(id.clone()).or_default().insert(i);
        }
    }

    fn unindex(&mut self, i: usize) {
        if let Some((id, _)) = &self.ids[i] {
            if let Some(set) = self.exact.get_mut(id) {
                set.remove(&i);
            }
            if let Some(set) = self.loose.get_mut(&loose(id)) {
                set.remove(&i);
            }
        }
    }

    /// After an edit: the document may have another identity now.
    fn reidentify(&mut self, i: usize) {
        let Some(doc) = &self.docs[i] else { return };
        let now = identify(doc).ok();
        if now != self.ids[i] {
            self.unindex(i);
            self.ids[i] = now;
            self.index(i);
        }
    }

    fn remove(&mut self, i: usize) {
        self.unindex(i);
        self.ids[i] = None;
        self.docs[i] = None;
    }

    /// The first live document with exactly this identity.
    fn find(&self, id: &DocId) -> Option<usize> {
        self.exact.get(id)?.first().copied()
    }

    /// The first live document a delete selector for `target` names.
    fn find_loose(&self, target: &LooseId) -> Option<usize> {
        self.loose.get(target)?.first().copied()
    }

    fn into_vec(self) -> Vec<Yaml> {
        self.docs.into_iter().flatten().collect()
    }
}

/// Applies a strategic-merge patch (its documents) to config documents.
pub(crate) fn apply(docs: Vec<Yaml>, patch_docs: &[Yaml]) -> Result<Vec<Yaml>, PatchError> {
    let steps = load(patch_docs)?;
    let mut docs = docs;
    docs.iter_mut().for_each(decode);
    let mut docs = Docs::new(docs);
    for step in steps {
        match step {
            Step::Delete(sel) => {
                let target = DocId {
                    api_version: sel.api_version.clone(),
                    kind: sel.kind.clone(),
                    name: sel.name.clone(),
                };
                let key = (
                    target.api_version.clone(),
                    target.kind.clone(),
                    target.name.clone(),
                );
                let Some(pos) = docs.find_loose(&key) else {
                    return Err(PatchError::at(
                        sel.doc,
                        &sel.at,
                        format!("patch delete: no document {target} in the config"),
                    ));
                };
                let def = docs.ids[pos].as_ref().map_or(LEGACY_DEF, |(_, d)| *d);
                let Some(doc) = docs.docs[pos].as_mut() else {
                    continue;
                };
                match delete::apply(&sel, doc, def).map_err(|e| e.in_doc(sel.doc))? {
                    Outcome::Edited => docs.reidentify(pos),
                    Outcome::RemoveDocument => docs.remove(pos),
                }
            }
            Step::Merge {
                id,
                def,
                doc,
                index,
            } => match docs.find(&id) {
                Some(pos) => {
                    let Some(s) = types::lookup(def) else {
                        continue;
                    };
                    let Some(target) = docs.docs[pos].as_mut() else {
                        continue;
                    };
                    let mut path = Vec::new();
                    merge(target, &doc, &GoTy::Struct(s, true), false, &mut path)
                        .map_err(|e| e.in_doc(index))?;
                    docs.reidentify(pos);
                }
                None => docs.push(doc),
            },
        }
    }
    Ok(docs.into_vec())
}
