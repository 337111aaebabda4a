//! Ordered YAML values, a parser that keeps source spans, and an emitter that writes like Go's yaml.v3.
//!
//! Every YAML file talforge reads or writes goes through this module: Talos machine configs
//! (4-space indent, Talos field order), talconfig.yaml and SOPS files. Maps keep insertion
//! order (`IndexMap`), so output order is decided by the code that builds the value.

mod emit;
mod json;
mod parse;
pub mod strict;

pub use emit::{EmitOptions, emit_document, emit_documents, emit_scalar_plain_ok};
pub use json::to_json;
pub use parse::{
    ParseError, ParsedDoc, Path, PathSeg, comment_ranges, parse_documents, reparses_to_itself,
};

use indexmap::IndexMap;

/// An ordered YAML mapping with string keys (Talos and talhelper only use string keys).
pub type Map = IndexMap<String, Yaml>;

/// A YAML value. Quoting is decided by the emitter from the content, as yaml.v3 does.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string scalar.
    Str(String),
    /// A sequence.
    Seq(Vec<Yaml>),
    /// A mapping with string keys, in insertion order.
    Map(Map),
}

impl Yaml {
    /// An empty mapping.
    pub fn map() -> Self {
        Yaml::Map(Map::new())
    }

    /// A string value.
    pub fn str(s: impl Into<String>) -> Self {
        Yaml::Str(s.into())
    }

    /// Builds a mapping from `(key, value)` pairs, in order.
    pub fn from_pairs<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Yaml)>) -> Self {
        Yaml::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// Builds a sequence of strings.
    pub fn str_seq<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Self {
        Yaml::Seq(items.into_iter().map(|s| Yaml::Str(s.into())).collect())
    }

    /// The mapping inside, if this is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Yaml::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The mutable mapping inside, if this is one.
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Yaml::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The sequence inside, if this is one.
    pub fn as_seq(&self) -> Option<&[Yaml]> {
        match self {
            Yaml::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean inside, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Yaml::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer inside, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Yaml::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Looks up a key in a mapping.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Follows a dotted path of mapping keys (`"machine.install.disk"`).
    pub fn get_path(&self, dotted: &str) -> Option<&Yaml> {
        dotted.split('.').try_fold(self, |v, k| v.get(k))
    }

    /// Short name of the value's type, for messages (`mapping`, `sequence`, `string`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Yaml::Null => "null",
            Yaml::Bool(_) => "boolean",
            Yaml::Int(_) => "integer",
            Yaml::Float(_) => "float",
            Yaml::Str(_) => "string",
            Yaml::Seq(_) => "sequence",
            Yaml::Map(_) => "mapping",
        }
    }
}
