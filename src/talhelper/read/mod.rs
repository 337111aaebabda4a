//! talconfig.yaml → [`Cluster`]: substituted as talhelper does, then one file per section on the strict reader.
//!
//! Every problem is collected (not just the first) and points at its line: a value of the
//! wrong type at the value, an unknown key at the key with the nearest name of its section
//! from [`keys`](super::keys).

mod cluster;
mod image;
mod machine;
mod network;
mod node;
mod patches;

pub use patches::{file_template, unrendered};

use super::envsubst::{Env, SubstError, Substituted};
use super::keys::{self, Key, Kind};
use crate::diag::{Diagnostic, SourceId, Sources, Span};
use crate::model::{Cidr, Cluster, EnvVar, defaults, record_env_var};
use crate::yaml::strict::{Coerce, ErrorKind, Expected, Node, StrictError};
use crate::yaml::{ParsedDoc, parse_documents};
use std::path::{Path, PathBuf};

/// A talconfig.yaml read into the model.
#[derive(Debug, Clone)]
pub struct Talconfig {
    /// The cluster it describes.
    pub cluster: Cluster,
    /// talconfig.yaml and every patch file, for diagnostics.
    pub sources: Sources,
    /// What talhelper accepts but talforge points out (keys it ignores).
    pub warnings: Vec<Diagnostic>,
    /// SOPS-encrypted `@file`s whose plaintext is in the cluster (`machineFiles` content,
    /// `inlineManifests` contents): `import` refuses them rather than write it.
    pub decrypted: Vec<PathBuf>,
}

/// Reads a talconfig.yaml file (already loaded as `text`) with `env` for substitution; the
/// directory of `path` anchors `@./patches/...` references. As in talhelper, the text is
/// substituted before it is parsed (comments dropped first), so `mtu: ${MTU}` is a number;
/// diagnostics point into the text as written, never at a substituted value.
pub fn read_talconfig(
    path: &Path,
    text: &str,
    env: &Env,
) -> Result<Talconfig, (Sources, Vec<Diagnostic>)> {
    read_with_keys(path, text, env, None)
}

/// [`read_talconfig`] decrypting SOPS-encrypted patch files with `identities` (default: the
/// operator's, looked up at the first such file).
pub fn read_with_keys(
    path: &Path,
    text: &str,
    env: &Env,
    identities: Option<crate::secrets::keys::Identities>,
) -> Result<Talconfig, (Sources, Vec<Diagnostic>)> {
    let mut sources = Sources::default();
    let src = sources.add(path.display().to_string(), text.to_string());
    let subst = match env.substitute_yaml(text) {
        Ok(s) => s,
        Err(errors) => {
            let hint = "set it in the environment or in talenv.yaml next to talconfig.yaml";
            let diags = errors
                .into_iter()
                .map(|e| substitution_error(&e, Span::new(src, e.range.clone()), hint))
                .collect();
            return Err((sources, diags));
        }
    };
    let docs = match parse_documents(subst.text()) {
        Ok(d) => d,
        Err(e) => {
            let span = Span::new(src, subst.original_range(e.span));
            return Err((
                sources,
                vec![
                    Diagnostic::error(format!("talconfig is not valid YAML: {}", e.message))
                        .at(span),
                ],
            ));
        }
    };
    let Some(doc) = docs.first() else {
        return Err((
            sources,
            vec![Diagnostic::error(format!("`{}` is empty", path.display()))],
        ));
    };
    let mut r = Reader {
        doc,
        src,
        subst: &subst,
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        env,
        used: subst.used().to_vec(),
        identities,
        sources,
        diags: Vec::new(),
        decrypted: Vec::new(),
    };
    let mut cluster = cluster::read(&mut r, &Node::root(doc));
    // The same defaults step the script front end ends with (talhelper has no cluster-wide
    // interfaces, VIP or NTP keys today, so it places nothing yet).
    if let Some(c) = &mut cluster {
        for e in defaults::apply(c) {
            r.push(e.to_diagnostic());
        }
        for name in &r.used {
            if let Some(value) = env.get(name) {
                record_env_var(
                    &mut c.env_vars,
                    EnvVar {
                        name: name.clone(),
                        value: value.to_string(),
                        secret: env.is_secret(name),
                    },
                );
            }
        }
    }
    let Reader {
        sources,
        diags,
        decrypted,
        ..
    } = r;
    let (errors, warnings): (Vec<_>, Vec<_>) =
        diags.iter().cloned().partition(Diagnostic::is_error);
    match cluster {
        Some(c) if errors.is_empty() => Ok(Talconfig {
            cluster: c,
            sources,
            warnings,
            decrypted,
        }),
        _ => Err((sources, diags)),
    }
}

