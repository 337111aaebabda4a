//! Network documents' upstream cases (`Validate` and `V1Alpha1ConflictValidate`).

use super::{Case, Conflict, case, run, run_conflicts, run_for};

/// pkg/machinery/config/types/network/blackhole_route_test.go@v1.13.9 `TestBlackholeRouteConfigValidate`
pub(super) const BLACKHOLE_ROUTE: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\nname must be a valid address prefix: netip.ParsePrefix(\"\"): no '/'",
    ),
    case(
        "invalid prefix",
        "{name: no-prefix}",
        "name must be a valid address prefix: netip.ParsePrefix(\"no-prefix\"): no '/'",
    ),
    case("valid", "{name: 10.0.1.2/24}", ""),
];

/// pkg/machinery/config/types/network/bond_test.go@v1.13.9 `TestBondValidate`
pub(super) const BOND: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\nat least one link must be specified\nbond mode must be specified",
    ),
    case(
        "no links",
        "{name: bond0, bondMode: active-backup}",
        "at least one link must be specified",
    ),
    case(
        "no mode",
        "{name: bond0, links: [eth0, eth1]}",
        "bond mode must be specified",
    ),
    Case {
        name: "valid",
        doc: "name: bond25\nlinks: [eth0, eth1]\nbondMode: 802.3ad\naddresses: [{address: 192.168.1.100/24}, {address: 'fd00::1/64'}]\nroutes: [{destination: 10.3.5.0/24, gateway: 10.3.5.1}, {gateway: 'fe80::1'}]",
        errors: "",
        warnings: &[
            "miimon was not specified for 802.3ad bond",
            "updelay was not specified for 802.3ad bond",
            "downdelay was not specified for 802.3ad bond",
        ],
    },
];

/// pkg/machinery/config/types/network/bridge_test.go@v1.13.9 `TestBridgeValidate`
pub(super) const BRIDGE: &[Case] = &[
    case("empty", "{name: ''}", "name must be specified"),
    case("no links", "{name: Bridge0}", ""),
    case(
        "valid",
        "name: Bridge25\nlinks: [eth0, eth1]\nstp: {enabled: true}\nvlan: {filtering: true}\naddresses: [{address: 192.168.1.100/24}, {address: 'fd00::1/64'}]\nroutes: [{destination: 10.3.5.0/24, gateway: 10.3.5.1}, {gateway: 'fe80::1'}]",
        "",
    ),
];

/// pkg/machinery/config/types/network/dhcp4_test.go@v1.13.9 `TestDHCPv4ConfigValidate` and
/// dhcp6_test.go@v1.13.9 `TestDHCPv6ConfigValidate` (the same table).
pub(super) const DHCP: &[Case] = &[
    case(
        "valid config with duidRaw",
        "{name: enp0s3, clientIdentifier: duid, duidRaw: '00:01:00:01:23:45:67:89:ab:cd:ef:01:23:45'}",
        "",
    ),
    case(
        "invalid config missing duidRaw",
        "{name: enp0s3, clientIdentifier: duid}",
        "duidRaw must be set if clientIdentifier is 'duid'",
    ),
    case(
        "invalid config duidRaw set without duid client identifier",
        "{name: enp0s3, duidRaw: '00:01:00:01:23:45:67:89:ab:cd:ef:01:23:45'}",
        "duidRaw can only be set if clientIdentifier is 'duid'",
    ),
    case("empty", "{name: ''}", "name must be specified"),
];

/// pkg/machinery/config/types/network/ethernet_test.go@v1.13.9 `TestEthernetValidate`
pub(super) const ETHERNET: &[Case] = &[
    case("empty", "{name: ''}", "name is required"),
    case(
        "valid",
        "{name: enp0s1, features: {tx-checksum-ipv4: true}, rings: {rx: 16}}",
        "",
    ),
];

/// pkg/machinery/config/types/network/hcloud_vip_test.go@v1.13.9 `TestHCloudVIPValidate`
pub(super) const HCLOUD_VIP: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\nlink must be specified\napiToken must be specified",
    ),
    case(
        "no link name and token",
        "{name: 1.1.1.1}",
        "link must be specified\napiToken must be specified",
    ),
    case(
        "invalid IP",
        "{name: net32, link: net32, apiToken: foo}",
        "name must be a valid IP address: ParseAddr(\"net32\"): unable to parse IP",
    ),
    case(
        "valid",
        "{name: 'fd00::1', link: net33, apiToken: my-secret-token}",
        "",
    ),
];

