//! The SOPS file format (YAML store, age keys), byte-compatible with sops 3.11: AES-256-GCM
//! leaves, MAC, metadata, age-wrapped data key.
//!
//! Layout: [`cipher`] (one value), [`tree`] (values + comments and the walks), [`mac`],
//! [`metadata`](mod@metadata) (the `sops:` block), [`datakey`] (age wrapping), [`text`] (YAML text with
//! comments). This file is the API the rest of talforge uses.

pub mod cipher;
pub mod datakey;
mod error;
pub mod mac;
pub mod metadata;
pub mod text;
pub mod timestamp;
pub mod tree;

pub use error::{SopsError, SopsErrorKind};
pub use metadata::{AgeStanza, Metadata, SOPS_VERSION};

use crate::secrets::keys::Identities;
use crate::yaml::{self, Yaml};
#[cfg(test)]
use tree::Selector;
use tree::{Entry, Node, Walk};

/// Which leaves to encrypt and how to write the file. At most one of the four selectors may
/// be set; with none, sops' default `unencrypted_suffix: _unencrypted` applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptOptions {
    /// Keys ending with this keep their values in clear.
    pub unencrypted_suffix: Option<String>,
    /// Only values under keys ending with this are encrypted.
    pub encrypted_suffix: Option<String>,
    /// Keys matching this keep their values in clear.
    pub unencrypted_regex: Option<String>,
    /// Only values under keys matching this are encrypted (e.g. `^(data|stringData)$`).
    pub encrypted_regex: Option<String>,
    /// Only encrypted values enter the MAC.
    pub mac_only_encrypted: bool,
    /// YAML indent (`stores.yaml.indent`), 4 by default.
    pub indent: usize,
}

impl Default for EncryptOptions {
    fn default() -> Self {
        EncryptOptions {
            unencrypted_suffix: None,
            encrypted_suffix: None,
            unencrypted_regex: None,
            encrypted_regex: None,
            mac_only_encrypted: false,
            indent: 4,
        }
    }
}

/// sops' default when no selector is configured.
pub const DEFAULT_UNENCRYPTED_SUFFIX: &str = "_unencrypted";

impl EncryptOptions {
    /// The metadata fields for these options (`mac`, `age`, `lastmodified` left empty).
    fn metadata(&self) -> Result<Metadata, SopsError> {
        let set = [
            &self.unencrypted_suffix,
            &self.encrypted_suffix,
            &self.unencrypted_regex,
            &self.encrypted_regex,
        ]
        .iter()
        .filter(|o| o.as_deref().is_some_and(|s| !s.is_empty()))
        .count();
        if set > 1 {
            return Err(SopsError::new(
                SopsErrorKind::Config,
                "only one of `unencrypted_suffix`, `encrypted_suffix`, `unencrypted_regex` and `encrypted_regex` may be set",
            ));
        }
        let mut m = Metadata {
            unencrypted_suffix: self.unencrypted_suffix.clone(),
            encrypted_suffix: self.encrypted_suffix.clone(),
            unencrypted_regex: self.unencrypted_regex.clone(),
            encrypted_regex: self.encrypted_regex.clone(),
            mac_only_encrypted: self.mac_only_encrypted,
            version: SOPS_VERSION.into(),
            ..Metadata::default()
        };
        if set == 0 {
            m.unencrypted_suffix = Some(DEFAULT_UNENCRYPTED_SUFFIX.into());
        }
        Ok(m)
    }
}

/// Encrypts one document for the age `recipients`, as `sops -e` writes it.
pub fn encrypt(
    plain: &Yaml,
    recipients: &[String],
    opts: &EncryptOptions,
    now: time::OffsetDateTime,
) -> Result<String, SopsError> {
    encrypt_documents(std::slice::from_ref(plain), recipients, opts, now)
}

