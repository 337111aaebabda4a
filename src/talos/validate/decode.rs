//! Loading a config like Talos' `configloader`: document detection, duplicates, Go-typed
//! decoding (yaml.v4 type errors) and the strict unknown-keys check (`xyaml.CheckUnknownKeys`).

use super::gonet;
use super::schema;
use super::types::{ALIASES, STRUCTS};
use super::yamlx::{q, scalar_text};
use crate::yaml::{EmitOptions, Map, ParsedDoc, PathSeg, Yaml, emit_document, parse_documents};

/// One decoded document.
#[derive(Debug, Clone)]
pub(super) struct Doc {
    /// `kind`; empty for the v1alpha1 document.
    pub kind: String,
    /// `name` for named documents (`None` for unnamed kinds and v1alpha1).
    pub name: Option<String>,
    /// The document.
    pub value: Yaml,
}

impl Doc {
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

/// Decodes every document of a config text, stopping at the first error (Talos' wording).
pub(super) fn decode(text: &str) -> Result<Vec<Doc>, String> {
    let parsed = parse_documents(text).map_err(|e| {
        let start = e.span.start.min(text.len());
        let line = line_at(text, start);
        if e.message.starts_with("mapping key ") {
            // Go finds duplicate keys only when decoding the document into its type
            let (kind, go_type) = kind_around(text, start);
            return format!(
                "error decoding {kind} to *{go_type}: yaml: unmarshal errors:\n  line {line}: {}",
                e.message
            );
        }
        format!("decode error: yaml: line {line}: {}", e.message)
    })?;
    let mut seen: std::collections::HashSet<(String, String, String)> =
        std::collections::HashSet::new();
    let mut docs = Vec::new();
    for pd in &parsed {
        if matches!(pd.value, Yaml::Null) {
            continue; // an empty document has no content node
        }
        let find = |k: &str| pd.value.get(k).map(scalar_text).unwrap_or_default();
        let id = (
            find("apiVersion"),
            match find("kind") {
                k if k.is_empty() => "v1alpha1".to_string(),
                k => k,
            },
            find("name"),
        );
        if seen.contains(&id) {
            return Err(format!(
                "duplicate document {}/{}/{} is not allowed",
                id.0, id.1, id.2
            ));
        }
        seen.insert(id);
        docs.push(decode_one(pd, text)?);
    }
    if docs.is_empty() {
        return Err("config not found".into());
    }
    Ok(docs)
}

/// The `kind` (empty for v1alpha1) and Go type of the document around a byte offset,
/// read from its top-level `kind:` line (used when the YAML itself failed to load).
fn kind_around(text: &str, offset: usize) -> (String, String) {
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
        _ => "v1alpha1.Config".to_string(),
    };
    (kind, go_type)
}

