//! `ZswapConfig` (`types/block/zswap_config.go`).

use super::super::found::Found;
use super::super::yamlx::at;
use crate::yaml::Yaml;

/// `ZswapConfigV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml) -> Found {
    let mut found = Found::default();
    if let Some(Yaml::Int(p)) = at(v, "maxPoolPercent")
        && !(0..=100).contains(p)
    {
        found.err("maxPoolPercent must be between 0 and 100");
    }
    found
}
