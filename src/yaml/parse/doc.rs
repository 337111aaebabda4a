//! A parsed document: its value and the key and value spans of every path, found through a
//! compact hash index.

use crate::yaml::Yaml;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;
use std::sync::OnceLock;

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSeg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A path from the document root.
pub type Path = Vec<PathSeg>;

/// A parsed document with the byte spans of its nodes.
#[derive(Debug, Clone, Default)]
pub struct ParsedDoc {
    /// The value.
    pub value: Yaml,
    /// Byte span of the whole document in the source.
    pub span: Range<usize>,
    /// `(path, key span, value span)` for every node below the root, in document order.
    /// The key span of a sequence item is the span of its `-` entry (or the value span).
    pub nodes: Vec<(Path, Range<usize>, Range<usize>)>,
    /// `nodes` by path, built on the first lookup (readers look up every node they read).
    index: OnceLock<PathIndex>,
}

/// The first record of each path, keyed by a keyed hash of the path (the records hold the
/// paths already; a second copy as map keys would double the memory).
#[derive(Debug, Clone, Default)]
pub(super) struct PathIndex {
    hasher: RandomState,
    first: HashMap<u64, usize>,
}

impl PathIndex {
    pub(super) fn new(nodes: &[Record]) -> PathIndex {
        let hasher = RandomState::new();
        let mut first = HashMap::with_capacity(nodes.len());
        for (i, (p, _, _)) in nodes.iter().enumerate() {
            first.entry(hasher.hash_one(p)).or_insert(i);
        }
        PathIndex { hasher, first }
    }

    fn find(&self, nodes: &[Record], path: &[PathSeg]) -> Option<usize> {
        let i = *self.first.get(&self.hasher.hash_one(path))?;
        if nodes[i].0 == path {
            return Some(i);
        }
        // Another path with the same hash came first: rare enough for a scan.
        nodes.iter().position(|(p, _, _)| p.as_slice() == path)
    }
}

#[allow(clippy::derivable_impls)] // `Yaml` lives in mod.rs; the default belongs with `ParsedDoc`
impl Default for Yaml {
    fn default() -> Self {
        Yaml::Null
    }
}

impl ParsedDoc {
    pub(super) fn new(value: Yaml, span: Range<usize>, nodes: Vec<Record>) -> ParsedDoc {
        ParsedDoc {
            value,
            span,
            nodes,
            index: OnceLock::new(),
        }
    }

    fn record(&self, path: &[PathSeg]) -> Option<&Record> {
        let i = self
            .index
            .get_or_init(|| PathIndex::new(&self.nodes))
            .find(&self.nodes, path)?;
        self.nodes.get(i)
    }

    /// Span of the value at `path` (the whole document for an empty path).
    pub fn value_span(&self, path: &[PathSeg]) -> Option<Range<usize>> {
        if path.is_empty() {
            return Some(self.span.clone());
        }
        self.record(path).map(|(_, _, v)| v.clone())
    }

    /// Span of the key at `path` (falls back to the value span).
    pub fn key_span(&self, path: &[PathSeg]) -> Option<Range<usize>> {
        if path.is_empty() {
            return Some(self.span.clone());
        }
        self.record(path).map(|(_, k, _)| k.clone())
    }
}

/// `(path, key span, value span)` of one node.
pub(super) type Record = (Path, Range<usize>, Range<usize>);
