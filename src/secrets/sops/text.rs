//! YAML text ↔ sops trees with comments: comments are found next to the parser's spans and
//! re-inserted into the emitter's output where yaml.v3 would write them.

use super::tree::{Entry, Node};
use super::{SopsError, SopsErrorKind};
use crate::yaml::{self, EmitOptions, ParsedDoc, Path, PathSeg, Yaml};
use std::collections::HashMap;
use std::ops::Range;

/// A comment found in the source.
struct Comment {
    offset: usize,
    line: usize,
    col: usize,
    /// Text after the `#`.
    text: String,
    /// Something precedes it on its line (`key: value # c`).
    trailing: bool,
}

/// Where a comment goes in the tree.
enum Anchor {
    Before(Path),
    After(Path),
    RootEnd,
}

/// Parses YAML text into documents with comments (each document must be a mapping or empty).
pub fn parse(text: &str) -> Result<Vec<Node>, SopsError> {
    let docs = yaml::parse_documents(text).map_err(|e| {
        SopsError::new(SopsErrorKind::Parse, e.message.clone()).with_span(e.span.clone())
    })?;
    let mut out = Vec::new();
    for d in &docs {
        out.push(match &d.value {
            Yaml::Map(_) => Node::from_yaml(&d.value),
            Yaml::Null => Node::Map(Vec::new()),
            other => {
                return Err(SopsError::new(
                    SopsErrorKind::Unsupported,
                    format!(
                        "the document is a {}; sops only supports documents that are mappings",
                        other.type_name()
                    ),
                )
                .with_span(d.span.clone()));
            }
        });
    }
    for (d, node) in docs.iter().zip(out.iter_mut()) {
        mark_timestamps(text, d, node);
    }
    let lines = LineIndex::new(text);
    for c in find_comments(text, &docs) {
        let di = docs
            .iter()
            .position(|d| c.offset < d.span.end)
            .unwrap_or(docs.len().saturating_sub(1));
        let Some(doc) = docs.get(di) else { continue };
        let anchor = anchor_for(text, &c, doc, &lines);
        insert_comment(&mut out[di], &anchor, c.text);
    }
    Ok(out)
}

fn anchor_for(text: &str, c: &Comment, doc: &ParsedDoc, lines: &LineIndex) -> Anchor {
    let key_start = |n: &(Path, Range<usize>, Range<usize>)| n.1.start;
    let col = |n: &(Path, Range<usize>, Range<usize>)| node_col(text, &n.0, n.1.start, lines);
    if c.trailing {
        // yaml.v3 keeps it as a line comment of the deepest node on that line; sops moves it
        // in front of that node.
        if let Some(n) = doc
            .nodes
            .iter()
            .rev()
            .find(|n| lines.line_of(key_start(n)) == c.line && key_start(n) < c.offset)
        {
            return Anchor::Before(n.0.clone());
        }
    }
    // As yaml.v3 decides: a comment is a head comment of the next node unless that node is
    // indented less than the comment; then it is a foot comment.
    let next = doc.nodes.iter().find(|n| key_start(n) > c.offset);
    if let Some(n) = next
        && col(n) >= c.col
    {
        return Anchor::Before(n.0.clone());
    }
    // Checked against sops 3.11 (decrypting each comment with every candidate AAD): before
    // the next node the innermost collection wins; after the last node of the document the
    // comment's column picks the collection.
    let last = if next.is_some() {
        doc.nodes.iter().rev().find(|n| key_start(n) < c.offset)
    } else {
        doc.nodes
            .iter()
            .rev()
            .find(|n| key_start(n) < c.offset && col(n) <= c.col)
    };
    if let Some(n) = last {
        return Anchor::After(n.0.clone());
    }
    match next {
        Some(n) => Anchor::Before(n.0.clone()),
        None => Anchor::RootEnd,
    }
}

/// Plain (unquoted, non-block) scalars that yaml.v3 would decode as `time.Time`.
fn mark_timestamps(text: &str, doc: &ParsedDoc, root: &mut Node) {
    for (path, _, span) in &doc.nodes {
        let Some(Yaml::Str(s)) = lookup(&doc.value, path) else {
            continue;
        };
        let raw = text.get(span.clone()).unwrap_or("");
        if raw.starts_with(['"', '\'', '|', '>', '!']) {
            continue;
        }
        let Some(t) = super::timestamp::canonical(s) else {
            continue;
        };
        if let Some((entries, i)) = locate(root, path)
            && let Entry::Pair(_, v) | Entry::Item(v) = &mut entries[i]
        {
            *v = Node::Time(t);
        }
    }
}

