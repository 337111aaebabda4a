//! The tree sops encrypts: YAML values plus comment lines, and the walks that encrypt and decrypt it.

use super::cipher::{self, CipherError, ValueType};
use super::mac::MacHasher;
use super::{SopsError, SopsErrorKind};
use crate::yaml::{Map, PathSeg, Yaml};
use regex::Regex;

/// A value of a sops tree. Unlike [`Yaml`], mappings and sequences keep comment lines in place.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`: never encrypted, never in the MAC.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (also every `ENC[…]` value).
    Str(String),
    /// A timestamp (a plain scalar yaml.v3 resolves as one), as canonical RFC 3339 text.
    Time(String),
    /// A mapping: pairs and comments in order.
    Map(Vec<Entry>),
    /// A sequence: items and comments in order.
    Seq(Vec<Entry>),
}

/// One entry of a mapping (`Pair` or `Comment`) or a sequence (`Item` or `Comment`).
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// `key: value` in a mapping.
    Pair(String, Node),
    /// An item of a sequence.
    Item(Node),
    /// A comment line's text after the `#`.
    Comment(String),
}

impl Node {
    /// Converts a plain value (no comments).
    pub fn from_yaml(y: &Yaml) -> Node {
        match y {
            Yaml::Null => Node::Null,
            Yaml::Bool(b) => Node::Bool(*b),
            Yaml::Int(i) => Node::Int(*i),
            Yaml::Float(f) => Node::Float(*f),
            Yaml::Str(s) => Node::Str(s.clone()),
            Yaml::Seq(items) => Node::Seq(
                items
                    .iter()
                    .map(|v| Entry::Item(Node::from_yaml(v)))
                    .collect(),
            ),
            Yaml::Map(m) => Node::Map(
                m.iter()
                    .map(|(k, v)| Entry::Pair(k.clone(), Node::from_yaml(v)))
                    .collect(),
            ),
        }
    }

    /// Converts to a plain value, dropping comments.
    pub fn to_yaml(&self) -> Yaml {
        match self {
            Node::Null => Yaml::Null,
            Node::Bool(b) => Yaml::Bool(*b),
            Node::Int(i) => Yaml::Int(*i),
            Node::Float(f) => Yaml::Float(*f),
            Node::Str(s) | Node::Time(s) => Yaml::Str(s.clone()),
            Node::Seq(items) => Yaml::Seq(
                items
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Item(v) => Some(v.to_yaml()),
                        _ => None,
                    })
                    .collect(),
            ),
            Node::Map(entries) => {
                let mut m = Map::new();
                for e in entries {
                    if let Entry::Pair(k, v) = e {
                        m.insert(k.clone(), v.to_yaml());
                    }
                }
                Yaml::Map(m)
            }
        }
    }
}

/// `ToBytes` of sops: the bytes hashed into the MAC and encrypted for a leaf.
pub fn leaf_bytes(n: &Node) -> Option<(Vec<u8>, ValueType)> {
    Some(match n {
        Node::Str(s) => (s.as_bytes().to_vec(), ValueType::Str),
        Node::Time(s) => (s.as_bytes().to_vec(), ValueType::Time),
        Node::Int(i) => (i.to_string().into_bytes(), ValueType::Int),
        Node::Float(f) => (go_float(*f).into_bytes(), ValueType::Float),
        Node::Bool(b) => (
            (if *b { "True" } else { "False" }).as_bytes().to_vec(),
            ValueType::Bool,
        ),
        Node::Null | Node::Map(_) | Node::Seq(_) => return None,
    })
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
/// Rust's `Display` for `f64` has the same contract; only the non-finite spellings differ.
fn go_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        (if f > 0.0 { "+Inf" } else { "-Inf" }).into()
    } else {
        format!("{f}")
    }
}

/// Which leaves get encrypted: sops' `unencrypted_suffix` / `encrypted_suffix` /
/// `unencrypted_regex` / `encrypted_regex` (at most one is set).
#[derive(Debug, Clone, Default)]
pub struct Selector {
    /// Leaves under a key ending with this stay in clear.
    pub unencrypted_suffix: Option<String>,
    /// Only leaves under a key ending with this are encrypted.
    pub encrypted_suffix: Option<String>,
    /// Leaves under a key matching this stay in clear.
    pub unencrypted_regex: Option<Regex>,
    /// Only leaves under a key matching this are encrypted.
    pub encrypted_regex: Option<Regex>,
    /// Only encrypted leaves enter the MAC.
    pub mac_only_encrypted: bool,
}

impl Selector {
    /// sops' `shouldBeEncrypted` for a path of mapping keys.
    pub fn encrypts(&self, path: &[String]) -> bool {
        let mut enc = true;
        if let Some(s) = self.unencrypted_suffix.as_deref().filter(|s| !s.is_empty())
            && path.iter().any(|k| k.ends_with(s))
        {
            enc = false;
        }
        if let Some(s) = self.encrypted_suffix.as_deref().filter(|s| !s.is_empty()) {
            enc = path.iter().any(|k| k.ends_with(s));
        }
        if let Some(r) = &self.unencrypted_regex
            && path.iter().any(|k| r.is_match(k))
        {
            enc = false;
        }
        if let Some(r) = &self.encrypted_regex {
            enc = path.iter().any(|k| r.is_match(k));
        }
        enc
    }
}

