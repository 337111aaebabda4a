//! `RawVolumeConfig` (`types/block/raw_volume_config.go`).

use super::super::found::Found;
use super::super::yamlx::{at, str_at};
use super::{encryption, name_rules, prefixed_max, provisioning};
use crate::yaml::Yaml;

/// `RawVolumeConfigV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml) -> Found {
    let mut found = Found::default();
    name_rules(&str_at(v, "name"), prefixed_max(), &mut found);
    found.extend(provisioning::validate(at(v, "provisioning"), true, true));
    found.extend(encryption::validate(at(v, "encryption")));
    found
}
