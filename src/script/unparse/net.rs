//! `talforge import` for network devices: a model device's script options (and selector,
//! VLAN, firewall maps) as the script forms read them back.

use super::cluster::opt;
use super::lit::{cidr_list, inline_map, rhai_str, str_list};
use crate::model::{DeviceSelector, DhcpOptions, Firewall, Interface, Route, VipProvider, Vlan};
use crate::talhelper::keys::{
    bond as kb, bridge as kbr, device_selector as kds, dhcp_options as kdh,
    ingress_firewall as kfw, interface as ki, route as kr, vip as kv, vlan as kvl,
    wireguard as kwg, wireguard_peer as kwp,
};
use std::net::IpAddr;

type Opts = Vec<(String, String)>;

fn push_str(o: &mut Opts, key: &str, v: Option<&str>) {
    if let Some(v) = v {
        o.push((key.into(), rhai_str(v)));
    }
}

fn push_num<T: ToString>(o: &mut Opts, key: &str, v: Option<T>) {
    if let Some(v) = v {
        o.push((key.into(), v.to_string()));
    }
}

/// `#{ mac: "...", driver: "..." }`.
pub(super) fn selector_map(s: &DeviceSelector) -> String {
    let mut o = Opts::new();
    push_str(&mut o, &opt(kds::BUS_PATH), s.bus_path.as_deref());
    push_str(&mut o, &opt(kds::HARDWARE_ADDR), s.hardware_addr.as_deref());
    push_str(
        &mut o,
        &opt(kds::PERMANENT_ADDR),
        s.permanent_addr.as_deref(),
    );
    push_str(&mut o, &opt(kds::PCI_ID), s.pci_id.as_deref());
    push_str(&mut o, &opt(kds::DRIVER), s.driver.as_deref());
    push_num(&mut o, &opt(kds::PHYSICAL), s.physical);
    inline_map(&o)
}

fn dhcp_map(d: &DhcpOptions) -> String {
    let mut o = Opts::new();
    push_num(
        &mut o,
        &opt(kdh::ROUTE_METRIC),
        Some(d.route_metric).filter(|m| *m != 0),
    );
    push_num(&mut o, &opt(kdh::IPV4), d.ipv4);
    push_num(&mut o, &opt(kdh::IPV6), d.ipv6);
    push_str(&mut o, &opt(kdh::DUIDV6), d.duid_v6.as_deref());
    inline_map(&o)
}

fn vip_value(ip: Option<IpAddr>, provider: Option<&VipProvider>) -> Option<String> {
    let ip_s = ip.map(|i| rhai_str(&i.to_string()));
    match provider {
        None => ip_s,
        Some(p) => {
            let mut o = Opts::new();
            if let Some(i) = ip_s {
                o.push((opt(kv::IP), i));
            }
            match p {
                VipProvider::Hcloud(t) => o.push((opt(kv::HCLOUD), rhai_str(t))),
                VipProvider::EquinixMetal(t) => o.push((opt(kv::EQUINIX_METAL), rhai_str(t))),
            }
            Some(inline_map(&o))
        }
    }
}

/// The options every device kind shares, in one order.
fn addressing(
    o: &mut Opts,
    mtu: Option<u32>,
    dhcp: (bool, bool),
    dhcp_options: Option<&DhcpOptions>,
    addresses: &[crate::model::Cidr],
    routes: &[crate::model::Route],
    vip: Option<String>,
) {
    push_num(o, &opt(ki::MTU), mtu);
    match dhcp {
        (true, _) => o.push((opt(ki::DHCP), "true".into())),
        (false, true) => o.push((opt(ki::DHCP), "false".into())),
        _ => {}
    }
    if let Some(d) = dhcp_options {
        o.push((opt(ki::DHCP_OPTIONS), dhcp_map(d)));
    }
    if !addresses.is_empty() {
        o.push((opt(ki::ADDRESSES), cidr_list(addresses)));
    }
    if !routes.is_empty() {
        let r: Vec<String> = routes.iter().map(route).collect();
        o.push((opt(ki::ROUTES), format!("[{}]", r.join(", "))));
    }
    if let Some(v) = vip {
        o.push((opt(ki::VIP), v));
    }
}