/// State shared by one encrypt or decrypt walk over all documents.
pub struct Walk<'a> {
    /// The data key.
    pub key: &'a [u8; 32],
    /// Which leaves are encrypted.
    pub selector: &'a Selector,
    /// The running MAC.
    pub mac: MacHasher,
    /// Comments that did not decrypt (kept verbatim, as sops does).
    pub warnings: Vec<String>,
    /// Where the walk is, as a path into the file's YAML (raw sequence indexes).
    spath: Vec<PathSeg>,
    /// Where decryption failed, for pointing at the value in the file.
    pub error_at: Option<Vec<PathSeg>>,
}

fn aad(path: &[String]) -> String {
    let mut s = path.join(":");
    s.push(':');
    s
}

/// A readable location for messages: `machine.certSANs[1]`.
fn show(display: &[String]) -> String {
    if display.is_empty() {
        "the document root".into()
    } else {
        format!("`{}`", display.join("").trim_start_matches('.'))
    }
}

impl<'a> Walk<'a> {
    /// A walk with a fresh MAC.
    pub fn new(key: &'a [u8; 32], selector: &'a Selector) -> Self {
        Walk {
            key,
            selector,
            mac: MacHasher::new(selector.mac_only_encrypted),
            warnings: Vec::new(),
            spath: Vec::new(),
            error_at: None,
        }
    }

    fn fail(&mut self, e: SopsError) -> SopsError {
        self.error_at.get_or_insert_with(|| self.spath.clone());
        e
    }

    /// Encrypts a document in place, feeding the MAC.
    pub fn encrypt(&mut self, node: &mut Node) -> Result<(), SopsError> {
        self.enc_node(node, &mut Vec::new())
    }

    fn enc_node(&mut self, node: &mut Node, path: &mut Vec<String>) -> Result<(), SopsError> {
        match node {
            Node::Null => Ok(()),
            Node::Map(entries) => self.enc_entries(entries, false, path),
            Node::Seq(entries) => self.enc_entries(entries, true, path),
            leaf => {
                let (bytes, ty) = leaf_bytes(leaf).expect("scalar");
                let encrypted = self.selector.encrypts(path);
                if encrypted || !self.selector.mac_only_encrypted {
                    self.mac.update(&bytes);
                }
                if encrypted {
                    *leaf = Node::Str(
                        cipher::encrypt(self.key, &bytes, &aad(path), ty).map_err(crypto_err)?,
                    );
                }
                Ok(())
            }
        }
    }

    fn enc_entries(
        &mut self,
        entries: &mut [Entry],
        in_seq: bool,
        path: &mut Vec<String>,
    ) -> Result<(), SopsError> {
        for e in entries.iter_mut() {
            match e {
                Entry::Comment(c) => {
                    if self.selector.encrypts(path) && !c.is_empty() {
                        let enc =
                            cipher::encrypt(self.key, c.as_bytes(), &aad(path), ValueType::Comment)
                                .map_err(crypto_err)?;
                        // sops writes an encrypted comment of a sequence as a plain string item.
                        *e = if in_seq {
                            Entry::Item(Node::Str(enc))
                        } else {
                            Entry::Comment(enc)
                        };
                    }
                }
                Entry::Item(v) => self.enc_node(v, path)?,
                Entry::Pair(k, v) => {
                    path.push(k.clone());
                    let r = self.enc_node(v, path);
                    path.pop();
                    r?;
                }
            }
        }
        Ok(())
    }

    /// Decrypts a document in place, feeding the MAC. Fails on the first value that does not
    /// authenticate; nothing decrypted so far is returned to the caller then.
    pub fn decrypt(&mut self, node: &mut Node) -> Result<(), SopsError> {
        self.dec_node(node, &mut Vec::new(), &mut Vec::new())
    }

    fn dec_node(
        &mut self,
        node: &mut Node,
        path: &mut Vec<String>,
        display: &mut Vec<String>,
    ) -> Result<(), SopsError> {
        match node {
            Node::Null => Ok(()),
            Node::Map(entries) => self.dec_entries(entries, false, path, display),
            Node::Seq(entries) => self.dec_entries(entries, true, path, display),
            leaf => self.dec_leaf(leaf, path, display).map_err(|e| self.fail(e)),
        }
    }

