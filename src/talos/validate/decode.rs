//! Loading a config like Talos' `configloader`: document detection, duplicates, Go-typed
//! decoding (yaml.v4 type errors) and the strict unknown-keys check (`xyaml.CheckUnknownKeys`).

use super::gotype::{self, Checker, tag_of};
use super::unknown::unknown_keys;
use super::yamlx::{q, scalar_text};
use crate::talos::GoError;
use crate::talos::schema;
use crate::yaml::{EmitOptions, ParsedDoc, PathSeg, Yaml, emit_document, parse_documents};

/// One decoded document.
#[derive(Debug, Clone)]
pub(super) struct Doc<'a> {
    /// `kind`; empty for the v1alpha1 document.
    pub kind: String,
    /// `name` for named documents (`None` for unnamed kinds and v1alpha1).
    pub name: Option<String>,
    /// The document.
    pub value: &'a Yaml,
}

/// Where a document's lines come from: its parsed text, or nowhere for a rendered tree
/// (whose decode errors are then found again in its text, see [`decode_tree`]).
#[derive(Clone, Copy)]
pub(super) struct Lines<'a>(Option<(&'a ParsedDoc, &'a str)>);

impl Lines<'_> {
    /// 1-based line of the node at `path` (the document start when unknown; 0 for a tree).
    pub(super) fn of(self, path: &[PathSeg]) -> usize {
        self.0.map_or(0, |(pd, text)| line_of(pd, text, path))
    }

    /// yaml.v3's `Node.Line` of the document's content: the first line after the `---`
    /// marker that is not blank or a comment (0 for a tree).
    fn content(self) -> usize {
        let Some((pd, text)) = self.0 else {
            return 0;
        };
        let start = pd.span.start.min(text.len());
        let first = line_at(text, start);
        let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
        for (i, l) in text[from..].lines().enumerate() {
            let l = l.strip_prefix("---").map_or(l, str::trim_start).trim();
            if !l.is_empty() && !l.starts_with('#') {
                return first + i;
            }
        }
        first
    }
}

impl Doc<'_> {
    /// Whether this is the legacy `v1alpha1.Config` document.
    pub(super) fn is_v1alpha1(&self) -> bool {
        self.kind.is_empty()
    }

    /// Talos' `docID`: `Kind` or `Kind/name`.
    pub(super) fn id(&self) -> String {
        match &self.name {
            Some(n) => format!("{}/{n}", self.kind),
            None => self.kind.clone(),
        }
    }

    /// The container's duplicate key: `Kind/` or `Kind/name`.
    pub(super) fn container_id(&self) -> String {
        format!("{}/{}", self.kind, self.name.as_deref().unwrap_or(""))
    }
}

/// Parses a config text into its YAML documents (a syntax error in Talos' wording).
pub(super) fn parse(text: &str) -> Result<Vec<ParsedDoc>, GoError> {
    parse_documents(text).map_err(|e| {
        let start = e.span.start.min(text.len());
        let line = line_at(text, start);
        if e.message.starts_with("mapping key ") {
            // Go finds duplicate keys only when decoding the document into its type
            let (kind, go_type) = kind_around(text, start);
            return format!(
                "error decoding {kind} to *{go_type}: yaml: unmarshal errors:\n  line {line}: {}",
                e.message
            )
            .into();
        }
        format!("decode error: yaml: line {line}: {}", e.message).into()
    })
}

/// Decodes every parsed document (of `text`) by its Go type, stopping at the first error
/// (the wording of Talos v1.`minor`'s decoder).
pub(super) fn decode_parsed<'a>(
    parsed: &'a [ParsedDoc],
    text: &'a str,
    minor: u32,
) -> Result<Vec<Doc<'a>>, GoError> {
    decode_all(
        parsed.iter().map(|pd| (&pd.value, Lines(Some((pd, text))))),
        minor,
    )
}

/// Decodes rendered documents without their text. An error here carries no lines: the
/// caller validates the text instead, which finds the same error with them.
pub(super) fn decode_tree(docs: &[Yaml], minor: u32) -> Result<Vec<Doc<'_>>, GoError> {
    decode_all(docs.iter().map(|d| (d, Lines(None))), minor)
}

/// Talos v1.13's decoder (`configloader/internal/decoder`, from v1.13.0) names the document
/// and its line in every error: `duplicate document … is not allowed (line N)`,
/// `error decoding document apiVersion/kind/name (line N): …`, `expected a YAML document at
/// line N`, and a kind without `apiVersion` is `missing apiVersion`. v1.12 says less.
const LINED_ERRORS_FROM: u32 = 13;