/// The entries holding the node at `path` and its index among them.
fn locate<'a>(root: &'a mut Node, path: &[PathSeg]) -> Option<(&'a mut Vec<Entry>, usize)> {
    let (last, parents) = path.split_last()?;
    let mut cur = root;
    for seg in parents {
        let (entries, i) = match cur {
            Node::Map(e) | Node::Seq(e) => {
                let i = find_entry(e, seg)?;
                (e, i)
            }
            _ => return None,
        };
        cur = match &mut entries[i] {
            Entry::Pair(_, v) | Entry::Item(v) => v,
            Entry::Comment(_) => return None,
        };
    }
    match cur {
        Node::Map(e) | Node::Seq(e) => {
            let i = find_entry(e, last)?;
            Some((e, i))
        }
        _ => None,
    }
}

fn find_entry(entries: &[Entry], seg: &PathSeg) -> Option<usize> {
    match seg {
        PathSeg::Key(k) => entries
            .iter()
            .position(|e| matches!(e, Entry::Pair(key, _) if key == k)),
        PathSeg::Index(n) => entries
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Entry::Item(_)))
            .nth(*n)
            .map(|(i, _)| i),
    }
}

fn insert_comment(root: &mut Node, anchor: &Anchor, text: String) {
    let c = Entry::Comment(text);
    match anchor {
        Anchor::Before(p) => {
            if let Some((entries, i)) = locate(root, p) {
                entries.insert(i, c);
                return;
            }
        }
        Anchor::After(p) => {
            if let Some((entries, mut i)) = locate(root, p) {
                i += 1;
                while matches!(entries.get(i), Some(Entry::Comment(_))) {
                    i += 1;
                }
                entries.insert(i, c);
                return;
            }
        }
        Anchor::RootEnd => {}
    }
    if let Node::Map(e) = root {
        e.push(c);
    }
}

/// Every `#` that starts a comment: at the start of a line's content or after a blank,
/// and outside every scalar (block scalars and quoted strings may contain `#`).
fn find_comments(text: &str, docs: &[ParsedDoc]) -> Vec<Comment> {
    let mut scalars: Vec<Range<usize>> = Vec::new();
    for d in docs {
        for (path, key, value) in &d.nodes {
            if matches!(path.last(), Some(PathSeg::Key(_))) {
                scalars.push(key.clone());
            }
            if !matches!(lookup(&d.value, path), Some(Yaml::Map(_) | Yaml::Seq(_))) {
                scalars.push(value.clone());
            }
        }
    }
    let inside = |o: usize| scalars.iter().any(|r| r.start <= o && o < r.end);
    let mut out = Vec::new();
    let mut start = 0;
    for (line_no, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let bytes = body.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'#'
                && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t')
                && !inside(start + i)
            {
                let trailing = !body[..i].trim().is_empty() && body[..i].trim() != "---";
                out.push(Comment {
                    offset: start + i,
                    line: line_no,
                    col: i,
                    text: body[i + 1..].to_string(),
                    trailing,
                });
                break;
            }
        }
        start += line.len();
    }
    out
}

fn lookup<'a>(v: &'a Yaml, path: &[PathSeg]) -> Option<&'a Yaml> {
    path.iter().try_fold(v, |v, seg| match (v, seg) {
        (Yaml::Map(m), PathSeg::Key(k)) => m.get(k),
        (Yaml::Seq(s), PathSeg::Index(i)) => s.get(*i),
        _ => None,
    })
}

/// The column a node starts at: its key's, or for a block sequence item its `-`'s (the
/// parser's item span starts at the value).
fn node_col(text: &str, path: &[PathSeg], start: usize, lines: &LineIndex) -> usize {
    let col = lines.col_of(start);
    if matches!(path.last(), Some(PathSeg::Index(_))) {
        let before = text[lines.start_of_line(start)..start].trim_end_matches(' ');
        if before.ends_with('-') {
            return before.len() - 1;
        }
    }
    col
}

/// Line starts of a text, for offset → line/column.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line_of(&self, o: usize) -> usize {
        self.starts.partition_point(|&s| s <= o) - 1
    }

    fn col_of(&self, o: usize) -> usize {
        o - self.starts[self.line_of(o)]
    }

    fn start_of_line(&self, o: usize) -> usize {
        self.starts[self.line_of(o)]
    }
}

/// Emits documents like sops' YAML store: yaml.v3 layout, comments as `#text` lines.
pub fn emit(docs: &[Node], indent: usize) -> String {
    let opts = EmitOptions { indent };
    docs.iter()
        .map(|d| emit_one(d, &opts))
        .collect::<Vec<_>>()
        .join("---\n")
}

