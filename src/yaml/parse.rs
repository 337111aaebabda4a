//! YAML parser (saphyr-parser events) into [`Yaml`] values with byte spans per path.

mod resolve;
#[cfg(test)]
mod tests;

use super::{Map, Yaml};
use resolve::{Tagging, resolve};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
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
struct PathIndex {
    hasher: RandomState,
    first: HashMap<u64, usize>,
}

impl PathIndex {
    fn new(nodes: &[Record]) -> PathIndex {
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
    fn new(value: Yaml, span: Range<usize>, nodes: Vec<Record>) -> ParsedDoc {
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

/// A syntax error with the byte span where the parser stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// What went wrong, lowercase, no trailing period.
    pub message: String,
    /// Where.
    pub span: Range<usize>,
}

/// Deepest nesting of sequences and mappings accepted: deeper input is an error instead of a
/// stack overflow in the recursive code that later walks the value.
const MAX_DEPTH: usize = 256;

/// Most nodes alias expansion may add to one text (the "billion laughs" guard, as yaml.v3).
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Bytes that anchors and aliases may copy, at least (see [`Budget`]).
const MIN_COPIED: usize = 10 << 20;
/// ... and per byte of input.
const COPIED_PER_BYTE: usize = 10;
/// Bytes of recorded node paths (each node's path from the root, for spans), at least.
const MIN_PATHS: usize = 64 << 20;
/// ... and per byte of input.
const PATHS_PER_BYTE: usize = 32;
/// What a node costs besides its text, for the copy budget.
const NODE_BYTES: usize = std::mem::size_of::<Yaml>();

/// What one text may make the parser build beyond what it holds, so memory stays linear in
/// the input: a few nodes can stand for gigabytes (aliases of long strings, a long key above
/// many nodes). Shared by every document of the text.
///
/// - alias expansion: at most a million nodes, and at most max(10 MiB, 10 × the input) of
///   copied content (scalars and keys, plus a node's own size) from anchors and aliases;
/// - node paths: at most max(64 MiB, 32 × the input) for the paths recorded per node
///   (real configs record 4–7 bytes of path per byte of input).
#[derive(Debug, Clone, Copy)]
struct Budget {
    alias_nodes: usize,
    copied: usize,
    max_copied: usize,
    paths: usize,
    max_paths: usize,
}

impl Budget {
    fn for_len(len: usize) -> Budget {
        Budget {
            alias_nodes: 0,
            copied: 0,
            max_copied: MIN_COPIED.max(len.saturating_mul(COPIED_PER_BYTE)),
            paths: 0,
            max_paths: MIN_PATHS.max(len.saturating_mul(PATHS_PER_BYTE)),
        }
    }

    /// Counts `bytes` copied by an anchor or alias at `span`.
    fn copy(&mut self, nodes: usize, bytes: usize, span: &Range<usize>) -> Result<(), ParseError> {
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
    fn paths(&mut self, bytes: usize, span: &Range<usize>) -> Result<(), ParseError> {
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

fn mib(bytes: usize) -> usize {
    bytes.div_ceil(1 << 20)
}

/// Memory a record's path takes.
fn path_bytes(path: &[PathSeg]) -> usize {
    std::mem::size_of::<Record>()
        + path
            .iter()
            .map(|s| {
                std::mem::size_of::<PathSeg>()
                    + match s {
                        PathSeg::Key(k) => k.len(),
                        PathSeg::Index(_) => 0,
                    }
            })
            .sum::<usize>()
}

/// `(path, key span, value span)` of one node.
type Record = (Path, Range<usize>, Range<usize>);

/// Parses a (multi-document) YAML text. Plain scalars resolve like yaml.v3 (YAML 1.2 core
/// schema: `true`/`false`, ints incl. `0x`/`0o`, floats, `null`/`~`); quoted scalars are strings.
/// Duplicate mapping keys are an error.
///
/// Aliases expand to copies of their anchored value (nodes below an alias keep the spans of
/// the anchored text) and `<<` merge keys merge as in yaml.v3 (merged keys point at the `<<`
/// entry). Nesting deeper than 256 levels, alias expansion beyond a million nodes or
/// max(10 MiB, 10 × the input) and node paths beyond max(64 MiB, 32 × the input) are errors
/// (see [`Budget`]), so hostile input cannot exhaust the stack or memory.
pub fn parse_documents(text: &str) -> Result<Vec<ParsedDoc>, ParseError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut doc: Option<DocBuilder<'_>> = None;
    let mut budget = Budget::for_len(text.len());
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(text, &offsets, &e))?;
        let start = offsets.byte(span.start.index());
        let range = start..offsets.byte(span.end.index()).max(start);
        match event {
            Event::DocumentStart(_) => doc = Some(DocBuilder::new(text, range.start, budget)),
            Event::DocumentEnd => {
                // An explicit `...` belongs to the document; an implicit end is reported at
                // the next `---`, which does not.
                let end = if text[range.clone()].starts_with("...") {
                    range.end
                } else {
                    range.start
                };
                if let Some(d) = doc.take() {
                    budget = d.budget;
                    docs.push(d.finish(end)?);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            event => match doc.as_mut() {
                Some(d) => d.event(event, range, span.start.line())?,
                None => return Err(error("unexpected content outside a document", range)),
            },
        }
    }
    if let Some(d) = doc.take() {
        docs.push(d.finish(text.len())?);
    }
    Ok(docs)
}

fn error(message: impl Into<String>, span: Range<usize>) -> ParseError {
    ParseError {
        message: message.into(),
        span,
    }
}

/// Turns a scanner error into a [`ParseError`] one character wide at the error position.
fn scan_error(text: &str, offsets: &Offsets<'_>, e: &ScanError) -> ParseError {
    let start = offsets.byte(e.marker().index());
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let info = e.info().trim_end_matches('.');
    let mut chars = info.chars();
    let message = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "invalid yaml".to_owned(),
    };
    error(message, start..end)
}

/// Maps saphyr's character indices to byte offsets.
struct Offsets<'t> {
    text: &'t str,
    /// Byte offset of every [`OFFSET_STEP`]th char; `None` for ASCII text, where char and
    /// byte offsets are equal. (One offset per char would take 8 bytes per input byte.)
    table: Option<Vec<usize>>,
}

/// Chars between two entries of [`Offsets::table`].
const OFFSET_STEP: usize = 64;

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(OFFSET_STEP)
                .map(|(i, _)| i)
                .collect()
        });
        Offsets { text, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        let len = self.text.len();
        match &self.table {
            None => char_index.min(len),
            Some(t) => match t.get(char_index / OFFSET_STEP) {
                Some(&at) => self.text[at..]
                    .char_indices()
                    .nth(char_index % OFFSET_STEP)
                    .map_or(len, |(i, _)| at + i),
                None => len,
            },
        }
    }
}

