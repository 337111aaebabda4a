//! `Validate` of the block documents (`types/block`): volumes, swap, zswap; the shared
//! provisioning, encryption and name rules live in their own modules.

mod encryption;
mod existing_volume;
mod external_volume;
mod provisioning;
mod raw_volume;
mod swap_volume;
mod user_volume;
mod volume;
mod zswap;

pub(super) use volume::volume_conflict;

use super::found::Found;
use crate::yaml::Yaml;

/// The findings of a block document's `Validate`, `None` for other kinds.
pub(super) fn validate(kind: &str, v: &Yaml) -> Option<Found> {
    let found = match kind {
        "VolumeConfig" => volume::validate(v),
        "UserVolumeConfig" => user_volume::validate(v),
        "RawVolumeConfig" => raw_volume::validate(v),
        "SwapVolumeConfig" => swap_volume::validate(v),
        "ExistingVolumeConfig" => existing_volume::validate(v),
        "ExternalVolumeConfig" => external_volume::validate(v),
        "ZswapConfig" => zswap::validate(v),
        _ => return None,
    };
    Some(found)
}

/// `constants.PartitionLabelLength` (GPT labels), less the volume kind's prefix (`u-`, ...).
const PARTITION_LABEL_LENGTH: usize = 36;

/// The name rules volumes share: required, a length bound (`max` of `None` skips it, as
/// `ExistingVolumeConfig` does), and `[a-zA-Z0-9-]` only.
fn name_rules(name: &str, max: Option<usize>, found: &mut Found) {
    if name.is_empty() {
        found.err("name is required");
    }
    if let Some(max) = max
        && (name.is_empty() || name.len() > max)
    {
        found.err(format!("name must be between 1 and {max} characters long"));
    }
    if name
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || c == '-'))
    {
        found.err(
            "name can only contain lowercase and uppercase ASCII letters, digits, and hyphens",
        );
    }
}

/// The longest name of a volume kind whose partition label carries a two-letter prefix.
#[allow(clippy::unnecessary_wraps)] // one signature for every document validator
const fn prefixed_max() -> Option<usize> {
    Some(PARTITION_LABEL_LENGTH - 2)
}