/// pkg/machinery/config/types/network/hostname_test.go@v1.13.9 `TestHostnameConfigValidate`
pub(super) const HOSTNAME: &[Case] = &[
    case("empty", "{}", "either 'auto' or 'hostname' must be set"),
    case(
        "both set",
        "{hostname: example.org, auto: stable}",
        "'auto' and 'hostname' cannot be set at the same time",
    ),
    case(
        "invalid auto",
        "{auto: talos-addr}",
        "invalid value for 'auto': talos-addr",
    ),
    case(
        "too long hostname",
        "{hostname: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}",
        "invalid hostname \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
    ),
    case(
        "too long hostname (fqdn)",
        "{hostname: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb}",
        "invalid hostname \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
    ),
    case(
        "invalid fqdn",
        "{hostname: .example.org}",
        "invalid hostname \"\"",
    ),
    case(
        "fqdn too long",
        "{hostname: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.}",
        "fqdn is too long: 320",
    ),
    case("valid 1", "{hostname: example.org}", ""),
    case("valid 2", "{auto: stable}", ""),
    case("valid 3", "{auto: 'off'}", ""),
];

/// pkg/machinery/config/types/network/kubespan_test.go@v1.13.9 `TestKubeSpanConfigValidate`
pub(super) const KUBESPAN: &[Case] = &[
    case("valid default", "{enabled: true}", ""),
    case("valid with MTU", "{enabled: true, mtu: 1420}", ""),
    case(
        "MTU too low",
        "{enabled: true, mtu: 1279}",
        "kubespan link MTU must be at least 1280",
    ),
    case("MTU at minimum", "{enabled: true, mtu: 1280}", ""),
    case(
        "with filters",
        "{enabled: true, filters: {endpoints: [0.0.0.0/0, '!10.0.0.0/8']}}",
        "",
    ),
    case(
        "with invalid filters",
        "{enabled: true, filters: {endpoints: [0.0.0.0/0, '!/8']}}",
        "KubeSpan endpoint filter is not valid: \"/8\"",
    ),
    case(
        "all options enabled",
        "{enabled: true, advertiseKubernetesNetworks: true, allowDownPeerBypass: true, harvestExtraEndpoints: true, mtu: 1400}",
        "",
    ),
];

/// pkg/machinery/config/types/network/layer2_vip_test.go@v1.13.9 `TestLayer2VIPValidate`
pub(super) const LAYER2_VIP: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\nlink must be specified",
    ),
    case("no link name", "{name: 1.1.1.1}", "link must be specified"),
    case(
        "invalid IP",
        "{name: net4, link: net0}",
        "name must be a valid IP address: ParseAddr(\"net4\"): unable to parse IP",
    ),
    case("valid", "{name: 'fd00::1', link: net45}", ""),
];

/// pkg/machinery/config/types/network/link_alias_test.go@v1.13.9 `TestLinkAliasValidate`
pub(super) const LINK_ALIAS: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\nlink selector is required",
    ),
    case(
        "no disk selector",
        "{name: int0}",
        "link selector is required",
    ),
    case(
        "invalid disk selector",
        "{name: int0, selector: {match: 'disk.size > 120'}}",
        "link selector is invalid: ERROR: <input>:1:1: undeclared reference to 'disk' (in container '')\n | disk.size > 120\n | ^",
    ),
    case(
        "valid",
        r#"{name: int0, selector: {match: 'mac(link.permanent_addr) == "00:1a:2b:3c:4d:5e"'}}"#,
        "",
    ),
    case(
        "valid pattern name",
        "{name: net%d, selector: {match: link.type == 1}}",
        "",
    ),
    case(
        "invalid pattern name with padding",
        "{name: net%02d, selector: {match: link.type == 1}}",
        "name \"net%02d\" contains an invalid format verb, use %d suffix",
    ),
    case(
        "invalid pattern name with multiple verbs",
        "{name: net%d-port%d, selector: {match: link.type == 1}}",
        "name \"net%d-port%d\" contains an invalid format verb, use %d suffix",
    ),
    case(
        "invalid format verb",
        "{name: net%s, selector: {match: link.type == 1}}",
        "name \"net%s\" contains an invalid format verb, use %d suffix",
    ),
];