/// A finished node on its way into its parent.
struct Node {
    value: Yaml,
    span: Range<usize>,
    line: usize,
    /// The source text of a scalar, used when the node is a mapping key.
    key_text: Option<String>,
    /// A plain, untagged `<<` key.
    merge_key: bool,
    /// Nodes in this subtree (for the alias budget).
    nodes: usize,
    /// Bytes of this subtree (for the copy budget).
    bytes: usize,
    /// Container levels in this subtree (0 for a scalar).
    depth: usize,
}

/// An anchored node, kept to expand its aliases.
struct Anchor {
    value: Yaml,
    key_text: Option<String>,
    nodes: usize,
    bytes: usize,
    depth: usize,
    /// Records of the nodes below the anchored one, with paths relative to it.
    records: Vec<Record>,
    /// What those relative paths take.
    path_bytes: usize,
}

/// An open sequence or mapping.
struct Frame {
    kind: Kind,
    path: Path,
    start: usize,
    end: usize,
    line: usize,
    anchor: usize,
    /// Index of this container's own record, and whether its key span is its value span.
    record: Option<(usize, bool)>,
    /// Records from here on belong to this container's descendants.
    first_child_record: usize,
    nodes: usize,
    bytes: usize,
    depth: usize,
}

enum Kind {
    Seq(Vec<Yaml>),
    Map(Box<MapFrame>),
}

