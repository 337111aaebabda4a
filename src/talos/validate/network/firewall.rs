//! `NetworkRuleConfig` (`types/network/rule_config.go`, `port_range.go`): ingress firewall
//! rules; the first failing check is the only error, as in Talos.

use super::super::found::Found;
use super::super::gonet::netip_parse_prefix;
use super::super::yamlx::{scalar_text, seq_at, str_at};
use crate::talos::GoError;
use crate::yaml::Yaml;

/// `RuleConfigV1Alpha1.Validate`.
pub(super) fn rule(v: &Yaml, name: &str, f: &mut Found) {
    if let Err(e) = check(v, name) {
        f.err(e);
    }
}

fn check(v: &Yaml, name: &str) -> Result<(), GoError> {
    if name.is_empty() {
        return Err("name is required".into());
    }
    let ports = seq_at(v, "portSelector.ports");
    if ports.is_empty() {
        return Err("portSelector.ports is required".into());
    }
    port_ranges(&ports.iter().filter_map(port_range).collect::<Vec<_>>())?;
    for ingress in seq_at(v, "ingress") {
        let subnet = str_at(ingress, "subnet");
        if netip_parse_prefix(&subnet).is_err() {
            return Err("invalid subnet: invalid Prefix".into());
        }
        let except = str_at(ingress, "except");
        if !except.is_empty() && netip_parse_prefix(&except).is_err() {
            return Err("invalid except: invalid Prefix".into());
        }
    }
    Ok(())
}

/// A decoded `PortRange`: a port or `lo-hi`.
fn port_range(p: &Yaml) -> Option<(u16, u16)> {
    let text = scalar_text(p);
    match text.split_once('-') {
        Some((lo, hi)) => Some((lo.parse().ok()?, hi.parse().ok()?)),
        None => text.parse().ok().map(|n| (n, n)),
    }
}

/// `PortRanges.Validate`: sorted by low port, no inversion, no overlap.
fn port_ranges(ranges: &[(u16, u16)]) -> Result<(), GoError> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.0); // stable, as slices.SortFunc keeps equal runs in order here
    let show = |r: (u16, u16)| format!("{}-{}", r.0, r.1);
    for (i, r) in sorted.iter().enumerate() {
        if r.0 > r.1 {
            return Err(format!("invalid port range: {}", show(*r)).into());
        }
        if i > 0 {
            let prev = sorted[i - 1];
            if r.0 == prev.0 || r.0 <= prev.1 {
                return Err(format!(
                    "invalid port range: {}, overlaps with {}",
                    show(*r),
                    show(prev)
                )
                .into());
            }
        }
    }
    Ok(())
}
