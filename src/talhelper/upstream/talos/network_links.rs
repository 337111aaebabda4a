//! `pkg/talos/networkconfig_test.go`, first part: hostname, firewall, bond, DHCP, VIP, addresses, routes and links.

use super::super::Tally;
use super::super::support::{
    Rendered, bytes, cluster_at, doc, first_node, genconfig, int_at, item, len_at, str_at,
};
use crate::yaml::{Yaml, parse_documents};

/// A YAML value written in the test, for comparing whole fields.
pub(super) fn yaml(text: &str) -> Yaml {
    parse_documents(text).expect("test YAML parses")[0]
        .value
        .clone()
}

/// `genconfig` on the upstream node snippet at Talos v1.12 (where talhelper writes network
/// documents), the first node's result.
pub(super) fn node_at_1_12(t: &mut Tally, nodes: &str) -> Option<Rendered> {
    t.setup(first_node(&cluster_at("v1.12.0", nodes)))
}

pub(super) fn run(t: &mut Tally) {
    hostname(t);
    firewall(t);
    bond(t);
    dhcp(t);
    vip(t);
    addresses(t);
    routes(t);
    links(t);
}

fn hostname(t: &mut Tally) {
    t.test("TestGenerateNetworkHostname");
    let nodes = t.setup(genconfig(&cluster_at(
        "v1.12.0",
        "nodes:
  - hostname: shouldbeignored
    ipAddress: 10.0.0.1
    ignoreHostname: true
  - hostname: hostname
    ipAddress: 10.0.0.2",
    )));
    let hc = |i: usize| {
        nodes
            .as_ref()
            .and_then(|n| n.get(i))
            .and_then(|r| r.of_kind("HostnameConfig").first().copied())
    };
    t.eq("result1.ConfigAuto", str_at(hc(0), "auto"), Some("stable"));
    t.eq("result1.ConfigHostname", str_at(hc(0), "hostname"), None);
    t.eq("result2.ConfigAuto", str_at(hc(1), "auto"), Some("off"));
    t.eq(
        "result2.ConfigHostname",
        str_at(hc(1), "hostname"),
        Some("hostname"),
    );
}

fn firewall(t: &mut Tally) {
    t.test("TestGenerateNodeDefaultActionConfig");
    let nodes = t.setup(genconfig(&cluster_at(
        "v1.12.0",
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    ingressFirewall:
      defaultAction: accept
  - hostname: node2
    ipAddress: 10.0.0.2
    ingressFirewall:
      defaultAction: block",
    )));
    let action = |i: usize| {
        let r = nodes.as_ref().and_then(|n| n.get(i));
        let d = r.and_then(|r| r.of_kind("NetworkDefaultActionConfig").first().copied());
        str_at(d, "ingress").map(str::to_string)
    };
    t.eq("node1Result.Ingress", action(0).as_deref(), Some("accept"));
    t.eq("node2Result.Ingress", action(1).as_deref(), Some("block"));

    t.test("TestGenerateNodeRuleConfig");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    ingressFirewall:
      defaultAction: accept
      rules:
        - name: kubelet-ingress
          portSelector:
            ports:
              - 10250
            protocol: tcp
          ingress:
            - subnet: 172.20.0.0/24
              except: 172.20.0.1/32
        - name: etcd-ingress
          portSelector:
            ports:
              - 2379-2380
            protocol: tcp
          ingress:
            - subnet: 10.10.10.1/32
            - subnet: 10.10.10.2/32
            - subnet: 10.10.10.3/32",
    );
    let rules = r.as_ref().map(|r| r.of_kind("NetworkRuleConfig"));
    let rule = |i: usize| rules.as_ref().and_then(|v| v.get(i).copied());
    let field = |i: usize, k: &str| rule(i).and_then(|d| d.get(k)).cloned();
    t.eq(
        "result[0].Name()",
        str_at(rule(0), "name"),
        Some("kubelet-ingress"),
    );
    t.eq(
        "result[0].PortSelector",
        field(0, "portSelector"),
        Some(yaml("ports: [10250]\nprotocol: tcp")),
    );
    t.eq(
        "result[0].Ingress",
        field(0, "ingress"),
        Some(yaml("- subnet: 172.20.0.0/24\n  except: 172.20.0.1/32")),
    );
    t.eq(
        "result[1].Name()",
        str_at(rule(1), "name"),
        Some("etcd-ingress"),
    );
    t.eq(
        "result[1].PortSelector",
        field(1, "portSelector"),
        Some(yaml("ports: [2379-2380]\nprotocol: tcp")),
    );
    t.eq(
        "result[1].Ingress",
        field(1, "ingress"),
        Some(yaml(
            "- subnet: 10.10.10.1/32\n- subnet: 10.10.10.2/32\n- subnet: 10.10.10.3/32",
        )),
    );
}