#[derive(Default)]
struct MapFrame {
    map: Map,
    /// Line of each key seen, for duplicate-key messages.
    seen: HashMap<String, usize>,
    /// The key waiting for its value (`None` inside for a `<<` merge key) and its span.
    pending: Option<(Option<String>, Range<usize>)>,
    /// The value of a `<<` key with the key and value spans.
    merge: Option<(Yaml, Range<usize>, Range<usize>)>,
    merge_line: Option<usize>,
}

/// Where the next node goes.
enum Slot {
    Root,
    Key,
    /// A value at this path, with its key span (`None`: use the value span).
    Value(Path, Option<Range<usize>>),
}

/// Builds one document from parser events.
struct DocBuilder<'t> {
    text: &'t str,
    start: usize,
    stack: Vec<Frame>,
    root: Option<Yaml>,
    records: Vec<Record>,
    anchors: HashMap<usize, Anchor>,
    /// The text's budget, handed on to the next document.
    budget: Budget,
}

impl<'t> DocBuilder<'t> {
    fn new(text: &'t str, start: usize, budget: Budget) -> Self {
        DocBuilder {
            text,
            start,
            stack: Vec::new(),
            root: None,
            records: Vec::new(),
            anchors: HashMap::new(),
            budget,
        }
    }

    fn finish(self, end: usize) -> Result<ParsedDoc, ParseError> {
        if !self.stack.is_empty() {
            return Err(error("unexpected end of document", end..end));
        }
        Ok(ParsedDoc::new(
            self.root.unwrap_or(Yaml::Null),
            self.start..end.max(self.start),
            self.records,
        ))
    }

