//! Routing documents new in v1.13 (`types/network/{blackhole_route,routing_rule}.go`).

use super::super::found::Found;
use super::super::gonet::netip_parse_prefix;
use super::super::yamlx::{at, int_at, q, scalar_text};
use super::link::routing_table;
use crate::talos::GoError;
use crate::yaml::Yaml;

/// `BlackholeRouteConfigV1Alpha1.Validate`: the name is the destination prefix.
pub(super) fn blackhole(name: &str, f: &mut Found) {
    if name.is_empty() {
        f.err("name must be specified");
    }
    if let Err(e) = netip_parse_prefix(name) {
        f.err(format!("name must be a valid address prefix: {e}"));
    }
}

/// `reservedPriorities`: local, KubeSpan's, main and default.
const RESERVED: [u32; 4] = [0, 32500, 32766, 32767];

/// `RoutingRuleConfigV1Alpha1.Validate`: the name is the rule priority.
pub(super) fn rule(v: &Yaml, name: &str, f: &mut Found) {
    if name.is_empty() {
        f.err("name must be specified");
    }
    // strconv.ParseUint(name, 10, 32); on failure Go goes on with priority 0
    let priority = match parse_uint32(name) {
        Ok(p) => p,
        Err(e) => {
            f.err(format!(
                "invalid name: must be priority parsable unsigned integer: {e}"
            ));
            0
        }
    };
    if RESERVED.contains(&priority) {
        f.err(format!(
            "priority must be between 1 and 32765 (excluding reserved priorities [{}])",
            RESERVED.map(|p| p.to_string()).join(" ")
        ));
    }
    let action = at(v, "action").map(scalar_text).unwrap_or_default();
    if routing_table(at(v, "table")) == "unspec"
        && matches!(action.as_str(), "" | "unspec" | "unicast")
    {
        f.err("either table or a non-unicast action must be specified");
    }
    if int_at(v, "fwMask") != 0 && int_at(v, "fwMark") == 0 {
        f.err("fwMask requires fwMark to be set");
    }
}

/// `strconv.ParseUint(s, 10, 32)` with Go's error text.
fn parse_uint32(s: &str) -> Result<u32, GoError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseUint: parsing {}: invalid syntax", q(s)).into());
    }
    s.parse::<u32>()
        .map_err(|_| format!("strconv.ParseUint: parsing {}: value out of range", q(s)).into())
}
