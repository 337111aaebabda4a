//! The multi-doc network documents beyond links and bonds: `LinkAliasConfig` for devices
//! picked by hardware (talhelper's CEL translation of `deviceSelector`), `VLANConfig`,
//! `WireguardConfig` and `BridgeConfig`, as talhelper v3.1.16 writes them.

use super::network::{common_link, dhcp_configs, doc, doc_vec, link_fields, uint, vip_config};
use crate::model::{DeviceSelector, Interface, go_duration};
use crate::yaml::Yaml;
use std::collections::BTreeSet;

/// The name of bond `bond`'s `n`-th selected member (`bond0-m0`).
pub(super) fn member_alias(bond: &str, n: usize) -> String {
    format!("{bond}-m{n}")
}

/// The devices with talhelper's generated names for unnamed selected ones (`ethSel0`,
/// `bond0`, `br0`, `wg0`, skipping names the config already uses); every later document
/// refers to the device by that name.
pub(super) fn with_alias_names(interfaces: &[Interface]) -> Vec<Interface> {
    let mut used: BTreeSet<String> = interfaces
        .iter()
        .filter(|i| !i.name.is_empty())
        .map(|i| i.name.clone())
        .collect();
    let mut next = [0usize; 4];
    let mut out = interfaces.to_vec();
    for i in out.iter_mut().filter(|i| i.selector.is_some()) {
        if !i.name.is_empty() {
            continue;
        }
        let (slot, prefix) = if i.bond.is_some() {
            (1, "bond")
        } else if i.bridge.is_some() {
            (2, "br")
        } else if i.wireguard.is_some() {
            (3, "wg")
        } else {
            (0, "ethSel")
        };
        let name = loop {
            let candidate = format!("{prefix}{}", next[slot]);
            next[slot] += 1;
            if !used.contains(&candidate) {
                break candidate;
            }
        };
        used.insert(name.clone());
        i.name = name;
    }
    out
}

/// talhelper's `buildDeviceSelectorCELExpression`: one glob per set field, `&&`-joined;
/// `None` when the selector sets nothing.
pub(super) fn selector_expression(s: &DeviceSelector) -> Option<String> {
    let mut conds = Vec::new();
    let globs = [
        (&s.hardware_addr, "mac(link.hardware_addr)"),
        (&s.permanent_addr, "mac(link.permanent_addr)"),
        (&s.bus_path, "link.bus_path"),
        (&s.driver, "link.driver"),
        (&s.pci_id, "link.pciid"),
    ];
    for (value, field) in globs {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            conds.push(format!("glob(\"{v}\", {field})"));
        }
    }
    match s.physical {
        Some(true) => conds.push("link.type == 1".into()),
        Some(false) => conds.push("link.type != 1".into()),
        None => {}
    }
    (!conds.is_empty()).then(|| conds.join(" && "))
}

fn alias_doc(name: &str, s: &DeviceSelector) -> Option<Yaml> {
    let expr = selector_expression(s)?;
    Some(doc(
        "LinkAliasConfig",
        [
            ("name", Some(Yaml::str(name))),
            (
                "selector",
                Some(Yaml::from_pairs([("match", Yaml::str(expr))])),
            ),
        ],
    ))
}

/// The `LinkAliasConfig` of a selected device (already named by [`with_alias_names`]).
pub(super) fn link_alias(i: &Interface) -> Option<Yaml> {
    link_alias_named(i, &i.name)
}

/// talhelper's `GenerateLinkAliasConfig(device, name)`: the alias of a selected device as `name`.
pub(crate) fn link_alias_named(i: &Interface, name: &str) -> Option<Yaml> {
    alias_doc(name, i.selector.as_ref()?)
}