/// pkg/machinery/config/types/network/link_test.go@v1.13.9 `TestLinkValidate`
pub(super) const LINK: &[Case] = &[
    case("empty", "{name: ''}", "name must be specified"),
    case(
        "invalid addresses",
        "{name: enp0s2, addresses: [{address: ''}, {address: 0.0.0.0/0}]}",
        "address 0 must be specified\naddress 1 must be a valid IP address",
    ),
    case(
        "valid",
        "name: enp0s2\nmtu: 9000\nup: true\naddresses: [{address: 192.168.1.100/24}, {address: 'fd00::1/64'}]\nroutes: [{destination: 10.3.5.0/24, gateway: 10.3.5.1}, {gateway: 'fe80::1'}]",
        "",
    ),
];

/// pkg/machinery/config/types/network/port_range_test.go@v1.13.9 `TestPortRange/Validate`
/// (the ranges as a `NetworkRuleConfig`'s ports, which is where Talos validates them).
pub(super) const PORT_RANGES: &[Case] = &[
    case(
        "empty",
        "{name: r, portSelector: {ports: []}}",
        "portSelector.ports is required",
    ),
    case(
        "valid",
        "{name: r, portSelector: {ports: [80, 443, 8080-8081]}}",
        "",
    ),
    case(
        "inversion",
        "{name: r, portSelector: {ports: [8081-8080]}}",
        "invalid port range: 8081-8080",
    ),
    case(
        "overlap",
        "{name: r, portSelector: {ports: [1000-2000, 80, 1500-2500]}}",
        "invalid port range: 1500-2500, overlaps with 1000-2000",
    ),
    case(
        "duplicate",
        "{name: r, portSelector: {ports: [1000, 80, 1000]}}",
        "invalid port range: 1000-1000, overlaps with 1000-1000",
    ),
];

const RESERVED: &str =
    "priority must be between 1 and 32765 (excluding reserved priorities [0 32500 32766 32767])";

/// pkg/machinery/config/types/network/routing_rule_test.go@v1.13.9 `TestRoutingRuleConfigValidate`
pub(super) const ROUTING_RULE: &[Case] = &[
    case(
        "empty",
        "{}",
        "name must be specified\ninvalid name: must be priority parsable unsigned integer: strconv.ParseUint: parsing \"\": invalid syntax\npriority must be between 1 and 32765 (excluding reserved priorities [0 32500 32766 32767])\neither table or a non-unicast action must be specified",
    ),
    case(
        "fwMask without fwMark",
        "{name: '1000', table: 100, fwMask: 0xff00}",
        "fwMask requires fwMark to be set",
    ),
    case(
        "missing name",
        "{src: 10.0.0.0/8, table: 100}",
        "name must be specified\ninvalid name: must be priority parsable unsigned integer: strconv.ParseUint: parsing \"\": invalid syntax\npriority must be between 1 and 32765 (excluding reserved priorities [0 32500 32766 32767])",
    ),
    case(
        "reserved priority 32766",
        "{name: '32766', src: 10.0.0.0/8, table: 100}",
        RESERVED,
    ),
    case(
        "reserved priority 32767",
        "{name: '32767', src: 10.0.0.0/8, table: 100}",
        RESERVED,
    ),
    case(
        "valid priority 1",
        "{name: '1', src: 10.0.0.0/8, table: 100}",
        "",
    ),
    case(
        "valid priority 32765",
        "{name: '32765', src: 10.0.0.0/8, table: 100}",
        "",
    ),
    case(
        "no table no action",
        "{name: '1000'}",
        "either table or a non-unicast action must be specified",
    ),
    case(
        "valid with table only",
        "{name: '1000', src: 10.0.0.0/8, table: 100}",
        "",
    ),
    case(
        "valid with blackhole action",
        "{name: '1000', src: 10.0.0.0/8, action: blackhole}",
        "",
    ),
    case(
        "valid with all fields",
        "{name: '1000', src: 10.0.0.0/8, dst: 192.168.0.0/16, table: 100, action: unicast, iifName: eth0, oifName: eth1, fwMark: 0x100, fwMask: 0xff00}",
        "",
    ),
];