fn emit_one(doc: &Node, opts: &EmitOptions) -> String {
    let plain = yaml::emit_document(&doc.to_yaml(), opts);
    let mut groups = Vec::new();
    collect_groups(doc, &mut Vec::new(), &mut groups);
    let mut times = Vec::new();
    collect_times(doc, &mut Vec::new(), &mut times);
    if groups.is_empty() && times.is_empty() {
        return plain;
    }
    let Some(parsed) = yaml::parse_documents(&plain).ok().and_then(|mut d| d.pop()) else {
        return plain;
    };
    let spans: HashMap<&Path, (&Range<usize>, &Range<usize>)> =
        parsed.nodes.iter().map(|(p, k, v)| (p, (k, v))).collect();
    let lines = LineIndex::new(&plain);
    // (range to replace, text): insertions are empty ranges.
    let mut inserts: Vec<(Range<usize>, String)> = Vec::new();
    for g in groups {
        let (offset, col) = match &g.anchor {
            Anchor::Before(p) => match spans.get(p) {
                Some((k, _)) => {
                    let ls = lines.start_of_line(k.start);
                    let content =
                        ls + plain[ls..].len() - plain[ls..].trim_start_matches(' ').len();
                    (ls, content - ls)
                }
                None => continue,
            },
            Anchor::After(p) => {
                let Some((k, v)) = spans.get(p) else { continue };
                let end = parsed
                    .nodes
                    .iter()
                    .filter(|(q, _, _)| q.starts_with(p))
                    .map(|(_, _, v)| v.end)
                    .fold(v.end.max(k.end), usize::max);
                let end = end.min(plain.len());
                let content_end = plain[..end].trim_end_matches(['\n', ' ']).len();
                let next_line = plain[content_end..]
                    .find('\n')
                    .map_or(plain.len(), |i| content_end + i + 1);
                (next_line, node_col(&plain, p, k.start, &lines))
            }
            Anchor::RootEnd => (plain.len(), 0),
        };
        let mut s = String::new();
        for c in &g.comments {
            s.push_str(&" ".repeat(col));
            s.push('#');
            s.push_str(c);
            s.push('\n');
        }
        inserts.push((offset..offset, s));
    }
    for (p, t) in times {
        // yaml.v3 writes a `time.Time` plain; the emitter quotes a string that looks like one.
        if let Some((_, v)) = spans.get(&p) {
            inserts.push(((*v).clone(), t));
        }
    }
    // Stable: groups at the same offset keep document order (a foot comment before the
    // next sibling's head comment).
    inserts.sort_by_key(|(r, _)| r.start);
    let mut out =
        String::with_capacity(plain.len() + inserts.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut at = 0;
    for (r, s) in inserts {
        if r.start < at {
            continue;
        }
        out.push_str(&plain[at..r.start]);
        out.push_str(&s);
        at = r.end;
    }
    out.push_str(&plain[at..]);
    out
}

/// Paths of timestamp leaves with their text.
fn collect_times(node: &Node, path: &mut Path, out: &mut Vec<(Path, String)>) {
    let (Node::Map(entries) | Node::Seq(entries)) = node else {
        return;
    };
    let mut index = 0;
    for e in entries {
        let (seg, v) = match e {
            Entry::Comment(_) => continue,
            Entry::Pair(k, v) => (PathSeg::Key(k.clone()), v),
            Entry::Item(v) => {
                index += 1;
                (PathSeg::Index(index - 1), v)
            }
        };
        path.push(seg);
        match v {
            Node::Time(t) => out.push((path.clone(), t.clone())),
            other => collect_times(other, path, out),
        }
        path.pop();
    }
}

struct Group {
    anchor: Anchor,
    comments: Vec<String>,
}

/// Runs of comments with the node they precede (or the last node they follow).
fn collect_groups(node: &Node, path: &mut Path, out: &mut Vec<Group>) {
    let (Node::Map(entries) | Node::Seq(entries)) = node else {
        return;
    };
    let mut pending: Vec<String> = Vec::new();
    let mut last: Option<Path> = None;
    let mut index = 0;
    for e in entries {
        let seg = match e {
            Entry::Comment(c) => {
                pending.push(c.clone());
                continue;
            }
            Entry::Pair(k, _) => PathSeg::Key(k.clone()),
            Entry::Item(_) => {
                index += 1;
                PathSeg::Index(index - 1)
            }
        };
        path.push(seg);
        if !pending.is_empty() {
            out.push(Group {
                anchor: Anchor::Before(path.clone()),
                comments: std::mem::take(&mut pending),
            });
        }
        if let Entry::Pair(_, v) | Entry::Item(v) = e {
            collect_groups(v, path, out);
        }
        last = Some(path.clone());
        path.pop();
    }
    if !pending.is_empty() {
        let anchor = match last {
            Some(p) => Anchor::After(p),
            // Only comments: yaml.v3 writes them as the container's head comment.
            None if path.is_empty() => Anchor::RootEnd,
            None => Anchor::Before(path.clone()),
        };
        out.push(Group {
            anchor,
            comments: pending,
        });
    }
}
