//! Builds one document's value from parser events: nodes, anchors and aliases, merge keys,
//! duplicate keys, and the spans of every path.

use super::budget::{Budget, MAX_DEPTH, NODE_BYTES, path_bytes};
use super::doc::{ParsedDoc, Path, PathSeg, Record};
use super::resolve::{Tagging, resolve};
use super::{ParseError, error};
use crate::yaml::{Map, Yaml};
use saphyr_parser::{Event, ScalarStyle, Tag};
use std::collections::HashMap;
use std::ops::Range;

/// A finished node on its way into its parent.
pub(super) struct Node {
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
pub(super) struct Anchor {
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
pub(super) struct Frame {
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

pub(super) enum Kind {
    Seq(Vec<Yaml>),
    Map(Box<MapFrame>),
}

#[derive(Default)]
pub(super) struct MapFrame {
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
pub(super) enum Slot {
    Root,
    Key,
    /// A value at this path, with its key span (`None`: use the value span).
    Value(Path, Option<Range<usize>>),
}

/// Builds one document from parser events.
pub(super) struct DocBuilder<'t> {
    text: &'t str,
    start: usize,
    stack: Vec<Frame>,
    root: Option<Yaml>,
    records: Vec<Record>,
    anchors: HashMap<usize, Anchor>,
    /// The text's budget, handed on to the next document.
    pub(super) budget: Budget,
}

impl<'t> DocBuilder<'t> {
    pub(super) fn new(text: &'t str, start: usize, budget: Budget) -> Self {
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

    pub(super) fn finish(self, end: usize) -> Result<ParsedDoc, ParseError> {
        if !self.stack.is_empty() {
            return Err(error("unexpected end of document", end..end));
        }
        Ok(ParsedDoc::new(
            self.root.unwrap_or(Yaml::Null),
            self.start..end.max(self.start),
            self.records,
        ))
    }

    pub(super) fn event(
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
                let value = resolve(&text, plain, tagging(tag))
                    .map_err(|m| error(m.to_string(), span.clone()))?;
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

pub(super) fn complex_key(span: Range<usize>) -> ParseError {
    error("invalid map key: only scalar keys are supported", span)
}

pub(super) fn tagging(tag: Option<&Tag>) -> Tagging<'_> {
    match tag {
        None => Tagging::Implicit,
        Some(t) if t.is_yaml_core_schema() => Tagging::Core(&t.suffix),
        Some(_) => Tagging::Other,
    }
}
