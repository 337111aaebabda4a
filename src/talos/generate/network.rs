//! Network settings: multi-doc network config (Talos ≥ 1.12, talhelper's translation of its
//! `networkInterfaces`) or the legacy `machine.network` section for older contracts.

use super::GenInput;
use crate::model::{Bond, Interface, Route};
use crate::talos::contract::Contract;
use crate::yaml::Yaml;

const API_VERSION: &str = "v1alpha1";

fn doc<const N: usize>(kind: &str, fields: [(&str, Option<Yaml>); N]) -> Yaml {
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

fn uint(v: Option<u32>) -> Option<Yaml> {
    v.filter(|v| *v > 0).map(|v| Yaml::Int(v.into()))
}

/// `machine.network`: hostname, interfaces and nameservers for contracts before multi-doc
/// networking, `{}` on 1.12 (`generateNetworkConfigs`' backwards-compatible empty config),
/// absent from 1.13 on.
pub(super) fn legacy_network(input: &GenInput, c: Contract) -> Option<Yaml> {
    if c.kubespan_multidoc() {
        return None;
    }
    if c.multidoc_network() {
        return Some(Yaml::map());
    }
    let interfaces = (!input.interfaces.is_empty())
        .then(|| Yaml::Seq(input.interfaces.iter().map(legacy_device).collect()));
    let nameservers =
        (!input.nameservers.is_empty()).then(|| Yaml::str_seq(input.nameservers.iter().cloned()));
    let mut m = crate::yaml::Map::new();
    for (k, v) in [
        (
            "hostname",
            input
                .hostname
                .as_deref()
                .filter(|h| !h.is_empty())
                .map(Yaml::str),
        ),
        ("interfaces", interfaces),
        ("nameservers", nameservers),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    }
    Some(Yaml::Map(m))
}

/// One `machine.network.interfaces[]` entry (`v1alpha1.Device` field order).
fn legacy_device(i: &Interface) -> Yaml {
    let mut m = crate::yaml::Map::new();
    m.insert("interface".into(), Yaml::str(&i.name));
    if !i.addresses.is_empty() {
        m.insert(
            "addresses".into(),
            Yaml::str_seq(i.addresses.iter().map(ToString::to_string)),
        );
    }
    if !i.routes.is_empty() {
        m.insert(
            "routes".into(),
            Yaml::Seq(i.routes.iter().map(legacy_route).collect()),
        );
    }
    if let Some(b) = &i.bond {
        m.insert("bond".into(), legacy_bond(b));
    }
    if let Some(mtu) = uint(i.mtu) {
        m.insert("mtu".into(), mtu);
    }
    if i.dhcp {
        m.insert("dhcp".into(), Yaml::Bool(true));
    }
    if let Some(vip) = i.vip {
        m.insert(
            "vip".into(),
            Yaml::from_pairs([("ip", Yaml::str(vip.to_string()))]),
        );
    }
    Yaml::Map(m)
}

/// The route network as the talconfig renderer writes it (a default route is `0.0.0.0/0`).
fn route_network(r: &Route) -> String {
    r.network
        .map_or_else(|| "0.0.0.0/0".to_string(), |n| n.to_string())
}

fn legacy_route(r: &Route) -> Yaml {
    let mut m = crate::yaml::Map::new();
    // `network` and `gateway` have no `omitempty`.
    m.insert("network".into(), Yaml::str(route_network(r)));
    m.insert(
        "gateway".into(),
        Yaml::str(r.gateway.map(|g| g.to_string()).unwrap_or_default()),
    );
    if let Some(s) = r.source {
        m.insert("source".into(), Yaml::str(s.to_string()));
    }
    for (k, v) in [("metric", r.metric), ("mtu", r.mtu)] {
        if let Some(v) = uint(v) {
            m.insert(k.into(), v);
        }
    }
    Yaml::Map(m)
}

fn legacy_bond(b: &Bond) -> Yaml {
    let mut m = crate::yaml::Map::new();
    // `interfaces` and `mode` have no `omitempty`.
    m.insert("interfaces".into(), Yaml::str_seq(b.links.iter().cloned()));
    m.insert("mode".into(), Yaml::str(b.mode.clone().unwrap_or_default()));
    for (k, v) in [
        ("xmitHashPolicy", &b.xmit_hash_policy),
        ("lacpRate", &b.lacp_rate),
        ("adSelect", &b.ad_select),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            m.insert(k.into(), Yaml::str(v));
        }
    }
    for (k, v) in [
        ("miimon", b.miimon),
        ("updelay", b.updelay),
        ("downdelay", b.downdelay),
        ("minLinks", b.min_links),
    ] {
        if let Some(v) = uint(v) {
            m.insert(k.into(), v);
        }
    }
    Yaml::Map(m)
}

