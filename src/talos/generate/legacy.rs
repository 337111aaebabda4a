//! `machine.network` before multi-doc networking (Talos < 1.12): talhelper assigns its
//! `networkInterfaces` to `machine.network.interfaces` as Talos `v1alpha1.Device`s, so each
//! device is written field for field, zero values of non-`omitempty` fields included.

use super::GenInput;
use super::network::route_network;
use crate::model::{
    Bond, Bridge, DeviceSelector, DhcpOptions, Interface, Route, VipProvider, Vlan, Wireguard,
};
use crate::talos::contract::Contract;
use crate::yaml::{Map, Yaml};
use std::net::IpAddr;

fn put(m: &mut Map, key: &str, v: Option<Yaml>) {
    if let Some(v) = v {
        m.insert(key.into(), v);
    }
}

#[allow(clippy::ref_option)] // called with the model's `&Option` fields as they are
fn text(v: &Option<String>) -> Option<Yaml> {
    v.as_deref().filter(|v| !v.is_empty()).map(Yaml::str)
}

fn num<T: Into<i64> + Copy>(v: Option<T>) -> Option<Yaml> {
    v.map(Into::into).filter(|v| *v != 0).map(Yaml::Int)
}

fn strs<T: ToString>(items: &[T]) -> Option<Yaml> {
    (!items.is_empty()).then(|| Yaml::str_seq(items.iter().map(ToString::to_string)))
}

/// `machine.network`: hostname, interfaces, nameservers and `disableSearchDomain` for
/// contracts before multi-doc networking, `{}` on 1.12 (`generateNetworkConfigs`'
/// backwards-compatible empty config), absent from 1.13 on (`KubeSpanMultidocConfig`).
pub(super) fn legacy_network(input: &GenInput, c: Contract) -> Option<Yaml> {
    if c.kubespan_multidoc() {
        return None;
    }
    if c.multidoc_network() {
        return Some(Yaml::map());
    }
    let mut m = Map::new();
    put(
        &mut m,
        "hostname",
        input
            .hostname
            .as_deref()
            .filter(|h| !h.is_empty())
            .map(Yaml::str),
    );
    put(
        &mut m,
        "interfaces",
        (!input.interfaces.is_empty())
            .then(|| Yaml::Seq(input.interfaces.iter().map(device).collect())),
    );
    put(&mut m, "nameservers", strs(&input.nameservers));
    if input.disable_search_domain {
        m.insert("disableSearchDomain".into(), Yaml::Bool(true));
    }
    Some(Yaml::Map(m))
}

/// One `machine.network.interfaces[]` entry.
fn device(i: &Interface) -> Yaml {
    let mut m = Map::new();
    if !i.name.is_empty() {
        m.insert("interface".into(), Yaml::str(&i.name));
    }
    put(&mut m, "deviceSelector", i.selector.as_ref().map(selector));
    put(&mut m, "addresses", strs(&i.addresses));
    put(&mut m, "cidr", i.cidr.map(|c| Yaml::str(c.to_string())));
    put(
        &mut m,
        "routes",
        (!i.routes.is_empty()).then(|| Yaml::Seq(i.routes.iter().map(route).collect())),
    );
    put(&mut m, "bond", i.bond.as_ref().map(bond));
    put(&mut m, "bridge", i.bridge.as_ref().map(bridge));
    put(
        &mut m,
        "bridgePort",
        text(&i.bridge_port).map(|master| Yaml::from_pairs([("master", master)])),
    );
    put(
        &mut m,
        "vlans",
        (!i.vlans.is_empty()).then(|| Yaml::Seq(i.vlans.iter().map(vlan).collect())),
    );
    put(&mut m, "mtu", num(i.mtu));
    if i.dhcp || i.dhcp_off {
        m.insert("dhcp".into(), Yaml::Bool(i.dhcp));
    }
    for (key, on) in [("ignore", i.ignore), ("dummy", i.dummy)] {
        if on {
            m.insert(key.into(), Yaml::Bool(true));
        }
    }
    put(
        &mut m,
        "dhcpOptions",
        i.dhcp_options.as_ref().map(dhcp_options),
    );
    put(&mut m, "wireguard", i.wireguard.as_ref().map(wireguard));
    put(&mut m, "vip", vip(i.vip, i.vip_provider.as_ref()));
    Yaml::Map(m)
}

pub(super) fn selector(s: &DeviceSelector) -> Yaml {
    let mut m = Map::new();
    for (key, _, v) in s.fields() {
        put(&mut m, key, v.filter(|v| !v.is_empty()).map(Yaml::str));
    }
    put(&mut m, "physical", s.physical.map(Yaml::Bool));
    Yaml::Map(m)
}

fn route(r: &Route) -> Yaml {
    let mut m = Map::new();
    // `network` and `gateway` have no `omitempty`.
    m.insert("network".into(), Yaml::str(route_network(r)));
    m.insert(
        "gateway".into(),
        Yaml::str(r.gateway.map(|g| g.to_string()).unwrap_or_default()),
    );
    put(&mut m, "source", r.source.map(|s| Yaml::str(s.to_string())));
    put(&mut m, "metric", num(r.metric));
    put(&mut m, "mtu", num(r.mtu));
    Yaml::Map(m)
}