fn decode_one(pd: &ParsedDoc, text: &str) -> Result<Doc, String> {
    let (mut version, mut kind) = (String::new(), String::new());
    if let Some(m) = pd.value.as_map() {
        for (k, v) in m {
            match k.as_str() {
                "kind" | "apiVersion" => {
                    let s = match v {
                        Yaml::Map(_) | Yaml::Seq(_) => {
                            let line = line_of(pd, text, &[PathSeg::Key(k.clone())]);
                            let what = if k == "kind" { "kind" } else { "version" };
                            return Err(format!(
                                "{what} decode: yaml: unmarshal errors:\n  line {line}: cannot unmarshal {} into string",
                                tag_of(v)
                            ));
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
        "v1alpha1.Config".to_string()
    } else if kind.is_empty() {
        return Err("missing kind".into());
    } else {
        match schema::def_for_kind(&kind) {
            Some(def) if version == "v1alpha1" => def,
            _ => return Err(format!("{} {}: not registered", q(&kind), q(&version))),
        }
    };
    let mut cx = Checker {
        pd,
        text,
        path: Vec::new(),
        terrors: Vec::new(),
    };
    let decoded = match struct_fields(&go_type) {
        Some(_) => cx.check(&pd.value, &go_type),
        None => Ok(()),
    };
    let fail = |e: String| format!("error decoding {kind} to *{go_type}: {e}");
    decoded.map_err(fail)?;
    if !cx.terrors.is_empty() {
        let lines: Vec<String> = cx.terrors.iter().map(|e| format!("\n  {e}")).collect();
        return Err(fail(format!("yaml: unmarshal errors:{}", lines.concat())));
    }
    let unknown = match struct_fields(&go_type) {
        Some(_) => unknown_go(&pd.value, &go_type),
        None => schema::unknown_keys(&pd.value, &go_type),
    };
    if let Some(u) = unknown {
        let summary = emit_document(&u, &EmitOptions::default());
        return Err(format!("unknown keys found during decoding:\n{summary}"));
    }
    let name = if kind.is_empty() || !schema::kind_is_named(&go_type) {
        None
    } else {
        Some(pd.value.get("name").map(scalar_text).unwrap_or_default())
    };
    Ok(Doc {
        kind,
        name,
        value: pd.value.clone(),
    })
}

/// 1-based line of the node at `path` (the document start when unknown).
fn line_of(pd: &ParsedDoc, text: &str, path: &[PathSeg]) -> usize {
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

/// yaml's short tag of a node (`!!str`, `!!int`, ...).
fn tag_of(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "!!null",
        Yaml::Bool(_) => "!!bool",
        Yaml::Int(_) => "!!int",
        Yaml::Float(_) => "!!float",
        Yaml::Str(_) => "!!str",
        Yaml::Seq(_) => "!!seq",
        Yaml::Map(_) => "!!map",
    }
}

/// yaml.v4's `terror` text: scalars are quoted in backticks, long ones cut to 7 chars
/// (unless `quote` is off: a secret's value is never quoted).
fn terror(v: &Yaml, go_type: &str, quote: bool) -> String {
    let value = match v {
        Yaml::Seq(_) | Yaml::Map(_) => String::new(),
        _ if !quote => " (value not shown)".to_string(),
        v => {
            let s = scalar_text(v);
            if s.chars().count() > 10 {
                format!(" `{}...`", s.chars().take(7).collect::<String>())
            } else {
                format!(" `{s}`")
            }
        }
    };
    format!("cannot unmarshal {}{value} into {go_type}", tag_of(v))
}

fn struct_fields(name: &str) -> Option<Option<&'static [(&'static str, &'static str)]>> {
    STRUCTS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

fn alias(name: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(n, _)| *n == name).map(|(_, u)| *u)
}

/// The `nethelpers` enums decoded from text, with their accepted values.
fn enum_values(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "nethelpers.BondMode" => crate::model::BOND_MODES,
        "nethelpers.BondXmitHashPolicy" => crate::model::BOND_XMIT_HASH_POLICIES,
        "nethelpers.LACPRate" => &["slow", "fast"],
        "nethelpers.ARPValidate" => &[
            "none",
            "active",
            "backup",
            "all",
            "filter",
            "filter-active",
            "filter-backup",
        ],
        "nethelpers.ARPAllTargets" => &["any", "all"],
        "nethelpers.PrimaryReselect" => &["always", "better", "failure"],
        "nethelpers.FailOverMAC" => &["none", "active", "follow"],
        "nethelpers.ADSelect" => &["stable", "bandwidth", "count"],
        "nethelpers.ADLACPActive" => &["off", "on"],
        "nethelpers.AutoHostnameKind" => &["off", "talos-addr", "stable"],
        "nethelpers.ClientIdentifier" => &["none", "mac", "duid"],
        "nethelpers.VLANProtocol" => &["802.1q", "802.1ad"],
        _ => return None,
    })
}

/// Walks a document against Go types, collecting yaml type errors; `Err` is a fatal
/// custom-unmarshaler error (which aborts decoding in Go).
struct Checker<'a> {
    pd: &'a ParsedDoc,
    text: &'a str,
    path: Vec<PathSeg>,
    terrors: Vec<String>,
}

impl Checker<'_> {
    fn push_terror(&mut self, v: &Yaml, ty: &str) {
        let line = line_of(self.pd, self.text, &self.path);
        // Talos quotes the value; where a secret belongs that would print (part of) it.
        let kind = self.pd.value.get("kind").and_then(Yaml::as_str);
        let quote = !crate::secrets::redact::is_secret_at(kind, &self.path, v);
        self.terrors
            .push(format!("line {line}: {}", terror(v, ty, quote)));
    }

    fn check(&mut self, v: &Yaml, ty: &str) -> Result<(), String> {
        if matches!(v, Yaml::Null) {
            return Ok(());
        }
        // named types with their own UnmarshalYAML are checked as themselves
        let resolved = match ty {
            "v1alpha1.DiskSize" | "v1alpha1.Base64Bytes" => ty,
            _ => alias(ty).unwrap_or(ty),
        };
        match resolved {
            "v1alpha1.Base64Bytes" => {
                if let Some(s) = self.scalar_for_text(v, "string") {
                    gonet::go_base64(&s)?;
                }
            }
            "string" => {
                if matches!(v, Yaml::Seq(_) | Yaml::Map(_)) {
                    self.push_terror(v, ty);
                }
            }
            "bool" => {
                if super::yamlx::as_bool(v).is_none() {
                    self.push_terror(v, ty);
                }
            }
            "int" | "int64" | "uint" | "uint8" | "uint16" | "uint32" | "uint64" => {
                let ok = match v {
                    Yaml::Int(i) => int_fits(*i, resolved),
                    Yaml::Float(f) => f.fract() == 0.0 && int_fits(*f as i64, resolved),
                    _ => false,
                };
                if !ok {
                    self.push_terror(v, ty);
                }
            }
            "v1alpha1.Endpoint" => {
                let s = match v {
                    Yaml::Seq(_) | Yaml::Map(_) => {
                        self.push_terror(v, "string");
                        return Ok(());
                    }
                    v => scalar_text(v),
                };
                gonet::url_parse(&s, false)?;
            }
            "netip.Addr" | "network.Addr" => {
                if let Some(s) = self.scalar_for_text(v, ty)
                    && !s.is_empty()
                {
                    gonet::netip_parse_addr(&s)?;
                }
            }
            "netip.Prefix" | "network.Prefix" => {
                if let Some(s) = self.scalar_for_text(v, ty)
                    && !s.is_empty()
                {
                    gonet::netip_parse_prefix(&s)?;
                }
            }
            "x509.PEMEncodedCertificateAndKey"
            | "x509.PEMEncodedCertificate"
            | "x509.PEMEncodedKey" => {
                let Yaml::Map(m) = v else {
                    self.push_terror(v, ty);
                    return Ok(());
                };
                // crypto's UnmarshalYAML base64-decodes both; a redacted key stays as is
                for (field, redactable) in [("crt", false), ("key", true)] {
                    let text = m.get(field).map(scalar_text).unwrap_or_default();
                    if !(redactable && text == "******") {
                        gonet::go_base64(&text)?;
                    }
                }
            }
            "time.Duration" => match v {
                Yaml::Str(s) if gonet::is_go_duration(s) => {}
                _ => self.push_terror(v, ty),
            },
            "v1alpha1.DiskSize" => {
                if let Some(s) = self.scalar_for_text(v, "string") {
                    gonet::humanize_parse_bytes(&s)?;
                }
            }
            "v1alpha1.InstallDiskSizeMatcher" => {
                if let Some(s) = self.scalar_for_text(v, "string") {
                    disk_size_condition(&s)?;
                }
            }
            t if enum_values(t).is_some() => {
                if let Some(s) = self.scalar_for_text(v, ty) {
                    let short = t.trim_start_matches("nethelpers.");
                    // enumer's UnmarshalText also takes the lower-cased spelling
                    let values = enum_values(t).unwrap_or(&[]);
                    if !values.contains(&s.as_str()) && !values.contains(&s.to_lowercase().as_str())
                    {
                        return Err(format!("{s} does not belong to {short} values"));
                    }
                }
            }
            t if t.starts_with("[]") => match v {
                Yaml::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.path.push(PathSeg::Index(i));
                        let r = self.check(item, &t[2..]);
                        self.path.pop();
                        r?;
                    }
                }
                _ => self.push_terror(v, ty),
            },
            t if t.starts_with("map[string]") => match v {
                Yaml::Map(m) => self.check_map_values(m, &t["map[string]".len()..])?,
                _ => self.push_terror(v, ty),
            },
            t => {
                if let Some(fields) = struct_fields(t) {
                    match v {
                        Yaml::Map(m) => {
                            if let Some(fields) = fields {
                                for (k, val) in m {
                                    if let Some((_, fty)) = fields.iter().find(|(n, _)| n == k) {
                                        self.path.push(PathSeg::Key(k.clone()));
                                        let r = self.check(val, fty);
                                        self.path.pop();
                                        r?;
                                    }
                                }
                            }
                        }
                        _ => self.push_terror(v, ty),
                    }
                }
                // other custom types (durations, sizes, certificates) are not checked
            }
        }
        Ok(())
    }

    fn check_map_values(&mut self, m: &Map, elem: &str) -> Result<(), String> {
        for (k, val) in m {
            self.path.push(PathSeg::Key(k.clone()));
            let r = self.check(val, elem);
            self.path.pop();
            r?;
        }
        Ok(())
    }

    /// The text handed to an `UnmarshalText` implementation (mappings are type errors).
    fn scalar_for_text(&mut self, v: &Yaml, ty: &str) -> Option<String> {
        match v {
            Yaml::Seq(_) | Yaml::Map(_) => {
                self.push_terror(v, ty);
                None
            }
            v => Some(scalar_text(v)),
        }
    }
}

