//! Network rendering against talhelper's own expectations: its `pkg/talos/networkconfig_test.go`
//! tables (v3.1.16) as facts, then the legacy (< 1.12) device and whole-config checks.

use super::network::link_documents;
use super::*;
use crate::model::{
    Bond, Bridge, Cidr, DeviceSelector, DhcpOptions, Firewall, FirewallRule, Interface, Route,
    VipProvider, Vlan, Wireguard, WireguardPeer, parse_ip,
};
use crate::talos::validate::{Mode, validate_docs};
use crate::yaml::{EmitOptions, Yaml, emit_documents};

fn emit(docs: &[Yaml]) -> String {
    emit_documents(docs, &EmitOptions { indent: 2 })
}

/// The documents for these devices, ordered as `generate` orders them.
pub(super) fn docs(ifaces: Vec<Interface>) -> Vec<Yaml> {
    let mut d = link_documents(&ifaces);
    for doc in &mut d {
        let kind = doc.get("kind").and_then(Yaml::as_str).unwrap_or_default();
        if let Some(def) = schema::def_for_kind(kind) {
            marshal::order_document(doc, def);
        }
    }
    d
}

fn kinds_names(docs: &[Yaml]) -> Vec<(String, String)> {
    docs.iter()
        .map(|d| {
            let s = |k: &str| d.get(k).and_then(Yaml::as_str).unwrap_or("").to_string();
            (s("kind"), s("name"))
        })
        .collect()
}

fn kn(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, n)| (k.to_string(), n.to_string()))
        .collect()
}

fn cidr(s: &str) -> Cidr {
    Cidr::parse(s).unwrap()
}

fn route(net: &str, gw: &str) -> Route {
    Route {
        network: Cidr::parse(net).filter(|c| c.prefix != 0),
        gateway: parse_ip(gw),
        source: None,
        metric: None,
        mtu: None,
    }
}

#[allow(clippy::unnecessary_wraps)] // test helpers shaped like the functions they stand in for
fn sel(f: impl FnOnce(&mut DeviceSelector)) -> Option<DeviceSelector> {
    let mut s = DeviceSelector::default();
    f(&mut s);
    Some(s)
}

#[allow(clippy::unnecessary_wraps)] // test helpers shaped like the functions they stand in for
fn bond(links: &[&str], mode: &str) -> Option<Bond> {
    Some(Bond {
        links: links.iter().map(|l| l.to_string()).collect(),
        mode: Some(mode.into()),
        ..Bond::default()
    })
}

// talhelper pkg/talos/networkconfig_test.go@v3.1.16: TestGenerateNodeDefaultActionConfig,
// TestGenerateNodeRuleConfig.
#[test]
fn ingress_firewall_documents() {
    for (action, want) in [
        (Some("accept"), "accept"),
        (Some("block"), "block"),
        (None, "accept"),
    ] {
        let fw = Firewall {
            default_action: action.map(str::to_string),
            rules: Vec::new(),
        };
        let d = firewall::documents(&fw);
        assert_eq!(d[0].get("ingress").and_then(Yaml::as_str), Some(want));
    }
    let fw = Firewall {
        default_action: Some("accept".into()),
        rules: vec![
            FirewallRule {
                name: "kubelet-ingress".into(),
                ports: vec![(10250, 10250)],
                protocol: "tcp".into(),
                ingress: vec![(cidr("172.20.0.0/24"), Some(cidr("172.20.0.1/32")))],
            },
            FirewallRule {
                name: "etcd-ingress".into(),
                ports: vec![(2379, 2380)],
                protocol: "tcp".into(),
                ingress: ["10.10.10.1/32", "10.10.10.2/32", "10.10.10.3/32"]
                    .iter()
                    .map(|s| (cidr(s), None))
                    .collect(),
            },
        ],
    };
    let expected = "\
apiVersion: v1alpha1
kind: NetworkDefaultActionConfig
ingress: accept
---
apiVersion: v1alpha1
kind: NetworkRuleConfig
name: kubelet-ingress
portSelector:
  ports:
    - 10250
  protocol: tcp
ingress:
  - subnet: 172.20.0.0/24
    except: 172.20.0.1/32
---
apiVersion: v1alpha1
kind: NetworkRuleConfig
name: etcd-ingress
portSelector:
  ports:
    - 2379-2380
  protocol: tcp
ingress:
  - subnet: 10.10.10.1/32
  - subnet: 10.10.10.2/32
  - subnet: 10.10.10.3/32
";
    assert_eq!(emit(&firewall::documents(&fw)), expected);
}

