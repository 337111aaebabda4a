//! `networkInterfaces[]` (Talos' legacy `Device`: links by name or hardware, bonds, bridges,
//! VLANs, WireGuard, DHCP options, VIPs) and `ingressFirewall`.

use super::Reader;
use crate::model::{
    Bond, Bridge, Cidr, DeviceSelector, DhcpOptions, FIREWALL_PROTOCOLS, Firewall, FirewallRule,
    Interface, Route, VipProvider, Vlan, Wireguard, WireguardPeer, go_duration, parse_ip,
    parse_port_range, port_ranges_error,
};
use crate::talhelper::keys::{
    Key, bond as b, bridge as br, bridge_port, bridge_stp, bridge_vlan, device_selector as ds,
    dhcp_options as dh, ingress_firewall as fw, ingress_rule, interface as k, network_rule as nr,
    node_config, port_selector as ps, route as rt, vip, vip_provider, vlan as vl, wireguard as wg,
    wireguard_peer as wp,
};
use crate::yaml::strict::Node;
use std::net::IpAddr;

/// The `networkInterfaces` of `parent` (a node or its role section); anything but a list
/// reads as none.
pub(super) fn interfaces(r: &mut Reader, parent: &Node) -> Vec<Interface> {
    let Some(list) = parent
        .get(node_config::NETWORK_INTERFACES.name)
        .filter(|l| l.value().as_seq().is_some())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in list.items().unwrap_or_default() {
        r.check_keys(&item, &[k::ALL]);
        let name = r.opt_string(&item, k::INTERFACE).unwrap_or_default();
        let mut iface = Interface::new(name);
        iface.span = r.span(item.span());
        iface.selector = item.get(k::DEVICE_SELECTOR.name).map(|s| selector(r, &s));
        if iface.name.is_empty() && iface.selector.is_none() {
            let d = r
                .error(
                    &item,
                    "network interface needs `interface` or `deviceSelector`",
                )
                .with_hint(
                    "name the link, or select it by `hardwareAddr`, `driver`, `busPath`, ...",
                );
            r.push(d);
            continue;
        }
        iface.mtu = r.u32(&item, k::MTU).filter(|m| *m != 0);
        let dhcp = r.bool(&item, k::DHCP);
        iface.dhcp = dhcp.unwrap_or(false);
        iface.dhcp_off = dhcp == Some(false);
        iface.dhcp_options = item.get(k::DHCP_OPTIONS.name).map(|o| dhcp_options(r, &o));
        iface.addresses = addresses(r, &item, k::ADDRESSES);
        iface.cidr = r.opt_string(&item, k::CIDR).and_then(|c| Cidr::parse(&c));
        iface.ignore = r.bool(&item, k::IGNORE).unwrap_or(false);
        iface.dummy = r.bool(&item, k::DUMMY).unwrap_or(false);
        if let Some(v) = item.get(k::VIP.name) {
            (iface.vip, iface.vip_provider) = read_vip(r, &v);
        }
        iface.routes = routes(r, &item, k::ROUTES);
        if let Some(bond) = item.get(k::BOND.name) {
            iface.bond = Some(read_bond(r, &bond));
        }
        if let Some(bridge) = item.get(k::BRIDGE.name) {
            iface.bridge = Some(read_bridge(r, &bridge));
        }
        if let Some(port) = item.get(k::BRIDGE_PORT.name) {
            r.check_keys(&port, &[bridge_port::ALL]);
            iface.bridge_port = r.opt_string(&port, bridge_port::MASTER);
        }
        if let Some(w) = item.get(k::WIREGUARD.name) {
            iface.wireguard = Some(read_wireguard(r, &w));
        }
        if let Some(vlans) = item.get(k::VLANS.name) {
            iface.vlans = vlans
                .items()
                .unwrap_or_default()
                .iter()
                .map(|v| read_vlan(r, v))
                .collect();
        }
        out.push(iface);
    }
    out
}

/// Addresses as CIDRs; a bare address gets a host prefix (talhelper's `PrefixFrom`).
fn addresses(r: &mut Reader, parent: &Node, key: Key) -> Vec<Cidr> {
    r.strings(parent, key)
        .iter()
        .filter_map(|a| {
            Cidr::parse(a).or_else(|| {
                parse_ip(a).map(|addr| Cidr {
                    addr,
                    prefix: if addr.is_ipv4() { 32 } else { 128 },
                })
            })
        })
        .collect()
}

