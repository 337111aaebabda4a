//! What a network device can be besides a plain link or a bond: selected by hardware,
//! VLANs on it, a bridge, a WireGuard tunnel, DHCP options, cloud VIP providers.
//!
//! Names follow Talos' `v1alpha1.Device` (talhelper's `networkInterfaces[]` entry); the
//! renderers decide how each becomes Talos documents per version.

use super::net::{Cidr, Route};
use std::net::IpAddr;

/// Talos `NetworkDeviceSelector`: picks a link by its hardware instead of its name. Every
/// field is a glob (`00:50:56:*`); set fields must all match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceSelector {
    /// PCI bus path (`0000:01:00.0`).
    pub bus_path: Option<String>,
    /// Current MAC address.
    pub hardware_addr: Option<String>,
    /// Permanent (factory) MAC address.
    pub permanent_addr: Option<String>,
    /// PCI `vendor:device` id.
    pub pci_id: Option<String>,
    /// Kernel driver (`i40e`, `thunderbolt-net`).
    pub driver: Option<String>,
    /// Physical links only (`true`) or virtual ones only (`false`).
    pub physical: Option<bool>,
}

impl DeviceSelector {
    /// The string fields in Talos' order as `(talhelper key, script option, value)`.
    pub fn fields(&self) -> [(&'static str, &'static str, Option<&str>); 5] {
        [
            ("busPath", "bus_path", self.bus_path.as_deref()),
            ("hardwareAddr", "mac", self.hardware_addr.as_deref()),
            (
                "permanentAddr",
                "permanent_mac",
                self.permanent_addr.as_deref(),
            ),
            ("pciID", "pci_id", self.pci_id.as_deref()),
            ("driver", "driver", self.driver.as_deref()),
        ]
    }

    /// Whether no field is set (talhelper then generates no alias).
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, _, v)| v.is_none()) && self.physical.is_none()
    }
}

/// Talos `DHCPOptions`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DhcpOptions {
    /// Route metric of DHCP routes (`0` = Talos' default).
    pub route_metric: u32,
    /// DHCPv4 (`None` = on).
    pub ipv4: Option<bool>,
    /// DHCPv6 (`None` = off).
    pub ipv6: Option<bool>,
    /// DHCPv6 DUID (hex).
    pub duid_v6: Option<String>,
}

impl DhcpOptions {
    /// Whether DHCPv4 runs (Talos: on unless `ipv4: false`).
    pub fn v4(&self) -> bool {
        self.ipv4.unwrap_or(true)
    }

    /// Whether DHCPv6 runs (Talos: off unless `ipv6: true`).
    pub fn v6(&self) -> bool {
        self.ipv6.unwrap_or(false)
    }
}

/// A cloud API that moves the VIP instead of gratuitous ARP (Talos `vip.hcloud` /
/// `vip.equinixMetal`); only the legacy config has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VipProvider {
    /// Hetzner Cloud, with its API token.
    Hcloud(String),
    /// Equinix Metal, with its API token.
    EquinixMetal(String),
}

/// A VLAN on a link (Talos `Vlan`): named `<link>.<id>` on ≥ 1.12.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vlan {
    /// VLAN id (1–4094).
    pub id: u16,
    /// Static addresses.
    pub addresses: Vec<Cidr>,
    /// Legacy single `cidr`.
    pub cidr: Option<Cidr>,
    /// Static routes.
    pub routes: Vec<Route>,
    /// DHCP on the VLAN.
    pub dhcp: bool,
    /// DHCP options.
    pub dhcp_options: Option<DhcpOptions>,
    /// MTU.
    pub mtu: Option<u32>,
    /// Shared VIP announced on the VLAN.
    pub vip: Option<IpAddr>,
    /// Cloud VIP provider.
    pub vip_provider: Option<VipProvider>,
}

/// Talos `Bridge` settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bridge {
    /// Member links.
    pub links: Vec<String>,
    /// Spanning tree (`stp.enabled`).
    pub stp: Option<bool>,
    /// VLAN filtering (`vlan.vlanFiltering`).
    pub vlan_filtering: Option<bool>,
}

/// One WireGuard peer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WireguardPeer {
    /// Peer public key (base64).
    pub public_key: String,
    /// `host:port` the peer listens on.
    pub endpoint: Option<String>,
    /// Keepalive interval as a Go duration (`25s`).
    pub keepalive: Option<String>,
    /// Networks routed to the peer.
    pub allowed_ips: Vec<String>,
}

/// Talos `DeviceWireguardConfig`. The private key is a secret: it only ever reaches the
/// encrypted machine configs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wireguard {
    /// Private key (base64).
    pub private_key: String,
    /// UDP listen port.
    pub listen_port: Option<u32>,
    /// Firewall mark.
    pub firewall_mark: Option<u32>,
    /// Peers.
    pub peers: Vec<WireguardPeer>,
}

/// Go's `time.Duration.String()` of a duration written as Go parses it (`90s` → `1m30s`),
/// since Talos re-marshals the value; `None` when it is not a Go duration.
pub fn go_duration(s: &str) -> Option<String> {
    let s = s.trim();
    if s == "0" {
        return Some("0s".into());
    }
    let mut nanos: f64 = 0.0;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        let value: f64 = num.parse().ok()?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        nanos += value * scale;
        rest = tail;
    }
    Some(format_duration(nanos.round() as u64))
}

fn format_duration(n: u64) -> String {
    if n == 0 {
        return "0s".into();
    }
    if n < 1_000_000_000 {
        let (v, unit) = if n < 1_000 {
            return format!("{n}ns");
        } else if n < 1_000_000 {
            (n as f64 / 1e3, "µs")
        } else {
            (n as f64 / 1e6, "ms")
        };
        return format!("{}{unit}", trim_float(v));
    }
    let h = n / 3_600_000_000_000;
    let m = (n / 60_000_000_000) % 60;
    let s = (n % 60_000_000_000) as f64 / 1e9;
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&format!("{}s", trim_float(s)));
    out
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_normalise_as_go_prints_them() {
        for (input, want) in [
            ("10s", "10s"),
            ("25s", "25s"),
            ("90s", "1m30s"),
            ("1m", "1m0s"),
            ("1h", "1h0m0s"),
            ("1.5s", "1.5s"),
            ("500ms", "500ms"),
            ("0", "0s"),
        ] {
            assert_eq!(go_duration(input).as_deref(), Some(want), "{input}");
        }
        for bad in ["", "10", "10x", "s"] {
            assert_eq!(go_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn dhcp_defaults_are_talos_ones() {
        let d = DhcpOptions::default();
        assert!(d.v4() && !d.v6());
        let six = DhcpOptions {
            ipv4: Some(false),
            ipv6: Some(true),
            ..DhcpOptions::default()
        };
        assert!(!six.v4() && six.v6());
    }
}
