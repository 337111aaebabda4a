//! Network script forms end to end (issue 15): the real binary renders every device kind a
//! script can declare into the documents talhelper would write, validated in metal mode.

use crate::configs::Repo;
use talforge::yaml::Yaml;

const CC: &str = "clusters/lab/talos/clusterconfig";

fn script(recipient: &str, talos: &str) -> String {
    format!(
        r#"import "talos" as talos;
let c = cluster("lab", #{{ endpoint: "https://10.0.0.10:6443", talos: "{talos}", kubernetes: "v1.34.0", age: ["{recipient}"] }});
c.vip("10.0.0.10");
c.firewall(#{{ default_action: "block", rules: [
  #{{ name: "kubelet", ports: [10250], protocol: "tcp", ingress: ["10.0.0.0/24"] }},
  #{{ name: "etcd", ports: ["2379-2380"], protocol: "tcp", ingress: [#{{ subnet: "10.0.0.0/24", except: "10.0.0.99/32" }}] }},
] }});
let nodes = [];
for i in 1..=3 {{
    let n = c.node(`k8s-${{i}}.example.internal`, ip("10.0.0.10") + i,
                   #{{ control_plane: true, install_disk: "/dev/sda", disable_search_domain: true }});
    n.bond("bond0", [#{{ mac: "58:47:ca:76:9c:*", driver: "i40e" }}, #{{ mac: "58:47:ca:76:9d:*", driver: "i40e" }}],
           #{{ mode: "802.3ad", lacp_rate: "fast", miimon: 100, addresses: [`${{ip("10.0.0.10") + i}}/24`],
              routes: [#{{ gateway: "10.0.0.1" }}] }})
     .vlan("bond0", 30, #{{ dhcp: true, dhcp_options: #{{ route_metric: 1024 }} }});
    nodes.push(n);
}}
talos::thunderbolt_ring(nodes, "169.254.255.0/24");
nodes[0].link(#{{ driver: "igc" }}, #{{ dhcp: true, dhcp_options: #{{ ipv6: true }} }})
        .bridge("br0", ["eth9"], #{{ stp: true }});
"#
    )
}

fn kinds_names(docs: &[Yaml]) -> Vec<String> {
    docs.iter()
        .skip(1)
        .map(|d| {
            let s = |k: &str| d.get(k).and_then(Yaml::as_str).unwrap_or("").to_string();
            format!("{} {}", s("kind"), s("name"))
        })
        .collect()
}

#[test]
fn every_network_form_renders_as_talhelper_would_on_v1_12() {
    let r = Repo::empty();
    r.write("clusters/lab.rhai", &script(&r.recipient, "v1.12.0"));
    r.run(&["run", "clusters/lab.rhai"]).ok();
    let docs = r.decrypt(&format!("{CC}/lab-k8s-1.example.internal.sops.yaml"));
    assert_eq!(
        kinds_names(&docs),
        [
            "HostnameConfig ",
            "ResolverConfig ",
            "NetworkDefaultActionConfig ",
            "NetworkRuleConfig kubelet",
            "NetworkRuleConfig etcd",
            "LinkAliasConfig ethSel0",
            "LinkAliasConfig ethSel1",
            "LinkAliasConfig ethSel2",
            "LinkAliasConfig bond0-m0",
            "LinkAliasConfig bond0-m1",
            "BondConfig bond0",
            "DHCPv4Config ethSel2",
            "DHCPv6Config ethSel2",
            "Layer2VIPConfig 10.0.0.10",
            "LinkConfig ethSel0",
            "LinkConfig ethSel1",
            "VLANConfig bond0.30",
            "DHCPv4Config bond0.30",
            "BridgeConfig br0",
        ]
    );
    let find = |kind: &str, name: &str| {
        docs.iter()
            .find(|d| {
                d.get("kind").and_then(Yaml::as_str) == Some(kind)
                    && d.get("name").and_then(Yaml::as_str) == Some(name)
            })
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    };
    assert_eq!(
        docs[1].get("hostname").and_then(Yaml::as_str),
        Some("k8s-1.example.internal")
    );
    assert_eq!(
        docs[2].get_path("searchDomains.disableDefault"),
        Some(&Yaml::Bool(true))
    );
    assert_eq!(
        find("LinkAliasConfig", "ethSel0")
            .get_path("selector.match")
            .and_then(Yaml::as_str),
        Some(r#"glob("0-1.0", link.bus_path)"#)
    );
    let ring = find("LinkConfig", "ethSel0");
    assert_eq!(ring.get("mtu"), Some(&Yaml::Int(65520)));
    assert_eq!(
        ring.get_path("addresses").and_then(Yaml::as_seq).unwrap()[0].get("address"),
        Some(&Yaml::str("169.254.255.1/32"))
    );
    assert_eq!(
        ring.get("routes").and_then(Yaml::as_seq).unwrap()[0].get("destination"),
        Some(&Yaml::str("169.254.255.2/32"))
    );
    assert_eq!(
        find("BondConfig", "bond0").get("links"),
        Some(&Yaml::str_seq(["bond0-m0", "bond0-m1"]))
    );
    assert_eq!(
        find("DHCPv4Config", "bond0.30").get("routeMetric"),
        Some(&Yaml::Int(1024))
    );
    assert_eq!(
        find("NetworkRuleConfig", "etcd").get_path("portSelector.ports"),
        Some(&Yaml::Seq(vec![Yaml::str("2379-2380")]))
    );
    // The other nodes have neither the extra link nor the bridge.
    let other = r.decrypt(&format!("{CC}/lab-k8s-2.example.internal.sops.yaml"));
    assert!(!kinds_names(&other).contains(&"BridgeConfig br0".to_string()));
    // `validate` agrees with the renderer on the decrypted config.
    let plain = tempfile::tempdir().unwrap();
    r.run(&[
        "run",
        "clusters/lab.rhai",
        "--plaintext",
        &plain.path().display().to_string(),
    ])
    .ok();
    let file = plain.path().join("lab-k8s-1.example.internal.yaml");
    r.run(&[
        "validate",
        "--mode",
        "metal",
        "--config",
        &file.display().to_string(),
    ])
    .ok();
}

#[test]
fn before_v1_12_devices_are_legacy_machine_network_entries() {
    let r = Repo::empty();
    r.write("clusters/lab.rhai", &script(&r.recipient, "v1.11.0"));
    r.run(&["run", "clusters/lab.rhai"]).ok();
    let docs = r.decrypt(&format!("{CC}/lab-k8s-1.example.internal.sops.yaml"));
    // The firewall is the only multi-doc part talhelper writes for every version.
    assert_eq!(
        kinds_names(&docs),
        [
            "NetworkDefaultActionConfig ",
            "NetworkRuleConfig kubelet",
            "NetworkRuleConfig etcd",
        ]
    );
    let net = docs[0].get_path("machine.network").unwrap();
    assert_eq!(net.get("disableSearchDomain"), Some(&Yaml::Bool(true)));
    let ifaces = net.get("interfaces").and_then(Yaml::as_seq).unwrap();
    let bond = &ifaces[0];
    assert_eq!(
        bond.get_path("bond.deviceSelectors")
            .and_then(Yaml::as_seq)
            .map(<[Yaml]>::len),
        Some(2)
    );
    assert_eq!(
        bond.get_path("vlans").and_then(Yaml::as_seq).unwrap()[0].get("vlanId"),
        Some(&Yaml::Int(30))
    );
    assert_eq!(
        ifaces[1].get_path("deviceSelector.busPath"),
        Some(&Yaml::str("0-1.0"))
    );
}

#[test]
fn bad_network_options_point_at_the_call() {
    let r = Repo::empty();
    let cases = [
        (r#".vlan("eth0", 5000)"#, "VLAN id 5000 is outside 1..=4094"),
        (
            r#".link(#{ colour: "red" })"#,
            "unknown device selector option `colour`",
        ),
        (r".link(#{})", "a device selector needs at least one field"),
        (
            r#".firewall(#{ rules: [#{ name: "x", ports: [10, "5-8", 7], protocol: "tcp" }] })"#,
            "firewall rule `x`: invalid port range: 7-7, overlaps with 5-8",
        ),
        (
            r#".firewall(#{ rules: [#{ name: "x", ports: [10], protocol: "sctp" }] })"#,
            "invalid firewall rule `protocol` value `sctp`",
        ),
        (
            r#".wireguard("wg0", #{ peers: [#{ keepalive: "soon" }] })"#,
            "`keepalive` `soon` is not a duration",
        ),
    ];
    for (call, message) in cases {
        r.write(
            "c.rhai",
            &format!(
                "let c = cluster(\"lab\", #{{ endpoint: \"https://10.0.0.11:6443\" }});\nc.node(\"lab-1\", \"10.0.0.11\", #{{ control_plane: true, install_disk: \"/dev/sda\" }}){call};\n"
            ),
        );
        let out = r.run(&["check", "c.rhai"]).code(1);
        assert!(
            out.stderr.contains(message) && out.stderr.contains("c.rhai:2:"),
            "{call}: {}",
            out.stderr
        );
    }
}

/// talhelper's network keys, as its own tests and real configs write them
/// (pkg/talos/networkconfig_test.go@v3.1.16 inputs, on one cluster).
const TALCONFIG: &str = r#"clusterName: lab
talosVersion: v1.12.0
kubernetesVersion: v1.34.0
endpoint: https://10.0.0.10:6443
nodes:
  - hostname: k8s-1.example.internal
    ipAddress: k8s-1.example.internal
    controlPlane: true
    installDisk: /dev/sda
    disableSearchDomain: true
    ingressFirewall:
      defaultAction: block
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
    networkInterfaces:
      - deviceSelector:
          hardwareAddr: "00:50:56:*"
        addresses:
          - 10.0.0.11/24
        routes:
          - network: 0.0.0.0/0
            gateway: 10.0.0.1
        vip:
          ip: 10.0.0.10
        vlans:
          - vlanId: 100
            dhcp: true
            vip:
              ip: 1.1.1.1
          - vlanId: 200
            dhcp: true
            dhcpOptions:
              ipv6: true
      - interface: bond0
        bond:
          deviceSelectors:
            - hardwareAddr: "58:47:ca:76:9c:*"
              driver: i40e
            - hardwareAddr: "58:47:ca:76:9d:*"
              driver: i40e
          mode: 802.3ad
          lacpRate: fast
          xmitHashPolicy: layer3+4
          miimon: 100
        mtu: 9000
        dhcp: true
        dhcpOptions:
          routeMetric: 1024
      - interface: br0
        bridge:
          interfaces:
            - eth3
          stp:
            enabled: true
      - deviceSelector:
          driver: thunderbolt-net
        mtu: 65520
        addresses:
          - 169.254.255.1/32
"#;

#[test]
fn talhelper_network_keys_render_and_round_trip_through_import() {
    let r = Repo::empty();
    r.write("talos/talconfig.yaml", TALCONFIG);
    r.write(
        ".sops.yaml",
        &format!(
            "creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    age: {}\n",
            r.recipient
        ),
    );
    let bundle = r.path("bundle.yaml");
    r.run(&["secrets", "gen", "-o", &bundle.display().to_string()])
        .ok();
    let outside = tempfile::tempdir().unwrap();
    let gen_dir = outside.path().join("gen");
    r.run(&[
        "genconfig",
        "-c",
        "talos/talconfig.yaml",
        "-s",
        &bundle.display().to_string(),
        "-o",
        &gen_dir.display().to_string(),
    ])
    .ok();
    let text = std::fs::read_to_string(gen_dir.join("lab-k8s-1.example.internal.yaml")).unwrap();
    let docs: Vec<Yaml> = talforge::yaml::parse_documents(&text)
        .unwrap()
        .into_iter()
        .map(|d| d.value)
        .collect();
    assert_eq!(
        kinds_names(&docs),
        [
            "HostnameConfig ",
            "ResolverConfig ",
            "NetworkDefaultActionConfig ",
            "NetworkRuleConfig kubelet-ingress",
            "NetworkRuleConfig etcd-ingress",
            "LinkAliasConfig ethSel0",
            "LinkAliasConfig ethSel1",
            "LinkAliasConfig bond0-m0",
            "LinkAliasConfig bond0-m1",
            "BondConfig bond0",
            "DHCPv4Config bond0",
            "Layer2VIPConfig 10.0.0.10",
            "LinkConfig ethSel0",
            "LinkConfig ethSel1",
            "VLANConfig ethSel0.100",
            "DHCPv4Config ethSel0.100",
            "Layer2VIPConfig 1.1.1.1",
            "VLANConfig ethSel0.200",
            "DHCPv4Config ethSel0.200",
            "DHCPv6Config ethSel0.200",
            "BridgeConfig br0",
        ]
    );
    let bond = docs
        .iter()
        .find(|d| d.get("kind").and_then(Yaml::as_str) == Some("BondConfig"))
        .unwrap();
    assert_eq!(bond.get("miimon"), Some(&Yaml::Int(100)));
    assert!(
        text.contains("    match: glob(\"00:50:56:*\", mac(link.hardware_addr))\n"),
        "{text}"
    );

    // import → run writes the same configs.
    r.run(&["import", "talos/talconfig.yaml", "-o", "talos/lab.rhai"])
        .ok();
    let script = r.read("talos/lab.rhai");
    for form in [
        "n.link(#{ mac: \"00:50:56:*\" }",
        "n.bond(\"bond0\", [#{ mac: \"58:47:ca:76:9c:*\", driver: \"i40e\" }",
        "n.bridge(\"br0\", [\"eth3\"], #{ stp: true })",
        "vlans: [#{ id: 100, dhcp: true, vip: \"1.1.1.1\" }",
        "disable_search_domain: true",
        "firewall: #{ default_action: \"block\"",
        "c.node(\"k8s-1.example.internal\", \"k8s-1.example.internal\"",
    ] {
        assert!(script.contains(form), "{form}\n{script}");
    }
    let plain = outside.path().join("plain");
    r.run(&[
        "run",
        "talos/lab.rhai",
        "--out",
        &r.path("out").display().to_string(),
        "--secret-file",
        &bundle.display().to_string(),
        "--plaintext",
        &plain.display().to_string(),
    ])
    .ok();
    let again = std::fs::read_to_string(plain.join("lab-k8s-1.example.internal.yaml")).unwrap();
    assert_eq!(again, text);
    // The talconfig.yaml `run` writes reads back to the same configs.
    let written = find_file(&r.path("out"), "talconfig.yaml");
    let text_written = std::fs::read_to_string(&written).unwrap();
    assert!(text_written.contains("deviceSelectors:"), "{text_written}");
    assert!(text_written.contains("ingressFirewall:"), "{text_written}");
    let regen = outside.path().join("regen");
    r.run(&[
        "genconfig",
        "-c",
        &written.display().to_string(),
        "-s",
        &bundle.display().to_string(),
        "-o",
        &regen.display().to_string(),
    ])
    .ok();
    let third = std::fs::read_to_string(regen.join("lab-k8s-1.example.internal.yaml")).unwrap();
    assert_eq!(third, text);
}

fn find_file(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    fn walk(dir: &std::path::Path, name: &str) -> Option<std::path::PathBuf> {
        for e in std::fs::read_dir(dir).ok()?.flatten() {
            let p = e.path();
            if p.is_dir() {
                if let Some(found) = walk(&p, name) {
                    return Some(found);
                }
            } else if p.file_name().is_some_and(|n| n == name) {
                return Some(p);
            }
        }
        None
    }
    walk(dir, name).unwrap_or_else(|| panic!("no {name} under {}", dir.display()))
}

/// talhelper's validator (`checkNodeNetworkInterfaces` → Talos' `checkBond`,
/// pkg/config/validator.go@v3.1.16) refuses a bond `arpIPTarget`, although its BondConfig
/// would carry it: genconfig refuses it too.
#[test]
fn a_bond_arp_ip_target_is_refused_as_talhelper_refuses_it() {
    let r = Repo::empty();
    r.write(
        "talos/talconfig.yaml",
        &TALCONFIG.replace(
            "          miimon: 100\n",
            "          miimon: 100\n          arpIPTarget: [10.15.0.1]\n",
        ),
    );
    let bundle = r.path("bundle.yaml");
    r.run(&["secrets", "gen", "-o", &bundle.display().to_string()])
        .ok();
    let outside = tempfile::tempdir().unwrap();
    let out = r
        .run(&[
            "genconfig",
            "-c",
            "talos/talconfig.yaml",
            "-s",
            &bundle.display().to_string(),
            "-o",
            &outside.path().join("gen").display().to_string(),
        ])
        .code(1);
    assert!(
        out.stderr.contains("bond.arpIPTarget is not supported"),
        "{}",
        out.stderr
    );
    assert!(!outside.path().join("gen").exists());
}