fn vlan_map(v: &Vlan) -> String {
    let mut o: Opts = vec![(opt(kvl::VLAN_ID), v.id.to_string())];
    addressing(
        &mut o,
        v.mtu,
        (v.dhcp, false),
        v.dhcp_options.as_ref(),
        &v.addresses,
        &v.routes,
        vip_value(v.vip, v.vip_provider.as_ref()),
    );
    inline_map(&o)
}

/// The option map of `interface`, `bond`, `bridge`, `wireguard`, `dummy` or `link`.
pub(super) fn interface_options(i: &Interface) -> Opts {
    let mut o = Opts::new();
    if let Some(b) = &i.bond {
        for (k, v) in [
            (kb::MODE, &b.mode),
            (kb::LACP_RATE, &b.lacp_rate),
            (kb::XMIT_HASH_POLICY, &b.xmit_hash_policy),
            (kb::AD_SELECT, &b.ad_select),
            (kb::AD_ACTOR_SYSTEM, &b.ad_actor_system),
            (kb::ARP_VALIDATE, &b.arp_validate),
            (kb::ARP_ALL_TARGETS, &b.arp_all_targets),
            (kb::PRIMARY, &b.primary),
            (kb::PRIMARY_RESELECT, &b.primary_reselect),
            (kb::FAIL_OVER_MAC, &b.fail_over_mac),
        ] {
            push_str(&mut o, &opt(k), v.as_deref());
        }
        for (k, v) in [
            (kb::MIIMON, b.miimon),
            (kb::UPDELAY, b.updelay),
            (kb::DOWNDELAY, b.downdelay),
            (kb::MIN_LINKS, b.min_links),
            (kb::ARP_INTERVAL, b.arp_interval),
            (kb::RESEND_IGMP, b.resend_igmp),
            (kb::LP_INTERVAL, b.lp_interval),
            (kb::PACKETS_PER_SLAVE, b.packets_per_slave),
            (kb::PEER_NOTIFY_DELAY, b.peer_notify_delay),
            (kb::NUM_PEER_NOTIF, b.num_peer_notif.map(u32::from)),
            (kb::TLB_DYNAMIC_LB, b.tlb_dynamic_lb.map(u32::from)),
            (kb::ALL_SLAVES_ACTIVE, b.all_slaves_active.map(u32::from)),
            (kb::AD_ACTOR_SYS_PRIO, b.ad_actor_sys_prio.map(u32::from)),
            (kb::AD_USER_PORT_KEY, b.ad_user_port_key.map(u32::from)),
        ] {
            push_num(&mut o, &opt(k), v);
        }
        push_num(&mut o, &opt(kb::USE_CARRIER), b.use_carrier);
        if !b.arp_ip_target.is_empty() {
            let t: Vec<String> = b.arp_ip_target.iter().map(ToString::to_string).collect();
            o.push((
                opt(kb::ARP_IP_TARGET),
                str_list(t.iter().map(String::as_str)),
            ));
        }
    }
    if let Some(br) = &i.bridge {
        push_num(&mut o, &opt(kbr::STP), br.stp);
        push_num(&mut o, &opt(kbr::VLAN), br.vlan_filtering);
    }
    if let Some(w) = &i.wireguard {
        push_str(
            &mut o,
            &opt(kwg::PRIVATE_KEY),
            Some(w.private_key.as_str()).filter(|k| !k.is_empty()),
        );
        push_num(&mut o, &opt(kwg::LISTEN_PORT), w.listen_port);
        push_num(&mut o, &opt(kwg::FIREWALL_MARK), w.firewall_mark);
        if !w.peers.is_empty() {
            let peers: Vec<String> = w
                .peers
                .iter()
                .map(|p| {
                    let mut po = Opts::new();
                    push_str(
                        &mut po,
                        &opt(kwp::PUBLIC_KEY),
                        Some(p.public_key.as_str()).filter(|k| !k.is_empty()),
                    );
                    push_str(&mut po, &opt(kwp::ENDPOINT), p.endpoint.as_deref());
                    push_str(
                        &mut po,
                        &opt(kwp::PERSISTENT_KEEPALIVE_INTERVAL),
                        p.keepalive.as_deref(),
                    );
                    if !p.allowed_ips.is_empty() {
                        po.push((
                            opt(kwp::ALLOWED_IPS),
                            str_list(p.allowed_ips.iter().map(String::as_str)),
                        ));
                    }
                    inline_map(&po)
                })
                .collect();
            o.push((opt(kwg::PEERS), format!("[{}]", peers.join(", "))));
        }
    }
    if let (Some(sel), false) = (&i.selector, i.name.is_empty()) {
        o.push((opt(ki::DEVICE_SELECTOR), selector_map(sel)));
    }
    addressing(
        &mut o,
        i.mtu,
        (i.dhcp, i.dhcp_off),
        i.dhcp_options.as_ref(),
        &i.addresses,
        &i.routes,
        vip_value(i.vip, i.vip_provider.as_ref()),
    );
    if !i.vlans.is_empty() {
        let v: Vec<String> = i.vlans.iter().map(vlan_map).collect();
        o.push((opt(ki::VLANS), format!("[{}]", v.join(", "))));
    }
    if i.ignore {
        o.push((opt(ki::IGNORE), "true".into()));
    }
    push_str(&mut o, &opt(ki::BRIDGE_PORT), i.bridge_port.as_deref());
    push_str(
        &mut o,
        &opt(ki::CIDR),
        i.cidr.map(|c| c.to_string()).as_deref(),
    );
    o
}

