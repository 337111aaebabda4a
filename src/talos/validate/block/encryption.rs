//! `EncryptionSpec.Validate` (`types/block/encryption.go`).

use super::super::found::Found;
use super::super::yamlx::{at, int_at, scalar_text, seq_at, str_at};
use crate::yaml::Yaml;

/// `EncryptionSpec.IsZero`: no provider and no keys.
pub(super) fn is_zero(spec: Option<&Yaml>) -> bool {
    spec.is_none_or(|s| {
        matches!(str_at(s, "provider").as_str(), "" | "none") && seq_at(s, "keys").is_empty()
    })
}

/// `EncryptionSpec.Validate` (nothing for a zero spec).
pub(super) fn validate(spec: Option<&Yaml>) -> Found {
    let mut found = Found::default();
    let Some(spec) = spec.filter(|s| !is_zero(Some(s))) else {
        return found;
    };
    let provider = match str_at(spec, "provider") {
        p if p.is_empty() => "none".to_string(),
        p => p,
    };
    if provider != "luks2" {
        found.err(format!("unsupported encryption provider: {provider}"));
    }
    let keys = seq_at(spec, "keys");
    if keys.is_empty() {
        found.err("encryption keys are required");
    }
    let mut slots = Vec::new();
    for key in keys {
        let slot = int_at(key, "slot");
        if slots.contains(&slot) {
            found.err(format!("duplicate key slot {slot}"));
        }
        slots.push(slot);
        if ["static", "nodeID", "kms", "tpm"]
            .iter()
            .all(|k| at(key, k).is_none())
        {
            found.err(format!(
                "at least one encryption key type must be specified for slot {slot}"
            ));
        }
        for pcr in seq_at(key, "tpm.options.pcrs") {
            let n: i64 = scalar_text(pcr).parse().unwrap_or(0);
            if !(0..=23).contains(&n) {
                found.err(format!("TPM PCR {n} is out of range (0-23)"));
            }
        }
    }
    found
}
