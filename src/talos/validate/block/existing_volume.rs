//! `ExistingVolumeConfig` (`types/block/existing_volume_config.go`): a CEL volume selector.

use super::super::found::Found;
use super::super::yamlx::str_at;
use super::name_rules;
use crate::talos::cel::{self, Env};
use crate::yaml::Yaml;

/// `ExistingVolumeConfigV1Alpha1.Validate` (no length bound: the volume exists already).
pub(super) fn validate(v: &Yaml) -> Found {
    let mut found = Found::default();
    name_rules(&str_at(v, "name"), None, &mut found);
    // VolumeDiscoverySpec.Validate(required: true)
    let selector = str_at(v, "discovery.volumeSelector.match");
    if selector.is_empty() {
        found.err("volume selector is required");
    } else if let Err(e) = cel::check_bool(&selector, Env::VolumeLocator) {
        found.err(format!("volume selector is invalid: {e}"));
    }
    found
}
