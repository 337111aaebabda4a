//! talconfig.yaml's `networkInterfaces[]` and `ingressFirewall` from the model, through the
//! key table. Secrets (a WireGuard private key, a cloud VIP's API token) are written as
//! `${VAR}` references, never as values: talconfig.yaml is a tracked file.

use super::keys::{
    Key, bond as b, bridge as br, bridge_port, bridge_stp, bridge_vlan, device_selector as ds,
    dhcp_options as dh, ingress_firewall as fw, ingress_rule, interface as ifc, network_rule as nr,
    port_selector as ps, route as rt, vip, vip_provider, vlan as vl, wireguard as wg,
    wireguard_peer as wp,
};
use crate::model::{
    Bond, Cidr, DeviceSelector, DhcpOptions, Firewall, Interface, Node, Route, VipProvider, Vlan,
};
use crate::yaml::{Map, Yaml};
use std::net::IpAddr;

fn put(m: &mut Map, key: Key, v: Yaml) {
    m.insert(key.name.into(), v);
}

fn put_str(m: &mut Map, key: Key, v: Option<&str>) {
    if let Some(v) = v {
        put(m, key, Yaml::str(v));
    }
}

fn put_num<T: Into<i64>>(m: &mut Map, key: Key, v: Option<T>) {
    if let Some(v) = v {
        put(m, key, Yaml::Int(v.into()));
    }
}

fn put_list<T: ToString>(m: &mut Map, key: Key, items: &[T]) {
    if !items.is_empty() {
        put(m, key, Yaml::str_seq(items.iter().map(ToString::to_string)));
    }
}

/// The environment variable a secret of `node`'s device `device` is read from
/// (`WG_PRIVATE_KEY_K8S_1_WG0`): upper-case, everything else `_`.
pub fn secret_var(kind: &str, node: &str, device: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("{kind}_{}_{}", clean(node), clean(device))
}

/// `networkInterfaces:` of a node.
pub(super) fn interfaces(n: &Node) -> Yaml {
    Yaml::Seq(n.interfaces.iter().map(|i| interface(n, i)).collect())
}

fn interface(n: &Node, i: &Interface) -> Yaml {
    let mut m = Map::new();
    if !i.name.is_empty() {
        put(&mut m, ifc::INTERFACE, Yaml::str(&i.name));
    }
    if let Some(s) = &i.selector {
        put(&mut m, ifc::DEVICE_SELECTOR, selector(s));
    }
    put_list(&mut m, ifc::ADDRESSES, &i.addresses);
    put_str(&mut m, ifc::CIDR, i.cidr.map(|c| c.to_string()).as_deref());
    if !i.routes.is_empty() {
        put(
            &mut m,
            ifc::ROUTES,
            Yaml::Seq(i.routes.iter().map(route).collect()),
        );
    }
    if let Some(bd) = &i.bond {
        put(&mut m, ifc::BOND, bond(bd));
    }
    if let Some(bridge) = &i.bridge {
        let mut bm = Map::new();
        put(
            &mut bm,
            br::INTERFACES,
            Yaml::str_seq(bridge.links.iter().cloned()),
        );
        if let Some(on) = bridge.stp {
            put(
                &mut bm,
                br::STP,
                Yaml::from_pairs([(bridge_stp::ENABLED.name, Yaml::Bool(on))]),
            );
        }
        if let Some(on) = bridge.vlan_filtering {
            put(
                &mut bm,
                br::VLAN,
                Yaml::from_pairs([(bridge_vlan::VLAN_FILTERING.name, Yaml::Bool(on))]),
            );
        }
        put(&mut m, ifc::BRIDGE, Yaml::Map(bm));
    }
    if let Some(master) = &i.bridge_port {
        put(
            &mut m,
            ifc::BRIDGE_PORT,
            Yaml::from_pairs([(bridge_port::MASTER.name, Yaml::str(master))]),
        );
    }
    if !i.vlans.is_empty() {
        put(
            &mut m,
            ifc::VLANS,
            Yaml::Seq(
                i.vlans
                    .iter()
                    .map(|v| vlan(n, &format!("{}.{}", i.label(), v.id), v))
                    .collect(),
            ),
        );
    }
    put_num(&mut m, ifc::MTU, i.mtu);
    if i.dhcp || i.dhcp_off {
        put(&mut m, ifc::DHCP, Yaml::Bool(i.dhcp));
    }
    if i.ignore {
        put(&mut m, ifc::IGNORE, Yaml::Bool(true));
    }
    if i.dummy {
        put(&mut m, ifc::DUMMY, Yaml::Bool(true));
    }
    if let Some(o) = &i.dhcp_options {
        put(&mut m, ifc::DHCP_OPTIONS, dhcp_options(o));
    }
    if let Some(w) = &i.wireguard {
        let mut wm = Map::new();
        if !w.private_key.is_empty() {
            let var = secret_var("WG_PRIVATE_KEY", &n.hostname, &i.label());
            put(
                &mut wm,
                wg::PRIVATE_KEY,
                Yaml::str(super::envref::secret_reference(&var, &w.private_key)),
            );
        }
        put_num(&mut wm, wg::LISTEN_PORT, w.listen_port);
        put_num(&mut wm, wg::FIREWALL_MARK, w.firewall_mark);
        if !w.peers.is_empty() {
            let peers = w
                .peers
                .iter()
                .map(|p| {
                    let mut pm = Map::new();
                    put_str(
                        &mut pm,
                        wp::PUBLIC_KEY,
                        Some(p.public_key.as_str()).filter(|k| !k.is_empty()),
                    );
                    put_str(&mut pm, wp::ENDPOINT, p.endpoint.as_deref());
                    put_str(
                        &mut pm,
                        wp::PERSISTENT_KEEPALIVE_INTERVAL,
                        p.keepalive.as_deref(),
                    );
                    put_list(&mut pm, wp::ALLOWED_IPS, &p.allowed_ips);
                    Yaml::Map(pm)
                })
                .collect();
            put(&mut wm, wg::PEERS, Yaml::Seq(peers));
        }
        put(&mut m, ifc::WIREGUARD, Yaml::Map(wm));
    }
    if let Some(v) = vip_map(n, &i.label(), i.vip, i.vip_provider.as_ref()) {
        put(&mut m, ifc::VIP, v);
    }
    Yaml::Map(m)
}

