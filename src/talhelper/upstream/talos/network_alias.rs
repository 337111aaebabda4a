//! `pkg/talos/networkconfig_test.go`, third part: which devices get their own kind, link aliases from device selectors, bond member aliases, CEL.

use super::super::Tally;
use super::super::support::{Rendered, bytes, cluster_at, doc, item, len_at, read, str_at};
use super::network_links::node_at_1_12;
use crate::talos::cel::eval::{Link, eval_link};
use crate::talos::generate::link_alias_document;
use crate::yaml::Yaml;

pub(super) fn run(t: &mut Tally) {
    special_config(t);
    alias(t);
    alias_unnamed(t);
    alias_names(t);
    cel(t);
    alias_bytes(t);
    bond_members(t);
}

/// `hasSpecialConfig`: the device is written as its own `BondConfig`/`WireguardConfig`/
/// `BridgeConfig` and never as a `LinkConfig`.
fn special(r: Option<&Rendered>, name: &str) -> Option<bool> {
    let r = r?;
    let own = ["BondConfig", "WireguardConfig", "BridgeConfig"]
        .iter()
        .any(|k| r.doc(k, name).is_some());
    Some(own && r.doc("LinkConfig", name).is_none())
}

fn special_config(t: &mut Tally) {
    t.test("TestHasSpecialConfig");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: bond0
        bond:
          interfaces:
            - eth0
      - interface: wg0
        wireguard:
          privateKey: "test"
      - interface: br0
        bridge:
          interfaces:
            - eth1
      - interface: eth0
        vlans:
          - vlanId: 100
      - interface: eth2
        addresses:
          - 192.168.1.1/24"#,
    );
    let r = r.as_ref();
    t.eq("bond interface is special", special(r, "bond0"), Some(true));
    t.eq(
        "wireguard interface is special",
        special(r, "wg0"),
        Some(true),
    );
    t.eq("bridge interface is special", special(r, "br0"), Some(true));
    t.eq(
        "interface with VLAN is not special",
        special(r, "eth0"),
        Some(false),
    );
    t.eq(
        "regular interface is not special",
        special(r, "eth2"),
        Some(false),
    );
}

fn alias(t: &mut Tally) {
    t.test("TestGenerateLinkAliasConfig");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        deviceSelector:
          hardwareAddr: "00:50:56:*"
      - interface: eth1
        deviceSelector:
          busPath: "0000:01:*"
          driver: virtio_net
      - interface: bond0
        deviceSelector:
          permanentAddr: "aa:bb:cc:dd:ee:ff"
          pciID: "8086:1533""#,
    );
    let cases: [(&str, &[&str]); 3] = [
        ("eth0", &["glob(", "00:50:56:*"]),
        (
            "eth1",
            &["link.bus_path", "link.driver", "0000:01:*", "virtio_net"],
        ),
        (
            "bond0",
            &[
                "permanent_addr",
                "aa:bb:cc:dd:ee:ff",
                "link.pciid",
                "8086:1533",
            ],
        ),
    ];
    for (i, (name, needles)) in cases.into_iter().enumerate() {
        let n = i + 1;
        let a = doc(r.as_ref(), "LinkAliasConfig", name);
        t.that(&format!("result{n} != nil"), a.is_some(), a.is_some());
        t.eq(
            &format!("result{n}.MetaName"),
            str_at(a, "name"),
            Some(name),
        );
        let expr = str_at(a, "selector.match");
        if n == 1 {
            // One check upstream: `glob(` and the MAC pattern together.
            let held = needles.iter().all(|s| expr.is_some_and(|e| e.contains(s)));
            t.that("expr1 has glob with the MAC pattern", held, expr);
        } else {
            for s in needles {
                t.contains(&format!("expr{n} contains {s}"), expr, s);
            }
        }
    }
}

