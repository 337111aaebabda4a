//! talhelper's `imageFactory` URL templates: flat fields (`{{.ID}}`, `{{.Secureboot}}`) on [`crate::gotmpl`].

use crate::gotmpl::{self, Value};

/// A template field's value: a string or a bool.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val {
    /// A string.
    Str(String),
    /// A bool.
    Bool(bool),
}

/// Renders `tmpl` with `fields` (`("ID", Val::Str(..))`); an error says what talforge cannot
/// evaluate.
pub(super) fn render(tmpl: &str, fields: &[(&str, Val)]) -> Result<String, String> {
    let data: Vec<(&str, Value)> = fields
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Val::Str(s) => Value::Str(s.clone()),
                Val::Bool(b) => Value::Bool(*b),
            };
            (*k, v)
        })
        .collect();
    gotmpl::render(tmpl, &gotmpl::Fields(&data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_fields_render() {
        let f = [
            ("RegistryURL", Val::Str("factory.talos.dev".into())),
            ("Secureboot", Val::Bool(true)),
        ];
        assert_eq!(
            render("{{.RegistryURL}}/x{{if .Secureboot}}-sb{{end}}", &f).unwrap(),
            "factory.talos.dev/x-sb"
        );
        assert!(
            render("{{.Nope}}", &f)
                .unwrap_err()
                .contains("no field `.Nope`")
        );
    }
}