/// One `LinkAliasConfig` per selected bond member, named `<bond>-m<n>`.
pub(super) fn bond_member_aliases(i: &Interface) -> Vec<Yaml> {
    let Some(b) = &i.bond else {
        return Vec::new();
    };
    b.selectors
        .iter()
        .enumerate()
        .filter_map(|(n, s)| alias_doc(&member_alias(&i.name, n), s))
        .collect()
}

/// Per VLAN with an id: `VLANConfig` named `<link>.<id>`, then its DHCP and VIP documents.
pub(super) fn vlan_configs(i: &Interface) -> Vec<Yaml> {
    let mut out = Vec::new();
    for v in i.vlans.iter().filter(|v| v.id > 0) {
        let name = format!("{}.{}", i.name, v.id);
        let mut fields = vec![
            ("name", Some(Yaml::str(&name))),
            ("vlanID", Some(Yaml::Int(v.id.into()))),
            ("parent", Some(Yaml::str(&i.name))),
        ];
        fields.extend(link_fields(v.mtu, &v.addresses, &v.routes));
        out.push(doc_vec("VLANConfig", fields));
        if v.dhcp {
            out.extend(dhcp_configs(&name, v.dhcp_options.as_ref()));
        }
        if let Some(vip) = v.vip {
            out.push(vip_config(vip, &name));
        }
    }
    out
}

/// `WireguardConfig`; peer endpoints that are not `ip:port` and allowed IPs that are not
/// prefixes are left out, as talhelper's parse-or-skip does.
pub(super) fn wireguard_config(i: &Interface) -> Option<Yaml> {
    let wg = i.wireguard.as_ref()?;
    let peers = wg
        .peers
        .iter()
        .map(|p| {
            let mut m = crate::yaml::Map::new();
            if !p.public_key.is_empty() {
                m.insert("publicKey".into(), Yaml::str(&p.public_key));
            }
            if let Some(e) = p
                .endpoint
                .as_deref()
                .filter(|e| e.parse::<std::net::SocketAddr>().is_ok())
            {
                m.insert("endpoint".into(), Yaml::str(e));
            }
            if let Some(k) = p
                .keepalive
                .as_deref()
                .and_then(go_duration)
                .filter(|k| k != "0s")
            {
                m.insert("persistentKeepaliveInterval".into(), Yaml::str(k));
            }
            let allowed: Vec<String> = p
                .allowed_ips
                .iter()
                .filter_map(|a| crate::model::Cidr::parse(a).map(|c| c.to_string()))
                .collect();
            if !allowed.is_empty() {
                m.insert("allowedIPs".into(), Yaml::str_seq(allowed));
            }
            Yaml::Map(m)
        })
        .collect::<Vec<_>>();
    let mut fields = vec![
        ("name", Some(Yaml::str(&i.name))),
        (
            "privateKey",
            (!wg.private_key.is_empty()).then(|| Yaml::str(&wg.private_key)),
        ),
        ("listenPort", uint(wg.listen_port)),
        ("firewallMark", uint(wg.firewall_mark)),
        ("peers", (!peers.is_empty()).then_some(Yaml::Seq(peers))),
    ];
    fields.extend(common_link(i));
    Some(doc_vec("WireguardConfig", fields))
}

/// `BridgeConfig`: STP only when set, VLAN filtering only when on.
pub(super) fn bridge_config(i: &Interface) -> Option<Yaml> {
    let br = i.bridge.as_ref()?;
    let mut fields = vec![
        ("name", Some(Yaml::str(&i.name))),
        (
            "links",
            (!br.links.is_empty()).then(|| Yaml::str_seq(br.links.iter().cloned())),
        ),
        (
            "stp",
            br.stp
                .map(|on| Yaml::from_pairs([("enabled", Yaml::Bool(on))])),
        ),
        (
            "vlan",
            (br.vlan_filtering == Some(true))
                .then(|| Yaml::from_pairs([("filtering", Yaml::Bool(true))])),
        ),
    ];
    fields.extend(common_link(i));
    Some(doc_vec("BridgeConfig", fields))
}
