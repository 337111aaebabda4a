//! Network device option maps → model devices: links (by name or `select:` hardware), bonds,
//! bridges, WireGuard tunnels, dummies, VLANs, DHCP options, VIPs and firewall rules.

use crate::model::{
    BOND_MODES, BOND_XMIT_HASH_POLICIES, Bond, Bridge, Cidr, DeviceSelector, DhcpOptions,
    FIREWALL_PROTOCOLS, Firewall, FirewallRule, Interface, Route, VipProvider, Vlan, Wireguard,
    WireguardPeer, go_duration, parse_port_range, port_ranges_error,
};
use crate::script::builder::HostError;
use crate::script::options::Options;
use rhai::{Array, Dynamic, Map};

type R<T> = Result<T, HostError>;

/// What a device is; decides which options it takes.
pub(crate) enum Kind {
    /// A plain link.
    Link,
    /// A bond over these members (names or `#{ mac: ... }` selectors).
    Bond(Array),
    /// A bridge over these links.
    Bridge(Array),
    /// A WireGuard tunnel.
    Wireguard,
    /// A dummy link.
    Dummy,
}

const COMMON_OPTS: &[&str] = &[
    "mtu",
    "dhcp",
    "dhcp_options",
    "addresses",
    "routes",
    "vip",
    "select",
    "vlans",
    "ignore",
    "bridge_port",
    "cidr",
];

const BOND_OPTS: &[&str] = &[
    "mode",
    "lacp_rate",
    "xmit_hash_policy",
    "miimon",
    "updelay",
    "downdelay",
    "min_links",
    "ad_select",
    "arp_ip_target",
    "ad_actor_system",
    "arp_validate",
    "arp_all_targets",
    "primary",
    "primary_reselect",
    "fail_over_mac",
    "arp_interval",
    "resend_igmp",
    "lp_interval",
    "packets_per_slave",
    "num_peer_notif",
    "tlb_dynamic_lb",
    "all_slaves_active",
    "use_carrier",
    "ad_actor_sys_prio",
    "ad_user_port_key",
    "peer_notify_delay",
];

const BRIDGE_OPTS: &[&str] = &["stp", "vlan_filtering"];
const WIREGUARD_OPTS: &[&str] = &["private_key", "listen_port", "firewall_mark", "peers"];
const SELECT_OPTS: &[&str] = &[
    "mac",
    "permanent_mac",
    "bus_path",
    "driver",
    "pci_id",
    "physical",
];
const VLAN_OPTS: &[&str] = &["addresses", "routes", "dhcp", "dhcp_options", "mtu", "vip"];

fn allowed(kind: &Kind) -> Vec<&'static str> {
    let extra: &[&str] = match kind {
        Kind::Link | Kind::Dummy => &[],
        Kind::Bond(_) => BOND_OPTS,
        Kind::Bridge(_) => BRIDGE_OPTS,
        Kind::Wireguard => WIREGUARD_OPTS,
    };
    COMMON_OPTS.iter().chain(extra).copied().collect()
}

fn what(kind: &Kind) -> &'static str {
    match kind {
        Kind::Link => "interface",
        Kind::Bond(_) => "bond",
        Kind::Bridge(_) => "bridge",
        Kind::Wireguard => "wireguard",
        Kind::Dummy => "dummy",
    }
}

/// A device selector map (`#{ mac: "00:50:56:*", driver: "i40e" }`).
pub(crate) fn selector_from(map: Map) -> R<DeviceSelector> {
    let o = Options::new("device selector", map, SELECT_OPTS)?;
    let s = DeviceSelector {
        bus_path: o.string("bus_path")?,
        hardware_addr: o.string("mac")?,
        permanent_addr: o.string("permanent_mac")?,
        pci_id: o.string("pci_id")?,
        driver: o.string("driver")?,
        physical: o.bool("physical")?,
    };
    if s.is_empty() {
        return Err(HostError::new("a device selector needs at least one field")
            .hint(format!("select by one of {}", SELECT_OPTS.join(", "))));
    }
    Ok(s)
}

fn dhcp_options(o: &Options, key: &str) -> R<Option<DhcpOptions>> {
    let Some(m) = o.map(key)? else {
        return Ok(None);
    };
    let d = Options::new(
        "dhcp option",
        m,
        &["route_metric", "ipv4", "ipv6", "duid_v6"],
    )?;
    Ok(Some(DhcpOptions {
        route_metric: d.u32("route_metric")?.unwrap_or(0),
        ipv4: d.bool("ipv4")?,
        ipv6: d.bool("ipv6")?,
        duid_v6: d.string("duid_v6")?,
    }))
}