/// pkg/machinery/config/types/network/rule_config_test.go@v1.13.9 `TestRuleConfigValidate`
pub(super) const RULE: &[Case] = &[
    case("empty", "{name: ''}", "name is required"),
    case("no ports", "{name: '-'}", "portSelector.ports is required"),
    case(
        "invalid port range",
        "{name: '-', portSelector: {ports: [80, 80-79]}}",
        "invalid port range: 80-79",
    ),
    case(
        "invalid subnet",
        "{name: '--', portSelector: {ports: [80]}, ingress: [{}]}",
        "invalid subnet: invalid Prefix",
    ),
    case(
        "valid",
        "{name: '--', portSelector: {ports: [80, 6443-6444]}, ingress: [{subnet: 192.168.0.0/16, except: 192.168.3.0/24}, {subnet: '2001::/16'}]}",
        "",
    ),
];

/// pkg/machinery/config/types/network/static_host_test.go@v1.13.9 `TestHostConfigValidate`
pub(super) const STATIC_HOST: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name is required\nname must be a valid IP address\nat least one hostname is required",
    ),
    case(
        "invalid ip",
        "{name: ab, hostnames: [example.org, example.com]}",
        "name must be a valid IP address",
    ),
    case(
        "no hostnames",
        "{name: 10.5.0.2}",
        "at least one hostname is required",
    ),
    case(
        "valid",
        "{name: 10.5.0.2, hostnames: [example.org, example.com]}",
        "",
    ),
];

/// pkg/machinery/config/types/network/tcp_probe_test.go@v1.13.9 `TestTCPProbeConfigValidate`
pub(super) const TCP_PROBE: &[Case] = &[
    case(
        "valid config",
        "{name: test-probe, interval: 1s, failureThreshold: 3, endpoint: 'example.com:80', timeout: 5s}",
        "",
    ),
    case(
        "missing name",
        "{name: '', endpoint: 'example.com:80'}",
        "probe name is required",
    ),
    case(
        "missing TCP endpoint",
        "{name: probe44}",
        "TCP probe endpoint is required",
    ),
    case(
        "negative values",
        "{name: probe33, failureThreshold: -1, interval: -1s, timeout: -5s, endpoint: 'example.com:443'}",
        "TCP probe timeout cannot be negative: -5s\nprobe interval cannot be negative: -1s\nprobe failure threshold cannot be negative: -1",
    ),
    case(
        "empty",
        "{name: ''}",
        "probe name is required\nTCP probe endpoint is required",
    ),
];

/// pkg/machinery/config/types/network/time_sync_test.go@v1.13.9 `TestTimeSyncValidate`
pub(super) const TIME_SYNC: &[Case] = &[
    case("empty", "{}", ""),
    case(
        "both NTP and PTP set",
        "{ntp: {servers: [pool.ntp.org]}, ptp: {devices: [/dev/ptp0]}}",
        "only one of ntp or ptp configuration can be specified",
    ),
    case(
        "negative boot timeout",
        "{bootTimeout: -1s}",
        "bootTimeout cannot be negative",
    ),
    case(
        "valid NTP config",
        "{ntp: {servers: [pool.ntp.org]}, bootTimeout: 1s}",
        "",
    ),
];

/// pkg/machinery/config/types/network/vlan_test.go@v1.13.9 `TestVLANValidate`
pub(super) const VLAN: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\nvlanID must be specified and between 1 and 4094\nparent must be specified",
    ),
    case(
        "invalid addresses",
        "{name: enx8.2, vlanID: 2, parent: enx8, addresses: [{address: ''}, {address: 0.0.0.0/0}]}",
        "address 0 must be specified\naddress 1 must be a valid IP address",
    ),
    case(
        "no VLAN ID",
        "{name: enx8.2, parent: enx9}",
        "vlanID must be specified and between 1 and 4094",
    ),
    case(
        "high VLAN ID",
        "{name: enx8.2, parent: enx9, vlanID: 5000}",
        "vlanID must be specified and between 1 and 4094",
    ),
    case(
        "valid",
        "name: enx8.2\nvlanID: 2\nparent: enx8\naddresses: [{address: 192.168.1.100/24}, {address: 'fd00::1/64'}]\nroutes: [{destination: 10.3.5.0/24, gateway: 10.3.5.1}, {gateway: 'fe80::1'}]",
        "",
    ),
];