/// `#{ default_action, rules: [...] }` for `firewall:`.
pub(super) fn firewall_map(f: &Firewall) -> String {
    let mut o = Opts::new();
    push_str(
        &mut o,
        &opt(kfw::DEFAULT_ACTION),
        f.default_action.as_deref(),
    );
    if !f.rules.is_empty() {
        let rules: Vec<String> = f
            .rules
            .iter()
            .map(|r| {
                let ports: Vec<String> = r
                    .ports
                    .iter()
                    .map(|&(lo, hi)| {
                        if lo == hi {
                            lo.to_string()
                        } else {
                            rhai_str(&format!("{lo}-{hi}"))
                        }
                    })
                    .collect();
                let ingress: Vec<String> = r
                    .ingress
                    .iter()
                    .map(|(s, e)| match e {
                        None => rhai_str(&s.to_string()),
                        Some(e) => inline_map(&[
                            ("subnet".into(), rhai_str(&s.to_string())),
                            ("except".into(), rhai_str(&e.to_string())),
                        ]),
                    })
                    .collect();
                inline_map(&[
                    ("name".into(), rhai_str(&r.name)),
                    ("ports".into(), format!("[{}]", ports.join(", "))),
                    ("protocol".into(), rhai_str(&r.protocol)),
                    ("ingress".into(), format!("[{}]", ingress.join(", "))),
                ])
            })
            .collect();
        o.push((opt(kfw::RULES), format!("[{}]", rules.join(", "))));
    }
    inline_map(&o)
}

pub(super) fn interface_call(i: &Interface) -> String {
    let opts = inline_map(&interface_options(i));
    let name = rhai_str(&i.name);
    let members = |links: &[String], selectors: &[crate::model::DeviceSelector]| {
        let mut items: Vec<String> = links.iter().map(|l| rhai_str(l)).collect();
        items.extend(selectors.iter().map(selector_map));
        format!("[{}]", items.join(", "))
    };
    if let Some(b) = &i.bond {
        return format!("bond({name}, {}, {opts})", members(&b.links, &b.selectors));
    }
    if let Some(br) = &i.bridge {
        return format!("bridge({name}, {}, {opts})", members(&br.links, &[]));
    }
    if i.wireguard.is_some() {
        return format!("wireguard({name}, {opts})");
    }
    if i.dummy {
        return format!("dummy({name}, {opts})");
    }
    match (&i.selector, i.name.is_empty()) {
        (Some(sel), true) => format!("link({}, {opts})", selector_map(sel)),
        _ => format!("interface({name}, {opts})"),
    }
}

pub(super) fn route(r: &Route) -> String {
    let mut o = Vec::new();
    if let Some(n) = &r.network {
        o.push((opt(kr::NETWORK), rhai_str(&n.to_string())));
    }
    if let Some(g) = r.gateway {
        o.push((opt(kr::GATEWAY), rhai_str(&g.to_string())));
    }
    if let Some(s) = r.source {
        o.push((opt(kr::SOURCE), rhai_str(&s.to_string())));
    }
    if let Some(m) = r.metric {
        o.push((opt(kr::METRIC), m.to_string()));
    }
    if let Some(m) = r.mtu {
        o.push((opt(kr::MTU), m.to_string()));
    }
    inline_map(&o)
}