/// `vip: "10.0.0.10"` or `vip: #{ ip: "10.0.0.10", hcloud: token }`.
fn vip(o: &Options) -> R<(Option<std::net::IpAddr>, Option<VipProvider>)> {
    match o.raw("vip") {
        Some(v) if v.is_map() => {
            let m = v.try_cast::<Map>().unwrap_or_default();
            let v = Options::new("vip", m, &["ip", "hcloud", "equinix_metal"])?;
            let provider = match (v.string("hcloud")?, v.string("equinix_metal")?) {
                (Some(_), Some(_)) => {
                    return Err(
                        HostError::new("set either `hcloud` or `equinix_metal`, not both")
                            .focus("vip"),
                    );
                }
                (Some(t), None) => Some(VipProvider::Hcloud(t)),
                (None, Some(t)) => Some(VipProvider::EquinixMetal(t)),
                (None, None) => None,
            };
            Ok((v.ip("ip")?, provider))
        }
        _ => Ok((o.ip("vip")?, None)),
    }
}

/// `routes: [#{ network, gateway, source, metric, mtu }]`.
pub(crate) fn routes(opts: &Options) -> R<Vec<Route>> {
    let Some(v) = opts.raw("routes") else {
        return Ok(Vec::new());
    };
    let Some(items) = v.clone().try_cast::<Array>() else {
        return Err(HostError::new("`routes` must be an array of maps").focus("routes"));
    };
    items
        .into_iter()
        .map(|item| {
            let Some(m) = item.try_cast::<Map>() else {
                return Err(HostError::new("each route must be a map like `#{ network: \"0.0.0.0/0\", gateway: \"10.0.0.1\" }`").focus("routes"));
            };
            let r = Options::new("route", m, &["network", "gateway", "source", "metric", "mtu"])?;
            let network = match r.string("network")? {
                None => None,
                Some(s) => Some(Cidr::parse(&s).ok_or_else(|| {
                    HostError::new(format!("invalid route network `{s}`")).focus("network")
                })?),
            };
            Ok(Route {
                network,
                gateway: r.ip("gateway")?,
                source: r.ip("source")?,
                metric: r.u32("metric")?,
                mtu: r.u32("mtu")?,
            })
        })
        .collect()
}

/// One VLAN from its options (`id` given separately by `n.vlan(parent, id, #{...})`).
pub(crate) fn vlan_from(id: i64, map: Map) -> R<Vlan> {
    if !(1..=4094).contains(&id) {
        return Err(HostError::new(format!("VLAN id {id} is outside 1..=4094")));
    }
    let o = Options::new("vlan", map, VLAN_OPTS)?;
    let (vip, vip_provider) = vip(&o)?;
    Ok(Vlan {
        id: id as u16,
        addresses: o.cidrs("addresses")?,
        cidr: None,
        routes: routes(&o)?,
        dhcp: o.bool("dhcp")?.unwrap_or(false),
        dhcp_options: dhcp_options(&o, "dhcp_options")?,
        mtu: o.u32("mtu")?,
        vip,
        vip_provider,
    })
}

fn vlans(o: &Options) -> R<Vec<Vlan>> {
    let Some(v) = o.raw("vlans") else {
        return Ok(Vec::new());
    };
    let items = v
        .try_cast::<Array>()
        .ok_or_else(|| HostError::new("`vlans` must be an array of maps").focus("vlans"))?;
    items
        .into_iter()
        .map(|item| {
            let mut m = item.try_cast::<Map>().ok_or_else(|| {
                HostError::new("each VLAN must be a map like `#{ id: 20, dhcp: true }`")
                    .focus("vlans")
            })?;
            let id = m
                .remove("id")
                .and_then(|v| v.as_int().ok())
                .ok_or_else(|| HostError::new("each VLAN needs an integer `id`").focus("vlans"))?;
            vlan_from(id, m)
        })
        .collect()
}

fn members(links: Array) -> R<(Vec<String>, Vec<DeviceSelector>)> {
    let (mut names, mut selectors) = (Vec::new(), Vec::new());
    for l in links {
        if l.is_string() {
            names.push(l.to_string());
        } else if let Some(m) = l.try_cast::<Map>() {
            selectors.push(selector_from(m)?);
        } else {
            return Err(HostError::new(
                "members must be link names or selectors like `#{ mac: \"00:50:56:*\" }`",
            ));
        }
    }
    Ok((names, selectors))
}

