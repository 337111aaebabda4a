//! IP addresses, CIDRs, routes and network devices (links, bonds and their settings).

use super::link::{Bridge, DeviceSelector, DhcpOptions, VipProvider, Vlan, Wireguard};
use crate::diag::Span;
use std::fmt;
use std::net::IpAddr;

/// Parses an IPv4 or IPv6 address.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    s.trim().parse().ok()
}

/// An address with a prefix length (`10.25.11.0/24`); the address need not be the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    /// The address part.
    pub addr: IpAddr,
    /// Prefix length.
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/nn` or `x::/nn`.
    pub fn parse(s: &str) -> Option<Cidr> {
        let (a, p) = s.trim().split_once('/')?;
        let addr: IpAddr = a.parse().ok()?;
        let prefix: u8 = p.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    fn bits(&self) -> u32 {
        if self.addr.is_ipv4() { 32 } else { 128 }
    }

    fn to_u128(ip: IpAddr) -> u128 {
        match ip {
            IpAddr::V4(v) => u128::from(u32::from(v)),
            IpAddr::V6(v) => u128::from(v),
        }
    }

    fn mask(&self) -> u128 {
        let host_bits = self.bits() - u32::from(self.prefix);
        let all = if self.bits() == 32 {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
        if host_bits >= 128 {
            0
        } else {
            all & !((1u128 << host_bits) - 1)
        }
    }

    /// The network address (host bits cleared).
    pub fn network(&self) -> IpAddr {
        from_u128(Self::to_u128(self.addr) & self.mask(), self.addr.is_ipv4())
    }

    /// Whether `ip` is inside this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        ip.is_ipv4() == self.addr.is_ipv4()
            && Self::to_u128(ip) & self.mask() == Self::to_u128(self.addr) & self.mask()
    }

    /// Whether two networks share any address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.addr.is_ipv4() == other.addr.is_ipv4()
            && (self.contains(other.network()) || other.contains(self.network()))
    }

    /// The `n`-th address of the network (`cidr("10.0.0.0/24").host(11)` = `10.0.0.11`);
    /// `None` when outside the network.
    pub fn host(&self, n: u128) -> Option<IpAddr> {
        let host_bits = self.bits() - u32::from(self.prefix);
        if host_bits < 128 && n >= (1u128 << host_bits) {
            return None;
        }
        let base = Self::to_u128(self.network());
        Some(from_u128(base + n, self.addr.is_ipv4()))
    }

    /// Number of addresses in the network (saturating for huge IPv6 nets).
    pub fn size(&self) -> u128 {
        let host_bits = self.bits() - u32::from(self.prefix);
        if host_bits >= 128 {
            u128::MAX
        } else {
            1u128 << host_bits
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Adds an offset to an address; `None` on overflow past the address family's end.
pub fn ip_add(ip: IpAddr, n: i128) -> Option<IpAddr> {
    let v4 = ip.is_ipv4();
    let max: i128 = if v4 { i128::from(u32::MAX) } else { i128::MAX };
    let cur = Cidr::to_u128(ip) as i128;
    let next = cur.checked_add(n)?;
    (0..=max)
        .contains(&next)
        .then(|| from_u128(next as u128, v4))
}

fn from_u128(v: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4((v as u32).into())
    } else {
        IpAddr::V6(v.into())
    }
}

/// A static route.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Destination network; `None` = default route.
    pub network: Option<Cidr>,
    /// Next hop.
    pub gateway: Option<IpAddr>,
    /// Source address hint.
    pub source: Option<IpAddr>,
    /// Route metric.
    pub metric: Option<u32>,
    /// Route MTU.
    pub mtu: Option<u32>,
}

/// Linux bonding modes Talos accepts (`nethelpers.BondMode`), by name.
pub const BOND_MODES: &[&str] = &[
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];

/// Bond transmit hash policies Talos accepts (`nethelpers.BondXmitHashPolicy`).
pub const BOND_XMIT_HASH_POLICIES: &[&str] =
    &["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4"];

/// Bond settings (names as Talos' v1alpha1 `Bond`; talhelper passes them through).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bond {
    /// Member links, in order.
    pub links: Vec<String>,
    /// Members picked by hardware (`deviceSelectors`), after `links`.
    pub selectors: Vec<DeviceSelector>,
    /// ARP monitoring targets (`arpIPTarget`).
    pub arp_ip_target: Vec<IpAddr>,
    /// `802.3ad`, `active-backup`, ...
    pub mode: Option<String>,
    /// `layer2`, `layer3+4`, ...
    pub xmit_hash_policy: Option<String>,
    /// `slow` / `fast`.
    pub lacp_rate: Option<String>,
    /// 802.3ad actor system MAC (legacy config only).
    pub ad_actor_system: Option<String>,
    /// `none`, `active`, `backup`, `all`, `filter`, ...
    pub arp_validate: Option<String>,
    /// `any` / `all`.
    pub arp_all_targets: Option<String>,
    /// Primary member (legacy config only).
    pub primary: Option<String>,
    /// `always`, `better`, `failure`.
    pub primary_reselect: Option<String>,
    /// `none`, `active`, `follow`.
    pub fail_over_mac: Option<String>,
    /// `stable`, `bandwidth`, `count`.
    pub ad_select: Option<String>,
    /// MII link monitoring interval (ms).
    pub miimon: Option<u32>,
    /// Delay before enabling a link (ms).
    pub updelay: Option<u32>,
    /// Delay before disabling a link (ms).
    pub downdelay: Option<u32>,
    /// ARP monitoring interval (ms).
    pub arp_interval: Option<u32>,
    /// IGMP reports after a failover.
    pub resend_igmp: Option<u32>,
    /// Minimum number of links for carrier.
    pub min_links: Option<u32>,
    /// Learning packet interval (s).
    pub lp_interval: Option<u32>,
    /// Packets per member in balance-rr.
    pub packets_per_slave: Option<u32>,
    /// Peer notifications after a failover.
    pub num_peer_notif: Option<u8>,
    /// balance-tlb dynamic shuffling.
    pub tlb_dynamic_lb: Option<u8>,
    /// Deliver duplicate frames on inactive members.
    pub all_slaves_active: Option<u8>,
    /// Use carrier state for link monitoring.
    pub use_carrier: Option<bool>,
    /// 802.3ad actor system priority.
    pub ad_actor_sys_prio: Option<u16>,
    /// 802.3ad user port key.
    pub ad_user_port_key: Option<u16>,
    /// Delay between peer notifications (ms).
    pub peer_notify_delay: Option<u32>,
}

/// A network device on a node: a physical link, a bond, a bridge, a WireGuard tunnel or a
/// dummy, with its addressing and VLANs.
#[derive(Debug, Clone, PartialEq)]
pub struct Interface {
    /// Link name (`bond0`, `enp0s1`); empty when only `selector` names the link.
    pub name: String,
    /// Picks the link by hardware (`deviceSelector`).
    pub selector: Option<DeviceSelector>,
    /// Bond settings when this device is a bond.
    pub bond: Option<Bond>,
    /// Bridge settings when this device is a bridge.
    pub bridge: Option<Bridge>,
    /// WireGuard settings when this device is a tunnel.
    pub wireguard: Option<Wireguard>,
    /// The bridge this link is a port of (legacy `bridgePort.master`).
    pub bridge_port: Option<String>,
    /// A dummy link (legacy config only).
    pub dummy: bool,
    /// Talos leaves the link alone (legacy config only).
    pub ignore: bool,
    /// Link MTU.
    pub mtu: Option<u32>,
    /// DHCP on this link.
    pub dhcp: bool,
    /// `dhcp: false` was written out (the legacy config keeps it; Talos' default is off too).
    pub dhcp_off: bool,
    /// DHCP options.
    pub dhcp_options: Option<DhcpOptions>,
    /// Static addresses with prefix.
    pub addresses: Vec<Cidr>,
    /// Legacy single `cidr`.
    pub cidr: Option<Cidr>,
    /// Static routes.
    pub routes: Vec<Route>,
    /// VLANs on this link.
    pub vlans: Vec<Vlan>,
    /// Shared VIP announced on this link.
    pub vip: Option<IpAddr>,
    /// Cloud API that moves the VIP.
    pub vip_provider: Option<VipProvider>,
    /// Script call that declared it.
    pub span: Option<Span>,
}

impl Interface {
    /// A physical link with no settings.
    pub fn new(name: impl Into<String>) -> Self {
        Interface {
            name: name.into(),
            selector: None,
            bond: None,
            bridge: None,
            wireguard: None,
            bridge_port: None,
            dummy: false,
            ignore: false,
            mtu: None,
            dhcp: false,
            dhcp_off: false,
            dhcp_options: None,
            addresses: Vec::new(),
            cidr: None,
            routes: Vec::new(),
            vlans: Vec::new(),
            vip: None,
            vip_provider: None,
            span: None,
        }
    }

    /// How diagnostics name the device: its name, else its selector.
    pub fn label(&self) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        let sel = self.selector.as_ref().map(|s| {
            s.fields()
                .iter()
                .filter_map(|(k, _, v)| v.map(|v| format!("{k}={v}")))
                .collect::<Vec<_>>()
                .join(",")
        });
        format!("<{}>", sel.unwrap_or_default())
    }

    /// Whether two declarations mean the same device (same name, or same selector when
    /// unnamed).
    pub fn same_device(&self, other: &Interface) -> bool {
        if self.name.is_empty() && other.name.is_empty() {
            self.selector.is_some() && self.selector == other.selector
        } else {
            self.name == other.name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_math() {
        let c = Cidr::parse("10.25.11.0/24").unwrap();
        assert_eq!(c.host(11).unwrap().to_string(), "10.25.11.11");
        assert!(c.host(256).is_none());
        assert!(c.contains("10.25.11.200".parse().unwrap()));
        assert!(!c.contains("10.25.12.1".parse().unwrap()));
        assert!(c.overlaps(&Cidr::parse("10.25.0.0/16").unwrap()));
        assert!(!c.overlaps(&Cidr::parse("10.42.0.0/16").unwrap()));
        assert_eq!(
            Cidr::parse("10.25.11.7/24").unwrap().network().to_string(),
            "10.25.11.0"
        );
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        let v6 = Cidr::parse("fd00::/64").unwrap();
        assert_eq!(v6.host(5).unwrap().to_string(), "fd00::5");
    }

    #[test]
    fn ip_offsets() {
        let ip = parse_ip("10.25.11.10").unwrap();
        assert_eq!(ip_add(ip, 6).unwrap().to_string(), "10.25.11.16");
        assert_eq!(ip_add(ip, -10).unwrap().to_string(), "10.25.11.0");
        assert!(ip_add(parse_ip("255.255.255.255").unwrap(), 1).is_none());
    }
}
