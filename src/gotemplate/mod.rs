//! Go's `text/template` as talhelper runs it: the `gotmpl` crate with the sprig functions real configs use.
//!
//! talhelper renders node labels and annotations and the factory's URL templates with Go's
//! `text/template` and Masterminds' sprig functions. `gotmpl` is a maintained, Go-compatible
//! port of `text/template` (pipelines, `if`/`range`/`with`, whitespace trimming, Go's value
//! printing); sprig is not ported anywhere, so [`sprig`] adds the string, list and default
//! functions seen in real talconfigs. A function outside that list is a parse error naming it,
//! as Go gives for an undefined function.

mod blocks;
mod sprig;

pub use gotmpl::Value;
use gotmpl::{MissingKey, Template};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A template that does not parse or execute, in Go's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// What went wrong.
    pub message: String,
    /// The field the data lacks, when that is what went wrong.
    pub missing_field: Option<String>,
}

impl TemplateError {
    fn new(message: impl Into<String>) -> TemplateError {
        TemplateError {
            message: message.into(),
            missing_field: None,
        }
    }
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

impl From<gotmpl::TemplateError> for TemplateError {
    fn from(e: gotmpl::TemplateError) -> TemplateError {
        match e {
            // Go's words for a struct field the data does not have.
            gotmpl::TemplateError::MissingKey { key } => TemplateError {
                message: format!("can't evaluate field {key}"),
                missing_field: Some(key),
            },
            other => TemplateError::new(other.to_string()),
        }
    }
}

/// Whether talhelper treats `text` as a template (`templating.IsStringATemplate`).
pub fn is_template(text: &str) -> bool {
    text.contains("{{") || text.contains("}}")
}

/// `text` rendered against `data`. A key the data lacks is an error, as a missing struct
/// field is in Go (the data stands for Go structs; their absent fields are zero values).
pub fn render(text: &str, data: &Value) -> Result<String, TemplateError> {
    blocks::check(text)?;
    let template = Template::new("template")
        .missing_key(MissingKey::Error)
        .funcs(sprig::funcs())
        .parse(text)?;
    Ok(template.execute_to_string(data)?)
}

/// A map value (a Go struct or `map[string]T`) from its entries.
pub fn map(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
    let m: BTreeMap<Arc<str>, Value> = entries.into_iter().map(|(k, v)| (k.into(), v)).collect();
    Value::Map(Arc::new(m))
}

#[cfg(test)]
mod tests;