fn bond_from(links: Array, o: &Options) -> R<Bond> {
    let (links, selectors) = members(links)?;
    let u8_ = |k: &str| -> R<Option<u8>> { Ok(o.int(k, 0, 255)?.map(|v| v as u8)) };
    let u16_ = |k: &str| -> R<Option<u16>> { Ok(o.int(k, 0, 65535)?.map(|v| v as u16)) };
    Ok(Bond {
        links,
        selectors,
        arp_ip_target: o.ips("arp_ip_target")?,
        mode: o.choice("mode", BOND_MODES)?,
        xmit_hash_policy: o.choice("xmit_hash_policy", BOND_XMIT_HASH_POLICIES)?,
        lacp_rate: o.choice("lacp_rate", &["slow", "fast"])?,
        ad_actor_system: o.string("ad_actor_system")?,
        arp_validate: o.choice(
            "arp_validate",
            &[
                "none",
                "active",
                "backup",
                "all",
                "filter",
                "filter-active",
                "filter-backup",
            ],
        )?,
        arp_all_targets: o.choice("arp_all_targets", &["any", "all"])?,
        primary: o.string("primary")?,
        primary_reselect: o.choice("primary_reselect", &["always", "better", "failure"])?,
        fail_over_mac: o.choice("fail_over_mac", &["none", "active", "follow"])?,
        ad_select: o.choice("ad_select", &["stable", "bandwidth", "count"])?,
        miimon: o.u32("miimon")?,
        updelay: o.u32("updelay")?,
        downdelay: o.u32("downdelay")?,
        arp_interval: o.u32("arp_interval")?,
        resend_igmp: o.u32("resend_igmp")?,
        min_links: o.u32("min_links")?,
        lp_interval: o.u32("lp_interval")?,
        packets_per_slave: o.u32("packets_per_slave")?,
        num_peer_notif: u8_("num_peer_notif")?,
        tlb_dynamic_lb: u8_("tlb_dynamic_lb")?,
        all_slaves_active: u8_("all_slaves_active")?,
        use_carrier: o.bool("use_carrier")?,
        ad_actor_sys_prio: u16_("ad_actor_sys_prio")?,
        ad_user_port_key: u16_("ad_user_port_key")?,
        peer_notify_delay: o.u32("peer_notify_delay")?,
    })
}

fn wireguard_from(o: &Options) -> R<Wireguard> {
    let mut peers = Vec::new();
    if let Some(v) = o.raw("peers") {
        let items = v
            .try_cast::<Array>()
            .ok_or_else(|| HostError::new("`peers` must be an array of maps").focus("peers"))?;
        for item in items {
            let m = item
                .try_cast::<Map>()
                .ok_or_else(|| HostError::new("each peer must be a map").focus("peers"))?;
            let p = Options::new(
                "wireguard peer",
                m,
                &["public_key", "endpoint", "keepalive", "allowed_ips"],
            )?;
            let keepalive = p.string("keepalive")?;
            if let Some(k) = &keepalive
                && go_duration(k).is_none()
            {
                return Err(
                    HostError::new(format!("`keepalive` `{k}` is not a duration"))
                        .focus("keepalive")
                        .hint("write a duration like `25s` or `1m`"),
                );
            }
            peers.push(WireguardPeer {
                public_key: p.string("public_key")?.unwrap_or_default(),
                endpoint: p.string("endpoint")?,
                keepalive,
                allowed_ips: p
                    .cidrs("allowed_ips")?
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
            });
        }
    }
    Ok(Wireguard {
        private_key: o.string("private_key")?.unwrap_or_default(),
        listen_port: o.int("listen_port", 0, 65535)?.map(|p| p as u32),
        firewall_mark: o.u32("firewall_mark")?,
        peers,
    })
}

/// Builds a device from its option map.
pub(crate) fn device_from(name: &str, kind: Kind, map: Map) -> R<Interface> {
    let o = Options::new(what(&kind), map, &allowed(&kind))?;
    let mut i = Interface::new(name);
    if let Some(m) = o.map("select")? {
        i.selector = Some(selector_from(m).map_err(|e| e.focus("select"))?);
    }
    if name.is_empty() && i.selector.is_none() {
        return Err(HostError::new("interface name must not be empty"));
    }
    i.mtu = o.u32("mtu")?;
    let dhcp = o.bool("dhcp")?;
    i.dhcp = dhcp.unwrap_or(false);
    i.dhcp_off = dhcp == Some(false);
    i.dhcp_options = dhcp_options(&o, "dhcp_options")?;
    i.addresses = o.cidrs("addresses")?;
    i.routes = routes(&o)?;
    (i.vip, i.vip_provider) = vip(&o)?;
    i.vlans = vlans(&o)?;
    i.ignore = o.bool("ignore")?.unwrap_or(false);
    i.bridge_port = o.string("bridge_port")?;
    i.cidr = o.cidrs("cidr")?.first().copied();
    match kind {
        Kind::Link => {}
        Kind::Dummy => i.dummy = true,
        Kind::Bond(links) => i.bond = Some(bond_from(links, &o)?),
        Kind::Bridge(links) => {
            let (links, selectors) = members(links)?;
            if !selectors.is_empty() {
                return Err(HostError::new("bridge members must be link names"));
            }
            i.bridge = Some(Bridge {
                links,
                stp: o.bool("stp")?,
                vlan_filtering: o.bool("vlan_filtering")?,
            });
        }
        Kind::Wireguard => i.wireguard = Some(wireguard_from(&o)?),
    }
    Ok(i)
}