fn alias_unnamed(t: &mut Tally) {
    t.test("TestGenerateLinkAliasConfigWithoutInterfaceName");
    // Upstream hands each device a name (`GenerateLinkAliasConfig(dev, "eth0")`); so do we,
    // to the same function of ours, on the devices our reader made of its YAML.
    let c = t.setup(read(&cluster_at(
        "v1.12.0",
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - deviceSelector:
          hardwareAddr: "00:11:22:33:44:55"
      - deviceSelector:
          driver: "e1000"
        bond:
          mode: 802.3ad
          interfaces: []
      - deviceSelector:
          busPath: "0000:03:*"
        bridge:
          interfaces: []"#,
    )));
    let ifaces = c.map(|c| c.nodes[0].interfaces.clone()).unwrap_or_default();
    for (i, name) in ["eth0", "bond0", "br0"].into_iter().enumerate() {
        let n = i + 1;
        let a = ifaces.get(i).and_then(|d| link_alias_document(d, name));
        t.that(&format!("result{n} != nil"), a.is_some(), a.is_some());
        t.eq(
            &format!("result{n}.MetaName"),
            str_at(a.as_ref(), "name"),
            Some(name),
        );
    }
}

fn alias_names(t: &mut Tally) {
    t.test("TestGenerateLinkAliasConfigAvoidsDuplicateNames");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: test-node
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        addresses:
          - 192.168.1.10/24
      - deviceSelector:
          hardwareAddr: "00:30:93:*"
        addresses:
          - 10.0.0.10/24
      - deviceSelector:
          hardwareAddr: "00:50:56:*"
        addresses:
          - 172.16.0.10/24"#,
    );
    let out = bytes(r.as_ref(), &["LinkAliasConfig"]);
    let count = out
        .as_deref()
        .map(|o| o.matches("kind: LinkAliasConfig").count());
    t.eq("2 LinkAliasConfig documents", count, Some(2));
    let eth0 = out
        .as_deref()
        .map(|o| o.lines().any(|l| l.contains("name: eth0")));
    t.eq("no alias named eth0", eth0, Some(false));
    t.contains(
        "second interface named ethSel0",
        out.as_deref(),
        "name: ethSel0",
    );
    t.contains(
        "third interface named ethSel1",
        out.as_deref(),
        "name: ethSel1",
    );

    t.test("TestDeviceSelectorUpdatesDeviceInterface");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        addresses:
          - 192.168.1.10/24
      - deviceSelector:
          hardwareAddr: "00:50:56:*"
        addresses:
          - 10.0.0.10/24"#,
    );
    // The device's name after the alias step: the name of the link config carrying its address.
    let renamed = r.as_ref().and_then(|r| {
        r.of_kind("LinkConfig")
            .into_iter()
            .find(|d| str_at(item(Some(d), "addresses", 0), "address") == Some("10.0.0.10/24"))
            .and_then(|d| str_at(Some(d), "name"))
    });
    t.that(
        "DeviceInterface is set",
        renamed.is_some_and(|n| !n.is_empty()),
        renamed,
    );
    t.eq("DeviceInterface is ethSel0", renamed, Some("ethSel0"));
    let links = bytes(r.as_ref(), &["LinkConfig"]);
    t.contains("LinkConfig for eth0", links.as_deref(), "name: eth0");
    t.contains("LinkConfig for ethSel0", links.as_deref(), "name: ethSel0");
    let empty = links.as_deref().map(|l| l.matches("name: \"\"").count());
    t.eq("no LinkConfig with an empty name", empty, Some(0));
}