fn selector(s: &DeviceSelector) -> Yaml {
    let mut m = Map::new();
    put_str(&mut m, ds::BUS_PATH, s.bus_path.as_deref());
    put_str(&mut m, ds::HARDWARE_ADDR, s.hardware_addr.as_deref());
    put_str(&mut m, ds::PERMANENT_ADDR, s.permanent_addr.as_deref());
    put_str(&mut m, ds::PCI_ID, s.pci_id.as_deref());
    put_str(&mut m, ds::DRIVER, s.driver.as_deref());
    if let Some(p) = s.physical {
        put(&mut m, ds::PHYSICAL, Yaml::Bool(p));
    }
    Yaml::Map(m)
}

fn route(r: &Route) -> Yaml {
    let mut m = Map::new();
    put(
        &mut m,
        rt::NETWORK,
        Yaml::str(
            r.network
                .map_or_else(|| "0.0.0.0/0".to_string(), |n| n.to_string()),
        ),
    );
    put_str(
        &mut m,
        rt::GATEWAY,
        r.gateway.map(|g| g.to_string()).as_deref(),
    );
    put_str(
        &mut m,
        rt::SOURCE,
        r.source.map(|g| g.to_string()).as_deref(),
    );
    put_num(&mut m, rt::METRIC, r.metric);
    put_num(&mut m, rt::MTU, r.mtu);
    Yaml::Map(m)
}

fn bond(bd: &Bond) -> Yaml {
    let mut m = Map::new();
    put(
        &mut m,
        b::INTERFACES,
        Yaml::str_seq(bd.links.iter().cloned()),
    );
    if !bd.selectors.is_empty() {
        put(
            &mut m,
            b::DEVICE_SELECTORS,
            Yaml::Seq(bd.selectors.iter().map(selector).collect()),
        );
    }
    put_list(&mut m, b::ARP_IP_TARGET, &bd.arp_ip_target);
    for (k, v) in [
        (b::MODE, &bd.mode),
        (b::XMIT_HASH_POLICY, &bd.xmit_hash_policy),
        (b::LACP_RATE, &bd.lacp_rate),
        (b::AD_ACTOR_SYSTEM, &bd.ad_actor_system),
        (b::ARP_VALIDATE, &bd.arp_validate),
        (b::ARP_ALL_TARGETS, &bd.arp_all_targets),
        (b::PRIMARY, &bd.primary),
        (b::PRIMARY_RESELECT, &bd.primary_reselect),
        (b::FAIL_OVER_MAC, &bd.fail_over_mac),
        (b::AD_SELECT, &bd.ad_select),
    ] {
        put_str(&mut m, k, v.as_deref());
    }
    for (k, v) in [
        (b::MIIMON, bd.miimon),
        (b::UPDELAY, bd.updelay),
        (b::DOWNDELAY, bd.downdelay),
        (b::ARP_INTERVAL, bd.arp_interval),
        (b::RESEND_IGMP, bd.resend_igmp),
        (b::MIN_LINKS, bd.min_links),
        (b::LP_INTERVAL, bd.lp_interval),
        (b::PACKETS_PER_SLAVE, bd.packets_per_slave),
        (b::NUM_PEER_NOTIF, bd.num_peer_notif.map(u32::from)),
        (b::TLB_DYNAMIC_LB, bd.tlb_dynamic_lb.map(u32::from)),
        (b::ALL_SLAVES_ACTIVE, bd.all_slaves_active.map(u32::from)),
    ] {
        put_num(&mut m, k, v);
    }
    if let Some(u) = bd.use_carrier {
        put(&mut m, b::USE_CARRIER, Yaml::Bool(u));
    }
    put_num(&mut m, b::AD_ACTOR_SYS_PRIO, bd.ad_actor_sys_prio);
    put_num(&mut m, b::AD_USER_PORT_KEY, bd.ad_user_port_key);
    put_num(&mut m, b::PEER_NOTIFY_DELAY, bd.peer_notify_delay);
    Yaml::Map(m)
}

