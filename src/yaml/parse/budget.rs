//! How much a text may make the parser build beyond what it holds (aliases, node paths).

use super::doc::{PathSeg, Record};
use super::{ParseError, error};
use crate::yaml::Yaml;
use std::ops::Range;

/// Deepest nesting of sequences and mappings accepted: deeper input is an error instead of a
/// stack overflow in the recursive code that later walks the value.
pub(super) const MAX_DEPTH: usize = 256;

/// Most nodes alias expansion may add to one text (the "billion laughs" guard, as yaml.v3).
pub(super) const MAX_ALIAS_NODES: usize = 1_000_000;

/// Bytes that anchors and aliases may copy, at least (see [`Budget`]).
pub(super) const MIN_COPIED: usize = 10 << 20;
/// ... and per byte of input.
pub(super) const COPIED_PER_BYTE: usize = 10;
/// Bytes of recorded node paths (each node's path from the root, for spans), at least.
pub(super) const MIN_PATHS: usize = 64 << 20;
/// ... and per byte of input.
pub(super) const PATHS_PER_BYTE: usize = 32;
/// What a node costs besides its text, for the copy budget.
pub(super) const NODE_BYTES: usize = std::mem::size_of::<Yaml>();

/// What one text may make the parser build beyond what it holds, so memory stays linear in
/// the input: a few nodes can stand for gigabytes (aliases of long strings, a long key above
/// many nodes). Shared by every document of the text.
///
/// - alias expansion: at most a million nodes, and at most max(10 MiB, 10 × the input) of
///   copied content (scalars and keys, plus a node's own size) from anchors and aliases;
/// - node paths: at most max(64 MiB, 32 × the input) for the paths recorded per node
///   (real configs record 4–7 bytes of path per byte of input).
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    alias_nodes: usize,
    copied: usize,
    max_copied: usize,
    paths: usize,
    max_paths: usize,
}

impl Budget {
    pub(super) fn for_len(len: usize) -> Budget {
        Budget {
            alias_nodes: 0,
            copied: 0,
            max_copied: MIN_COPIED.max(len.saturating_mul(COPIED_PER_BYTE)),
            paths: 0,
            max_paths: MIN_PATHS.max(len.saturating_mul(PATHS_PER_BYTE)),
        }
    }

    /// Counts `bytes` copied by an anchor or alias at `span`.
    pub(super) fn copy(
        &mut self,
        nodes: usize,
        bytes: usize,
        span: &Range<usize>,
    ) -> Result<(), ParseError> {
        self.alias_nodes = self.alias_nodes.saturating_add(nodes);
        self.copied = self.copied.saturating_add(bytes);
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(error("document contains excessive aliasing", span.clone()));
        }
        if self.copied > self.max_copied {
            return Err(error(
                format!(
                    "document contains excessive aliasing: anchors and aliases would copy more than {} MiB",
                    mib(self.max_copied)
                ),
                span.clone(),
            ));
        }
        Ok(())
    }

    /// Counts `bytes` of recorded paths for the node at `span`.
    pub(super) fn paths(&mut self, bytes: usize, span: &Range<usize>) -> Result<(), ParseError> {
        self.paths = self.paths.saturating_add(bytes);
        if self.paths > self.max_paths {
            return Err(error(
                format!(
                    "document paths are too long: long keys or deep nesting add up to more than {} MiB",
                    mib(self.max_paths)
                ),
                span.clone(),
            ));
        }
        Ok(())
    }
}

pub(super) fn mib(bytes: usize) -> usize {
    bytes.div_ceil(1 << 20)
}

/// Memory a record's path takes.
pub(super) fn path_bytes(path: &[PathSeg]) -> usize {
    let keys = path
        .iter()
        .map(|s| match s {
            PathSeg::Key(k) => k.len(),
            PathSeg::Index(_) => 0,
        })
        .sum();
    record_bytes(path.len(), keys)
}

/// [`path_bytes`] of a path of `segments` segments whose keys have `key_bytes` bytes.
pub(super) fn record_bytes(segments: usize, key_bytes: usize) -> usize {
    std::mem::size_of::<Record>() + segments * std::mem::size_of::<PathSeg>() + key_bytes
}
