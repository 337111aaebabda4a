//! `UserVolumeConfig` (`types/block/user_volume_config.go`): partition, disk or directory
//! volumes, each with the specs its type allows.

use super::super::found::Found;
use super::super::yamlx::{at, bool_at, str_at};
use super::{encryption, name_rules, prefixed_max, provisioning};
use crate::yaml::Yaml;

/// `UserVolumeConfigV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml) -> Found {
    let mut found = Found::default();
    name_rules(&str_at(v, "name"), prefixed_max(), &mut found);
    let vtype = match str_at(v, "volumeType") {
        t if t.is_empty() => "partition".to_string(),
        t => t,
    };
    let (prov, enc) = (at(v, "provisioning"), at(v, "encryption"));
    match vtype.as_str() {
        "directory" => {
            if !provisioning::is_zero(prov) {
                found.err("provisioning spec is invalid for volumeType directory");
            }
            if !encryption::is_zero(enc) {
                found.err("encryption spec is invalid for volumeType directory");
            }
            if !filesystem_is_zero(v) {
                found.err("filesystem spec is invalid for volumeType directory");
            }
            if ["mount.disableAccessTime", "mount.secure"]
                .iter()
                .any(|k| at(v, k).is_some())
            {
                found.err("mount spec is invalid for volumeType directory");
            }
        }
        "disk" | "partition" => {
            found.extend(provisioning::validate(prov, true, vtype == "partition"));
            found.extend(filesystem(v));
            found.extend(encryption::validate(enc));
        }
        other => found.err(format!(
            "unsupported volume type {}",
            super::super::yamlx::q(other)
        )),
    }
    found
}

fn filesystem_is_zero(v: &Yaml) -> bool {
    matches!(str_at(v, "filesystem.type").as_str(), "" | "none")
        && at(v, "filesystem.projectQuotaSupport").is_none()
}

/// `FilesystemSpec.Validate`.
fn filesystem(v: &Yaml) -> Found {
    let fs = str_at(v, "filesystem.type");
    if !matches!(fs.as_str(), "" | "none" | "xfs" | "ext4") {
        return Found::errors(vec![format!("unsupported filesystem type: {fs}")]);
    }
    let xfs = matches!(fs.as_str(), "" | "none" | "xfs");
    if bool_at(v, "filesystem.projectQuotaSupport") == Some(true) && !xfs {
        return Found::errors(vec![
            "project quota support is only available for xfs filesystem".into(),
        ]);
    }
    Found::default()
}
