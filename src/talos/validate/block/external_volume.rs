//! `ExternalVolumeConfig` (`types/block/external_volume_config.go`, new in v1.13): virtiofs.

use super::super::found::Found;
use super::super::yamlx::{at, str_at};
use super::{name_rules, prefixed_max};
use crate::yaml::Yaml;

/// `ExternalVolumeConfigV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml) -> Found {
    let mut found = Found::default();
    name_rules(&str_at(v, "name"), prefixed_max(), &mut found);
    let fs = str_at(v, "filesystemType");
    if fs == "virtiofs" {
        // VirtiofsMountSpec.Validate on a possibly nil spec
        match at(v, "mount.virtiofs") {
            None => found.err("virtiofs mount spec is required"),
            Some(spec) if str_at(spec, "tag").is_empty() => found.err("virtiofs tag is required"),
            Some(_) => {}
        }
    } else {
        let shown = if fs.is_empty() { "none" } else { fs.as_str() };
        found.err(format!("invalid filesystem type: {shown}"));
    }
    found
}