fn routes(r: &mut Reader, parent: &Node, key: Key) -> Vec<Route> {
    let Some(routes) = parent.get(key.name) else {
        return Vec::new();
    };
    routes
        .items()
        .unwrap_or_default()
        .iter()
        .map(|route| read_route(r, route))
        .collect()
}

/// One `routes[]` entry; a network that does not parse, or `/0`, is the default route.
fn read_route(r: &mut Reader, route: &Node) -> Route {
    r.check_keys(route, &[rt::ALL]);
    let network = r
        .opt_string(route, rt::NETWORK)
        .and_then(|n| Cidr::parse(&n))
        .filter(|c| c.prefix != 0);
    Route {
        network,
        gateway: r.opt_string(route, rt::GATEWAY).and_then(|g| parse_ip(&g)),
        source: r.opt_string(route, rt::SOURCE).and_then(|g| parse_ip(&g)),
        metric: r.u32(route, rt::METRIC),
        mtu: r.u32(route, rt::MTU),
    }
}

fn selector(r: &mut Reader, s: &Node) -> DeviceSelector {
    r.check_keys(s, &[ds::ALL]);
    DeviceSelector {
        bus_path: r.opt_string(s, ds::BUS_PATH),
        hardware_addr: r.opt_string(s, ds::HARDWARE_ADDR),
        permanent_addr: r.opt_string(s, ds::PERMANENT_ADDR),
        pci_id: r.opt_string(s, ds::PCI_ID),
        driver: r.opt_string(s, ds::DRIVER),
        physical: r.bool(s, ds::PHYSICAL),
    }
}

fn dhcp_options(r: &mut Reader, o: &Node) -> DhcpOptions {
    r.check_keys(o, &[dh::ALL]);
    DhcpOptions {
        route_metric: r.u32(o, dh::ROUTE_METRIC).unwrap_or(0),
        ipv4: r.bool(o, dh::IPV4),
        ipv6: r.bool(o, dh::IPV6),
        duid_v6: r.opt_string(o, dh::DUIDV6),
    }
}

fn read_vip(r: &mut Reader, v: &Node) -> (Option<IpAddr>, Option<VipProvider>) {
    r.check_keys(v, &[vip::ALL]);
    let ip = r.opt_string(v, vip::IP).and_then(|s| parse_ip(&s));
    let mut token = |key: Key| {
        let p = v.get(key.name)?;
        r.check_keys(&p, &[vip_provider::ALL]);
        Some(
            r.opt_string(&p, vip_provider::API_TOKEN)
                .unwrap_or_default(),
        )
    };
    let provider = token(vip::HCLOUD)
        .map(VipProvider::Hcloud)
        .or_else(|| token(vip::EQUINIX_METAL).map(VipProvider::EquinixMetal));
    (ip, provider)
}

/// A number of at most `max` (Talos' `uint8`/`uint16` bond fields).
fn small(r: &mut Reader, n: &Node, key: Key, max: u32) -> Option<u32> {
    let v = r.u32(n, key)?;
    if v > max {
        let d = r.error_at(n, key, format!("`{}` must be at most {max}", key.name));
        r.push(d);
        return None;
    }
    Some(v)
}

