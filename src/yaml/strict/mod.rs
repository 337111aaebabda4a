//! Strict typed reading of parsed YAML: typed getters with spans, unknown keys with the nearest valid name.
//!
//! A [`Node`] is a value with its path from the document root and, when it came from
//! [`parse_documents`](super::parse_documents), the document to look spans up in (decrypted
//! SOPS content has none). Getters return the value with its span, or a [`StrictError`] that
//! says what was expected and where; callers phrase the message in their own words (each
//! file format keeps the wording its users and tests know). Duplicate keys never reach this
//! reader: the parser rejects them with both lines.
//!
//! This module is a leaf: it knows YAML, not talforge's diagnostics.
//!
//! `error.rs` holds what a getter reports ([`StrictError`]) and the path and "did you mean"
//! helpers its callers phrase messages with.

mod error;
#[cfg(test)]
mod tests;

pub use error::{ErrorKind, Expected, StrictError, dotted, nearest};

use super::{Map, ParsedDoc, PathSeg, Yaml};
use std::ops::Range;

/// A value with the span of the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Byte range of the value, when the document has spans.
    pub span: Option<Range<usize>>,
}

/// Which scalars a string getter accepts (Go decodes any scalar into a `string` field; some
/// formats only ever see digits unquoted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coerce {
    /// Strings only.
    Strings,
    /// Strings and integers (an all-digit token reads as an integer).
    Ints,
    /// Every scalar: strings, integers, floats, booleans.
    Scalars,
}

/// A value in a document being read, with its path and the document's spans.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    value: &'a Yaml,
    path: Vec<PathSeg>,
    doc: Option<&'a ParsedDoc>,
}

impl<'a> Node<'a> {
    /// The root of a parsed document.
    pub fn root(doc: &'a ParsedDoc) -> Node<'a> {
        Node {
            value: &doc.value,
            path: Vec::new(),
            doc: Some(doc),
        }
    }

    /// A value without source spans (e.g. decrypted content).
    pub fn bare(value: &'a Yaml) -> Node<'a> {
        Node {
            value,
            path: Vec::new(),
            doc: None,
        }
    }

    /// A value at `path` of `doc` (`value` must be the value there).
    pub fn at(value: &'a Yaml, path: Vec<PathSeg>, doc: Option<&'a ParsedDoc>) -> Node<'a> {
        Node { value, path, doc }
    }

    /// The value.
    pub fn value(&self) -> &'a Yaml {
        self.value
    }

    /// The path from the document root.
    pub fn path(&self) -> &[PathSeg] {
        &self.path
    }

