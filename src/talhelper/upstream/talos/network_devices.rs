//! `pkg/talos/networkconfig_test.go`, second part: VLANs, WireGuard, bridges, and the link settings of bonds, WireGuard and bridges.

use super::super::Tally;
use super::super::support::{Rendered, bytes, doc, int_at, item, len_at, str_at};
use super::network_links::node_at_1_12;
use crate::yaml::Yaml;

pub(super) fn run(t: &mut Tally) {
    vlan(t);
    vlan_bytes(t);
    vlans_multiple(t);
    wireguard(t);
    bridge(t);
    link_settings(t);
}

/// The documents of VLAN link `name`, in output order: its `VLANConfig`, the DHCP documents
/// named after it and the VIPs on it (what `GenerateVLANConfig` returns for one VLAN).
fn vlan_docs<'a>(r: Option<&'a Rendered>, names: &[&str]) -> Vec<&'a Yaml> {
    let Some(r) = r else { return Vec::new() };
    let s = |d: &'a Yaml, k: &str| d.get(k).and_then(Yaml::as_str).unwrap_or_default();
    r.docs
        .iter()
        .filter(|d| match s(d, "kind") {
            "VLANConfig" | "DHCPv4Config" | "DHCPv6Config" => names.contains(&s(d, "name")),
            "Layer2VIPConfig" => names.contains(&s(d, "link")),
            _ => false,
        })
        .collect()
}

fn vlan(t: &mut Tally) {
    t.test("TestGenerateVLANConfig");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        vlans:
          - vlanId: 100
            addresses:
              - 192.168.100.1/24
            routes:
              - network: 10.0.0.0/8
                gateway: 192.168.100.254
            mtu: 1500
            dhcp: true",
    );
    let docs = vlan_docs(r.as_ref(), &["eth0.100"]);
    let d0 = docs.first().copied();
    let d1 = docs.get(1).copied();
    t.eq("len(result)", docs.len(), 2);
    t.eq(
        "result[0] is VLANConfig",
        str_at(d0, "kind"),
        Some("VLANConfig"),
    );
    t.eq("result0.MetaName", str_at(d0, "name"), Some("eth0.100"));
    t.eq("result0.VLANIDConfig", int_at(d0, "vlanID"), Some(100));
    t.eq(
        "result0.ParentLinkConfig",
        str_at(d0, "parent"),
        Some("eth0"),
    );
    t.eq("len(result0.LinkAddresses)", len_at(d0, "addresses"), 1);
    let addr = str_at(item(d0, "addresses", 0), "address");
    t.eq("result0.LinkAddresses[0]", addr, Some("192.168.100.1/24"));
    t.eq("len(result0.LinkRoutes)", len_at(d0, "routes"), 1);
    t.eq("result0.LinkMTU", int_at(d0, "mtu"), Some(1500));
    let names = (str_at(d0, "name"), str_at(d1, "name"));
    t.eq(
        "result[0/1].Name()",
        names,
        (Some("eth0.100"), Some("eth0.100")),
    );
    t.eq(
        "result[1] is DHCPv4Config",
        str_at(d1, "kind"),
        Some("DHCPv4Config"),
    );
    t.eq("result1.MetaName", str_at(d1, "name"), Some("eth0.100"));
}

fn vlan_bytes(t: &mut Tally) {
    t.test("TestGenerateVLANConfigBytes");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        vlans:
          - vlanId: 100
            addresses:
              - 192.168.100.1/24",
    );
    let out = bytes(r.as_ref(), &["VLANConfig"]);
    t.that("vlanBytes != nil", out.is_some(), out.is_some());
    for needle in [
        "kind: VLANConfig",
        "name: eth0.100",
        "vlanID: 100",
        "parent: eth0",
    ] {
        t.contains(needle, out.as_deref(), needle);
    }
}