fn vlan(n: &Node, name: &str, v: &Vlan) -> Yaml {
    let mut m = Map::new();
    put_list(&mut m, vl::ADDRESSES, &v.addresses);
    put_str(&mut m, vl::CIDR, v.cidr.map(|c| c.to_string()).as_deref());
    if !v.routes.is_empty() {
        put(
            &mut m,
            vl::ROUTES,
            Yaml::Seq(v.routes.iter().map(route).collect()),
        );
    }
    if v.dhcp {
        put(&mut m, vl::DHCP, Yaml::Bool(true));
    }
    put(&mut m, vl::VLAN_ID, Yaml::Int(v.id.into()));
    put_num(&mut m, vl::MTU, v.mtu);
    if let Some(vm) = vip_map(n, name, v.vip, v.vip_provider.as_ref()) {
        put(&mut m, vl::VIP, vm);
    }
    if let Some(o) = &v.dhcp_options {
        put(&mut m, vl::DHCP_OPTIONS, dhcp_options(o));
    }
    Yaml::Map(m)
}

fn dhcp_options(o: &DhcpOptions) -> Yaml {
    let mut m = Map::new();
    if o.route_metric != 0 {
        put(&mut m, dh::ROUTE_METRIC, Yaml::Int(o.route_metric.into()));
    }
    if let Some(v) = o.ipv4 {
        put(&mut m, dh::IPV4, Yaml::Bool(v));
    }
    if let Some(v) = o.ipv6 {
        put(&mut m, dh::IPV6, Yaml::Bool(v));
    }
    put_str(&mut m, dh::DUIDV6, o.duid_v6.as_deref());
    Yaml::Map(m)
}

fn vip_map(
    n: &Node,
    device: &str,
    ip: Option<IpAddr>,
    provider: Option<&VipProvider>,
) -> Option<Yaml> {
    if ip.is_none() && provider.is_none() {
        return None;
    }
    let mut m = Map::new();
    put_str(&mut m, vip::IP, ip.map(|i| i.to_string()).as_deref());
    let token = |kind: &str, value: &str| {
        let var = secret_var(kind, &n.hostname, device);
        Yaml::from_pairs([(
            vip_provider::API_TOKEN.name,
            Yaml::str(super::envref::secret_reference(&var, value)),
        )])
    };
    match provider {
        Some(VipProvider::EquinixMetal(t)) => {
            put(&mut m, vip::EQUINIX_METAL, token("EQUINIX_API_TOKEN", t));
        }
        Some(VipProvider::Hcloud(t)) => put(&mut m, vip::HCLOUD, token("HCLOUD_API_TOKEN", t)),
        None => {}
    }
    Some(Yaml::Map(m))
}

/// `ingressFirewall:` of a node.
pub(super) fn firewall(f: &Firewall) -> Yaml {
    let mut m = Map::new();
    put_str(&mut m, fw::DEFAULT_ACTION, f.default_action.as_deref());
    if !f.rules.is_empty() {
        let rules = f
            .rules
            .iter()
            .map(|r| {
                let mut rm = Map::new();
                put(&mut rm, nr::NAME, Yaml::str(&r.name));
                let ports = r
                    .ports
                    .iter()
                    .map(|&(lo, hi)| {
                        if lo == hi {
                            Yaml::Int(lo.into())
                        } else {
                            Yaml::str(format!("{lo}-{hi}"))
                        }
                    })
                    .collect();
                put(
                    &mut rm,
                    nr::PORT_SELECTOR,
                    Yaml::from_pairs([
                        (ps::PORTS.name, Yaml::Seq(ports)),
                        (ps::PROTOCOL.name, Yaml::str(&r.protocol)),
                    ]),
                );
                let ingress = r
                    .ingress
                    .iter()
                    .map(|(s, e): &(Cidr, Option<Cidr>)| {
                        let mut im = Map::new();
                        put(&mut im, ingress_rule::SUBNET, Yaml::str(s.to_string()));
                        put_str(
                            &mut im,
                            ingress_rule::EXCEPT,
                            e.map(|e| e.to_string()).as_deref(),
                        );
                        Yaml::Map(im)
                    })
                    .collect();
                put(&mut rm, nr::INGRESS, Yaml::Seq(ingress));
                Yaml::Map(rm)
            })
            .collect();
        put(&mut m, fw::RULES, Yaml::Seq(rules));
    }
    Yaml::Map(m)
}
