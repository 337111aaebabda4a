//! `$patch: delete` markers: found in a patch document and applied to the config like
//! Talos' delete selectors (`configloader/internal/decoder/{delete,selector}.go`).

use super::error::PatchError;
use crate::talos::GoError;
use crate::talos::schema::LEGACY_DEF;
use crate::talos::types::{self, GoTy};
use crate::yaml::{PathSeg, Yaml};

/// One delete marker of a patch document.
#[derive(Debug, Clone)]
pub(crate) struct Selector {
    /// Talos' path: keys, and `[i]` for a sequence item.
    path: Vec<String>,
    /// Where the marker is in the patch document (for the error span).
    pub(crate) at: Vec<PathSeg>,
    /// Document identity the selector targets.
    pub(crate) api_version: String,
    pub(crate) kind: String,
    pub(crate) name: Option<String>,
    /// For a sequence item: the first other key of the marker and its value.
    key: String,
    value: String,
    /// Index of the patch document holding the marker.
    pub(crate) doc: usize,
}

impl Selector {
    /// Records which patch document the marker is in.
    pub(crate) fn with_doc(mut self, doc: usize) -> Self {
        self.doc = doc;
        self
    }

    /// `path` joined by dots, as Talos prints it.
    fn path_str(&self) -> String {
        self.path.join(".")
    }
}

/// What a selector did to its document.
pub(crate) enum Outcome {
    /// A part of it was deleted.
    Edited,
    /// The whole document is to be removed.
    RemoveDocument,
}

/// Removes the delete markers from `doc` and returns them; `false` when nothing of the
/// document is left to merge (only markers, or only `version`/`kind`/`name`).
pub(crate) fn extract(doc: &mut Yaml) -> Result<(Vec<Selector>, bool), PatchError> {
    let root = doc.clone();
    let mut found = Vec::new();
    let mut path = Vec::new();
    let mut at = Vec::new();
    let deleted = process(Parent::Document, doc, &mut path, &mut at, &mut found)?;
    let selectors = found
        .into_iter()
        .map(|(f, at)| make_selector(&root, f, at))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((selectors, !deleted && !is_empty_doc(doc)))
}

#[derive(Clone, Copy, PartialEq)]
enum Parent {
    Document,
    Mapping,
    Sequence,
}

/// A marker found: Talos path, parent kind, and the marker mapping.
type Found = ((Vec<String>, Parent, Yaml), Vec<PathSeg>);

/// Walks like upstream `processNode`: returns whether `v` is to be removed from its parent.
fn process(
    parent: Parent,
    v: &mut Yaml,
    path: &mut Vec<String>,
    at: &mut Vec<PathSeg>,
    found: &mut Vec<Found>,
) -> Result<bool, PatchError> {
    match v {
        Yaml::Map(m) => {
            let mut i = 0;
            while i < m.len() {
                let (k, val) = m.get_index_mut(i).expect("index in range");
                if k == "$patch" && val.as_str() == Some("delete") {
                    if parent != Parent::Sequence && path.iter().any(|p| p.starts_with('[')) {
                        return Err(PatchError::at_path(
                            at,
                            format!("cannot delete an inner key in '{}'", path.join(".")),
                        ));
                    }
                    found.push(((path.clone(), parent, v.clone()), at.clone()));
                    return Ok(true);
                }
                let k = k.clone();
                path.push(k.clone());
                at.push(PathSeg::Key(k));
                let del = process(Parent::Mapping, val, path, at, found)?;
                path.pop();
                at.pop();
                if del {
                    m.shift_remove_index(i);
                    if m.is_empty() {
                        return Ok(true);
                    }
                } else {
                    i += 1;
                }
            }
            Ok(false)
        }
        Yaml::Seq(items) => {
            let (mut i, mut orig) = (0, 0);
            while i < items.len() {
                path.push(format!("[{i}]"));
                at.push(PathSeg::Index(orig));
                let del = process(Parent::Sequence, &mut items[i], path, at, found)?;
                path.pop();
                at.pop();
                orig += 1;
                if del {
                    items.remove(i);
                    if items.is_empty() {
                        return Ok(true);
                    }
                } else {
                    i += 1;
                }
            }
            Ok(false)
        }
        _ => Ok(false),
    }
}

/// Upstream `isEmptyDoc`: a document of only scalar `version`/`kind`/`name` keys.
fn is_empty_doc(doc: &Yaml) -> bool {
    doc.as_map().is_some_and(|m| {
        m.iter().all(|(k, v)| {
            matches!(k.as_str(), "version" | "kind" | "name")
                && !matches!(v, Yaml::Map(_) | Yaml::Seq(_))
        })
    })
}