/// pkg/machinery/config/types/network/vrf_test.go@v1.13.9 `TestVRFValidate`
pub(super) const VRF: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\ncannot create vrf with reserved table unspec",
    ),
    case(
        "reject reserved table id 0",
        "{name: vrf-blue}",
        "cannot create vrf with reserved table unspec",
    ),
    case(
        "reject reserved table id 253",
        "{name: vrf-blue, table: default}",
        "cannot create vrf with reserved table default",
    ),
    case(
        "reject reserved table id 254",
        "{name: vrf-blue, table: main}",
        "cannot create vrf with reserved table main",
    ),
    case(
        "reject reserved table id 255",
        "{name: vrf-blue, table: local}",
        "cannot create vrf with reserved table local",
    ),
    case(
        "valid",
        "name: vrf-red\nlinks: [eth0, eth1]\ntable: 123\naddresses: [{address: 192.168.1.100/24}, {address: 'fd00::1/64'}]\nroutes: [{destination: 10.3.5.0/24, gateway: 10.3.5.1}, {gateway: 'fe80::1'}]",
        "",
    ),
];

/// pkg/machinery/config/types/network/wireguard_test.go@v1.13.9 `TestWireguardValidate`
pub(super) const WIREGUARD: &[Case] = &[
    case(
        "empty",
        "{name: ''}",
        "name must be specified\nwireguard private key must be specified",
    ),
    case(
        "invalid private key",
        "{name: wg.invalid, privateKey: invalid-key}",
        "wireguard private key is invalid: illegal base64 data at input byte 7",
    ),
    case(
        "invalid peer public key",
        "{name: wg.invalidpeer, privateKey: 0CWDz05gWWwVAwr4i5Zaz41k/FgIVYJmCsgAfLHUakU=, peers: [{publicKey: invalid-peer-key}]}",
        "wireguard peer public key is invalid (peer index 0): illegal base64 data at input byte 7",
    ),
    case(
        "invalid peer preshared key",
        "{name: wg.invalidpreshared, privateKey: OJ34O6J1z4ZZB+t16c+vYrzIrKddxyU3Z2eLhwYzqE8=, peers: [{publicKey: fP+xJZvUA5n1Pi/f5wcPiV6tZ6fHwqcGaXe98NfEgkE=, presharedKey: invalid-preshared-key}]}",
        "wireguard peer preshared key is invalid (peer index 0): illegal base64 data at input byte 7",
    ),
    case(
        "valid",
        "name: wg.35\nprivateKey: OJ34O6J1z4ZZB+t16c+vYrzIrKddxyU3Z2eLhwYzqE8=\nlistenPort: 51820\nfirewallMark: 1\npeers: [{publicKey: 735jkJdcVDninU5PzLJ/S+bfN6Q3QOk6svWrVLMJQAk=, allowedIPs: [192.168.1.0/24]}, {publicKey: uvdlJNva1X8/OCOZM+0gGT4Yu9x20odd3AWbbQUF7nM=, presharedKey: 6j4UMxwszrHVZZUjY8/SFsZMjgaHkxV7yp9Tz05btho=, endpoint: '10.3.4.3:2222'}]\nroutes: [{destination: 10.3.5.0/24, gateway: 10.3.5.1}, {gateway: 'fe80::1'}]",
        "",
    ),
];

/// pkg/machinery/config/types/network/hostname_test.go@v1.13.9 `TestHostnameV1Alpha1Validate`
pub(super) const HOSTNAME_CONFLICTS: &[Conflict] = &[
    ("empty", "{}", "{}", ""),
    (
        "v1alpha1 static hostname set",
        "{}",
        "{machine: {network: {hostname: foo}}}",
        "static hostname is already set in v1alpha1 config",
    ),
    (
        "v1alpha1 stable hostname set",
        "{}",
        "{machine: {features: {stableHostname: true}}}",
        "stable hostname is already set in v1alpha1 config",
    ),
];

/// pkg/machinery/config/types/network/kubespan_test.go@v1.13.9 `TestKubeSpanConfigConflictValidate`
pub(super) const KUBESPAN_CONFLICTS: &[Conflict] = &[
    (
        "no conflict when v1alpha1 empty",
        "{enabled: true}",
        "{}",
        "",
    ),
    (
        "conflict when both set",
        "{enabled: true}",
        "{machine: {network: {kubespan: {enabled: true}}}}",
        "kubespan is already configured in v1alpha1 machine.network.kubespan",
    ),
];