// TestGenerateBondConfig, TestBondConfigWithAddressesAndRoutes.
#[test]
fn bond_config_carries_every_option_and_the_link_settings() {
    let mut b = bond(&["enp1s2", "enp1s3"], "802.3ad").unwrap();
    b.lacp_rate = Some("fast".into());
    b.xmit_hash_policy = Some("layer3+4".into());
    b.miimon = Some(100);
    b.updelay = Some(200);
    b.downdelay = Some(200);
    b.arp_ip_target = vec![parse_ip("10.15.0.1").unwrap()];
    let d = docs(vec![Interface {
        bond: Some(b),
        mtu: Some(9000),
        addresses: vec![cidr("192.168.1.100/24")],
        routes: vec![route("10.0.0.0/8", "192.168.1.1")],
        ..Interface::new("bond0")
    }]);
    let expected = "\
apiVersion: v1alpha1
kind: BondConfig
name: bond0
links:
  - enp1s2
  - enp1s3
bondMode: 802.3ad
miimon: 100
updelay: 200
downdelay: 200
xmitHashPolicy: layer3+4
arpIpTargets:
  - 10.15.0.1
lacpRate: fast
mtu: 9000
addresses:
  - address: 192.168.1.100/24
routes:
  - destination: 10.0.0.0/8
    gateway: 192.168.1.1
";
    // A bond gets no LinkConfig of its own.
    assert_eq!(emit(&d), expected);
}

#[test]
fn bond_options_map_to_bond_config_names_and_unknown_values_drop() {
    let b = Bond {
        links: vec!["eth0".into()],
        mode: Some("active-backup".into()),
        arp_validate: Some("filter-active".into()),
        arp_all_targets: Some("all".into()),
        primary_reselect: Some("better".into()),
        fail_over_mac: Some("follow".into()),
        ad_select: Some("nonsense".into()),
        primary: Some("eth0".into()),
        ad_actor_system: Some("00:11:22:33:44:55".into()),
        arp_interval: Some(1000),
        resend_igmp: Some(2),
        lp_interval: Some(3),
        packets_per_slave: Some(4),
        num_peer_notif: Some(5),
        tlb_dynamic_lb: Some(1),
        all_slaves_active: Some(1),
        use_carrier: Some(false),
        ad_actor_sys_prio: Some(65535),
        ad_user_port_key: Some(7),
        peer_notify_delay: Some(8),
        ..Bond::default()
    };
    let d = docs(vec![Interface {
        bond: Some(b),
        ..Interface::new("bond0")
    }]);
    let expected = "\
apiVersion: v1alpha1
kind: BondConfig
name: bond0
links:
  - eth0
bondMode: active-backup
useCarrier: false
arpInterval: 1000
arpValidate: filter-active
arpAllTargets: all
failOverMac: follow
adActorSysPrio: 65535
adUserPortKey: 7
primaryReselect: better
resendIGMP: 2
lpInterval: 3
packetsPerSlave: 4
numPeerNotif: 5
tlbLogicalLb: 1
allSlavesActive: 1
peerNotifDelay: 8
";
    // `primary` and `adActorSystem` have no BondConfig field; `adSelect: nonsense` fails
    // `ADSelectByName` and is dropped, as talhelper does.
    assert_eq!(emit(&d), expected);
}