/// `InstallDiskSizeMatcher.UnmarshalYAML`: `[>=|<=|>|<|==]<size>[units]`.
fn disk_size_condition(cond: &str) -> Result<(), String> {
    let cond = cond.trim();
    let rest = [">=", "<=", "==", ">", "<"]
        .iter()
        .find_map(|op| cond.strip_prefix(op))
        .unwrap_or(cond);
    gonet::humanize_parse_bytes(rest.trim())
        .map(|_| ())
        .map_err(|e| format!("failed to parse disk size {rest}: {e}"))
}

fn int_fits(i: i64, ty: &str) -> bool {
    match ty {
        "uint8" => (0..=i64::from(u8::MAX)).contains(&i),
        "uint16" => (0..=i64::from(u16::MAX)).contains(&i),
        "uint32" => (0..=i64::from(u32::MAX)).contains(&i),
        "uint" | "uint64" => i >= 0,
        _ => true,
    }
}

/// `xyaml.CheckUnknownKeys` over the Go type tables: the unknown keys as a tree (mapping
/// keys sorted, unknown values copied whole, sequences keeping only entries with findings).
fn unknown_go(v: &Yaml, ty: &str) -> Option<Yaml> {
    let resolved = alias(ty).unwrap_or(ty);
    if let Some(elem) = resolved.strip_prefix("[]") {
        let items: Vec<Yaml> = v
            .as_seq()?
            .iter()
            .filter_map(|i| unknown_go(i, elem))
            .collect();
        return (!items.is_empty()).then_some(Yaml::Seq(items));
    }
    let m = v.as_map()?;
    if let Some(elem) = resolved.strip_prefix("map[string]") {
        return collect(
            m.iter()
                .filter_map(|(k, val)| Some((k, unknown_go(val, elem)?))),
        );
    }
    let fields = struct_fields(resolved)??;
    collect(
        m.iter()
            .filter_map(|(k, val)| match fields.iter().find(|(n, _)| n == k) {
                None => Some((k, val.clone())),
                Some((_, fty)) => Some((k, unknown_go(val, fty)?)),
            }),
    )
}

/// Builds a sorted mapping of findings (Go marshals `map[string]any` with sorted keys).
pub(super) fn collect<'a>(items: impl Iterator<Item = (&'a String, Yaml)>) -> Option<Yaml> {
    let mut m: Map = items.map(|(k, v)| (k.clone(), v)).collect();
    if m.is_empty() {
        return None;
    }
    m.sort_keys();
    Some(Yaml::Map(m))
}
