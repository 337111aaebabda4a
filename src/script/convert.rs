//! Rhai values to YAML values (patch content, schematics).

use super::builder::HostError;
use super::options::type_name;
use crate::yaml::Yaml;
use rhai::Dynamic;

/// Converts a Rhai value to YAML. Rhai maps sort their keys, so generated patch files list
/// keys alphabetically; Talos merges by key, so order carries no meaning there.
pub(crate) fn to_yaml(v: &Dynamic) -> Result<Yaml, HostError> {
    to_yaml_at(v, &mut Vec::new())
}

fn to_yaml_at(v: &Dynamic, path: &mut Vec<String>) -> Result<Yaml, HostError> {
    if v.is_unit() {
        return Ok(Yaml::Null);
    }
    if let Ok(b) = v.as_bool() {
        return Ok(Yaml::Bool(b));
    }
    if let Ok(i) = v.as_int() {
        return Ok(Yaml::Int(i));
    }
    if let Ok(f) = v.as_float() {
        return Ok(Yaml::Float(f));
    }
    if v.is_string() || v.is::<super::api::IpVal>() || v.is::<super::api::CidrVal>() {
        return Ok(Yaml::Str(v.to_string()));
    }
    if v.is_array() {
        let arr = v.clone().into_array().unwrap_or_default();
        return arr
            .iter()
            .map(|i| to_yaml_at(i, path))
            .collect::<Result<Vec<_>, _>>()
            .map(Yaml::Seq);
    }
    if let Some(map) = v.clone().try_cast::<rhai::Map>() {
        let mut out = crate::yaml::Map::new();
        for (k, val) in map {
            path.push(k.to_string());
            let y = to_yaml_at(&val, path)?;
            path.pop();
            out.insert(k.to_string(), y);
        }
        return Ok(Yaml::Map(out));
    }
    let at = if path.is_empty() {
        String::new()
    } else {
        format!(" at `{}`", path.join("."))
    };
    Err(
        HostError::new(format!("cannot put {} into YAML{at}", type_name(v)))
            .hint("use strings, numbers, booleans, arrays and maps"),
    )
}