fn read_bond(r: &mut Reader, bond: &Node) -> Bond {
    r.check_keys(bond, &[b::ALL]);
    let selectors = bond
        .get(b::DEVICE_SELECTORS.name)
        .map(|l| {
            l.items()
                .unwrap_or_default()
                .iter()
                .map(|s| selector(r, s))
                .collect()
        })
        .unwrap_or_default();
    let arp_ip_target = r
        .strings(bond, b::ARP_IP_TARGET)
        .iter()
        .filter_map(|s| parse_ip(s))
        .collect();
    let u8_ = |r: &mut Reader, key| small(r, bond, key, 255).map(|v| v as u8);
    let u16_ = |r: &mut Reader, key| small(r, bond, key, 65535).map(|v| v as u16);
    Bond {
        links: r.strings(bond, b::INTERFACES),
        selectors,
        arp_ip_target,
        mode: r.opt_string(bond, b::MODE),
        xmit_hash_policy: r.opt_string(bond, b::XMIT_HASH_POLICY),
        lacp_rate: r.opt_string(bond, b::LACP_RATE),
        ad_actor_system: r.opt_string(bond, b::AD_ACTOR_SYSTEM),
        arp_validate: r.opt_string(bond, b::ARP_VALIDATE),
        arp_all_targets: r.opt_string(bond, b::ARP_ALL_TARGETS),
        primary: r.opt_string(bond, b::PRIMARY),
        primary_reselect: r.opt_string(bond, b::PRIMARY_RESELECT),
        fail_over_mac: r.opt_string(bond, b::FAIL_OVER_MAC),
        ad_select: r.opt_string(bond, b::AD_SELECT),
        miimon: r.u32(bond, b::MIIMON),
        updelay: r.u32(bond, b::UPDELAY),
        downdelay: r.u32(bond, b::DOWNDELAY),
        arp_interval: r.u32(bond, b::ARP_INTERVAL),
        resend_igmp: r.u32(bond, b::RESEND_IGMP),
        min_links: r.u32(bond, b::MIN_LINKS),
        lp_interval: r.u32(bond, b::LP_INTERVAL),
        packets_per_slave: r.u32(bond, b::PACKETS_PER_SLAVE),
        num_peer_notif: u8_(r, b::NUM_PEER_NOTIF),
        tlb_dynamic_lb: u8_(r, b::TLB_DYNAMIC_LB),
        all_slaves_active: u8_(r, b::ALL_SLAVES_ACTIVE),
        use_carrier: r.bool(bond, b::USE_CARRIER),
        ad_actor_sys_prio: u16_(r, b::AD_ACTOR_SYS_PRIO),
        ad_user_port_key: u16_(r, b::AD_USER_PORT_KEY),
        peer_notify_delay: r.u32(bond, b::PEER_NOTIFY_DELAY),
    }
}

fn read_bridge(r: &mut Reader, bridge: &Node) -> Bridge {
    r.check_keys(bridge, &[br::ALL]);
    let stp = bridge.get(br::STP.name).and_then(|s| {
        r.check_keys(&s, &[bridge_stp::ALL]);
        r.bool(&s, bridge_stp::ENABLED)
    });
    let vlan_filtering = bridge.get(br::VLAN.name).and_then(|v| {
        r.check_keys(&v, &[bridge_vlan::ALL]);
        r.bool(&v, bridge_vlan::VLAN_FILTERING)
    });
    Bridge {
        links: r.strings(bridge, br::INTERFACES),
        stp,
        vlan_filtering,
    }
}

fn read_vlan(r: &mut Reader, v: &Node) -> Vlan {
    r.check_keys(v, &[vl::ALL]);
    let id = r.u32(v, vl::VLAN_ID).unwrap_or(0);
    if !(1..=4094).contains(&id) {
        let d = r.error_at(v, vl::VLAN_ID, format!("VLAN id {id} is outside 1..=4094"));
        r.push(d);
    }
    let (vip, vip_provider) = v
        .get(vl::VIP.name)
        .map_or((None, None), |n| read_vip(r, &n));
    Vlan {
        id: id.min(4094) as u16,
        addresses: addresses(r, v, vl::ADDRESSES),
        cidr: r.opt_string(v, vl::CIDR).and_then(|c| Cidr::parse(&c)),
        routes: routes(r, v, vl::ROUTES),
        dhcp: r.bool(v, vl::DHCP).unwrap_or(false),
        dhcp_options: v.get(vl::DHCP_OPTIONS.name).map(|o| dhcp_options(r, &o)),
        mtu: r.u32(v, vl::MTU).filter(|m| *m != 0),
        vip,
        vip_provider,
    }
}

fn read_wireguard(r: &mut Reader, w: &Node) -> Wireguard {
    r.check_keys(w, &[wg::ALL]);
    let mut peers = Vec::new();
    for p in w
        .get(wg::PEERS.name)
        .map(|l| l.items().unwrap_or_default())
        .unwrap_or_default()
    {
        r.check_keys(&p, &[wp::ALL]);
        let keepalive = r.opt_string(&p, wp::PERSISTENT_KEEPALIVE_INTERVAL);
        if let Some(ka) = &keepalive
            && go_duration(ka).is_none()
        {
            let d = r.error_at(
                &p,
                wp::PERSISTENT_KEEPALIVE_INTERVAL,
                format!("`{ka}` is not a duration"),
            );
            r.push(d);
        }
        peers.push(WireguardPeer {
            public_key: r.opt_string(&p, wp::PUBLIC_KEY).unwrap_or_default(),
            endpoint: r.opt_string(&p, wp::ENDPOINT),
            keepalive,
            allowed_ips: r.strings(&p, wp::ALLOWED_IPS),
        });
    }
    Wireguard {
        private_key: r.opt_string(w, wg::PRIVATE_KEY).unwrap_or_default(),
        listen_port: r.u32(w, wg::LISTEN_PORT),
        firewall_mark: r.u32(w, wg::FIREWALL_MARK),
        peers,
    }
}