/// Encrypts several documents (one data key and MAC; each document gets the `sops:` block).
pub fn encrypt_documents(
    docs: &[Yaml],
    recipients: &[String],
    opts: &EncryptOptions,
    now: time::OffsetDateTime,
) -> Result<String, SopsError> {
    let mut nodes = Vec::new();
    for d in docs {
        match d {
            Yaml::Map(_) => nodes.push(Node::from_yaml(d)),
            Yaml::Null => nodes.push(Node::Map(Vec::new())),
            other => {
                return Err(SopsError::new(
                    SopsErrorKind::Unsupported,
                    format!(
                        "cannot encrypt a {} document; sops only supports mappings",
                        other.type_name()
                    ),
                ));
            }
        }
    }
    encrypt_nodes(nodes, recipients, opts, now)
}

/// Encrypts YAML text, keeping its comments (encrypted, like sops does).
pub fn encrypt_text(
    plain: &str,
    recipients: &[String],
    opts: &EncryptOptions,
    now: time::OffsetDateTime,
) -> Result<String, SopsError> {
    encrypt_nodes(text::parse(plain)?, recipients, opts, now)
}

fn encrypt_nodes(
    mut docs: Vec<Node>,
    recipients: &[String],
    opts: &EncryptOptions,
    now: time::OffsetDateTime,
) -> Result<String, SopsError> {
    if recipients.is_empty() {
        return Err(SopsError::new(
            SopsErrorKind::Config,
            "no age recipients to encrypt for",
        ));
    }
    if docs.is_empty() {
        return Err(SopsError::new(
            SopsErrorKind::Unsupported,
            "nothing to encrypt: the file has no YAML document (sops refuses empty files too)",
        ));
    }
    if docs.iter().any(|d| top_key(d, "sops")) {
        return Err(SopsError::new(
            SopsErrorKind::Config,
            "the input already has a top-level `sops` key (is it already encrypted?)",
        ));
    }
    let mut meta = opts.metadata()?;
    let selector = meta.selector()?;
    let key = datakey::generate()?;
    for r in recipients {
        meta.age.push(AgeStanza {
            recipient: r.trim().to_string(),
            enc: datakey::wrap(&key, r)?,
        });
    }
    let mut walk = Walk::new(&key, &selector);
    for d in &mut docs {
        walk.encrypt(d)?;
    }
    let mac_hex = walk.mac.finish();
    meta.lastmodified = metadata::rfc3339(now);
    meta.mac = mac::seal(&key, &mac_hex, &meta.lastmodified)
        .map_err(|e| SopsError::new(SopsErrorKind::Encrypt, e.to_string()))?;
    let block = Node::from_yaml(&meta.to_yaml());
    for d in &mut docs {
        if let Node::Map(entries) = d {
            entries.push(Entry::Pair("sops".into(), block.clone()));
        }
    }
    Ok(text::emit(&docs, opts.indent))
}

fn top_key(d: &Node, key: &str) -> bool {
    matches!(d, Node::Map(e) if e.iter().any(|e| matches!(e, Entry::Pair(k, _) if k == key)))
}

/// A decrypted file: documents with comments, and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Decrypted {
    /// The documents, `sops:` removed, comments decrypted.
    pub documents: Vec<Node>,
    /// The file's metadata.
    pub metadata: Metadata,
    /// Non-fatal findings (comments that did not decrypt and were kept as they are).
    pub warnings: Vec<String>,
}

/// Decrypts a sops file: unwraps the data key with `ids`, decrypts every value and checks the
/// MAC. On any failure nothing decrypted is returned.
pub fn decrypt_file(text: &str, ids: &Identities) -> Result<Decrypted, SopsError> {
    let mut docs = text::parse(text)?;
    let meta = metadata_of(&mut docs, text)?;
    let selector = meta.selector()?;
    let key = data_key(&meta, ids).map_err(|e| {
        with_span_of(
            e,
            text,
            0,
            &[
                yaml::PathSeg::Key("sops".into()),
                yaml::PathSeg::Key("age".into()),
            ],
            true,
            "the recipients of the data key",
        )
    })?;
    let mut walk = Walk::new(&key, &selector);
    for (i, d) in docs.iter_mut().enumerate() {
        if let Err(e) = walk.decrypt(d) {
            let at = walk.error_at.take().unwrap_or_default();
            return Err(with_span_of(e, text, i, &at, false, "this value"));
        }
    }
    let warnings = std::mem::take(&mut walk.warnings);
    let computed = walk.mac.finish();
    check_mac(&key, &meta, &computed).map_err(|e| {
        with_span_of(
            e,
            text,
            0,
            &[
                yaml::PathSeg::Key("sops".into()),
                yaml::PathSeg::Key("mac".into()),
            ],
            false,
            "the stored MAC",
        )
    })?;
    Ok(Decrypted {
        documents: docs,
        metadata: meta,
        warnings,
    })
}