/// Builds an interface (a bond when `links` is given) from its option map.
pub(crate) fn interface_from(name: &str, links: Option<Array>, map: Map) -> R<Interface> {
    let kind = links.map_or(Kind::Link, Kind::Bond);
    device_from(name, kind, map)
}

fn port(v: &Dynamic) -> Option<(u16, u16)> {
    if let Ok(i) = v.as_int() {
        let p = u16::try_from(i).ok()?;
        return Some((p, p));
    }
    v.is_string()
        .then(|| parse_port_range(&v.to_string()))
        .flatten()
}

fn firewall_rule(m: Map) -> R<FirewallRule> {
    let o = Options::new(
        "firewall rule",
        m,
        &["name", "ports", "protocol", "ingress"],
    )?;
    let name = o.string("name")?.unwrap_or_default();
    if name.is_empty() {
        return Err(HostError::new("a firewall rule needs a `name`"));
    }
    let ports = match o.raw("ports") {
        None => Vec::new(),
        Some(v) => {
            let items = v.clone().into_array().unwrap_or_else(|_| vec![v]);
            items
                .iter()
                .map(|p| {
                    port(p).ok_or_else(|| {
                        HostError::new(format!("invalid port `{p}` in rule `{name}`"))
                            .focus("ports")
                            .hint("write a port or an inclusive range, e.g. `10250` or `\"2379-2380\"`")
                    })
                })
                .collect::<R<Vec<_>>>()?
        }
    };
    if ports.is_empty() {
        return Err(
            HostError::new(format!("firewall rule `{name}` needs `ports`"))
                .hint("e.g. `ports: [10250]`"),
        );
    }
    if let Some(e) = port_ranges_error(&ports) {
        return Err(HostError::new(format!("firewall rule `{name}`: {e}")).focus("ports"));
    }
    let protocol = o
        .choice("protocol", FIREWALL_PROTOCOLS)?
        .ok_or_else(|| HostError::new(format!("firewall rule `{name}` needs a `protocol`")))?;
    let mut ingress = Vec::new();
    if let Some(v) = o.raw("ingress") {
        let items = v.clone().into_array().unwrap_or_else(|_| vec![v]);
        for item in items {
            let bad = || {
                HostError::new(format!("invalid ingress source in rule `{name}`"))
                    .focus("ingress")
                    .hint("write a subnet like `\"10.0.0.0/8\"` or `#{ subnet: \"10.0.0.0/8\", except: \"10.0.0.1/32\" }`")
            };
            if let Some(m) = item.clone().try_cast::<Map>() {
                let s = Options::new("ingress source", m, &["subnet", "except"])?;
                let subnet = s.cidrs("subnet")?.first().copied().ok_or_else(bad)?;
                let except = s.cidrs("except")?.first().copied();
                ingress.push((subnet, except));
            } else {
                let subnet = Cidr::parse(&item.to_string()).ok_or_else(bad)?;
                ingress.push((subnet, None));
            }
        }
    }
    Ok(FirewallRule {
        name,
        ports,
        protocol,
        ingress,
    })
}

/// `#{ default_action: "block", rules: [#{ name, ports, protocol, ingress }] }`.
pub(crate) fn firewall_from(map: Map) -> R<Firewall> {
    let o = Options::new("firewall", map, &["default_action", "rules"])?;
    let mut rules = Vec::new();
    if let Some(v) = o.raw("rules") {
        let items = v
            .try_cast::<Array>()
            .ok_or_else(|| HostError::new("`rules` must be an array of maps").focus("rules"))?;
        for item in items {
            let m = item
                .try_cast::<Map>()
                .ok_or_else(|| HostError::new("each rule must be a map").focus("rules"))?;
            rules.push(firewall_rule(m)?);
        }
    }
    Ok(Firewall {
        default_action: o.choice("default_action", &["accept", "block"])?,
        rules,
    })
}
