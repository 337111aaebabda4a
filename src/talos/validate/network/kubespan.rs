//! `KubeSpanConfig` (`types/network/kubespan.go`, new in v1.13).

use super::super::found::Found;
use super::super::gonet::is_subnet_or_address;
use super::super::yamlx::{at, int_at, q, strs_at};
use crate::yaml::Yaml;

/// `constants.KubeSpanLinkMinimumMTU`.
const MINIMUM_MTU: i64 = 1280;

/// `KubeSpanConfigV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml, f: &mut Found) {
    if at(v, "mtu").is_some() && int_at(v, "mtu") < MINIMUM_MTU {
        f.err(format!("kubespan link MTU must be at least {MINIMUM_MTU}"));
    }
    for cidr in strs_at(v, "filters.endpoints") {
        let cidr = cidr.strip_prefix('!').unwrap_or(&cidr);
        if !is_subnet_or_address(cidr) {
            f.err(format!(
                "KubeSpan endpoint filter is not valid: {}",
                q(cidr)
            ));
        }
    }
}