fn vlans_multiple(t: &mut Tally) {
    t.test("TestGenerateVLANConfigBytesMultipleVLANs");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        vlans:
          - vlanId: 100
            dhcp: true
            vip:
              ip: 1.1.1.1
          - vlanId: 200
            dhcp: true
            dhcpOptions:
              ipv6: true
          - vlanId: 300",
    );
    let docs = vlan_docs(r.as_ref(), &["eth0.100", "eth0.200", "eth0.300"]);
    // (kind, name, vlanId, vipLink) as upstream's `expected` table.
    let expected = [
        ("VLANConfig", "eth0.100", 100, ""),
        ("DHCPv4Config", "eth0.100", 0, ""),
        ("Layer2VIPConfig", "1.1.1.1", 0, "eth0.100"),
        ("VLANConfig", "eth0.200", 200, ""),
        ("DHCPv4Config", "eth0.200", 0, ""),
        ("DHCPv6Config", "eth0.200", 0, ""),
        ("VLANConfig", "eth0.300", 300, ""),
    ];
    t.eq("len(test.Documents())", docs.len(), expected.len());
    for (k, (kind, name, id, link)) in expected.into_iter().enumerate() {
        let d = docs.get(k).copied();
        t.eq(&format!("result[{k}] kind"), str_at(d, "kind"), Some(kind));
        t.eq(&format!("result[{k}] name"), str_at(d, "name"), Some(name));
        match kind {
            "VLANConfig" => {
                t.eq(
                    &format!("result[{k}] vlanId"),
                    int_at(d, "vlanID"),
                    Some(id),
                );
                t.eq(
                    &format!("result[{k}] parent"),
                    str_at(d, "parent"),
                    Some("eth0"),
                );
            }
            "Layer2VIPConfig" => {
                t.eq(
                    &format!("result[{k}] vipLink"),
                    str_at(d, "link"),
                    Some(link),
                );
            }
            _ => {}
        }
    }
}

fn wireguard(t: &mut Tally) {
    t.test("TestGenerateWireguardConfig");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: wg0
        wireguard:
          privateKey: "iAmAPrivateKey="
          listenPort: 51820
          firewallMark: 51820
          peers:
            - publicKey: "iAmAPeerPublicKey="
              endpoint: "192.168.1.100:51820"
              persistentKeepaliveInterval: 10s
              allowedIPs:
                - 10.1.0.0/24"#,
    );
    let w = doc(r.as_ref(), "WireguardConfig", "wg0");
    let peer = item(w, "peers", 0);
    t.that("result != nil", w.is_some(), w.is_some());
    t.eq("result.MetaName", str_at(w, "name"), Some("wg0"));
    t.eq(
        "WireguardPrivateKey",
        str_at(w, "privateKey"),
        Some("iAmAPrivateKey="),
    );
    t.eq("WireguardListenPort", int_at(w, "listenPort"), Some(51820));
    t.eq(
        "WireguardFirewallMark",
        int_at(w, "firewallMark"),
        Some(51820),
    );
    t.eq("len(result.WireguardPeers)", len_at(w, "peers"), 1);
    t.eq(
        "peer.WireguardPublicKey",
        str_at(peer, "publicKey"),
        Some("iAmAPeerPublicKey="),
    );
    t.eq(
        "peer.WireguardEndpoint",
        str_at(peer, "endpoint"),
        Some("192.168.1.100:51820"),
    );
    t.eq(
        "len(peer.WireguardAllowedIPs)",
        len_at(peer, "allowedIPs"),
        1,
    );
    let ip = item(peer, "allowedIPs", 0).and_then(Yaml::as_str);
    t.eq("peer.WireguardAllowedIPs[0]", ip, Some("10.1.0.0/24"));

    t.test("TestGenerateWireguardConfigBytes");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: wg0
        wireguard:
          privateKey: "iAmAPrivateKey="
          listenPort: 51820"#,
    );
    let out = bytes(r.as_ref(), &["WireguardConfig"]);
    t.that("wgBytes != nil", out.is_some(), out.is_some());
    for needle in [
        "kind: WireguardConfig",
        "name: wg0",
        "privateKey: iAmAPrivateKey=",
        "listenPort: 51820",
    ] {
        t.contains(needle, out.as_deref(), needle);
    }
}