/// Decrypts a single-document sops file to its plain value (comments dropped).
pub fn decrypt(text: &str, ids: &Identities) -> Result<Yaml, SopsError> {
    let mut docs = decrypt_documents(text, ids)?;
    if docs.len() != 1 {
        return Err(SopsError::new(
            SopsErrorKind::Unsupported,
            format!("expected one YAML document, the file has {}", docs.len()),
        ));
    }
    Ok(docs.remove(0))
}

/// Decrypts every document of a sops file (comments dropped).
pub fn decrypt_documents(text: &str, ids: &Identities) -> Result<Vec<Yaml>, SopsError> {
    Ok(decrypt_file(text, ids)?
        .documents
        .iter()
        .map(Node::to_yaml)
        .collect())
}

/// Decrypts to YAML text the way `sops -d` prints it (4-space indent, comments kept).
pub fn decrypt_to_text(text: &str, ids: &Identities) -> Result<String, SopsError> {
    Ok(text::emit(&decrypt_file(text, ids)?.documents, 4))
}

/// Reads the `sops:` metadata (recipients, lastmodified, MAC) without any key.
pub fn metadata(text: &str) -> Result<Metadata, SopsError> {
    let docs = yaml::parse_documents(text).map_err(|e| {
        SopsError::new(SopsErrorKind::Parse, e.message.clone()).with_span(e.span.clone())
    })?;
    let first = docs.first().ok_or_else(not_sops)?;
    let block = first.value.get("sops").ok_or_else(not_sops)?;
    Metadata::from_yaml(block).map_err(|e| {
        let span = first.value_span(&[yaml::PathSeg::Key("sops".into())]);
        match span {
            Some(s) if e.span.is_none() => e.with_span(s),
            _ => e,
        }
    })
}

/// The first document's `sops:` metadata, read from that block alone when it is the last
/// top-level key of the document, as sops writes it: a config file is mostly ciphertext, and
/// the run only needs its recipients. Anything else (another layout, a parse error) reads
/// the whole file with [`metadata()`], so errors and their spans are the same.
pub fn metadata_quick(text: &str) -> Result<Metadata, SopsError> {
    quick_block(text)
        .and_then(|block| {
            let doc = yaml::parse_documents(block).ok()?.into_iter().next()?;
            Metadata::from_yaml(doc.value.get("sops")?).ok()
        })
        .map_or_else(|| metadata(text), Ok)
}

/// The text of the first document's top-level `sops:` block (from `sops:` to the end of the
/// document) when that block ends the document.
fn quick_block(text: &str) -> Option<&str> {
    let start = if text.starts_with("sops:\n") {
        0
    } else {
        text.find("\nsops:\n")? + 1
    };
    let first_doc_end = text.find("\n---").map_or(text.len(), |i| i + 1);
    if start >= first_doc_end {
        return None;
    }
    let block = &text[start..first_doc_end];
    // Every line after `sops:` is indented (or blank): nothing follows the block.
    block
        .lines()
        .skip(1)
        .all(|l| l.is_empty() || l.starts_with(' '))
        .then_some(block)
}

/// Whether `existing_text` decrypts (with `ids`) to exactly `new_plain`. Any failure (no key,
/// tampering, parse error) counts as "not equal", so the caller re-encrypts. Callers that
/// also care about recipients compare [`metadata()`]`(existing).recipients()` themselves.
pub fn decrypt_equals(existing_text: &str, new_plain: &Yaml, ids: &Identities) -> bool {
    decrypt(existing_text, ids).is_ok_and(|v| v == *new_plain)
}

