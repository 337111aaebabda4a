//! Network settings as multi-doc network config (Talos ≥ 1.12): talhelper v3.1.16's
//! translation of its `networkInterfaces` (`pkg/talos/networkconfig.go`), document by document
//! in its generator order. [`super::legacy`] writes `machine.network` for older contracts.

use super::GenInput;
use super::netkinds;
use crate::model::{Bond, DhcpOptions, Interface, Route};
use crate::yaml::Yaml;

const API_VERSION: &str = "v1alpha1";

pub(super) fn doc<const N: usize>(kind: &str, fields: [(&str, Option<Yaml>); N]) -> Yaml {
    doc_vec(kind, fields.into_iter().collect())
}

pub(super) fn doc_vec(kind: &str, fields: Vec<(&str, Option<Yaml>)>) -> Yaml {
    let mut m = crate::yaml::Map::new();
    m.insert("apiVersion".into(), Yaml::str(API_VERSION));
    m.insert("kind".into(), Yaml::str(kind));
    for (k, v) in fields {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    }
    Yaml::Map(m)
}

/// A positive number (talhelper sets these fields only when `> 0`).
pub(super) fn uint(v: Option<u32>) -> Option<Yaml> {
    v.filter(|v| *v > 0).map(|v| Yaml::Int(v.into()))
}

/// gen config's `HostnameConfig` after talhelper's patch: `auto: off` plus the static
/// hostname (left out when empty, as Go's `omitempty` does), or the generated
/// `auto: stable` when talhelper sets none (`ignoreHostname`).
pub(super) fn hostname_config(hostname: Option<&str>) -> Yaml {
    match hostname {
        Some(h) => doc(
            "HostnameConfig",
            [
                ("auto", Some(Yaml::str("off"))),
                ("hostname", (!h.is_empty()).then(|| Yaml::str(h))),
            ],
        ),
        None => doc("HostnameConfig", [("auto", Some(Yaml::str("stable")))]),
    }
}

/// `ResolverConfig`, when the node has nameservers or disables the search domain.
pub(super) fn resolver_config(input: &GenInput) -> Option<Yaml> {
    if input.nameservers.is_empty() && !input.disable_search_domain {
        return None;
    }
    let servers = (!input.nameservers.is_empty()).then(|| {
        Yaml::Seq(
            input
                .nameservers
                .iter()
                .map(|a| Yaml::from_pairs([("address", Yaml::str(a))]))
                .collect(),
        )
    });
    Some(doc(
        "ResolverConfig",
        [
            ("nameservers", servers),
            (
                "searchDomains",
                Some(Yaml::from_pairs([(
                    "disableDefault",
                    Yaml::Bool(input.disable_search_domain),
                )])),
            ),
        ],
    ))
}

/// The link documents talhelper appends for `networkInterfaces`, in its generator order:
/// link aliases, bond member aliases, bonds, DHCP, VIPs, plain links, VLANs, WireGuard,
/// bridges. Unnamed selected devices get talhelper's alias names first.
pub(super) fn link_documents(interfaces: &[Interface]) -> Vec<Yaml> {
    let ifaces = netkinds::with_alias_names(interfaces);
    let mut docs = Vec::new();
    docs.extend(ifaces.iter().filter_map(netkinds::link_alias));
    docs.extend(ifaces.iter().flat_map(netkinds::bond_member_aliases));
    docs.extend(
        ifaces
            .iter()
            .filter_map(|i| i.bond.as_ref().map(|b| bond_config(i, b))),
    );
    docs.extend(
        ifaces
            .iter()
            .filter(|i| i.dhcp)
            .flat_map(|i| dhcp_configs(&i.name, i.dhcp_options.as_ref())),
    );
    docs.extend(
        ifaces
            .iter()
            .filter_map(|i| i.vip.map(|vip| vip_config(vip, &i.name))),
    );
    docs.extend(ifaces.iter().filter_map(link_config));
    docs.extend(ifaces.iter().flat_map(netkinds::vlan_configs));
    docs.extend(ifaces.iter().filter_map(netkinds::wireguard_config));
    docs.extend(ifaces.iter().filter_map(netkinds::bridge_config));
    docs
}

pub(super) fn vip_config(vip: std::net::IpAddr, link: &str) -> Yaml {
    doc(
        "Layer2VIPConfig",
        [
            ("name", Some(Yaml::str(vip.to_string()))),
            ("link", Some(Yaml::str(link))),
        ],
    )
}

/// `DHCPv4Config` / `DHCPv6Config` as the options ask (v4 unless turned off, v6 on request).
pub(super) fn dhcp_configs(name: &str, options: Option<&DhcpOptions>) -> Vec<Yaml> {
    let default = DhcpOptions::default();
    let o = options.unwrap_or(&default);
    let mut out = Vec::new();
    for (on, kind) in [(o.v4(), "DHCPv4Config"), (o.v6(), "DHCPv6Config")] {
        if on {
            out.push(doc(
                kind,
                [
                    ("name", Some(Yaml::str(name))),
                    ("routeMetric", uint(Some(o.route_metric))),
                ],
            ));
        }
    }
    out
}

/// Enum values talhelper accepts; anything else is silently dropped (`…ByName` fails).
#[allow(clippy::ref_option)] // called with the model's `&Option` fields as they are
fn known(value: &Option<String>, names: &[&str]) -> Option<Yaml> {
    value
        .as_deref()
        .filter(|v| names.contains(v))
        .map(Yaml::str)
}

