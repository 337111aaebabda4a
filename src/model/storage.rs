//! Disks and volumes of a machine: Talos `VolumeConfig`, `UserVolumeConfig` and the legacy
//! `machine.disks` partitions.

use crate::diag::Span;
use crate::yaml::Yaml;

/// The system volumes a `VolumeConfig` may configure (`VolumeConfigV1Alpha1.Validate`).
pub const SYSTEM_VOLUMES: &[&str] = &["STATE", "EPHEMERAL", "IMAGECACHE"];

/// `UserVolumeConfig.volumeType` values Talos accepts.
pub const USER_VOLUME_TYPES: &[&str] = &["partition", "directory", "disk"];

/// `UserVolumeConfig.filesystem.type` values Talos accepts.
pub const FILESYSTEM_TYPES: &[&str] = &["xfs", "ext4"];

/// Talos `ProvisioningSpec`: where a volume goes and how big it is. Sizes stay as written
/// (`50GiB`, `10%`): Talos marshals a size back as its original text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provisioning {
    /// `diskSelector.match`: a CEL expression over `disk` (`disk.transport == "nvme"`,
    /// `system_disk`).
    pub disk: Option<String>,
    /// `grow`: take the free space after `minSize`.
    pub grow: Option<bool>,
    /// `minSize`.
    pub min_size: Option<String>,
    /// `maxSize` (bytes or a percentage of the disk).
    pub max_size: Option<String>,
}

impl Provisioning {
    /// Whether nothing is set (Talos leaves `provisioning` out then).
    pub fn is_empty(&self) -> bool {
        *self == Provisioning::default()
    }
}

/// A Talos `VolumeConfig`: provisioning and encryption of a system volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    /// `STATE`, `EPHEMERAL` or `IMAGECACHE`.
    pub name: String,
    /// Where and how big.
    pub provisioning: Provisioning,
    /// Talos `EncryptionSpec` as written (`provider`, `keys`, `cipher`, ...).
    pub encryption: Option<Yaml>,
    /// The call or key that declared it.
    pub span: Option<Span>,
}

/// A Talos `UserVolumeConfig`: a volume mounted at `/var/mnt/<name>`.
#[derive(Debug, Clone, PartialEq)]
pub struct UserVolume {
    /// Volume name (letters, digits, hyphens).
    pub name: String,
    /// `volumeType`: `partition` (Talos' default), `directory` or `disk`.
    pub volume_type: Option<String>,
    /// Where and how big.
    pub provisioning: Provisioning,
    /// `filesystem.type`: `xfs` (Talos' default) or `ext4`.
    pub filesystem: Option<String>,
    /// `filesystem.projectQuotaSupport` (xfs only).
    pub project_quota: Option<bool>,
    /// Talos `EncryptionSpec` as written.
    pub encryption: Option<Yaml>,
    /// The call or key that declared it.
    pub span: Option<Span>,
}

/// A legacy `machine.disks` entry: partitions Talos creates and mounts on an extra disk.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineDisk {
    /// `device`, e.g. `/dev/sdb`.
    pub device: String,
    /// `partitions`.
    pub partitions: Vec<DiskPartition>,
}

/// One `machine.disks[].partitions` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct DiskPartition {
    /// `mountpoint`, e.g. `/var/mnt/extra`.
    pub mountpoint: String,
    /// `size` as written (`100 GB`, or a byte count); `None` takes the rest of the disk.
    pub size: Option<Yaml>,
}

/// Talos' rule for user volume names (`UserVolumeConfigV1Alpha1.Validate`).
pub fn user_volume_name_error(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 34 {
        return Some("name must be between 1 and 34 characters long".into());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Some(
            "name can only contain lowercase and uppercase ASCII letters, digits, and hyphens"
                .into(),
        );
    }
    None
}

/// Talos' size syntax (`humanize.ParseBytes`, or a percentage for `maxSize`): `None` when
/// `text` parses.
pub fn size_error(text: &str, percent_ok: bool) -> Option<String> {
    let t = text.trim();
    if percent_ok && let Some(p) = t.strip_suffix('%') {
        return match p.trim().parse::<f64>() {
            Ok(v) if v > 0.0 && v <= 100.0 => None,
            _ => Some(format!("`{text}` is not a percentage between 0 and 100")),
        };
    }
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let units = [
        "", "b", "k", "kb", "ki", "kib", "m", "mb", "mi", "mib", "g", "gb", "gi", "gib", "t", "tb",
        "ti", "tib", "p", "pb", "pi", "pib", "e", "eb", "ei", "eib",
    ];
    if num.parse::<f64>().is_err() || !units.contains(&unit.trim().to_lowercase().as_str()) {
        return Some(format!(
            "`{text}` is not a size (write bytes with a unit, e.g. `50GiB` or `100GB`)"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_humanize_and_percentages_only_where_allowed() {
        for ok in ["50GiB", "100GB", "1 TB", "1000000", "1.5GiB", "10mb"] {
            assert_eq!(size_error(ok, false), None, "{ok}");
        }
        assert_eq!(size_error("80%", true), None);
        assert!(size_error("80%", false).is_some());
        assert!(size_error("lots", false).is_some());
        assert!(size_error("10 parsecs", false).is_some());
        assert!(size_error("150%", true).is_some());
    }

    #[test]
    fn user_volume_names_follow_talos() {
        assert_eq!(user_volume_name_error("ceph-data"), None);
        assert!(user_volume_name_error("").is_some());
        assert!(user_volume_name_error("local_path").is_some());
        assert!(user_volume_name_error(&"x".repeat(35)).is_some());
    }
}