/// pkg/machinery/config/types/network/resolver_test.go@v1.13.9 `TestResolverV1Alpha1Validate`
pub(super) const RESOLVER_CONFLICTS: &[Conflict] = &[
    ("empty", "{}", "{}", ""),
    (
        "v1alpha1 nameservers set",
        "{}",
        "{machine: {network: {nameservers: [1.1.1.1]}}}",
        ".machine.network.nameservers is already set in v1alpha1 config",
    ),
    (
        "v1alpha1 search domains set",
        "{}",
        "{machine: {network: {searchDomains: [cluster.org]}}}",
        ".machine.network.searchDomains is already set in v1alpha1 config",
    ),
    (
        "v1alpha1 disable search domains set",
        "{}",
        "{machine: {network: {disableSearchDomain: true}}}",
        ".machine.network.disableSearchDomain is already set in v1alpha1 config",
    ),
];

/// pkg/machinery/config/types/network/time_sync_test.go@v1.13.9 `TestTimeSyncV1Alpha1Validate`
pub(super) const TIME_SYNC_CONFLICTS: &[Conflict] = &[
    ("empty", "{}", "{}", ""),
    (
        "v1alpha1 timeservers set",
        "{}",
        "{machine: {time: {servers: [za.pool.ntp.org]}}}",
        "time servers cannot be specified in both v1alpha1 and new-style configuration",
    ),
    (
        "v1alpha1 boot timeout set",
        "{}",
        "{machine: {time: {bootTimeout: 1s}}}",
        "boot timeout cannot be specified in both v1alpha1 and new-style configuration",
    ),
    (
        "v1alpha1 disable set",
        "{}",
        "{machine: {time: {disabled: true}}}",
        "time sync cannot be disabled in both v1alpha1 and new-style configuration",
    ),
];

#[test]
fn links() {
    run("LinkConfig", LINK);
    run("BondConfig", BOND);
    run("BridgeConfig", BRIDGE);
    run("VLANConfig", VLAN);
    run("VRFConfig", VRF);
    run("EthernetConfig", ETHERNET);
    run("WireguardConfig", WIREGUARD);
    run("LinkAliasConfig", LINK_ALIAS);
}

#[test]
fn v1_12_rules_where_v1_13_changed_them() {
    // v1.12.0 bond.go, hostname.go and link_alias.go
    run_for(
        "BondConfig",
        12,
        &[case(
            "valid",
            "{name: bond0, links: [eth0], bondMode: 802.3ad}",
            "",
        )],
    );
    run_for(
        "HostnameConfig",
        12,
        &[case(
            "off",
            "{auto: 'off'}",
            "either 'auto' or 'hostname' must be set",
        )],
    );
    run_for(
        "LinkAliasConfig",
        12,
        &[case(
            "pattern",
            "{name: net%02d, selector: {match: link.type == 1}}",
            "",
        )],
    );
}

#[test]
fn addressing_and_hosts() {
    run("DHCPv4Config", DHCP);
    run("DHCPv6Config", DHCP);
    run("HCloudVIPConfig", HCLOUD_VIP);
    run("Layer2VIPConfig", LAYER2_VIP);
    run("HostnameConfig", HOSTNAME);
    run("StaticHostConfig", STATIC_HOST);
    run("TimeSyncConfig", TIME_SYNC);
}

#[test]
fn routing_kubespan_probes_firewall() {
    run("BlackholeRouteConfig", BLACKHOLE_ROUTE);
    run("RoutingRuleConfig", ROUTING_RULE);
    run("KubeSpanConfig", KUBESPAN);
    run("TCPProbeConfig", TCP_PROBE);
    run("NetworkRuleConfig", RULE);
    run("NetworkRuleConfig", PORT_RANGES);
}

#[test]
fn conflicts_with_v1alpha1() {
    run_conflicts("HostnameConfig", HOSTNAME_CONFLICTS);
    run_conflicts("KubeSpanConfig", KUBESPAN_CONFLICTS);
    run_conflicts("ResolverConfig", RESOLVER_CONFLICTS);
    run_conflicts("TimeSyncConfig", TIME_SYNC_CONFLICTS);
}