/// gen config's `HostnameConfig` after talhelper's patch: `auto: off` plus the static
/// hostname, or the generated `auto: stable` when there is none.
pub(super) fn hostname_config(hostname: Option<&str>) -> Yaml {
    match hostname.filter(|h| !h.is_empty()) {
        Some(h) => doc(
            "HostnameConfig",
            [
                ("auto", Some(Yaml::str("off"))),
                ("hostname", Some(Yaml::str(h))),
            ],
        ),
        None => doc("HostnameConfig", [("auto", Some(Yaml::str("stable")))]),
    }
}

/// The documents talhelper appends after `HostnameConfig`, in its generator order:
/// resolver, bonds, DHCP, VIPs, plain links.
pub(super) fn documents(input: &GenInput) -> Vec<Yaml> {
    let mut docs = Vec::new();
    if !input.nameservers.is_empty() {
        let servers = input
            .nameservers
            .iter()
            .map(|a| Yaml::from_pairs([("address", Yaml::str(a))]))
            .collect();
        docs.push(doc(
            "ResolverConfig",
            [
                ("nameservers", Some(Yaml::Seq(servers))),
                (
                    "searchDomains",
                    Some(Yaml::from_pairs([("disableDefault", Yaml::Bool(false))])),
                ),
            ],
        ));
    }
    let ifaces = &input.interfaces;
    docs.extend(
        ifaces
            .iter()
            .filter_map(|i| i.bond.as_ref().map(|b| bond_config(i, b))),
    );
    docs.extend(
        ifaces
            .iter()
            .filter(|i| i.dhcp)
            .map(|i| doc("DHCPv4Config", [("name", Some(Yaml::str(&i.name)))])),
    );
    docs.extend(ifaces.iter().filter_map(|i| {
        i.vip.map(|vip| {
            doc(
                "Layer2VIPConfig",
                [
                    ("name", Some(Yaml::str(vip.to_string()))),
                    ("link", Some(Yaml::str(&i.name))),
                ],
            )
        })
    }));
    docs.extend(ifaces.iter().filter_map(link_config));
    docs
}

/// Enum values talhelper accepts; anything else is silently dropped (`…ByName` fails).
fn known(value: &Option<String>, names: &[&str]) -> Option<Yaml> {
    value
        .as_deref()
        .filter(|v| names.contains(v))
        .map(Yaml::str)
}

fn bond_config(i: &Interface, b: &Bond) -> Yaml {
    let mut fields = vec![
        ("name", Some(Yaml::str(&i.name))),
        (
            "links",
            (!b.links.is_empty()).then(|| Yaml::str_seq(b.links.iter().cloned())),
        ),
        ("bondMode", known(&b.mode, crate::model::BOND_MODES)),
        ("miimon", uint(b.miimon)),
        ("updelay", uint(b.updelay)),
        ("downdelay", uint(b.downdelay)),
        (
            "xmitHashPolicy",
            known(&b.xmit_hash_policy, crate::model::BOND_XMIT_HASH_POLICIES),
        ),
        ("lacpRate", known(&b.lacp_rate, &["slow", "fast"])),
        (
            "adSelect",
            known(&b.ad_select, &["stable", "bandwidth", "count"]),
        ),
        ("minLinks", uint(b.min_links)),
    ];
    fields.extend(common_link(i));
    doc_vec("BondConfig", fields)
}

/// `LinkConfig` for a plain link with addresses, routes or an MTU.
fn link_config(i: &Interface) -> Option<Yaml> {
    if i.bond.is_some() || (i.addresses.is_empty() && i.routes.is_empty() && uint(i.mtu).is_none())
    {
        return None;
    }
    let mut fields = vec![("name", Some(Yaml::str(&i.name)))];
    fields.extend(common_link(i));
    Some(doc_vec("LinkConfig", fields))
}

/// `CommonLinkConfig` fields talhelper fills: `mtu`, `addresses`, `routes` (no `up`).
fn common_link(i: &Interface) -> [(&'static str, Option<Yaml>); 3] {
    let addresses = (!i.addresses.is_empty()).then(|| {
        Yaml::Seq(
            i.addresses
                .iter()
                .map(|a| Yaml::from_pairs([("address", Yaml::str(a.to_string()))]))
                .collect(),
        )
    });
    let routes =
        (!i.routes.is_empty()).then(|| Yaml::Seq(i.routes.iter().map(route_config).collect()));
    [
        ("mtu", uint(i.mtu)),
        ("addresses", addresses),
        ("routes", routes),
    ]
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

fn doc_vec(kind: &str, fields: Vec<(&str, Option<Yaml>)>) -> Yaml {
    let mut d = doc(kind, []);
    if let Some(m) = d.as_map_mut() {
        for (k, v) in fields {
            if let Some(v) = v {
                m.insert(k.into(), v);
            }
        }
    }
    d
}