fn make_selector(
    root: &Yaml,
    found: (Vec<String>, Parent, Yaml),
    at: Vec<PathSeg>,
) -> Result<Selector, PatchError> {
    let (path, parent, node) = found;
    let (mut key, mut value) = (String::new(), String::new());
    if parent == Parent::Sequence {
        let first = node.as_map().and_then(|m| {
            m.iter()
                .find(|(k, v)| !(*k == "$patch" && v.as_str() == Some("delete")))
        });
        let Some((k, v)) = first else {
            return Err(PatchError::at_path(
                &at,
                format!(
                    "no key:val found in sequence node for path {}",
                    path.join(".")
                ),
            ));
        };
        key.clone_from(k);
        value = scalar_text(v);
    }
    let required = path.is_empty();
    let field = |name: &str| -> Result<String, PatchError> {
        match root.get(name) {
            Some(v) => Ok(scalar_text(v)),
            None if required => Err(PatchError::at_path(
                &at,
                format!("missing {name} in document for which $patch: delete is used"),
            )),
            None => Ok(String::new()),
        }
    };
    let api_version = field("apiVersion")?;
    let mut kind = field("kind")?;
    match (api_version.is_empty(), kind.is_empty()) {
        (true, true) => kind = "v1alpha1".to_string(),
        (false, false) => {}
        _ => {
            return Err(PatchError::at_path(
                &at,
                format!(
                    "kind and apiVersion must be both set for path {}",
                    path.join(".")
                ),
            ));
        }
    }
    let name = root.get("name").map(scalar_text).filter(|n| !n.is_empty());
    Ok(Selector {
        path,
        at,
        api_version,
        kind,
        name,
        key,
        value,
        doc: 0,
    })
}

fn scalar_text(v: &Yaml) -> String {
    match v {
        Yaml::Str(s) => s.clone(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(f) => f.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// Applies a selector to its (matching) document of Go type `def`.
pub(crate) fn apply(sel: &Selector, doc: &mut Yaml, def: &str) -> Result<Outcome, PatchError> {
    let text = |k: &str| doc.get(k).and_then(Yaml::as_str).unwrap_or("").to_string();
    let (doc_api, doc_kind) = if def == LEGACY_DEF {
        (String::new(), "v1alpha1".to_string())
    } else {
        (text("apiVersion"), text("kind"))
    };
    let wrap = |msg: String| {
        let msg = match &sel.name {
            Some(_) => format!("named patch delete: document {doc_api}/{doc_kind}: {msg}"),
            None => format!(
                "patch delete: path '{}' in document '{doc_api}/{doc_kind}': {msg}",
                sel.path_str()
            ),
        };
        PatchError::at_path(&sel.at, msg)
    };
    if sel.path.is_empty() {
        if def == LEGACY_DEF {
            return Err(wrap("can't delete the root of the legacy document".into()));
        }
        return Ok(Outcome::RemoveDocument);
    }
    let Some(s) = types::lookup(def) else {
        return Err(wrap(format!(
            "failed to delete path '{}': lookup failed",
            sel.path_str()
        )));
    };
    delete_at(doc, &GoTy::Struct(s, true), &sel.path, &sel.key, &sel.value)
        .map_err(|e| wrap(format!("failed to delete path '{}': {e}", sel.path_str())))?;
    Ok(Outcome::Edited)
}

const LOOKUP_FAILED: &str = "lookup failed";

/// Upstream `deleteForPath` over a YAML value typed by the Go struct table.
fn delete_at(
    v: &mut Yaml,
    ty: &GoTy,
    path: &[String],
    key: &str,
    value: &str,
) -> Result<(), GoError> {
    let Some((search, rest)) = path.split_first() else {
        return Err("path is empty".into());
    };
    match ty {
        GoTy::Struct(s, _) => {
            let f = s.field(search).ok_or(LOOKUP_FAILED)?;
            let Yaml::Map(m) = v else {
                return Err(LOOKUP_FAILED.into()); // a nil pointer
            };
            if rest.is_empty() {
                m.shift_remove(search.as_str());
                return Ok(());
            }
            let fty = f.go_ty();
            match m.get_mut(search.as_str()) {
                Some(child) => delete_at(child, fty, rest, key, value),
                // A value (non-pointer) struct is there even when the YAML omits it.
                None if matches!(fty, GoTy::Struct(_, false)) => Ok(()),
                None => Err(LOOKUP_FAILED.into()),
            }
        }
        GoTy::Map(val) => {
            let Yaml::Map(m) = v else {
                return Err(LOOKUP_FAILED.into());
            };
            if !m.contains_key(search.as_str()) {
                return Err(LOOKUP_FAILED.into());
            }
            if rest.is_empty() {
                m.shift_remove(search.as_str());
                return Ok(());
            }
            delete_at(
                m.get_mut(search.as_str()).expect("checked"),
                val,
                rest,
                key,
                value,
            )
        }
        GoTy::Slice(item, _) => {
            if !rest.is_empty() {
                return Err("searching for complex paths in slices is not supported".into());
            }
            if search.is_empty() {
                return Err("searching for '' in a slice is not supported".into());
            }
            if !search.starts_with('[') {
                return Err("searching for non-integer keys in slices is not supported".into());
            }
            let Yaml::Seq(items) = v else {
                return Err(LOOKUP_FAILED.into());
            };
            // Only struct items are searched, by a string field.
            if !matches!(**item, GoTy::Struct(..)) {
                return Err(LOOKUP_FAILED.into());
            }
            let pos = items
                .iter()
                .position(|it| it.get(key).and_then(Yaml::as_str) == Some(value))
                .ok_or(LOOKUP_FAILED)?;
            items.remove(pos);
            Ok(())
        }
        // `Unstructured` keeps its keys in an inline map that the yaml-tag lookup can't see.
        _ => Err(LOOKUP_FAILED.into()),
    }
}