// TestGenerateDHCPConfigs.
#[test]
fn dhcp_options_pick_the_dhcp_documents() {
    let d = docs(vec![
        Interface {
            dhcp: true,
            dhcp_options: Some(DhcpOptions {
                ipv6: Some(true),
                ..DhcpOptions::default()
            }),
            ..Interface::new("eth0")
        },
        Interface {
            dhcp: true,
            dhcp_options: Some(DhcpOptions {
                route_metric: 1024,
                ..DhcpOptions::default()
            }),
            ..Interface::new("eth1")
        },
        Interface {
            dhcp: true,
            dhcp_options: Some(DhcpOptions {
                ipv4: Some(false),
                ..DhcpOptions::default()
            }),
            ..Interface::new("eth2")
        },
    ]);
    assert_eq!(
        kinds_names(&d),
        kn(&[
            ("DHCPv4Config", "eth0"),
            ("DHCPv6Config", "eth0"),
            ("DHCPv4Config", "eth1"),
        ])
    );
    assert_eq!(d[0].get("routeMetric"), None);
    assert_eq!(d[2].get("routeMetric"), Some(&Yaml::Int(1024)));
}

// TestGenerateVIPConfig(Bytes), TestGenerateRouteConfig, TestGenerateLinkConfig(Bytes),
// TestGenerateAddressConfig.
#[test]
fn vips_and_plain_links() {
    let d = docs(vec![
        Interface {
            vip: parse_ip("192.168.1.100"),
            mtu: Some(9000),
            addresses: vec![
                cidr("192.168.1.100/24"),
                cidr("10.0.0.1/32"),
                cidr("2001:db8::1/64"),
            ],
            routes: vec![
                Route {
                    metric: Some(100),
                    ..route("10.0.0.0/8", "192.168.1.1")
                },
                route("0.0.0.0/0", "192.168.1.254"),
            ],
            ..Interface::new("eth0")
        },
        Interface::new("eth1"),
    ]);
    let expected = "\
apiVersion: v1alpha1
kind: Layer2VIPConfig
name: 192.168.1.100
link: eth0
---
apiVersion: v1alpha1
kind: LinkConfig
name: eth0
mtu: 9000
addresses:
  - address: 192.168.1.100/24
  - address: 10.0.0.1/32
  - address: 2001:db8::1/64
routes:
  - destination: 10.0.0.0/8
    gateway: 192.168.1.1
    metric: 100
  - gateway: 192.168.1.254
";
    assert_eq!(emit(&d), expected);
}

// TestGenerateVLANConfig, TestGenerateVLANConfigBytes(MultipleVLANs).
#[test]
fn vlans_become_vlan_configs_with_their_dhcp_and_vip() {
    let d = docs(vec![Interface {
        vlans: vec![Vlan {
            id: 100,
            addresses: vec![cidr("192.168.100.1/24")],
            routes: vec![route("10.0.0.0/8", "192.168.100.254")],
            mtu: Some(1500),
            dhcp: true,
            ..Vlan::default()
        }],
        ..Interface::new("eth0")
    }]);
    let expected = "\
apiVersion: v1alpha1
kind: VLANConfig
name: eth0.100
vlanID: 100
parent: eth0
mtu: 1500
addresses:
  - address: 192.168.100.1/24
routes:
  - destination: 10.0.0.0/8
    gateway: 192.168.100.254
---
apiVersion: v1alpha1
kind: DHCPv4Config
name: eth0.100
";
    assert_eq!(emit(&d), expected);

    let d = docs(vec![Interface {
        vlans: vec![
            Vlan {
                id: 100,
                dhcp: true,
                vip: parse_ip("1.1.1.1"),
                ..Vlan::default()
            },
            Vlan {
                id: 200,
                dhcp: true,
                dhcp_options: Some(DhcpOptions {
                    ipv6: Some(true),
                    ..DhcpOptions::default()
                }),
                ..Vlan::default()
            },
            Vlan {
                id: 300,
                ..Vlan::default()
            },
        ],
        ..Interface::new("eth0")
    }]);
    assert_eq!(
        kinds_names(&d),
        kn(&[
            ("VLANConfig", "eth0.100"),
            ("DHCPv4Config", "eth0.100"),
            ("Layer2VIPConfig", "1.1.1.1"),
            ("VLANConfig", "eth0.200"),
            ("DHCPv4Config", "eth0.200"),
            ("DHCPv6Config", "eth0.200"),
            ("VLANConfig", "eth0.300"),
        ])
    );
    assert_eq!(d[2].get("link").and_then(Yaml::as_str), Some("eth0.100"));
}