fn small<T: Into<i64> + Copy>(v: Option<T>) -> Option<Yaml> {
    v.map(Into::into).filter(|v| *v > 0).map(Yaml::Int)
}

fn bond_config(i: &Interface, b: &Bond) -> Yaml {
    let mut links = b.links.clone();
    links.extend((0..b.selectors.len()).map(|n| netkinds::member_alias(&i.name, n)));
    let arp_targets = (!b.arp_ip_target.is_empty())
        .then(|| Yaml::str_seq(b.arp_ip_target.iter().map(ToString::to_string)));
    let mut fields = vec![
        ("name", Some(Yaml::str(&i.name))),
        (
            "links",
            (!links.is_empty()).then(|| Yaml::str_seq(links.iter().cloned())),
        ),
        ("bondMode", known(&b.mode, crate::model::BOND_MODES)),
        (
            "xmitHashPolicy",
            known(&b.xmit_hash_policy, crate::model::BOND_XMIT_HASH_POLICIES),
        ),
        ("lacpRate", known(&b.lacp_rate, &["slow", "fast"])),
        (
            "arpValidate",
            known(
                &b.arp_validate,
                &[
                    "none",
                    "active",
                    "backup",
                    "all",
                    "filter",
                    "filter-active",
                    "filter-backup",
                ],
            ),
        ),
        ("arpAllTargets", known(&b.arp_all_targets, &["any", "all"])),
        (
            "primaryReselect",
            known(&b.primary_reselect, &["always", "better", "failure"]),
        ),
        (
            "failOverMac",
            known(&b.fail_over_mac, &["none", "active", "follow"]),
        ),
        (
            "adSelect",
            known(&b.ad_select, &["stable", "bandwidth", "count"]),
        ),
        ("miimon", uint(b.miimon)),
        ("updelay", uint(b.updelay)),
        ("downdelay", uint(b.downdelay)),
        ("arpInterval", uint(b.arp_interval)),
        ("resendIGMP", uint(b.resend_igmp)),
        ("minLinks", uint(b.min_links)),
        ("lpInterval", uint(b.lp_interval)),
        ("packetsPerSlave", uint(b.packets_per_slave)),
        ("numPeerNotif", small(b.num_peer_notif)),
        // talhelper's `tlbDynamicLb` is BondConfig's `tlbLogicalLb`.
        ("tlbLogicalLb", small(b.tlb_dynamic_lb)),
        ("allSlavesActive", small(b.all_slaves_active)),
        ("useCarrier", b.use_carrier.map(Yaml::Bool)),
        ("adActorSysPrio", small(b.ad_actor_sys_prio)),
        ("adUserPortKey", small(b.ad_user_port_key)),
        ("peerNotifDelay", uint(b.peer_notify_delay)),
        ("arpIpTargets", arp_targets),
    ];
    fields.extend(common_link(i));
    doc_vec("BondConfig", fields)
}

/// `LinkConfig` for a device that is not a bond, bridge or tunnel and has addresses,
/// routes or an MTU (talhelper's `hasSpecialConfig`).
fn link_config(i: &Interface) -> Option<Yaml> {
    let special = i.bond.is_some() || i.wireguard.is_some() || i.bridge.is_some();
    if special || (i.addresses.is_empty() && i.routes.is_empty() && uint(i.mtu).is_none()) {
        return None;
    }
    let mut fields = vec![("name", Some(Yaml::str(&i.name)))];
    fields.extend(common_link(i));
    Some(doc_vec("LinkConfig", fields))
}

/// `CommonLinkConfig` fields talhelper fills: `mtu`, `addresses`, `routes` (no `up`).
pub(super) fn common_link(i: &Interface) -> [(&'static str, Option<Yaml>); 3] {
    link_fields(i.mtu, &i.addresses, &i.routes)
}

pub(super) fn link_fields(
    mtu: Option<u32>,
    addresses: &[crate::model::Cidr],
    routes: &[Route],
) -> [(&'static str, Option<Yaml>); 3] {
    let addresses = (!addresses.is_empty()).then(|| {
        Yaml::Seq(
            addresses
                .iter()
                .map(|a| Yaml::from_pairs([("address", Yaml::str(a.to_string()))]))
                .collect(),
        )
    });
    let routes = (!routes.is_empty()).then(|| Yaml::Seq(routes.iter().map(route_config).collect()));
    [
        ("mtu", uint(mtu)),
        ("addresses", addresses),
        ("routes", routes),
    ]
}

/// The route network as the talconfig renderer writes it (a default route is `0.0.0.0/0`).
pub(super) fn route_network(r: &Route) -> String {
    r.network
        .map_or_else(|| "0.0.0.0/0".to_string(), |n| n.to_string())
}

fn route_config(r: &Route) -> Yaml {
    let network = route_network(r);
    // A default route has no destination: Talos infers the family from the gateway.
    let destination = (network != "0.0.0.0/0" && network != "::/0").then(|| Yaml::str(network));
    let mut m = crate::yaml::Map::new();
    for (k, v) in [
        ("destination", destination),
        ("gateway", r.gateway.map(|g| Yaml::str(g.to_string()))),
        ("source", r.source.map(|s| Yaml::str(s.to_string()))),
        ("metric", uint(r.metric)),
        ("mtu", uint(r.mtu)),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    }
    Yaml::Map(m)
}
