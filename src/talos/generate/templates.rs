//! talhelper's templated node labels and annotations (`templateConfig` in `pkg/talos/nodeconfig.go`) and patches (`PatchesPatcher`).
//!
//! A label or annotation value holding `{{` or `}}` is a Go template. talhelper sets the
//! plain values first, then renders each template against the config as it stands, without
//! any templated value (so the result does not depend on which template runs first), and
//! sets the results.

use crate::gotemplate::{self, TemplateError};
use crate::model::{Patch, PatchTarget};
use crate::talos::goview;
use crate::talos::patch::PatchError;
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

/// Applies `patches` (in talhelper's order: role and node patches, then global ones) as
/// talhelper's two `PatchesPatcher` calls do: a templated patch is rendered against the
/// config as it stood before the first patch of its call (node patches see the generated
/// config, global patches the config after the node patches). The error carries the index
/// of the failing patch.
pub fn apply_patches(
    mut docs: Vec<Yaml>,
    patches: &[&Patch],
) -> Result<Vec<Yaml>, (usize, PatchError)> {
    let global = |p: &Patch| p.target == PatchTarget::All;
    let mut data: Option<gotemplate::Value> = None;
    for (i, p) in patches.iter().enumerate() {
        let starts_call = i == 0 || global(patches[i - 1]) != global(p);
        if starts_call {
            let call = patches[i..].iter().take_while(|q| global(q) == global(p));
            data = call
                .into_iter()
                .any(|q| q.template.is_some())
                .then(|| template_data(&docs));
        }
        let rendered;
        let patch_docs = match (&p.template, &data) {
            (Some(t), Some(data)) => {
                rendered = t.render(data).map_err(|m| (i, PatchError::new(m.0)))?;
                &rendered
            }
            _ => &p.documents,
        };
        docs = crate::talos::patch::apply_docs(docs, patch_docs).map_err(|e| (i, e))?;
    }
    Ok(docs)
}

/// talhelper's template data: the `v1alpha1.Config` document (`RawV1Alpha1()`).
fn template_data(docs: &[Yaml]) -> gotemplate::Value {
    let v1alpha1 = docs
        .iter()
        .find(|d| d.get("kind").is_none())
        .unwrap_or(&Yaml::Null);
    goview::v1alpha1(v1alpha1)
}