fn not_sops() -> SopsError {
    SopsError::new(
        SopsErrorKind::NotSops,
        "not a sops file: there is no top-level `sops` key",
    )
}

/// Takes the metadata from the first document and removes `sops` from every document.
fn metadata_of(docs: &mut [Node], text: &str) -> Result<Metadata, SopsError> {
    let meta = metadata(text)?;
    for d in docs.iter_mut() {
        if let Node::Map(entries) = d {
            entries.retain(|e| !matches!(e, Entry::Pair(k, _) if k == "sops"));
        }
    }
    Ok(meta)
}

/// Points an error at the node at `path` of document `doc` (its key with `key`), with a
/// short caret label; no-op when the error already has a span.
fn with_span_of(
    e: SopsError,
    text: &str,
    doc: usize,
    path: &[yaml::PathSeg],
    key: bool,
    label: &str,
) -> SopsError {
    if e.span.is_some() || path.is_empty() {
        return e;
    }
    let span = yaml::parse_documents(text).ok().and_then(|d| {
        let d = d.get(doc)?;
        if key {
            d.key_span(path)
        } else {
            d.value_span(path)
        }
    });
    match span {
        Some(s) => SopsError {
            label: Some(label.to_string()),
            ..e.with_span(s)
        },
        None => e,
    }
}

fn data_key(meta: &Metadata, ids: &Identities) -> Result<[u8; 32], SopsError> {
    // Like sops, any one recipient that works is enough; a damaged entry only matters when
    // no other entry opens.
    let mut damaged = Vec::new();
    for stanza in &meta.age {
        match datakey::unwrap(&stanza.enc, ids) {
            Ok(Some(k)) => return Ok(k),
            Ok(None) => {}
            Err(e) => damaged.push(format!("the entry for {}: {}", stanza.recipient, e.message)),
        }
    }
    if let Some(first) = damaged.first()
        && damaged.len() == meta.age.len()
    {
        return Err(SopsError::new(SopsErrorKind::Tampered, first.clone()));
    }
    let recipients = meta.recipients();
    let message = if recipients.is_empty() {
        "the file has no age recipients, so talforge cannot decrypt it".to_string()
    } else if ids.is_empty() {
        "no age identity found to decrypt the file".to_string()
    } else {
        "none of the available age identities can decrypt the file".to_string()
    };
    let mut e = SopsError::new(SopsErrorKind::NoKey, message).with_note(format!(
        "the file is encrypted for: {}",
        if recipients.is_empty() {
            "(no age recipients)".to_string()
        } else {
            recipients.join(", ")
        }
    ));
    if !meta.other_keys.is_empty() {
        e = e.with_note(format!(
            "it also has {} keys, which talforge does not use",
            meta.other_keys.join(", ")
        ));
    }
    if !ids.is_empty() {
        e = e.with_note(format!(
            "available identities are for: {}",
            ids.recipients().join(", ")
        ));
    }
    for d in damaged {
        e = e.with_note(d);
    }
    Err(e
        .with_note(format!("looked at: {}", ids.describe()))
        .with_hint(ids.hint()))
}

fn check_mac(key: &[u8; 32], meta: &Metadata, computed: &str) -> Result<(), SopsError> {
    if meta.mac.is_empty() {
        return Err(SopsError::new(
            SopsErrorKind::MacMismatch,
            "the file has no MAC (`sops.mac` is empty)",
        ));
    }
    let stored = mac::open(key, &meta.mac, &meta.lastmodified).map_err(|e| {
        SopsError::new(
            SopsErrorKind::MacMismatch,
            format!("cannot decrypt the MAC ({e}): `sops.mac` or `sops.lastmodified` was changed"),
        )
    })?;
    if stored != computed {
        return Err(SopsError::new(
            SopsErrorKind::MacMismatch,
            "MAC mismatch: the file's values were changed, added, removed or reordered after encryption",
        )
        .with_note(format!("file has {stored}, computed {computed}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
