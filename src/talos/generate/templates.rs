//! talhelper's templated node labels and annotations (`templateConfig` in `pkg/talos/nodeconfig.go`).
//!
//! A label or annotation value holding `{{` or `}}` is a Go template. talhelper sets the
//! plain values first, then renders each template against the config as it stands, without
//! any templated value (so the result does not depend on which template runs first), and
//! sets the results.

use crate::gotemplate::{self, TemplateError};
use crate::talos::goview;
use crate::yaml::Yaml;

const FIELDS: [&str; 2] = ["nodeLabels", "nodeAnnotations"];

/// A template that failed: its key and Go's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelTemplateError {
    /// `machine.nodeLabels.<key>` or `machine.nodeAnnotations.<key>`.
    pub path: String,
    /// Why.
    pub error: TemplateError,
}

impl std::fmt::Display for LabelTemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the template in `{}` fails: {}", self.path, self.error)
    }
}

/// Renders the templated labels and annotations of `v1alpha1` in place.
pub fn fill(v1alpha1: &mut Yaml) -> Result<(), LabelTemplateError> {
    let templated = |v: &Yaml| v.as_str().is_some_and(gotemplate::is_template);
    let Some(machine) = v1alpha1.get("machine") else {
        return Ok(());
    };
    let any = FIELDS.iter().any(|f| {
        machine
            .get(f)
            .and_then(Yaml::as_map)
            .is_some_and(|m| m.values().any(templated))
    });
    if !any {
        return Ok(());
    }
    // The data: the config without the templated values.
    let mut plain = v1alpha1.clone();
    if let Some(m) = plain
        .as_map_mut()
        .and_then(|m| m.get_mut("machine"))
        .and_then(Yaml::as_map_mut)
    {
        for f in FIELDS {
            if let Some(map) = m.get_mut(f).and_then(Yaml::as_map_mut) {
                map.retain(|_, v| !templated(v));
            }
        }
    }
    let data = goview::v1alpha1(&plain);
    let Some(machine) = v1alpha1
        .as_map_mut()
        .and_then(|m| m.get_mut("machine"))
        .and_then(Yaml::as_map_mut)
    else {
        return Ok(());
    };
    for f in FIELDS {
        let Some(map) = machine.get_mut(f).and_then(Yaml::as_map_mut) else {
            continue;
        };
        for (key, value) in map.iter_mut() {
            let Some(text) = value.as_str().filter(|s| gotemplate::is_template(s)) else {
                continue;
            };
            let out = gotemplate::render(text, &data).map_err(|error| LabelTemplateError {
                path: format!("machine.{f}.{key}"),
                error,
            })?;
            *value = Yaml::Str(out);
        }
    }
    Ok(())
}
