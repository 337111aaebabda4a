//! What a strict getter reports: the expected type, an unknown key with its nearest valid
//! name, or a missing key, at a path with spans.

use crate::yaml::PathSeg;
use std::ops::Range;

/// What a getter wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A string (or a scalar the getter accepts as one).
    String,
    /// `true` or `false`.
    Bool,
    /// An integer.
    Int,
    /// An integer in `0..=u32::MAX`.
    U32,
    /// A mapping.
    Mapping,
    /// A sequence.
    Sequence,
}

/// What went wrong reading a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The value has another type (`found` is [`Yaml::type_name`](crate::yaml::Yaml::type_name)).
    Type {
        /// What the getter wanted.
        expected: Expected,
        /// What the document holds.
        found: &'static str,
    },
    /// A mapping key outside the allowed set; `nearest` is the closest allowed name.
    Unknown {
        /// The key as written.
        key: String,
        /// The allowed name it most likely meant.
        nearest: Option<&'static str>,
    },
    /// A required key is absent (or null).
    Missing,
}

/// A problem at one node of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Path of the node from the document root.
    pub path: Vec<PathSeg>,
    /// Span of the node's key (an unknown key, a missing key's nearest existing parent).
    pub key_span: Option<Range<usize>>,
    /// Span of the node's value (a value of the wrong type).
    pub value_span: Option<Range<usize>>,
}

impl StrictError {
    /// The node's path as `a.b[0].c`.
    pub fn dotted(&self) -> String {
        dotted(&self.path)
    }
}

/// `path` as `a.b[0].c`.
pub fn dotted(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSeg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// The candidate closest to `word` by edit distance, for "did you mean" hints: at most half
/// the longer word's length away (and at least 2 allowed), as `diag::closest` decides.
pub fn nearest(word: &str, candidates: &[&'static str]) -> Option<&'static str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