    fn event(
        &mut self,
        event: Event<'_>,
        span: Range<usize>,
        line: usize,
    ) -> Result<(), ParseError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let plain = matches!(style, ScalarStyle::Plain);
                let tag = tag.as_deref();
                let merge_key = plain
                    && text == "<<"
                    && tag.is_none_or(|t| t.is_yaml_core_schema() && t.suffix == "merge");
                let value =
                    resolve(&text, plain, tagging(tag)).map_err(|m| error(m, span.clone()))?;
                let node = Node {
                    value,
                    span,
                    line,
                    bytes: NODE_BYTES + text.len(),
                    key_text: Some(text.into_owned()),
                    merge_key,
                    nodes: 1,
                    depth: 0,
                };
                let first = self.record_leaf(&node.span)?;
                self.add(node, anchor, first)
            }
            Event::Alias(id) => self.alias(id, span, line),
            Event::SequenceStart(anchor, _) => self.open(Kind::Seq(Vec::new()), anchor, span, line),
            Event::MappingStart(anchor, _) => {
                self.open(Kind::Map(Box::default()), anchor, span, line)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            _ => Ok(()),
        }
    }

    fn slot(&self, start: usize) -> Slot {
        let Some(f) = self.stack.last() else {
            return Slot::Root;
        };
        let mut path = f.path.clone();
        match &f.kind {
            Kind::Seq(items) => {
                path.push(PathSeg::Index(items.len()));
                // The `-` of a block sequence entry, when the value follows it on its line.
                let before = self.text[..start].trim_end_matches([' ', '\t']);
                let dash = before
                    .ends_with('-')
                    .then(|| before.len() - 1..before.len());
                Slot::Value(path, dash)
            }
            Kind::Map(m) => match &m.pending {
                None => Slot::Key,
                Some((key, span)) => {
                    path.push(PathSeg::Key(key.clone().unwrap_or_else(|| "<<".into())));
                    Slot::Value(path, Some(span.clone()))
                }
            },
        }
    }

    /// Records a scalar node; returns where its descendants' records start.
    fn record_leaf(&mut self, span: &Range<usize>) -> Result<(usize, usize), ParseError> {
        Ok(if let Slot::Value(path, key) = self.slot(span.start) {
            self.budget.paths(path_bytes(&path), span)?;
            let len = path.len();
            self.records
                .push((path, key.unwrap_or_else(|| span.clone()), span.clone()));
            (self.records.len(), len)
        } else {
            (self.records.len(), self.stack.len())
        })
    }

    fn open(
        &mut self,
        kind: Kind,
        anchor: usize,
        span: Range<usize>,
        line: usize,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(format!("exceeded max depth of {MAX_DEPTH}"), span));
        }
        let (path, record) = match self.slot(span.start) {
            Slot::Root => (Vec::new(), None),
            Slot::Key => return Err(complex_key(span)),
            Slot::Value(path, key) => {
                self.budget.paths(path_bytes(&path), &span)?;
                let own = key.is_none();
                let key = key.unwrap_or_else(|| span.clone());
                self.records.push((path.clone(), key, span.clone()));
                (path, Some((self.records.len() - 1, own)))
            }
        };
        self.stack.push(Frame {
            kind,
            path,
            start: span.start,
            end: span.end,
            line,
            anchor,
            record,
            first_child_record: self.records.len(),
            nodes: 1,
            bytes: NODE_BYTES,
            depth: 1,
        });
        Ok(())
    }

    fn close(&mut self, span: Range<usize>) -> Result<(), ParseError> {
        let Some(f) = self.stack.pop() else {
            return Ok(());
        };
        // Flow collections end at their bracket; block ones at their last child.
        let end = if span.is_empty() {
            f.end
        } else {
            span.end.max(f.end)
        };
        let value_span = f.start..end;
        if let Some((i, own)) = f.record {
            self.records[i].2 = value_span.clone();
            if own {
                self.records[i].1 = value_span.clone();
            }
        }
        let value = match f.kind {
            Kind::Seq(items) => Yaml::Seq(items),
            Kind::Map(mut m) => {
                if let Some((merged, key_span, merge_span)) = m.merge.take() {
                    let sources = match merged {
                        Yaml::Map(map) => vec![map],
                        Yaml::Seq(items) => items
                            .into_iter()
                            .filter_map(|v| match v {
                                Yaml::Map(map) => Some(map),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    // Explicit keys win over merged ones, and earlier merged maps over later.
                    for (k, v) in sources.into_iter().flatten() {
                        if !m.map.contains_key(&k) {
                            let mut path = f.path.clone();
                            path.push(PathSeg::Key(k.clone()));
                            self.budget.paths(path_bytes(&path), &merge_span)?;
                            self.records
                                .push((path, key_span.clone(), merge_span.clone()));
                            m.map.insert(k, v);
                        }
                    }
                }
                Yaml::Map(m.map)
            }
        };
        let node = Node {
            value,
            span: value_span,
            line: f.line,
            key_text: None,
            merge_key: false,
            nodes: f.nodes,
            bytes: f.bytes,
            depth: f.depth,
        };
        self.add(node, f.anchor, (f.first_child_record, f.path.len()))
    }

    fn alias(&mut self, id: usize, span: Range<usize>, line: usize) -> Result<(), ParseError> {
        let slot = self.slot(span.start);
        let Some(a) = self.anchors.get(&id) else {
            return Err(error("unknown anchor", span));
        };
        // Both budgets are charged before anything is copied.
        self.budget.copy(a.nodes, a.bytes, &span)?;
        if self.stack.len() + a.depth > MAX_DEPTH {
            return Err(error(format!("exceeded max depth of {MAX_DEPTH}"), span));
        }
        if let Slot::Value(path, _) = &slot {
            let own = path_bytes(path);
            let prefix = own - std::mem::size_of::<Record>();
            let copies = a
                .path_bytes
                .saturating_add(a.records.len().saturating_mul(prefix));
            self.budget.paths(own.saturating_add(copies), &span)?;
        }
        let node = Node {
            value: a.value.clone(),
            span: span.clone(),
            line,
            key_text: a.key_text.clone(),
            merge_key: false,
            nodes: a.nodes,
            bytes: a.bytes,
            depth: a.depth,
        };
        let first = match slot {
            Slot::Value(path, key) => {
                // The alias's descendants point at the anchored source text.
                let copies: Vec<Record> = a
                    .records
                    .iter()
                    .map(|(rel, k, v)| {
                        let mut p = path.clone();
                        p.extend(rel.iter().cloned());
                        (p, k.clone(), v.clone())
                    })
                    .collect();
                let len = path.len();
                self.records
                    .push((path, key.unwrap_or_else(|| span.clone()), span.clone()));
                let first = self.records.len();
                self.records.extend(copies);
                (first, len)
            }
            _ => (self.records.len(), self.stack.len()),
        };
        self.add(node, 0, first)
    }

    /// Registers the node's anchor and hands it to its parent. `(first, path_len)`: where the
    /// node's descendants' records start and the length of the node's own path.
    fn add(
        &mut self,
        node: Node,
        anchor: usize,
        (first, path_len): (usize, usize),
    ) -> Result<(), ParseError> {
        if anchor != 0 {
            // The anchor keeps a copy of the node and of its descendants' records.
            let below = &self.records[first.min(self.records.len())..];
            let path_bytes: usize = below
                .iter()
                .map(|(p, _, _)| path_bytes(&p[path_len.min(p.len())..]))
                .sum();
            self.budget.copy(0, node.bytes, &node.span)?;
            self.budget.paths(path_bytes, &node.span)?;
            let records = below
                .iter()
                .map(|(p, k, v)| (p[path_len.min(p.len())..].to_vec(), k.clone(), v.clone()))
                .collect();
            self.anchors.insert(
                anchor,
                Anchor {
                    value: node.value.clone(),
                    key_text: node.key_text.clone(),
                    nodes: node.nodes,
                    bytes: node.bytes,
                    depth: node.depth,
                    records,
                    path_bytes,
                },
            );
        }
        let Some(f) = self.stack.last_mut() else {
            self.root = Some(node.value);
            return Ok(());
        };
        f.nodes = f.nodes.saturating_add(node.nodes);
        f.bytes = f.bytes.saturating_add(node.bytes);
        f.depth = f.depth.max(node.depth + 1);
        f.end = f.end.max(node.span.end);
        match &mut f.kind {
            Kind::Seq(items) => items.push(node.value),
            Kind::Map(m) => match m.pending.take() {
                None => {
                    let Some(key) = node.key_text else {
                        return Err(complex_key(node.span));
                    };
                    let first = if node.merge_key {
                        m.merge_line.replace(node.line)
                    } else {
                        m.seen.insert(key.clone(), node.line)
                    };
                    if let Some(first) = first {
                        return Err(error(
                            format!("mapping key {key:?} already defined at line {first}"),
                            node.span,
                        ));
                    }
                    m.pending = Some(((!node.merge_key).then_some(key), node.span));
                }
                Some((Some(key), _)) => {
                    m.map.insert(key, node.value);
                }
                Some((None, key_span)) => {
                    let ok = match &node.value {
                        Yaml::Map(_) => true,
                        Yaml::Seq(items) => items.iter().all(|v| matches!(v, Yaml::Map(_))),
                        _ => false,
                    };
                    if !ok {
                        return Err(error(
                            "map merge requires map or sequence of maps as the value",
                            node.span,
                        ));
                    }
                    m.merge = Some((node.value, key_span, node.span));
                }
            },
        }
        Ok(())
    }
}

fn complex_key(span: Range<usize>) -> ParseError {
    error("invalid map key: only scalar keys are supported", span)
}

fn tagging(tag: Option<&Tag>) -> Tagging<'_> {
    match tag {
        None => Tagging::Implicit,
        Some(t) if t.is_yaml_core_schema() => Tagging::Core(&t.suffix),
        Some(_) => Tagging::Other,
    }
}