fn bond(t: &mut Tally) {
    t.test("TestGenerateBondConfig");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: bond0
        bond:
          interfaces:
            - enp1s2
            - enp1s3
          mode: 802.3ad
          lacpRate: fast
          xmitHashPolicy: layer3+4
          miimon: 100
          updelay: 200
          downdelay: 200
          arpIPTarget:
            - 10.15.0.1
        mtu: 9000",
    );
    let b = doc(r.as_ref(), "BondConfig", "bond0");
    t.that("result != nil", b.is_some(), b.is_some());
    t.eq("result.Name()", str_at(b, "name"), Some("bond0"));
    t.eq("len(result.BondLinks)", len_at(b, "links"), 2);
    t.eq(
        "result.BondLinks[0]",
        item(b, "links", 0).and_then(Yaml::as_str),
        Some("enp1s2"),
    );
    t.eq(
        "result.BondLinks[1]",
        item(b, "links", 1).and_then(Yaml::as_str),
        Some("enp1s3"),
    );
    for (field, key, want) in [
        ("BondMode", "bondMode", "802.3ad"),
        ("BondLACPRate", "lacpRate", "fast"),
        ("BondXmitHashPolicy", "xmitHashPolicy", "layer3+4"),
    ] {
        let got = str_at(b, key);
        t.that(&format!("result.{field} != nil"), got.is_some(), got);
        t.eq(&format!("result.{field}"), got, Some(want));
    }
    for (field, key, want) in [
        ("BondMIIMon", "miimon", 100),
        ("BondUpDelay", "updelay", 200),
        ("BondDownDelay", "downdelay", 200),
    ] {
        t.eq(&format!("result.{field}"), int_at(b, key), Some(want));
    }
    t.eq("len(result.BondARPIPTargets)", len_at(b, "arpIpTargets"), 1);
    t.eq(
        "result.BondARPIPTargets[0]",
        item(b, "arpIpTargets", 0).and_then(Yaml::as_str),
        Some("10.15.0.1"),
    );

    t.test("TestGenerateBondConfigBytes");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: bond0
        bond:
          interfaces:
            - enp1s2
          mode: balance-rr
      - interface: eth1",
    );
    let out = bytes(r.as_ref(), &["BondConfig"]);
    t.that("bondBytes != nil", out.is_some(), out.is_some());
    t.contains("kind: BondConfig", out.as_deref(), "kind: BondConfig");
    t.contains("name: bond0", out.as_deref(), "name: bond0");
    t.contains("---", out.as_deref(), "---");
}

fn dhcp(t: &mut Tally) {
    t.test("TestGenerateDHCPConfigs");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        dhcp: true
        dhcpOptions:
          ipv6: true
      - interface: eth1
        dhcp: true
        dhcpOptions:
          routeMetric: 1024",
    );
    let got: Vec<&Yaml> = r.as_ref().map_or_else(Vec::new, |r| {
        r.docs
            .iter()
            .filter(|d| {
                matches!(
                    d.get("kind").and_then(Yaml::as_str),
                    Some("DHCPv4Config" | "DHCPv6Config")
                )
            })
            .collect()
    });
    let expected = [
        ("DHCPv4Config", "eth0", 0),
        ("DHCPv6Config", "eth0", 0),
        ("DHCPv4Config", "eth1", 1024),
    ];
    t.eq("len(results)", got.len(), expected.len());
    for (k, (kind, name, metric)) in expected.into_iter().enumerate() {
        let d = got.get(k).copied();
        t.eq(&format!("results[{k}] kind"), str_at(d, "kind"), Some(kind));
        t.eq(&format!("results[{k}] name"), str_at(d, "name"), Some(name));
        let m = d.map(|d| int_at(Some(d), "routeMetric").unwrap_or(0));
        t.eq(&format!("results[{k}] route metric"), m, Some(metric));
    }
}

fn vip(t: &mut Tally) {
    t.test("TestGenerateVIPConfig");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        vip:
          ip: 192.168.1.100",
    );
    let v = doc(r.as_ref(), "Layer2VIPConfig", "192.168.1.100");
    t.that("result != nil", v.is_some(), v.is_some());
    t.eq("result.Name()", str_at(v, "name"), Some("192.168.1.100"));
    t.eq("result.LinkName", str_at(v, "link"), Some("eth0"));

    t.test("TestGenerateVIPConfigBytes");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        vip:
          ip: 192.168.1.100
      - interface: eth1",
    );
    let out = bytes(r.as_ref(), &["Layer2VIPConfig"]);
    t.that("vipBytes != nil", out.is_some(), out.is_some());
    t.contains(
        "kind: Layer2VIPConfig",
        out.as_deref(),
        "kind: Layer2VIPConfig",
    );
    t.contains("name: 192.168.1.100", out.as_deref(), "name: 192.168.1.100");
    t.contains("link: eth0", out.as_deref(), "link: eth0");
}

