//! talhelper's templated `nodeLabels`/`nodeAnnotations` values (`templateConfig`), rendered against the generated v1alpha1 document.
//!
//! talhelper writes the plain values first, then renders each templated one against a copy
//! of the config as it stands (install image included), so every template sees the same
//! config whatever the order.

use super::order::go_string_map;
use super::{GenError, GenInput};
use crate::gotmpl::{self, is_template};
use crate::talos::gofields::ConfigData;
use crate::yaml::Yaml;
use indexmap::IndexMap;

/// The entries of `m` that are not templates (what talhelper sets before rendering).
pub(super) fn plain(m: &IndexMap<String, String>) -> IndexMap<String, String> {
    m.iter()
        .filter(|(_, v)| !is_template(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Renders the templated label and annotation values into `v1alpha1`.
pub(super) fn apply(input: &GenInput, v1alpha1: &mut Yaml) -> Result<(), GenError> {
    let unchanged = v1alpha1.clone();
    for (field, map) in [
        ("nodeLabels", &input.node_labels),
        ("nodeAnnotations", &input.node_annotations),
    ] {
        let Some(map) = map else { continue };
        let mut rendered = IndexMap::new();
        for (key, tmpl) in map.iter().filter(|(_, v)| is_template(v)) {
            let value = gotmpl::render(tmpl, &ConfigData(&unchanged)).map_err(|message| {
                GenError::Template {
                    field,
                    key: key.clone(),
                    message,
                }
            })?;
            rendered.insert(key.clone(), value);
        }
        if rendered.is_empty() {
            continue;
        }
        let Some(machine) = v1alpha1.get_path("machine").is_some().then_some(()).and(
            v1alpha1
                .as_map_mut()
                .and_then(|m| m.get_mut("machine"))
                .and_then(Yaml::as_map_mut),
        ) else {
            continue;
        };
        let mut all: IndexMap<String, String> = machine
            .get(field)
            .and_then(Yaml::as_map)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        all.extend(rendered);
        machine.insert(field.to_string(), go_string_map(&all));
    }
    Ok(())
}