    fn dec_leaf(
        &mut self,
        leaf: &mut Node,
        path: &[String],
        display: &[String],
    ) -> Result<(), SopsError> {
        let encrypted = self.selector.encrypts(path);
        if encrypted {
            let Node::Str(s) = &*leaf else {
                return Err(SopsError::new(
                    SopsErrorKind::Tampered,
                    format!(
                        "value at {} is not encrypted although the file's rules say it must be",
                        show(display)
                    ),
                ));
            };
            let (plain, ty) =
                cipher::decrypt(self.key, s, &aad(path)).map_err(|e| value_err(&e, display))?;
            if ty == ValueType::Comment {
                return Err(SopsError::new(
                    SopsErrorKind::Tampered,
                    format!(
                        "value at {} is an encrypted comment, not a value",
                        show(display)
                    ),
                ));
            }
            *leaf = typed(&plain, ty).map_err(|m| {
                SopsError::new(
                    SopsErrorKind::Tampered,
                    format!("value at {}: {m}", show(display)),
                )
            })?;
        }
        if (encrypted || !self.selector.mac_only_encrypted)
            && let Some((bytes, _)) = leaf_bytes(leaf)
        {
            self.mac.update(&bytes);
        }
        Ok(())
    }

    fn dec_entries(
        &mut self,
        entries: &mut [Entry],
        in_seq: bool,
        path: &mut Vec<String>,
        display: &mut Vec<String>,
    ) -> Result<(), SopsError> {
        let mut index = 0usize;
        // Index among the file's items, counting encrypted comment items too.
        let mut raw = 0usize;
        for e in entries.iter_mut() {
            match e {
                Entry::Comment(c) => {
                    if self.selector.encrypts(path) && cipher::is_encrypted(c) {
                        match cipher::decrypt(self.key, c, &aad(path)) {
                            Ok((plain, ValueType::Comment)) => {
                                *c = String::from_utf8_lossy(&plain).into_owned();
                            }
                            // sops keeps a comment that does not decrypt, with a warning.
                            _ => self.warnings.push(format!(
                                "kept a comment in {} that does not decrypt",
                                show(display)
                            )),
                        }
                    }
                }
                Entry::Item(v) => {
                    self.spath.push(PathSeg::Index(raw));
                    raw += 1;
                    if in_seq
                        && let Node::Str(s) = v
                        && s.ends_with(",type:comment]")
                        && self.selector.encrypts(path)
                    {
                        // sops stores an encrypted comment of a sequence as a string item.
                        match cipher::decrypt(self.key, s, &aad(path)) {
                            Ok((plain, _)) => {
                                *e = Entry::Comment(String::from_utf8_lossy(&plain).into_owned());
                                self.spath.pop();
                                continue;
                            }
                            Err(err) => {
                                display.push(format!("[{index}]"));
                                let err = value_err(&err, display);
                                return Err(self.fail(err));
                            }
                        }
                    }
                    display.push(format!("[{index}]"));
                    index += 1;
                    let r = self.dec_node(v, path, display);
                    display.pop();
                    self.spath.pop();
                    r?;
                }
                Entry::Pair(k, v) => {
                    path.push(k.clone());
                    display.push(format!(".{k}"));
                    self.spath.push(PathSeg::Key(k.clone()));
                    let r = self.dec_node(v, path, display);
                    path.pop();
                    display.pop();
                    self.spath.pop();
                    r?;
                }
            }
        }
        Ok(())
    }
}

fn crypto_err(e: CipherError) -> SopsError {
    SopsError::new(SopsErrorKind::Encrypt, e.to_string())
}

fn value_err(e: &CipherError, display: &[String]) -> SopsError {
    match e {
        CipherError::Authentication => SopsError::new(
            SopsErrorKind::Tampered,
            format!(
                "value at {} does not decrypt: it was changed or moved after encryption, or the file was encrypted with another data key",
                show(display)
            ),
        ),
        other => SopsError::new(
            SopsErrorKind::Tampered,
            format!("value at {}: {other}", show(display)),
        ),
    }
}

/// Why a decrypted value does not fit its sops type; never quotes the plaintext (it is the
/// secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Untyped {
    NotUtf8,
    NotInt,
    NotFloat,
    NotBool,
}

impl std::fmt::Display for Untyped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Untyped::NotUtf8 => "decrypted value is not UTF-8",
            Untyped::NotInt => "the decrypted value is not an int",
            Untyped::NotFloat => "the decrypted value is not a float",
            Untyped::NotBool => "the decrypted value is not a bool",
        })
    }
}

/// sops' `Decrypt` type switch: plaintext bytes back to a value.
fn typed(plain: &[u8], ty: ValueType) -> Result<Node, Untyped> {
    let text = std::str::from_utf8(plain).map_err(|_| Untyped::NotUtf8);
    Ok(match ty {
        ValueType::Str | ValueType::Comment => Node::Str(text?.to_string()),
        ValueType::Time => {
            let t = text?;
            Node::Time(super::timestamp::canonical(t).unwrap_or_else(|| t.to_string()))
        }
        ValueType::Bytes => Node::Str(String::from_utf8_lossy(plain).into_owned()),
        ValueType::Int => Node::Int(text?.parse().map_err(|_| Untyped::NotInt)?),
        ValueType::Float => Node::Float(parse_go_float(text?).ok_or(Untyped::NotFloat)?),
        ValueType::Bool => Node::Bool(parse_go_bool(text?).ok_or(Untyped::NotBool)?),
    })
}

fn parse_go_float(t: &str) -> Option<f64> {
    match t {
        "NaN" => Some(f64::NAN),
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        _ => t.parse().ok(),
    }
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(t: &str) -> Option<bool> {
    match t {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}
