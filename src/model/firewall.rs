//! The host ingress firewall (talhelper `ingressFirewall`, Talos `NetworkDefaultActionConfig`
//! and `NetworkRuleConfig`).

use super::net::Cidr;

/// Protocols a rule can match (`nethelpers.Protocol`).
pub const FIREWALL_PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "icmpv6"];

/// A node's ingress firewall.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Firewall {
    /// `accept` or `block` for traffic no rule matches (`None` = Talos' zero value, accept).
    pub default_action: Option<String>,
    /// Rules, in order.
    pub rules: Vec<FirewallRule>,
}

/// One `NetworkRuleConfig`: which ports of the host which subnets may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirewallRule {
    /// Document name.
    pub name: String,
    /// Inclusive port ranges (`(443, 443)` is one port).
    pub ports: Vec<(u16, u16)>,
    /// `tcp`, `udp`, `icmp`, `icmpv6`.
    pub protocol: String,
    /// Source subnets, each with an optional excluded part.
    pub ingress: Vec<(Cidr, Option<Cidr>)>,
}

/// Parses a port or an inclusive range as Talos' `PortRange` reads it (`443`, `"2379-2380"`).
pub fn parse_port_range(s: &str) -> Option<(u16, u16)> {
    let s = s.trim();
    if let Ok(p) = s.parse::<u16>() {
        return Some((p, p));
    }
    let (lo, hi) = s.split_once('-')?;
    Some((lo.parse().ok()?, hi.parse().ok()?))
}

/// Talos' `PortRanges.Validate` message for the first bad range, `None` when all are fine.
pub fn port_ranges_error(ranges: &[(u16, u16)]) -> Option<String> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.0);
    for (i, (lo, hi)) in sorted.iter().enumerate() {
        if lo > hi {
            return Some(format!("invalid port range: {lo}-{hi}"));
        }
        if i > 0 {
            let (plo, phi) = sorted[i - 1];
            if *lo == plo || *lo <= phi {
                return Some(format!(
                    "invalid port range: {lo}-{hi}, overlaps with {plo}-{phi}"
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // Talos pkg/machinery/config/types/network/port_range.go@v1.12.0 (UnmarshalYAML, Validate).
    #[test]
    fn port_ranges_parse_and_validate_as_talos_does() {
        assert_eq!(parse_port_range("10250"), Some((10250, 10250)));
        assert_eq!(parse_port_range("2379-2380"), Some((2379, 2380)));
        assert_eq!(parse_port_range("80-"), None);
        assert_eq!(parse_port_range("70000"), None);
        assert_eq!(port_ranges_error(&[(80, 80), (443, 443)]), None);
        assert_eq!(
            port_ranges_error(&[(90, 80)]).as_deref(),
            Some("invalid port range: 90-80")
        );
        assert_eq!(
            port_ranges_error(&[(100, 200), (150, 160)]).as_deref(),
            Some("invalid port range: 150-160, overlaps with 100-200")
        );
    }
}