fn decode_all<'a>(
    values: impl Iterator<Item = (&'a Yaml, Lines<'a>)>,
    minor: u32,
) -> Result<Vec<Doc<'a>>, GoError> {
    let lined = minor >= LINED_ERRORS_FROM;
    let mut seen: std::collections::HashSet<(String, String, String)> =
        std::collections::HashSet::new();
    let mut docs = Vec::new();
    for (value, lines) in values {
        if matches!(value, Yaml::Null) {
            continue; // an empty document has no content node
        }
        let find = |k: &str| value.get(k).map(scalar_text).unwrap_or_default();
        let id = (
            find("apiVersion"),
            match find("kind") {
                k if k.is_empty() => "v1alpha1".to_string(),
                k => k,
            },
            find("name"),
        );
        let line = lines.content();
        if lined && !matches!(value, Yaml::Map(_)) {
            return Err(format!("expected a YAML document at line {line}").into());
        }
        if seen.contains(&id) {
            let at = if lined {
                format!(" (line {line})")
            } else {
                String::new()
            };
            return Err(format!(
                "duplicate document {}/{}/{} is not allowed{at}",
                id.0, id.1, id.2
            )
            .into());
        }
        let doc = decode_one(value, lines, lined).map_err(|e| {
            if lined {
                GoError(format!(
                    "error decoding document {}/{}/{} (line {line}): {}",
                    id.0, id.1, id.2, e.0
                ))
            } else {
                e
            }
        })?;
        seen.insert(id);
        docs.push(doc);
    }
    if docs.is_empty() {
        return Err("config not found".into());
    }
    Ok(docs)
}

/// The `kind` (empty for v1alpha1) and Go type of the document around a byte offset,
/// read from its top-level `kind:` line (used when the YAML itself failed to load).
fn kind_around(text: &str, offset: usize) -> (String, &'static str) {
    let before = &text[..offset];
    let start = before.rfind("\n---").map_or(0, |i| i + 4);
    let end = text[offset..]
        .find("\n---")
        .map_or(text.len(), |i| offset + i);
    let kind = text[start..end]
        .lines()
        .find_map(|l| l.strip_prefix("kind:"))
        .map(|k| k.trim().trim_matches(['"', '\'']).to_string())
        .unwrap_or_default();
    let go_type = match schema::def_for_kind(&kind) {
        Some(def) if !kind.is_empty() => def,
        _ => schema::LEGACY_DEF,
    };
    (kind, go_type)
}

fn decode_one<'a>(value: &'a Yaml, lines: Lines<'a>, lined: bool) -> Result<Doc<'a>, GoError> {
    let (mut version, mut kind) = (String::new(), String::new());
    if let Some(m) = value.as_map() {
        for (k, v) in m {
            match k.as_str() {
                "kind" | "apiVersion" => {
                    let s = match v {
                        Yaml::Map(_) | Yaml::Seq(_) => {
                            let line = lines.of(&[PathSeg::Key(k.clone())]);
                            let what = if k == "kind" { "kind" } else { "version" };
                            return Err(format!(
                                "{what} decode: yaml: unmarshal errors:\n  line {line}: cannot unmarshal {} into string",
                                tag_of(v)
                            ).into());
                        }
                        v => scalar_text(v),
                    };
                    if k == "kind" {
                        kind = s;
                    } else {
                        version = s;
                    }
                }
                "machine" | "cluster" | "debug" | "persist" => version = "v1alpha1".into(),
                _ => {}
            }
        }
    }
    let go_type = if version == "v1alpha1" && kind.is_empty() {
        schema::LEGACY_DEF
    } else if kind.is_empty() {
        return Err("missing kind".into());
    } else if lined && version.is_empty() {
        return Err("missing apiVersion".into());
    } else {
        match schema::def_for_kind(&kind) {
            Some(def) if version == "v1alpha1" => def,
            _ => return Err(format!("{} {}: not registered", q(&kind), q(&version)).into()),
        }
    };
    let mut cx = Checker::new(value, lines);
    let decoded = match gotype::go_struct(go_type) {
        Some(_) => cx.check(value, go_type),
        None => Ok(()),
    };
    let fail = |e: GoError| GoError(format!("error decoding {kind} to *{go_type}: {e}"));
    decoded.map_err(fail)?;
    if !cx.terrors.is_empty() {
        let lines: Vec<String> = cx.terrors.iter().map(|e| format!("\n  {e}")).collect();
        return Err(fail(GoError(format!(
            "yaml: unmarshal errors:{}",
            lines.concat()
        ))));
    }
    if let Some(u) = unknown_keys(value, go_type) {
        let summary = emit_document(&u, &EmitOptions::default());
        return Err(format!("unknown keys found during decoding:\n{summary}").into());
    }
    let name = if kind.is_empty() || !schema::is_named(go_type) {
        None
    } else {
        Some(value.get("name").map(scalar_text).unwrap_or_default())
    };
    Ok(Doc { kind, name, value })
}

/// 1-based line of the node at `path` (the document start when unknown).
pub(super) fn line_of(pd: &ParsedDoc, text: &str, path: &[PathSeg]) -> usize {
    let off = pd.value_span(path).map_or(pd.span.start, |s| s.start);
    line_at(text, off)
}

/// 1-based line of a byte offset (clamped; never splits a character).
fn line_at(text: &str, offset: usize) -> usize {
    let end = (0..=offset.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text[..end].matches('\n').count() + 1
}