fn cel(t: &mut Tally) {
    t.test("TestCELExpressionEvaluation");
    let mac = vec![0x00, 0x50, 0x56, 0x12, 0x34, 0x56];
    let e1000 = Link {
        driver: "e1000",
        ..Link::default()
    };
    let with_mac = Link {
        hardware_addr: mac.clone(),
        ..Link::default()
    };
    let both = Link {
        driver: "e1000",
        hardware_addr: mac,
        ..Link::default()
    };
    let rows: [(&str, &str, Link, bool); 8] = [
        ("driver match", r#"glob("e1000", link.driver)"#, e1000, true),
        (
            "driver no match",
            r#"glob("e1000", link.driver)"#,
            Link {
                driver: "virtio_net",
                ..Link::default()
            },
            false,
        ),
        (
            "MAC address wildcard match",
            r#"glob("00:50:56:*", mac(link.hardware_addr))"#,
            with_mac.clone(),
            true,
        ),
        (
            "MAC address no match",
            r#"glob("aa:bb:cc:*", mac(link.hardware_addr))"#,
            with_mac,
            false,
        ),
        (
            "compound expression - both match",
            r#"glob("e1000", link.driver) && glob("00:50:56:*", mac(link.hardware_addr))"#,
            both.clone(),
            true,
        ),
        (
            "compound expression - one fails",
            r#"glob("virtio_net", link.driver) && glob("00:50:56:*", mac(link.hardware_addr))"#,
            both,
            false,
        ),
        (
            "bus path match",
            r#"glob("0000:01:*", link.bus_path)"#,
            Link {
                bus_path: "0000:01:00.0",
                ..Link::default()
            },
            true,
        ),
        (
            "PCI ID match",
            r#"glob("8086:1533", link.pciid)"#,
            Link {
                pciid: "8086:1533",
                ..Link::default()
            },
            true,
        ),
    ];
    for (row, expr, link, want) in rows {
        t.eq(row, eval_link(expr, &link), Ok(want));
    }

    t.test("TestBuildDeviceSelectorCELExpression_Physical");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        deviceSelector:
          physical: true
      - interface: eth1
        deviceSelector:
          physical: false",
    );
    let expr = str_at(doc(r.as_ref(), "LinkAliasConfig", "eth0"), "selector.match");
    t.that(
        "expression for physical is not empty",
        expr.is_some_and(|e| !e.is_empty()),
        expr,
    );
    let ether = Link {
        kind: 1,
        ..Link::default()
    };
    let on_ether = |e: Option<&str>| e.map(|e| eval_link(e, &ether));
    t.eq(
        "physical selector matches an ether link",
        on_ether(expr),
        Some(Ok(true)),
    );
    let expr2 = str_at(doc(r.as_ref(), "LinkAliasConfig", "eth1"), "selector.match");
    t.eq(
        "physical=false does not match an ether link",
        on_ether(expr2),
        Some(Ok(false)),
    );
}

fn alias_bytes(t: &mut Tally) {
    t.test("TestGenerateLinkAliasConfigBytes");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: net0
        deviceSelector:
          hardwareAddr: "00:50:56:12:34:56"
          driver: e1000
        dhcp: true
      - interface: eth1"#,
    );
    let out = bytes(r.as_ref(), &["LinkAliasConfig"]);
    t.that("aliasBytes != nil", out.is_some(), out.is_some());
    for needle in ["kind: LinkAliasConfig", "name: net0", "match:"] {
        t.contains(needle, out.as_deref(), needle);
    }
}

fn bond_members(t: &mut Tally) {
    t.test("TestGenerateBondMemberAliasConfig");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: bond0
        bond:
          deviceSelectors:
            - hardwareAddr: "58:47:ca:76:9c:*"
              driver: i40e
            - hardwareAddr: "58:47:ca:76:9d:*"
              driver: i40e
          mode: 802.3ad"#,
    );
    let b = doc(r.as_ref(), "BondConfig", "bond0");
    t.that("bondConfig != nil", b.is_some(), b.is_some());
    t.eq("len(bondConfig.BondLinks)", len_at(b, "links"), 2);
    t.eq(
        "BondLinks[0]",
        item(b, "links", 0).and_then(Yaml::as_str),
        Some("bond0-m0"),
    );
    t.eq(
        "BondLinks[1]",
        item(b, "links", 1).and_then(Yaml::as_str),
        Some("bond0-m1"),
    );
    let out = bytes(r.as_ref(), &["LinkAliasConfig"]);
    t.that("aliasBytes != nil", out.is_some(), out.is_some());
    for needle in [
        "name: bond0-m0",
        "name: bond0-m1",
        "58:47:ca:76:9c:*",
        "58:47:ca:76:9d:*",
    ] {
        t.contains(needle, out.as_deref(), needle);
    }
}
