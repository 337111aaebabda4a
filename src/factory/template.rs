//! talhelper's `imageFactory` URL templates, rendered with Go's text/template and sprig ([`crate::gotemplate`]).

use crate::gotemplate::{self, Value};

/// A template value: a string or a bool field.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val {
    /// A string.
    Str(String),
    /// A bool.
    Bool(bool),
}

/// Why a template does not render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// It names a field the data struct lacks.
    MissingField {
        /// The field, without its dot.
        field: String,
        /// The fields there are, as `.Name`.
        known: Vec<String>,
    },
    /// Go's message: a parse or an execution error.
    Go(String),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::MissingField { field, known } => {
                write!(
                    f,
                    "no field `.{field}`; the fields are {}",
                    known.join(", ")
                )
            }
            TemplateError::Go(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for TemplateError {}

/// Renders `tmpl` with `fields` (`("ID", Val::Str(..))`), the fields of talhelper's URL data
/// struct.
pub(super) fn render(tmpl: &str, fields: &[(&str, Val)]) -> Result<String, TemplateError> {
    let data = gotemplate::map(fields.iter().map(|(k, v)| {
        let v = match v {
            Val::Str(s) => Value::String(s.as_str().into()),
            Val::Bool(b) => Value::Bool(*b),
        };
        ((*k).to_string(), v)
    }));
    gotemplate::render(tmpl, &data).map_err(|e| match e.missing_field {
        Some(field) => TemplateError::MissingField {
            field,
            known: fields.iter().map(|(k, _)| format!(".{k}")).collect(),
        },
        None => TemplateError::Go(e.message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(sb: bool, uki: bool) -> Vec<(&'static str, Val)> {
        vec![
            ("Mode", Val::Str("metal".into())),
            ("Secureboot", Val::Bool(sb)),
            ("UseUKI", Val::Bool(uki)),
            ("Suffix", Val::Str(".iso".into())),
        ]
    }

    #[test]
    fn fields_conditions_and_trimming() {
        let t = "{{.Mode}}{{if .Secureboot}}-secureboot{{end}}{{if and .Secureboot .UseUKI}}-uki.efi{{ else }}{{.Suffix}}{{end}}";
        assert_eq!(render(t, &f(false, false)).unwrap(), "metal.iso");
        assert_eq!(render(t, &f(true, false)).unwrap(), "metal-secureboot.iso");
        assert_eq!(
            render(t, &f(true, true)).unwrap(),
            "metal-secureboot-uki.efi"
        );
        assert_eq!(
            render(
                "a {{- if eq .Mode \"metal\" }} m {{- else if .UseUKI}}u{{else}}x{{end -}} b",
                &f(false, false)
            )
            .unwrap(),
            "a mb"
        );
        assert_eq!(
            render("{{not .Secureboot}}", &f(false, false)).unwrap(),
            "true"
        );
        // sprig functions, as talhelper registers them.
        assert_eq!(
            render("{{ .Mode | upper }}", &f(false, false)).unwrap(),
            "METAL"
        );
    }

    #[test]
    fn what_it_cannot_evaluate_is_an_error() {
        assert!(
            render("{{.Nope}}", &f(false, false))
                .unwrap_err()
                .to_string()
                .contains("no field `.Nope`; the fields are .Mode, .Secureboot")
        );
        assert!(render("{{if .Mode}}x", &f(false, false)).is_err());
        assert!(render("{{.Mode", &f(false, false)).is_err());
    }
}