    /// The document the spans come from.
    pub fn doc(&self) -> Option<&'a ParsedDoc> {
        self.doc
    }

    /// The path as `a.b[0].c`.
    pub fn dotted(&self) -> String {
        dotted(&self.path)
    }

    /// Whether the value is null (an empty value counts as absent everywhere).
    pub fn is_null(&self) -> bool {
        matches!(self.value, Yaml::Null)
    }

    /// Span of the value.
    pub fn span(&self) -> Option<Range<usize>> {
        self.doc.and_then(|d| d.value_span(&self.path))
    }

    /// Span of the key (a sequence item's `-` entry), else of the value.
    pub fn key_span(&self) -> Option<Range<usize>> {
        self.doc.and_then(|d| d.key_span(&self.path))
    }

    /// Path of a child key (which need not exist).
    pub fn child_path(&self, key: &str) -> Vec<PathSeg> {
        let mut p = self.path.clone();
        p.push(PathSeg::Key(key.to_string()));
        p
    }

    /// The child at `key`, if present (a null value is present).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let value = self.value.get(key)?;
        Some(Node {
            value,
            path: self.child_path(key),
            doc: self.doc,
        })
    }

    /// The child at `key` unless it is absent or null.
    pub fn get_set(&self, key: &str) -> Option<Node<'a>> {
        self.get(key).filter(|n| !n.is_null())
    }

    /// The child at `key`; absent or null is [`ErrorKind::Missing`].
    pub fn required(&self, key: &str) -> Result<Node<'a>, StrictError> {
        self.get_set(key).ok_or_else(|| self.missing(key))
    }

    /// A [`ErrorKind::Missing`] error for `key` below this node, pointing at the key of the
    /// nearest existing ancestor.
    pub fn missing(&self, key: &str) -> StrictError {
        let path = self.child_path(key);
        let key_span = self
            .doc
            .and_then(|d| (0..=path.len()).rev().find_map(|n| d.key_span(&path[..n])));
        StrictError {
            kind: ErrorKind::Missing,
            path,
            key_span,
            value_span: self.span(),
        }
    }

    /// An error of `kind` at this node.
    pub fn error(&self, kind: ErrorKind) -> StrictError {
        StrictError {
            kind,
            path: self.path.clone(),
            key_span: self.key_span(),
            value_span: self.span(),
        }
    }

    fn type_error(&self, expected: Expected) -> StrictError {
        self.error(ErrorKind::Type {
            expected,
            found: self.value.type_name(),
        })
    }

    /// The mapping inside.
    pub fn map(&self) -> Result<&'a Map, StrictError> {
        self.value
            .as_map()
            .ok_or_else(|| self.type_error(Expected::Mapping))
    }

    /// The items of a sequence, each with its path; null is an empty sequence.
    pub fn items(&self) -> Result<Vec<Node<'a>>, StrictError> {
        match self.value {
            Yaml::Null => Ok(Vec::new()),
            Yaml::Seq(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let mut path = self.path.clone();
                    path.push(PathSeg::Index(i));
                    Node {
                        value,
                        path,
                        doc: self.doc,
                    }
                })
                .collect()),
            _ => Err(self.type_error(Expected::Sequence)),
        }
    }

    /// The entries of a mapping in document order, each value with its path; null is empty.
    pub fn entries(&self) -> Result<Vec<(&'a str, Node<'a>)>, StrictError> {
        if self.is_null() {
            return Ok(Vec::new());
        }
        Ok(self
            .map()?
            .iter()
            .map(|(k, value)| {
                (
                    k.as_str(),
                    Node {
                        value,
                        path: self.child_path(k),
                        doc: self.doc,
                    },
                )
            })
            .collect())
    }

    /// Every key of this mapping that is not in `allowed`, in document order, each with the
    /// nearest allowed name. Not a mapping: one type error.
    pub fn unknown_keys(&self, allowed: &[&'static str]) -> Vec<StrictError> {
        let m = match self.map() {
            Ok(m) => m,
            Err(e) => return vec![e],
        };
        m.keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .map(|k| {
                let child = Node {
                    value: &m[k],
                    path: self.child_path(k),
                    doc: self.doc,
                };
                child.error(ErrorKind::Unknown {
                    key: k.clone(),
                    nearest: nearest(k, allowed),
                })
            })
            .collect()
    }

    /// Like [`Node::unknown_keys`], stopping at the first problem.
    pub fn check_keys(&self, allowed: &[&'static str]) -> Result<(), StrictError> {
        self.unknown_keys(allowed)
            .into_iter()
            .next()
            .map_or(Ok(()), Err)
    }

    /// This scalar as a string, accepting the scalars `coerce` allows.
    pub fn string(&self, coerce: Coerce) -> Result<Spanned<String>, StrictError> {
        let s = match (self.value, coerce) {
            (Yaml::Str(s), _) => s.clone(),
            (Yaml::Int(i), Coerce::Ints | Coerce::Scalars) => i.to_string(),
            (Yaml::Float(f), Coerce::Scalars) => f.to_string(),
            (Yaml::Bool(b), Coerce::Scalars) => b.to_string(),
            _ => return Err(self.type_error(Expected::String)),
        };
        Ok(self.spanned(s))
    }

    /// This value as a boolean.
    pub fn bool(&self) -> Result<Spanned<bool>, StrictError> {
        match self.value {
            Yaml::Bool(b) => Ok(self.spanned(*b)),
            _ => Err(self.type_error(Expected::Bool)),
        }
    }

    /// This value as an integer.
    pub fn int(&self) -> Result<Spanned<i64>, StrictError> {
        match self.value {
            Yaml::Int(i) => Ok(self.spanned(*i)),
            _ => Err(self.type_error(Expected::Int)),
        }
    }

    /// This value as an integer in `0..=u32::MAX`.
    pub fn u32(&self) -> Result<Spanned<u32>, StrictError> {
        match self.value {
            Yaml::Int(i) => match u32::try_from(*i) {
                Ok(v) => Ok(self.spanned(v)),
                Err(_) => Err(self.type_error(Expected::U32)),
            },
            _ => Err(self.type_error(Expected::U32)),
        }
    }

    /// The string at `key` unless absent or null.
    pub fn opt_string(
        &self,
        key: &str,
        coerce: Coerce,
    ) -> Result<Option<Spanned<String>>, StrictError> {
        self.get_set(key).map(|n| n.string(coerce)).transpose()
    }

    /// The boolean at `key` unless absent or null.
    pub fn opt_bool(&self, key: &str) -> Result<Option<Spanned<bool>>, StrictError> {
        self.get_set(key).map(|n| n.bool()).transpose()
    }

    /// The `u32` at `key` unless absent or null.
    pub fn opt_u32(&self, key: &str) -> Result<Option<Spanned<u32>>, StrictError> {
        self.get_set(key).map(|n| n.u32()).transpose()
    }

    fn spanned<T>(&self, value: T) -> Spanned<T> {
        Spanned {
            value,
            span: self.span(),
        }
    }
}
