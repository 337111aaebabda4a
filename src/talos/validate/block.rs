//! `VolumeConfig` (`types/block/volume_config.go`): its `Validate` and its conflict with the
//! legacy `machine.systemDiskEncryption` (CEL disk selectors are not compiled here).

use super::gonet::humanize_parse_bytes;
use super::yamlx::{at, bool_at, int_at, q, scalar_text, seq_at, str_at};
use crate::yaml::Yaml;

const VOLUMES: [&str; 3] = ["STATE", "EPHEMERAL", "IMAGECACHE"];

/// `VolumeConfigV1Alpha1.Validate`.
pub(super) fn volume_config(v: &Yaml) -> Vec<String> {
    let name = str_at(v, "name");
    if !VOLUMES.contains(&name.as_str()) {
        let list: Vec<String> = VOLUMES.iter().map(|n| q(n)).collect();
        return vec![format!("only [{}] volumes are supported", list.join(" "))];
    }
    let mut e = Vec::new();
    let prov = at(v, "provisioning");
    if name == "STATE" {
        if prov.is_some_and(|p| {
            p.as_map()
                .is_some_and(|m| m.values().any(|x| !matches!(x, Yaml::Null)))
        }) {
            e.push(format!(
                "provisioning config is not allowed for the {} volume",
                q(&name)
            ));
        }
        for key in seq_at(v, "encryption.keys") {
            if bool_at(key, "lockToState") == Some(true) {
                e.push(format!(
                    "state-locked key is not allowed for the {} volume",
                    q(&name)
                ));
            }
        }
    }
    if let Some(p) = prov {
        let (min, max) = (str_at(p, "minSize"), str_at(p, "maxSize"));
        if !min.is_empty()
            && !max.is_empty()
            && !max.trim_end().ends_with('%')
            && let (Ok(a), Ok(b)) = (humanize_parse_bytes(&min), humanize_parse_bytes(&max))
            && a > b
        {
            e.push("min size is greater than max size".into());
        }
    }
    e.extend(encryption(at(v, "encryption")));
    e
}

/// `EncryptionSpec.Validate` (nothing for an absent or empty spec).
fn encryption(spec: Option<&Yaml>) -> Vec<String> {
    let mut e = Vec::new();
    let Some(spec) = spec.filter(|s| s.as_map().is_some_and(|m| !m.is_empty())) else {
        return e;
    };
    let provider = match str_at(spec, "provider") {
        p if p.is_empty() => "none".to_string(),
        p => p,
    };
    if provider != "luks2" {
        e.push(format!("unsupported encryption provider: {provider}"));
    }
    let keys = seq_at(spec, "keys");
    if keys.is_empty() {
        e.push("encryption keys are required".into());
    }
    let mut slots = Vec::new();
    for key in keys {
        let slot = int_at(key, "slot");
        if slots.contains(&slot) {
            e.push(format!("duplicate key slot {slot}"));
        }
        slots.push(slot);
        if ["static", "nodeID", "kms", "tpm"]
            .iter()
            .all(|k| at(key, k).is_none())
        {
            e.push(format!(
                "at least one encryption key type must be specified for slot {slot}"
            ));
        }
        for pcr in seq_at(key, "tpm.options.pcrs") {
            let n: i64 = scalar_text(pcr).parse().unwrap_or(0);
            if !(0..=23).contains(&n) {
                e.push(format!("TPM PCR {n} is out of range (0-23)"));
            }
        }
    }
    e
}

/// `VolumeConfigV1Alpha1.V1Alpha1ConflictValidate`.
pub(super) fn volume_conflict(v: &Yaml, cfg: &Yaml) -> Option<String> {
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