// TestGenerateWireguardConfig(Bytes), TestWireguardConfigWithAddresses.
#[test]
fn wireguard_config() {
    let d = docs(vec![Interface {
        wireguard: Some(Wireguard {
            private_key: "iAmAPrivateKey=".into(),
            listen_port: Some(51820),
            firewall_mark: Some(51820),
            peers: vec![WireguardPeer {
                public_key: "iAmAPeerPublicKey=".into(),
                endpoint: Some("192.168.1.100:51820".into()),
                keepalive: Some("10s".into()),
                allowed_ips: vec!["10.1.0.0/24".into()],
            }],
        }),
        addresses: vec![cidr("10.1.0.1/24")],
        mtu: Some(1420),
        ..Interface::new("wg0")
    }]);
    let expected = "\
apiVersion: v1alpha1
kind: WireguardConfig
name: wg0
privateKey: iAmAPrivateKey=
listenPort: 51820
firewallMark: 51820
peers:
  - publicKey: iAmAPeerPublicKey=
    endpoint: 192.168.1.100:51820
    persistentKeepaliveInterval: 10s
    allowedIPs:
      - 10.1.0.0/24
mtu: 1420
addresses:
  - address: 10.1.0.1/24
";
    assert_eq!(emit(&d), expected);
}

// TestGenerateBridgeConfig(Bytes), TestBridgeConfigWithMTU, TestHasSpecialConfig.
#[test]
fn bridges_and_which_devices_get_a_link_config() {
    let d = docs(vec![
        Interface {
            bridge: Some(Bridge {
                links: vec!["eth0".into(), "eth1".into()],
                stp: Some(true),
                vlan_filtering: Some(false),
            }),
            mtu: Some(9000),
            addresses: vec![cidr("192.168.100.1/24")],
            ..Interface::new("br0")
        },
        Interface {
            vlans: vec![Vlan {
                id: 100,
                ..Vlan::default()
            }],
            ..Interface::new("eth0")
        },
        Interface {
            addresses: vec![cidr("192.168.1.1/24")],
            ..Interface::new("eth2")
        },
    ]);
    assert_eq!(
        kinds_names(&d),
        kn(&[
            ("LinkConfig", "eth2"),
            ("VLANConfig", "eth0.100"),
            ("BridgeConfig", "br0"),
        ])
    );
    let expected = "\
apiVersion: v1alpha1
kind: BridgeConfig
name: br0
links:
  - eth0
  - eth1
stp:
  enabled: true
mtu: 9000
addresses:
  - address: 192.168.100.1/24
";
    assert_eq!(emit(&d[2..]), expected);
}