/// talhelper's "failed to substitute env" (or the YAML error that stopped it) at `span`.
fn substitution_error(e: &SubstError, span: Span, hint: &str) -> Diagnostic {
    if e.yaml {
        return Diagnostic::error(format!("not valid YAML: {}", e.message)).at(span);
    }
    Diagnostic::error(format!("failed to substitute env: {}", e.message))
        .at(span)
        .with_hint(hint)
}

/// The state of one read: the document, where patch files are, and what went wrong.
struct Reader<'a> {
    doc: &'a ParsedDoc,
    src: SourceId,
    /// talconfig.yaml after substitution: `doc`'s spans are offsets into its text.
    subst: &'a Substituted,
    dir: PathBuf,
    env: &'a Env,
    /// Variables substituted so far (talconfig.yaml, then patch files).
    used: Vec<String>,
    /// Age identities, looked up once for the first SOPS-encrypted patch file.
    identities: Option<crate::secrets::keys::Identities>,
    sources: Sources,
    diags: Vec<Diagnostic>,
    /// SOPS files decrypted into content ([`Talconfig::decrypted`]).
    decrypted: Vec<PathBuf>,
}

impl Reader<'_> {
    /// A span of the parsed (substituted) text as a span of talconfig.yaml as written.
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Option<Span> {
        range.map(|r| Span::new(self.src, self.subst.original_range(r)))
    }

    /// The parsed text at `range` (a scalar as it reads after substitution).
    fn parsed_text(&self, range: std::ops::Range<usize>) -> Option<&str> {
        self.subst.text().get(range)
    }

    /// An error at the value of `n`.
    fn error(&self, n: &Node, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(msg).at_opt(self.span(n.span()))
    }

    /// An error at the value of `key` below `parent` (no place when it is absent).
    fn error_at(&self, parent: &Node, key: Key, msg: impl Into<String>) -> Diagnostic {
        let span = self.doc.value_span(&parent.child_path(key.name));
        Diagnostic::error(msg).at_opt(self.span(span))
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A strict reader's error in talhelper's words.
    fn strict(&mut self, e: StrictError) {
        let path = e.dotted();
        let d = match e.kind {
            ErrorKind::Unknown { key, .. } if keys::ignored(&key).is_some() => {
                let notes = keys::ignored(&key).map_or("", |k| k.notes);
                Diagnostic::warning(format!("talhelper ignores `{key}`, and so does talforge"))
                    .at_opt(self.span(e.key_span))
                    .with_note(notes)
            }
            ErrorKind::Unknown { key, nearest } => {
                let unsupported = keys::unsupported(&key);
                let mut d = Diagnostic::error(if unsupported {
                    format!("talforge does not support talhelper's `{key}` yet")
                } else {
                    format!("unknown key `{key}`")
                })
                .at_opt(self.span(e.key_span));
                if let (false, Some(c)) = (unsupported, nearest) {
                    d = d.with_hint(format!("did you mean `{c}`?"));
                }
                d
            }
            ErrorKind::Type { expected, found } => {
                let msg = match expected {
                    Expected::Mapping => format!("`{path}` must be a mapping, got {found}"),
                    Expected::Sequence => format!("`{path}` must be a list, got {found}"),
                    Expected::Bool => format!("`{path}` must be true or false, got {found}"),
                    Expected::Int | Expected::U32 => {
                        format!("`{path}` must be a non-negative integer, got {found}")
                    }
                    Expected::String => format!("`{path}` must be a string, got {found}"),
                };
                Diagnostic::error(msg).at_opt(self.span(e.value_span))
            }
            ErrorKind::Missing => {
                Diagnostic::error(format!("`{path}` is required")).at_opt(self.span(e.key_span))
            }
        };
        self.push(d);
    }

    /// Checks the keys of a section mapping made of `sections`.
    fn check_keys(&mut self, n: &Node, sections: &[&[Key]]) {
        if n.value().as_map().is_none() {
            let d = self.error(n, format!("`{}` must be a mapping", n.dotted()));
            self.push(d);
            return;
        }
        for e in n.unknown_keys(&keys::accepted(sections)) {
            self.strict(e);
        }
    }

    /// A scalar as a string (already substituted with the whole text).
    fn string(&mut self, n: &Node) -> Option<String> {
        match n.string(Coerce::Scalars) {
            Ok(s) => Some(s.value),
            Err(e) => {
                self.strict(e);
                None
            }
        }
    }

    /// The string at `key`; a null value is an error, an absent one `None`.
    fn opt_string(&mut self, parent: &Node, key: Key) -> Option<String> {
        debug_assert_eq!(key.kind, Kind::Str, "{}", key.name);
        let n = parent.get(key.name)?;
        self.string(&n)
    }

    /// The strings at `key` (absent or null: none).
    fn strings(&mut self, parent: &Node, key: Key) -> Vec<String> {
        debug_assert_eq!(key.kind, Kind::Strings, "{}", key.name);
        let Some(n) = parent.get(key.name) else {
            return Vec::new();
        };
        match n.items() {
            Ok(items) => items.iter().filter_map(|i| self.string(i)).collect(),
            Err(e) => {
                self.strict(e);
                Vec::new()
            }
        }
    }

    fn bool(&mut self, parent: &Node, key: Key) -> Option<bool> {
        debug_assert_eq!(key.kind, Kind::Bool, "{}", key.name);
        match parent.opt_bool(key.name) {
            Ok(b) => b.map(|b| b.value),
            Err(e) => {
                self.strict(e);
                None
            }
        }
    }

    fn u32(&mut self, parent: &Node, key: Key) -> Option<u32> {
        debug_assert_eq!(key.kind, Kind::U32, "{}", key.name);
        match parent.opt_u32(key.name) {
            Ok(v) => v.map(|v| v.value),
            Err(e) => {
                self.strict(e);
                None
            }
        }
    }

    fn cidrs(&mut self, parent: &Node, key: Key) -> Vec<Cidr> {
        debug_assert_eq!(key.kind, Kind::Strings, "{}", key.name);
        let Some(n) = parent.get(key.name) else {
            return Vec::new();
        };
        let items = match n.items() {
            Ok(items) => items,
            Err(e) => {
                self.strict(e);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in &items {
            let Some(s) = self.string(item) else {
                continue;
            };
            if let Some(c) = Cidr::parse(&s) {
                out.push(c);
            } else {
                let d = self.error(item, format!("`{s}` is not a CIDR"));
                self.push(d);
            }
        }
        out
    }

    /// The string-to-string mapping at `key` (absent or null: empty).
    fn string_map(&mut self, parent: &Node, key: Key) -> indexmap::IndexMap<String, String> {
        debug_assert_eq!(key.kind, Kind::StrMap, "{}", key.name);
        let mut out = indexmap::IndexMap::new();
        let Some(n) = parent.get(key.name) else {
            return out;
        };
        match n.entries() {
            Ok(entries) => {
                for (k, v) in entries {
                    if let Some(s) = self.string(&v) {
                        out.insert(k.to_string(), s);
                    }
                }
            }
            Err(e) => self.strict(e),
        }
        out
    }
}