fn bond(b: &Bond) -> Yaml {
    let mut m = Map::new();
    // `interfaces` and `mode` have no `omitempty`.
    m.insert("interfaces".into(), Yaml::str_seq(b.links.iter().cloned()));
    put(
        &mut m,
        "deviceSelectors",
        (!b.selectors.is_empty()).then(|| Yaml::Seq(b.selectors.iter().map(selector).collect())),
    );
    put(&mut m, "arpIPTarget", strs(&b.arp_ip_target));
    m.insert("mode".into(), Yaml::str(b.mode.clone().unwrap_or_default()));
    for (k, v) in [
        ("xmitHashPolicy", &b.xmit_hash_policy),
        ("lacpRate", &b.lacp_rate),
        ("adActorSystem", &b.ad_actor_system),
        ("arpValidate", &b.arp_validate),
        ("arpAllTargets", &b.arp_all_targets),
        ("primary", &b.primary),
        ("primaryReselect", &b.primary_reselect),
        ("failOverMac", &b.fail_over_mac),
        ("adSelect", &b.ad_select),
    ] {
        put(&mut m, k, text(v));
    }
    for (k, v) in [
        ("miimon", b.miimon),
        ("updelay", b.updelay),
        ("downdelay", b.downdelay),
        ("arpInterval", b.arp_interval),
        ("resendIgmp", b.resend_igmp),
        ("minLinks", b.min_links),
        ("lpInterval", b.lp_interval),
        ("packetsPerSlave", b.packets_per_slave),
        ("peerNotifyDelay", b.peer_notify_delay),
    ] {
        put(&mut m, k, num(v));
    }
    for (k, v) in [
        ("numPeerNotif", b.num_peer_notif),
        ("tlbDynamicLb", b.tlb_dynamic_lb),
        ("allSlavesActive", b.all_slaves_active),
    ] {
        put(&mut m, k, num(v));
    }
    put(&mut m, "useCarrier", b.use_carrier.map(Yaml::Bool));
    put(&mut m, "adActorSysPrio", num(b.ad_actor_sys_prio));
    put(&mut m, "adUserPortKey", num(b.ad_user_port_key));
    Yaml::Map(m)
}

fn bridge(b: &Bridge) -> Yaml {
    let mut m = Map::new();
    m.insert("interfaces".into(), Yaml::str_seq(b.links.iter().cloned()));
    put(
        &mut m,
        "stp",
        b.stp
            .map(|on| Yaml::from_pairs([("enabled", Yaml::Bool(on))])),
    );
    put(
        &mut m,
        "vlan",
        b.vlan_filtering
            .map(|on| Yaml::from_pairs([("vlanFiltering", Yaml::Bool(on))])),
    );
    Yaml::Map(m)
}

fn vlan(v: &Vlan) -> Yaml {
    let mut m = Map::new();
    put(&mut m, "addresses", strs(&v.addresses));
    put(&mut m, "cidr", v.cidr.map(|c| Yaml::str(c.to_string())));
    // `routes` and `vlanId` have no `omitempty`.
    m.insert(
        "routes".into(),
        Yaml::Seq(v.routes.iter().map(route).collect()),
    );
    if v.dhcp {
        m.insert("dhcp".into(), Yaml::Bool(true));
    }
    m.insert("vlanId".into(), Yaml::Int(v.id.into()));
    put(&mut m, "mtu", num(v.mtu));
    put(&mut m, "vip", vip(v.vip, v.vip_provider.as_ref()));
    put(
        &mut m,
        "dhcpOptions",
        v.dhcp_options.as_ref().map(dhcp_options),
    );
    Yaml::Map(m)
}

fn dhcp_options(o: &DhcpOptions) -> Yaml {
    let mut m = Map::new();
    // `routeMetric` has no `omitempty`.
    m.insert("routeMetric".into(), Yaml::Int(o.route_metric.into()));
    put(&mut m, "ipv4", o.ipv4.map(Yaml::Bool));
    put(&mut m, "ipv6", o.ipv6.map(Yaml::Bool));
    put(&mut m, "duidv6", text(&o.duid_v6));
    Yaml::Map(m)
}

fn wireguard(w: &Wireguard) -> Yaml {
    let mut m = Map::new();
    put(
        &mut m,
        "privateKey",
        (!w.private_key.is_empty()).then(|| Yaml::str(&w.private_key)),
    );
    put(&mut m, "listenPort", num(w.listen_port));
    put(&mut m, "firewallMark", num(w.firewall_mark));
    let peers: Vec<Yaml> = w
        .peers
        .iter()
        .map(|p| {
            let mut pm = Map::new();
            put(
                &mut pm,
                "publicKey",
                (!p.public_key.is_empty()).then(|| Yaml::str(&p.public_key)),
            );
            put(&mut pm, "endpoint", text(&p.endpoint));
            put(
                &mut pm,
                "persistentKeepaliveInterval",
                p.keepalive
                    .as_deref()
                    .and_then(crate::model::go_duration)
                    .filter(|k| k != "0s")
                    .map(Yaml::str),
            );
            put(&mut pm, "allowedIPs", strs(&p.allowed_ips));
            Yaml::Map(pm)
        })
        .collect();
    put(
        &mut m,
        "peers",
        (!peers.is_empty()).then_some(Yaml::Seq(peers)),
    );
    Yaml::Map(m)
}

fn vip(ip: Option<IpAddr>, provider: Option<&VipProvider>) -> Option<Yaml> {
    if ip.is_none() && provider.is_none() {
        return None;
    }
    let mut m = Map::new();
    put(&mut m, "ip", ip.map(|ip| Yaml::str(ip.to_string())));
    match provider {
        Some(VipProvider::EquinixMetal(t)) => {
            m.insert(
                "equinixMetal".into(),
                Yaml::from_pairs([("apiToken", Yaml::str(t))]),
            );
        }
        Some(VipProvider::Hcloud(t)) => {
            m.insert(
                "hcloud".into(),
                Yaml::from_pairs([("apiToken", Yaml::str(t))]),
            );
        }
        None => {}
    }
    Some(Yaml::Map(m))
}
