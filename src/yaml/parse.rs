//! YAML parser (saphyr-parser events) into [`Yaml`] values with byte spans per path.

mod resolve;
#[cfg(test)]
mod tests;

use super::{Map, Yaml};
use resolve::{Tagging, resolve};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use std::collections::HashMap;
use std::ops::Range;
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
}

#[allow(clippy::derivable_impls)] // `Yaml` lives in mod.rs; the default belongs with `ParsedDoc`
impl Default for Yaml {
    fn default() -> Self {
        Yaml::Null
    }
}

impl ParsedDoc {
    /// Span of the value at `path` (the whole document for an empty path).
    pub fn value_span(&self, path: &[PathSeg]) -> Option<Range<usize>> {
        if path.is_empty() {
            return Some(self.span.clone());
        }
        self.nodes
            .iter()
            .find(|(p, _, _)| p.as_slice() == path)
            .map(|(_, _, v)| v.clone())
    }

    /// Span of the key at `path` (falls back to the value span).
    pub fn key_span(&self, path: &[PathSeg]) -> Option<Range<usize>> {
        if path.is_empty() {
            return Some(self.span.clone());
        }
        self.nodes
            .iter()
            .find(|(p, _, _)| p.as_slice() == path)
            .map(|(_, k, _)| k.clone())
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

/// Most nodes alias expansion may add to one document (the "billion laughs" guard).
const MAX_ALIAS_NODES: usize = 1_000_000;

type Record = (Path, Range<usize>, Range<usize>);

/// Parses a (multi-document) YAML text. Plain scalars resolve like yaml.v3 (YAML 1.2 core
/// schema: `true`/`false`, ints incl. `0x`/`0o`, floats, `null`/`~`); quoted scalars are strings.
/// Duplicate mapping keys are an error.
///
/// Aliases expand to copies of their anchored value (nodes below an alias keep the spans of
/// the anchored text) and `<<` merge keys merge as in yaml.v3 (merged keys point at the `<<`
/// entry). Nesting deeper than 256 levels and alias expansion beyond a million nodes are
/// errors, so hostile input cannot exhaust the stack or memory.
pub fn parse_documents(text: &str) -> Result<Vec<ParsedDoc>, ParseError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut doc: Option<DocBuilder<'_>> = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(text, &offsets, &e))?;
        let start = offsets.byte(span.start.index());
        let range = start..offsets.byte(span.end.index()).max(start);
        match event {
            Event::DocumentStart(_) => doc = Some(DocBuilder::new(text, range.start)),
            Event::DocumentEnd => {
                // An explicit `...` belongs to the document; an implicit end is reported at
                // the next `---`, which does not.
                let end = if text[range.clone()].starts_with("...") {
                    range.end
                } else {
                    range.start
                };
                if let Some(d) = doc.take() {
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
fn scan_error(text: &str, offsets: &Offsets, e: &ScanError) -> ParseError {
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
struct Offsets {
    /// Byte offset of each char (plus the end); `None` for ASCII text, where they are equal.
    table: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).copied().unwrap_or(self.len),
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
    /// Container levels in this subtree (0 for a scalar).
    depth: usize,
}

/// An anchored node, kept to expand its aliases.
struct Anchor {
    value: Yaml,
    key_text: Option<String>,
    nodes: usize,
    depth: usize,
    /// Records of the nodes below the anchored one, with paths relative to it.
    records: Vec<Record>,
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
    expanded: usize,
}

impl<'t> DocBuilder<'t> {
    fn new(text: &'t str, start: usize) -> Self {
        DocBuilder {
            text,
            start,
            stack: Vec::new(),
            root: None,
            records: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
        }
    }

    fn finish(self, end: usize) -> Result<ParsedDoc, ParseError> {
        if !self.stack.is_empty() {
            return Err(error("unexpected end of document", end..end));
        }
        Ok(ParsedDoc {
            value: self.root.unwrap_or(Yaml::Null),
            span: self.start..end.max(self.start),
            nodes: self.records,
        })
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
                    key_text: Some(text.into_owned()),
                    merge_key,
                    nodes: 1,
                    depth: 0,
                };
                let first = self.record_leaf(&node.span);
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

    /// Records a scalar or alias node; returns where its descendants' records start.
    fn record_leaf(&mut self, span: &Range<usize>) -> (usize, usize) {
        if let Slot::Value(path, key) = self.slot(span.start) {
            let len = path.len();
            self.records
                .push((path, key.unwrap_or_else(|| span.clone()), span.clone()));
            (self.records.len(), len)
        } else {
            (self.records.len(), self.stack.len())
        }
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
            depth: f.depth,
        };
        self.add(node, f.anchor, (f.first_child_record, f.path.len()))
    }

    fn alias(&mut self, id: usize, span: Range<usize>, line: usize) -> Result<(), ParseError> {
        let slot = self.slot(span.start);
        let Some(a) = self.anchors.get(&id) else {
            return Err(error("unknown anchor", span));
        };
        self.expanded = self.expanded.saturating_add(a.nodes);
        if self.expanded > MAX_ALIAS_NODES {
            return Err(error("document contains excessive aliasing", span));
        }
        if self.stack.len() + a.depth > MAX_DEPTH {
            return Err(error(format!("exceeded max depth of {MAX_DEPTH}"), span));
        }
        let node = Node {
            value: a.value.clone(),
            span: span.clone(),
            line,
            key_text: a.key_text.clone(),
            merge_key: false,
            nodes: a.nodes,
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
            let records = self.records[first.min(self.records.len())..]
                .iter()
                .map(|(p, k, v)| (p[path_len.min(p.len())..].to_vec(), k.clone(), v.clone()))
                .collect();
            self.anchors.insert(
                anchor,
                Anchor {
                    value: node.value.clone(),
                    key_text: node.key_text.clone(),
                    nodes: node.nodes,
                    depth: node.depth,
                    records,
                },
            );
        }
        let Some(f) = self.stack.last_mut() else {
            self.root = Some(node.value);
            return Ok(());
        };
        f.nodes = f.nodes.saturating_add(node.nodes);
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