fn addresses(t: &mut Tally) {
    t.test("TestGenerateAddressConfig");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        addresses:
          - 192.168.1.100/24
          - 10.0.0.1
          - 2001:db8::1/64",
    );
    let l = doc(r.as_ref(), "LinkConfig", "eth0");
    t.that("result != nil", l.is_some(), l.is_some());
    t.eq("result.MetaName", str_at(l, "name"), Some("eth0"));
    t.eq("len(result.LinkAddresses)", len_at(l, "addresses"), 3);
    for (i, want) in ["192.168.1.100/24", "10.0.0.1/32", "2001:db8::1/64"]
        .into_iter()
        .enumerate()
    {
        let got = str_at(item(l, "addresses", i), "address");
        t.eq(&format!("LinkAddresses[{i}]"), got, Some(want));
    }

    t.test("TestGenerateAddressConfigBytes");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        addresses:
          - 192.168.1.100/24
      - interface: eth1",
    );
    let out = bytes(r.as_ref(), &["LinkConfig"]);
    t.that("linkBytes != nil", out.is_some(), out.is_some());
    t.contains("kind: LinkConfig", out.as_deref(), "kind: LinkConfig");
    t.contains("name: eth0", out.as_deref(), "name: eth0");
    t.contains(
        "address: 192.168.1.100/24",
        out.as_deref(),
        "address: 192.168.1.100/24",
    );
}

fn routes(t: &mut Tally) {
    t.test("TestGenerateRouteConfig");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        routes:
          - network: 10.0.0.0/8
            gateway: 192.168.1.1
            metric: 100
          - network: 0.0.0.0/0
            gateway: 192.168.1.254",
    );
    let l = doc(r.as_ref(), "LinkConfig", "eth0");
    let route = |i| item(l, "routes", i);
    t.that("result != nil", l.is_some(), l.is_some());
    t.eq("result.MetaName", str_at(l, "name"), Some("eth0"));
    t.eq("len(result.LinkRoutes)", len_at(l, "routes"), 2);
    t.eq(
        "LinkRoutes[0].RouteDestination",
        str_at(route(0), "destination"),
        Some("10.0.0.0/8"),
    );
    t.eq(
        "LinkRoutes[0].RouteGateway",
        str_at(route(0), "gateway"),
        Some("192.168.1.1"),
    );
    t.eq(
        "LinkRoutes[0].RouteMetric",
        int_at(route(0), "metric"),
        Some(100),
    );
    let dest = route(1).map(|r| r.get("destination").is_some());
    t.eq(
        "LinkRoutes[1] has no destination (default route)",
        dest,
        Some(false),
    );
    t.eq(
        "LinkRoutes[1].RouteGateway",
        str_at(route(1), "gateway"),
        Some("192.168.1.254"),
    );

    t.test("TestGenerateRouteConfigBytes");
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        routes:
          - network: 10.0.0.0/8
            gateway: 192.168.1.1
      - interface: eth1",
    );
    let out = bytes(r.as_ref(), &["LinkConfig"]);
    t.that("linkBytes != nil", out.is_some(), out.is_some());
    t.contains("kind: LinkConfig", out.as_deref(), "kind: LinkConfig");
    t.contains("name: eth0", out.as_deref(), "name: eth0");
    t.contains(
        "destination: 10.0.0.0/8",
        out.as_deref(),
        "destination: 10.0.0.0/8",
    );
    t.contains(
        "gateway: 192.168.1.1",
        out.as_deref(),
        "gateway: 192.168.1.1",
    );
}

fn links(t: &mut Tally) {
    const NODES: &str = "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    networkInterfaces:
      - interface: eth0
        mtu: 9000
      - interface: eth1";
    t.test("TestGenerateLinkConfig");
    let r = node_at_1_12(t, NODES);
    let l = doc(r.as_ref(), "LinkConfig", "eth0");
    t.that("result != nil", l.is_some(), l.is_some());
    t.eq("result.MetaName", str_at(l, "name"), Some("eth0"));
    t.eq("result.LinkMTU", int_at(l, "mtu"), Some(9000));
    let eth1 = r.as_ref().map(|r| r.doc("LinkConfig", "eth1").is_some());
    t.eq("result2 == nil (no MTU)", eth1, Some(false));

    t.test("TestGenerateLinkConfigBytes");
    let r = node_at_1_12(t, NODES);
    let out = bytes(r.as_ref(), &["LinkConfig"]);
    t.that("linkBytes != nil", out.is_some(), out.is_some());
    t.contains("kind: LinkConfig", out.as_deref(), "kind: LinkConfig");
    t.contains("name: eth0", out.as_deref(), "name: eth0");
    t.contains("mtu: 9000", out.as_deref(), "mtu: 9000");
}