// TestGenerateLinkAliasConfig, TestBuildDeviceSelectorCELExpression_Physical.
#[test]
fn device_selectors_become_cel_globs() {
    let cases: [(DeviceSelector, Option<&str>); 6] = [
        (
            sel(|s| s.hardware_addr = Some("00:50:56:*".into())).unwrap(),
            Some(r#"glob("00:50:56:*", mac(link.hardware_addr))"#),
        ),
        (
            sel(|s| {
                s.bus_path = Some("0000:01:*".into());
                s.driver = Some("virtio_net".into());
            })
            .unwrap(),
            Some(r#"glob("0000:01:*", link.bus_path) && glob("virtio_net", link.driver)"#),
        ),
        (
            sel(|s| {
                s.permanent_addr = Some("aa:bb:cc:dd:ee:ff".into());
                s.pci_id = Some("8086:1533".into());
            })
            .unwrap(),
            Some(
                r#"glob("aa:bb:cc:dd:ee:ff", mac(link.permanent_addr)) && glob("8086:1533", link.pciid)"#,
            ),
        ),
        (
            sel(|s| s.physical = Some(true)).unwrap(),
            Some("link.type == 1"),
        ),
        (
            sel(|s| s.physical = Some(false)).unwrap(),
            Some("link.type != 1"),
        ),
        (DeviceSelector::default(), None),
    ];
    for (s, want) in cases {
        assert_eq!(netkinds::selector_expression(&s).as_deref(), want, "{s:?}");
    }
}

// TestGenerateLinkAliasConfigWithoutInterfaceName, ...AvoidsDuplicateNames,
// TestDeviceSelectorUpdatesDeviceInterface, TestGenerateLinkAliasConfigBytes.
#[test]
fn unnamed_selected_devices_get_talhelper_alias_names() {
    let hw = |mac: &str| sel(|s| s.hardware_addr = Some(mac.into()));
    let d = docs(vec![
        Interface {
            addresses: vec![cidr("192.168.1.10/24")],
            ..Interface::new("eth0")
        },
        Interface {
            selector: hw("00:30:93:*"),
            addresses: vec![cidr("10.0.0.10/24")],
            ..Interface::new("")
        },
        Interface {
            selector: hw("00:50:56:*"),
            addresses: vec![cidr("172.16.0.10/24")],
            ..Interface::new("")
        },
        Interface {
            selector: sel(|s| s.driver = Some("e1000".into())),
            bond: bond(&[], "802.3ad"),
            ..Interface::new("")
        },
        Interface {
            selector: sel(|s| s.bus_path = Some("0000:03:*".into())),
            bridge: Some(Bridge::default()),
            ..Interface::new("")
        },
        Interface {
            selector: sel(|s| {
                s.hardware_addr = Some("00:50:56:12:34:56".into());
                s.driver = Some("e1000".into());
            }),
            dhcp: true,
            ..Interface::new("net0")
        },
    ]);
    assert_eq!(
        kinds_names(&d),
        kn(&[
            ("LinkAliasConfig", "ethSel0"),
            ("LinkAliasConfig", "ethSel1"),
            ("LinkAliasConfig", "bond0"),
            ("LinkAliasConfig", "br0"),
            ("LinkAliasConfig", "net0"),
            ("BondConfig", "bond0"),
            ("DHCPv4Config", "net0"),
            ("LinkConfig", "eth0"),
            ("LinkConfig", "ethSel0"),
            ("LinkConfig", "ethSel1"),
            ("BridgeConfig", "br0"),
        ])
    );
    let expected = "\
apiVersion: v1alpha1
kind: LinkAliasConfig
name: net0
selector:
  match: glob(\"00:50:56:12:34:56\", mac(link.hardware_addr)) && glob(\"e1000\", link.driver)
";
    assert_eq!(emit(&d[4..5]), expected);
}

#[test]
fn alias_names_skip_names_in_use() {
    let d = docs(vec![
        Interface {
            selector: sel(|s| s.driver = Some("e1000".into())),
            bond: bond(&["eth9"], "802.3ad"),
            ..Interface::new("")
        },
        Interface {
            bond: bond(&["eth8"], "802.3ad"),
            ..Interface::new("bond0")
        },
    ]);
    assert_eq!(
        kinds_names(&d)[..3],
        kn(&[
            ("LinkAliasConfig", "bond1"),
            ("BondConfig", "bond1"),
            ("BondConfig", "bond0"),
        ])[..]
    );
}

// TestGenerateBondMemberAliasConfig.
#[test]
fn bond_members_by_selector_get_member_aliases() {
    let mut b = bond(&[], "802.3ad").unwrap();
    b.selectors = ["58:47:ca:76:9c:*", "58:47:ca:76:9d:*"]
        .iter()
        .map(|m| {
            sel(|s| {
                s.hardware_addr = Some(m.to_string());
                s.driver = Some("i40e".into());
            })
            .unwrap()
        })
        .collect();
    let d = docs(vec![Interface {
        bond: Some(b),
        dhcp: true,
        ..Interface::new("bond0")
    }]);
    let expected = "\
apiVersion: v1alpha1
kind: LinkAliasConfig
name: bond0-m0
selector:
  match: glob(\"58:47:ca:76:9c:*\", mac(link.hardware_addr)) && glob(\"i40e\", link.driver)
---
apiVersion: v1alpha1
kind: LinkAliasConfig
name: bond0-m1
selector:
  match: glob(\"58:47:ca:76:9d:*\", mac(link.hardware_addr)) && glob(\"i40e\", link.driver)
---
apiVersion: v1alpha1
kind: BondConfig
name: bond0
links:
  - bond0-m0
  - bond0-m1
bondMode: 802.3ad
---
apiVersion: v1alpha1
kind: DHCPv4Config
name: bond0
";
    assert_eq!(emit(&d), expected);
}

/// A node with every kind of device, on `talos`.
fn rich_node(talos: &str) -> GenInput {
    let mut input = GenInput::new(
        "lab",
        "https://10.0.0.10:6443",
        Some(Version::parse("v1.34.0").unwrap()),
        Version::parse(talos).unwrap(),
        Role::ControlPlane,
    );
    input.install_disk = Some("/dev/sda".into());
    input.hostname = Some("k8s-1.example.internal".into());
    input.disable_search_domain = true;
    let mut b = bond(&["enp1s0"], "active-backup").unwrap();
    b.selectors = vec![sel(|s| s.hardware_addr = Some("58:47:ca:*".into())).unwrap()];
    b.miimon = Some(100);
    input.interfaces = vec![
        Interface {
            selector: sel(|s| s.hardware_addr = Some("00:50:56:*".into())),
            dhcp: true,
            vlans: vec![Vlan {
                id: 20,
                addresses: vec![cidr("10.0.20.5/24")],
                ..Vlan::default()
            }],
            ..Interface::new("")
        },
        Interface {
            bond: Some(b),
            addresses: vec![cidr("10.0.0.11/24")],
            routes: vec![route("0.0.0.0/0", "10.0.0.1")],
            vip: parse_ip("10.0.0.10"),
            ..Interface::new("bond0")
        },
        Interface {
            selector: sel(|s| s.driver = Some("thunderbolt-net".into())),
            mtu: Some(65520),
            addresses: vec![cidr("169.254.255.1/32")],
            ..Interface::new("")
        },
    ];
    input.firewall = Some(Firewall {
        default_action: Some("block".into()),
        rules: vec![FirewallRule {
            name: "apid".into(),
            ports: vec![(50000, 50000)],
            protocol: "tcp".into(),
            ingress: vec![(cidr("10.0.0.0/24"), None)],
        }],
    });
    input
}

#[test]
fn a_rich_node_on_v1_12_validates_in_metal_mode() {
    let docs = generate(&rich_node("v1.12.0"), &super::tests::placeholder_bundle()).unwrap();
    assert_eq!(
        kinds_names(&docs[1..]),
        kn(&[
            ("HostnameConfig", ""),
            ("ResolverConfig", ""),
            ("NetworkDefaultActionConfig", ""),
            ("NetworkRuleConfig", "apid"),
            ("LinkAliasConfig", "ethSel0"),
            ("LinkAliasConfig", "ethSel1"),
            ("LinkAliasConfig", "bond0-m0"),
            ("BondConfig", "bond0"),
            ("DHCPv4Config", "ethSel0"),
            ("Layer2VIPConfig", "10.0.0.10"),
            ("LinkConfig", "ethSel1"),
            ("VLANConfig", "ethSel0.20"),
        ])
    );
    assert_eq!(
        docs[2].get_path("searchDomains.disableDefault"),
        Some(&Yaml::Bool(true))
    );
    let out = validate_docs(&docs, Mode::Metal, false);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
}

#[test]
fn a_rich_node_before_v1_12_uses_legacy_devices() {
    let docs = generate(&rich_node("v1.11.0"), &super::tests::placeholder_bundle()).unwrap();
    assert_eq!(
        kinds_names(&docs[1..]),
        kn(&[
            ("NetworkDefaultActionConfig", ""),
            ("NetworkRuleConfig", "apid")
        ])
    );
    let net = docs[0].get_path("machine.network").unwrap().clone();
    let expected = "\
hostname: k8s-1.example.internal
interfaces:
  - deviceSelector:
      hardwareAddr: 00:50:56:*
    vlans:
      - addresses:
          - 10.0.20.5/24
        routes: []
        vlanId: 20
    dhcp: true
  - interface: bond0
    addresses:
      - 10.0.0.11/24
    routes:
      - network: 0.0.0.0/0
        gateway: 10.0.0.1
    bond:
      interfaces:
        - enp1s0
      deviceSelectors:
        - hardwareAddr: 58:47:ca:*
      mode: active-backup
      miimon: 100
    vip:
      ip: 10.0.0.10
  - deviceSelector:
      driver: thunderbolt-net
    addresses:
      - 169.254.255.1/32
    mtu: 65520
disableSearchDomain: true
";
    assert_eq!(emit(&[net]), expected);
    let out = validate_docs(&docs, Mode::Metal, false);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
}

#[test]
fn legacy_devices_write_every_talhelper_field() {
    let mut input = rich_node("v1.10.0");
    input.firewall = None;
    input.disable_search_domain = false;
    input.interfaces = vec![
        Interface {
            bridge: Some(Bridge {
                links: vec!["eth1".into()],
                stp: Some(true),
                vlan_filtering: Some(true),
            }),
            dhcp: true,
            dhcp_options: Some(DhcpOptions {
                ipv6: Some(true),
                ..DhcpOptions::default()
            }),
            ..Interface::new("br0")
        },
        Interface {
            dummy: true,
            dhcp_off: true,
            addresses: vec![cidr("192.0.2.1/32")],
            ..Interface::new("dummy0")
        },
        Interface {
            ignore: true,
            ..Interface::new("eth3")
        },
        Interface {
            bridge_port: Some("br0".into()),
            ..Interface::new("eth1")
        },
        Interface {
            vip: parse_ip("10.0.0.10"),
            vip_provider: Some(VipProvider::Hcloud("TOKEN".into())),
            addresses: vec![cidr("10.0.0.11/24")],
            ..Interface::new("eth0")
        },
        Interface {
            wireguard: Some(Wireguard {
                private_key: "cHJpdmF0ZWtleXByaXZhdGVrZXlwcml2YXRla2V5MTI=".into(),
                listen_port: Some(51820),
                firewall_mark: None,
                peers: vec![WireguardPeer {
                    public_key: "cHVibGlja2V5cHVibGlja2V5cHVibGlja2V5cHViMTI=".into(),
                    endpoint: Some("vpn.example.com:51820".into()),
                    keepalive: Some("90s".into()),
                    allowed_ips: vec!["10.1.0.0/24".into()],
                }],
            }),
            ..Interface::new("wg0")
        },
    ];
    let docs = generate(&input, &super::tests::placeholder_bundle()).unwrap();
    let net = docs[0]
        .get_path("machine.network.interfaces")
        .unwrap()
        .clone();
    let expected = "\
- interface: br0
  bridge:
    interfaces:
      - eth1
    stp:
      enabled: true
    vlan:
      vlanFiltering: true
  dhcp: true
  dhcpOptions:
    routeMetric: 0
    ipv6: true
- interface: dummy0
  addresses:
    - 192.0.2.1/32
  dhcp: false
  dummy: true
- interface: eth3
  ignore: true
- interface: eth1
  bridgePort:
    master: br0
- interface: eth0
  addresses:
    - 10.0.0.11/24
  vip:
    ip: 10.0.0.10
    hcloud:
      apiToken: TOKEN
- interface: wg0
  wireguard:
    privateKey: cHJpdmF0ZWtleXByaXZhdGVrZXlwcml2YXRla2V5MTI=
    listenPort: 51820
    peers:
      - publicKey: cHVibGlja2V5cHVibGlja2V5cHVibGlja2V5cHViMTI=
        endpoint: vpn.example.com:51820
        persistentKeepaliveInterval: 1m30s
        allowedIPs:
          - 10.1.0.0/24
";
    assert_eq!(emit(&[net]), expected);
}