/// `ingressFirewall`, refused where Talos' `RuleConfig.Validate` refuses it (talhelper runs
/// that check before writing anything).
pub(super) fn firewall(r: &mut Reader, f: &Node) -> Firewall {
    r.check_keys(f, &[fw::ALL]);
    let default_action = r.opt_string(f, fw::DEFAULT_ACTION);
    if let Some(a) = default_action.as_deref()
        && !["accept", "block"].contains(&a)
    {
        let d = r.error_at(
            f,
            fw::DEFAULT_ACTION,
            format!("`defaultAction` must be `accept` or `block`, got `{a}`"),
        );
        r.push(d);
    }
    let mut rules = Vec::new();
    for rule in f
        .get(fw::RULES.name)
        .map(|l| l.items().unwrap_or_default())
        .unwrap_or_default()
    {
        if let Some(rl) = read_rule(r, &rule) {
            rules.push(rl);
        }
    }
    Firewall {
        default_action,
        rules,
    }
}

fn read_rule(r: &mut Reader, rule: &Node) -> Option<FirewallRule> {
    r.check_keys(rule, &[nr::ALL]);
    let name = r.opt_string(rule, nr::NAME).unwrap_or_default();
    let sel = rule.get(nr::PORT_SELECTOR.name);
    if let Some(s) = &sel {
        r.check_keys(s, &[ps::ALL]);
    }
    let mut ports = Vec::new();
    let mut protocol = String::new();
    if let Some(s) = &sel {
        for p in r.strings(s, ps::PORTS) {
            if let Some(range) = parse_port_range(&p) {
                ports.push(range);
            } else {
                let d = r.error_at(s, ps::PORTS, format!("invalid port range: \"{p}\""));
                r.push(d);
            }
        }
        protocol = r.opt_string(s, ps::PROTOCOL).unwrap_or_default();
    }
    let problem = if name.is_empty() {
        Some("name is required".to_string())
    } else if ports.is_empty() {
        Some("portSelector.ports is required".to_string())
    } else if !FIREWALL_PROTOCOLS.contains(&protocol.as_str()) {
        Some(format!(
            "protocol `{protocol}` is not one of tcp, udp, icmp, icmpv6"
        ))
    } else {
        port_ranges_error(&ports)
    };
    let mut ingress = Vec::new();
    for i in rule
        .get(nr::INGRESS.name)
        .map(|l| l.items().unwrap_or_default())
        .unwrap_or_default()
    {
        r.check_keys(&i, &[ingress_rule::ALL]);
        let subnet = r.opt_string(&i, ingress_rule::SUBNET).unwrap_or_default();
        let Some(subnet) = Cidr::parse(&subnet) else {
            let d = r.error_at(
                &i,
                ingress_rule::SUBNET,
                format!("invalid subnet: {subnet}"),
            );
            r.push(d);
            continue;
        };
        let except = match r.opt_string(&i, ingress_rule::EXCEPT) {
            None => None,
            Some(e) => {
                if let Some(c) = Cidr::parse(&e) {
                    Some(c)
                } else {
                    let d = r.error_at(&i, ingress_rule::EXCEPT, format!("invalid except: {e}"));
                    r.push(d);
                    continue;
                }
            }
        };
        ingress.push((subnet, except));
    }
    if let Some(p) = problem {
        let d = r.error(rule, format!("ingress firewall rule: {p}"));
        r.push(d);
        return None;
    }
    Some(FirewallRule {
        name,
        ports,
        protocol,
        ingress,
    })
}

/// talhelper's `checkNodeNetworkInterfaces` (pkg/config/validator.go@v3.1.16): Talos' legacy
/// device checks on the node's `networkInterfaces`, whatever Talos version renders them, with
/// every warning an error too (so a deprecated `cidr` is refused), at the key.
pub(super) fn check_devices(r: &mut Reader, parent: &Node) {
    if !r.talhelper_checks {
        return;
    }
    let Some(list) = parent
        .get(node_config::NETWORK_INTERFACES.name)
        .filter(|l| l.value().as_seq().is_some())
    else {
        return;
    };
    let (warnings, errors) = crate::talos::validate::network_devices(list.value());
    for msg in errors.into_iter().chain(warnings) {
        let d = r.error_at(
            parent,
            node_config::NETWORK_INTERFACES,
            format!("`networkInterfaces`: {msg}"),
        );
        r.push(d);
    }
}