fn bridge(t: &mut Tally) {
    t.test("TestGenerateBridgeConfig");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: br0
        bridge:
          interfaces:
            - eth0
            - eth1
          stp:
            enabled: true",
    );
    let b = doc(r.as_ref(), "BridgeConfig", "br0");
    t.that("result != nil", b.is_some(), b.is_some());
    t.eq("result.MetaName", str_at(b, "name"), Some("br0"));
    t.eq("len(result.BridgeLinks)", len_at(b, "links"), 2);
    t.eq(
        "BridgeLinks[0]",
        item(b, "links", 0).and_then(Yaml::as_str),
        Some("eth0"),
    );
    t.eq(
        "BridgeLinks[1]",
        item(b, "links", 1).and_then(Yaml::as_str),
        Some("eth1"),
    );
    let stp = b
        .and_then(|b| b.get_path("stp.enabled"))
        .and_then(Yaml::as_bool);
    t.eq("BridgeSTP.BridgeSTPEnabled", stp, Some(true));

    t.test("TestGenerateBridgeConfigBytes");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: br0
        bridge:
          interfaces:
            - eth0
            - eth1",
    );
    let out = bytes(r.as_ref(), &["BridgeConfig"]);
    t.that("bridgeBytes != nil", out.is_some(), out.is_some());
    for needle in ["kind: BridgeConfig", "name: br0", "- eth0", "- eth1"] {
        t.contains(needle, out.as_deref(), needle);
    }
}

/// `GenerateLinkConfigBytes` returns nil: the node has no `LinkConfig` document.
fn no_link_config(r: Option<&Rendered>) -> Option<bool> {
    r.map(|r| r.of_kind("LinkConfig").is_empty())
}

fn link_settings(t: &mut Tally) {
    t.test("TestBondConfigWithAddressesAndRoutes");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: bond0
        addresses:
          - 192.168.1.100/24
        routes:
          - network: 10.0.0.0/8
            gateway: 192.168.1.1
        mtu: 9000
        bond:
          interfaces:
            - eth0
            - eth1
          mode: 802.3ad",
    );
    let b = doc(r.as_ref(), "BondConfig", "bond0");
    t.that("bondConfig != nil", b.is_some(), b.is_some());
    t.eq("len(bondConfig.LinkAddresses)", len_at(b, "addresses"), 1);
    let addr = str_at(item(b, "addresses", 0), "address");
    t.eq(
        "bondConfig.LinkAddresses[0]",
        addr,
        Some("192.168.1.100/24"),
    );
    t.eq("len(bondConfig.LinkRoutes)", len_at(b, "routes"), 1);
    let dest = str_at(item(b, "routes", 0), "destination");
    t.eq(
        "bondConfig.LinkRoutes[0].RouteDestination",
        dest,
        Some("10.0.0.0/8"),
    );
    t.eq("bondConfig.LinkMTU", int_at(b, "mtu"), Some(9000));
    t.eq(
        "no LinkConfig for bond",
        no_link_config(r.as_ref()),
        Some(true),
    );

    t.test("TestWireguardConfigWithAddresses");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: wg0
        addresses:
          - 10.1.0.1/24
        mtu: 1420
        wireguard:
          privateKey: "iAmAPrivateKey="
          listenPort: 51820"#,
    );
    let w = doc(r.as_ref(), "WireguardConfig", "wg0");
    t.that("wgConfig != nil", w.is_some(), w.is_some());
    t.eq("len(wgConfig.LinkAddresses)", len_at(w, "addresses"), 1);
    let addr = str_at(item(w, "addresses", 0), "address");
    t.eq("wgConfig.LinkAddresses[0]", addr, Some("10.1.0.1/24"));
    t.eq("wgConfig.LinkMTU", int_at(w, "mtu"), Some(1420));
    t.eq(
        "no LinkConfig for wireguard",
        no_link_config(r.as_ref()),
        Some(true),
    );

    t.test("TestBridgeConfigWithMTU");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: br0
        mtu: 9000
        addresses:
          - 192.168.100.1/24
        bridge:
          interfaces:
            - eth0
            - eth1",
    );
    let b = doc(r.as_ref(), "BridgeConfig", "br0");
    t.that("bridgeConfig != nil", b.is_some(), b.is_some());
    t.eq("bridgeConfig.LinkMTU", int_at(b, "mtu"), Some(9000));
    t.eq("len(bridgeConfig.LinkAddresses)", len_at(b, "addresses"), 1);
    t.eq(
        "no LinkConfig for bridge",
        no_link_config(r.as_ref()),
        Some(true),
    );
}
