//! `VolumeConfig` (`types/block/volume_config.go`): its `Validate` and its conflict with the
//! legacy `machine.systemDiskEncryption`.

use super::super::found::Found;
use super::super::yamlx::{at, bool_at, q, seq_at, str_at};
use super::{encryption, provisioning};
use crate::yaml::Yaml;

const VOLUMES: [&str; 3] = ["STATE", "EPHEMERAL", "IMAGECACHE"];

/// `VolumeConfigV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml) -> Found {
    let name = str_at(v, "name");
    if !VOLUMES.contains(&name.as_str()) {
        let list: Vec<String> = VOLUMES.iter().map(|n| q(n)).collect();
        return Found::errors(vec![format!(
            "only [{}] volumes are supported",
            list.join(" ")
        )]);
    }
    let mut found = Found::default();
    let prov = at(v, "provisioning");
    if name == "STATE" {
        if !provisioning::is_zero(prov) {
            found.err(format!(
                "provisioning config is not allowed for the {} volume",
                q(&name)
            ));
        }
        for key in seq_at(v, "encryption.keys") {
            if bool_at(key, "lockToState") == Some(true) {
                found.err(format!(
                    "state-locked key is not allowed for the {} volume",
                    q(&name)
                ));
            }
        }
    }
    found.extend(provisioning::validate(prov, false, true));
    found.extend(encryption::validate(at(v, "encryption")));
    found
}

/// `VolumeConfigV1Alpha1.V1Alpha1ConflictValidate`.
pub(in super::super) fn volume_conflict(v: &Yaml, cfg: &Yaml) -> Option<String> {
    let name = str_at(v, "name");
    if name != "STATE" && name != "EPHEMERAL" {
        return None;
    }
    let provider = str_at(v, "encryption.provider");
    if provider.is_empty() || provider == "none" {
        return None;
    }
    let legacy = format!("machine.systemDiskEncryption.{}", name.to_lowercase());
    at(cfg, &legacy).map(|_| {
        format!(
            "system disk encryption for {} is configured in both v1alpha1.Config and VolumeConfig",
            q(&name)
        )
    })
}
