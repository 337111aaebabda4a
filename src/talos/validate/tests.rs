//! Table-driven corpus of configs with Talos' exact messages: the expectations of upstream
//! `v1alpha1_validation_test.go` and the network types' tests, replayed on the golden
//! `gen config` outputs mutated by YAML patches.

use super::*;
use crate::testutil::oracle_text;
use crate::yaml::{Map, parse_documents};

/// Deep-merges `patch` into `base`: mappings merge per key, anything else replaces, and
/// the string `$delete` removes the key.
fn merge(base: &mut Yaml, patch: &Yaml) {
    match (base, patch) {
        (Yaml::Map(b), Yaml::Map(p)) => {
            for (k, v) in p {
                if v.as_str() == Some("$delete") {
                    b.shift_remove(k);
                } else if let Some(slot) = b.get_mut(k) {
                    merge(slot, v);
                } else {
                    b.insert(k.clone(), v.clone());
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

/// Which golden config a case starts from.
#[derive(Clone, Copy)]
enum Base {
    Cp,
    Worker,
}

struct Case {
    name: &'static str,
    base: Base,
    patch: &'static str,
    docs: &'static str,
    mode: Mode,
    strict: bool,
    v1: Vec<&'static str>,
    other: Vec<&'static str>,
    warnings: Vec<&'static str>,
    decode: Option<&'static str>,
}

/// A case on the controlplane golden, cloud mode, expecting a valid config.
fn case(name: &'static str, patch: &'static str) -> Case {
    Case {
        name,
        base: Base::Cp,
        patch,
        docs: "",
        mode: Mode::Cloud,
        strict: false,
        v1: Vec::new(),
        other: Vec::new(),
        warnings: Vec::new(),
        decode: None,
    }
}

impl Case {
    fn worker(mut self) -> Self {
        self.base = Base::Worker;
        self
    }
    fn metal(mut self) -> Self {
        self.mode = Mode::Metal;
        self
    }
    fn container(mut self) -> Self {
        self.mode = Mode::Container;
        self
    }
    fn strict(mut self) -> Self {
        self.strict = true;
        self
    }
    fn docs(mut self, docs: &'static str) -> Self {
        self.docs = docs;
        self
    }
    fn v1(mut self, e: &[&'static str]) -> Self {
        self.v1 = e.to_vec();
        self
    }
    fn other(mut self, e: &[&'static str]) -> Self {
        self.other = e.to_vec();
        self
    }
    fn warn(mut self, w: &[&'static str]) -> Self {
        self.warnings = w.to_vec();
        self
    }
    fn decode(mut self, e: &'static str) -> Self {
        self.decode = Some(e);
        self
    }

    /// The config text: the golden with the patch merged into its first document, then
    /// the extra documents (which replace the golden's HostnameConfig when they carry one).
    fn text(&self, cp: &str, worker: &str) -> String {
        let golden = match self.base {
            Base::Cp => cp,
            Base::Worker => worker,
        };
        let mut docs: Vec<Yaml> = parse_documents(golden)
            .expect("golden parses")
            .into_iter()
            .map(|d| d.value)
            .collect();
        if !self.patch.is_empty() {
            let patch = &parse_documents(self.patch).expect("patch parses")[0].value;
            merge(&mut docs[0], patch);
        }
        if self.docs.contains("kind: HostnameConfig") {
            docs.truncate(1);
        }
        let mut text = emit_documents(&docs, &EmitOptions::default());
        if !self.docs.is_empty() {
            text.push_str("---\n");
            text.push_str(self.docs);
        }
        text
    }

    fn expected(&self) -> Outcome {
        if let Some(d) = self.decode {
            return Outcome {
                decode_error: Some(d.to_string()),
                ..Outcome::default()
            };
        }
        let mut errors = Vec::new();
        if !self.v1.is_empty() {
            let v1: Vec<String> = self.v1.iter().map(ToString::to_string).collect();
            errors.push(format!("v1alpha1.Config: {}", multierror(&v1)));
        }
        errors.extend(self.other.iter().map(ToString::to_string));
        Outcome {
            errors,
            warnings: self.warnings.iter().map(ToString::to_string).collect(),
            ..Outcome::default()
        }
    }
}

const WG_KEY: &str = "4A3rogGVHuVjeZz5cbqryWXGkGBdIGC0E6+5mX2Iz2k=";

#[allow(clippy::too_many_lines)]
fn corpus() -> Vec<Case> {
    let _ = WG_KEY;
    vec![
        // --- v1alpha1_validation_test.go: TestValidate ---
        case("NoMachine", "machine: $delete").v1(&["machine instructions are required"]),
        case("NoMachineType", "machine: {type: ''}")
            .worker()
            .warn(&[r#"use "worker" instead of "" for machine type"#]),
        case("JoinMachineType", "machine: {type: join}")
            .worker()
            .warn(&[r#"use "worker" instead of "join" for machine type"#]),
        case("NoMachineTypeStrict", "machine: {type: ''}")
            .worker()
            .strict()
            .v1(&[r#"warning: use "worker" instead of "" for machine type"#]),
        case("WorkerNoAcceptedCAs", "machine: {ca: {crt: '', key: ''}}")
            .worker()
            .strict()
            .v1(&["trusted CA certificates are required on non-controlplane nodes (.machine.ca.crt, .machine.acceptedCAs)"]),
        case("WorkerOnlyAcceptedCAs", "machine: {ca: $delete, acceptedCAs: [{crt: Zm9v}]}")
            .worker()
            .strict(),
        case("ControlplaneNoCAKey", "machine: {ca: {key: ''}}")
            .strict()
            .v1(&["issuing CA key is required for controlplane nodes (.machine.ca.key)"]),
        case("NoMachineInstall", "machine: {install: $delete}").worker(),
        case("NoMachineInstallRequired", "machine: {install: $delete}")
            .worker()
            .metal()
            .v1(&[r#"install instructions are required in "metal" mode"#]),
        case("MachineInstallDisk", "machine: {install: {disk: /dev/vda}}").worker().metal(),
        case(
            "MachineInstallExtensions",
            "machine: {install: {disk: /dev/vda, extensions: [{image: 'ghcr.io/siderolabs/gvisor:v0.1.0'}]}}",
        )
        .worker()
        .metal()
        .warn(&[".machine.install.extensions is deprecated, please see https://www.talos.dev/latest/talos-guides/install/boot-assets/"]),
        case(
            "MachineInstallExtensionsDuplicate",
            "machine: {install: {disk: /dev/vda, extensions: [{image: 'a:1'}, {image: 'a:1'}]}}",
        )
        .worker()
        .metal()
        .v1(&[r#"duplicate system extension "a:1""#])
        .warn(&[".machine.install.extensions is deprecated, please see https://www.talos.dev/latest/talos-guides/install/boot-assets/"]),
        case(
            "MachineInstallExtraArgsAndGrubUseUKICmdline",
            "machine: {install: {disk: /dev/vda, extraKernelArgs: [foo=bar], grubUseUKICmdline: true}}",
        )
        .worker()
        .metal()
        .v1(&["install.extraKernelArgs and install.grubUseUKICmdline can't be used together"]),
        case(
            "ExternalCloudProviderEnabled",
            "cluster: {externalCloudProvider: {enabled: true, manifests: ['https://www.example.com/manifest1.yaml', 'https://www.example.com/manifest2.yaml']}}",
        )
        .worker(),
        case("ExternalCloudProviderEnabledNoManifests", "cluster: {externalCloudProvider: {enabled: true}}").worker(),
        case("ExternalCloudProviderDisabled", "cluster: {externalCloudProvider: {}}").worker(),
        case(
            "ExternalCloudProviderExtraManifests",
            "cluster: {externalCloudProvider: {manifests: ['https://www.example.com/manifest1.yaml']}}",
        )
        .worker()
        .v1(&["external cloud provider is disabled, but manifests are provided"]),
        case(
            "ExternalCloudProviderInvalidManifests",
            "cluster: {externalCloudProvider: {enabled: true, manifests: [/manifest.yaml]}}",
        )
        .worker()
        .v1(&[r#"invalid external cloud provider manifest url "/manifest.yaml": hostname must not be blank"#]),
        case(
            "InlineManifests",
            "cluster: {inlineManifests: [{name: '', contents: x}, {name: foo, contents: y}, {name: foo, contents: z}]}",
        )
        .v1(&["inline manifest name can't be empty", r#"inline manifest name "foo" is duplicate"#]),
        case("DNSDomainEmpty", "cluster: {network: {dnsDomain: ''}}"),
        case("DNSDomainInvalid", "cluster: {network: {dnsDomain: 'a..b'}}")
            .v1(&[r#""a..b" is not a valid DNS name"#]),
        case("DeviceCIDRInvalid", "machine: {network: {interfaces: [{interface: eth0, cidr: 10.3.x}]}}")
            .worker()
            .v1(&[r#"[networking.os.device.CIDR] "eth0": failed to parse IP address "10.3.x""#])
            .warn(&[r#""eth0": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses"#]),
        case("DeviceAddressInvalid", "machine: {network: {interfaces: [{interface: eth0, addresses: [10.3.x/24]}]}}")
            .worker()
            .v1(&[r#"[networking.os.device.addresses] "eth0": invalid CIDR address: 10.3.x/24"#]),
        case(
            "DeviceAddressAndCIDR",
            "machine: {network: {interfaces: [{interface: eth0, cidr: 10.3.0.1/24, addresses: [10.3.0.2/24]}]}}",
        )
        .worker()
        .v1(&[r#"[networking.os.device] "eth0": interface can't have both .cidr and .addresses set"#])
        .warn(&[r#""eth0": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses"#]),
        case("VlanCIDRInvalid", "machine: {network: {interfaces: [{interface: eth0, vlans: [{vlanId: 25, cidr: 10.3.x}]}]}}")
            .worker()
            .v1(&[r#"[networking.os.device.vlan.CIDR] eth0.25: failed to parse IP address "10.3.x""#]),
        case(
            "VlanAddressInvalid",
            "machine: {network: {interfaces: [{interface: eth0, vlans: [{vlanId: 25, addresses: [10.3.x/24]}]}]}}",
        )
        .worker()
        .v1(&["[networking.os.device.vlan.addresses] eth0.25: invalid CIDR address: 10.3.x/24"]),
        case(
            "VlanAddressAndCIDR",
            "machine: {network: {interfaces: [{interface: eth0, vlans: [{vlanId: 26, cidr: 10.3.0.1/24, addresses: [10.3.0.2/24]}]}]}}",
        )
        .worker()
        .v1(&["[networking.os.device.vlan] eth0.26: vlan can't have both .cidr and .addresses set"]),
        case("BondDefaultConfig", "machine: {network: {interfaces: [{interface: bond0, bond: {interfaces: [eth0, eth1]}}]}}")
            .worker(),
        case(
            "BondWrongMode",
            "machine: {network: {interfaces: [{interface: bond0, bond: {mode: roundrobin, interfaces: [eth0], updelay: 100, adActorSysPrio: 1}}]}}",
        )
        .worker()
        .v1(&[
            "invalid bond type roundrobin",
            "bond.upDelay can't be set if miiMon is zero",
            "bond.adActorSysPrio is only available in 802.3ad mode",
        ]),
        case(
            "BondInterfacesAndSelectors",
            "machine: {network: {interfaces: [{interface: bond0, bond: {interfaces: [eth0], deviceSelectors: [{busPath: '00:*'}]}}]}}",
        )
        .worker()
        .v1(&[r#"interface "bond0" has both interfaces and selectors set: config sections are mutually exclusive"#]),
        case(
            "BondDoubleBond",
            "machine: {network: {interfaces: [{interface: bond0, bond: {interfaces: [eth0, eth1]}}, {interface: bond1, bond: {interfaces: [eth1, eth2]}}]}}",
        )
        .worker()
        .v1(&[r#"interface "eth1" is declared as part of two separate links: "bond0" and "bond1""#]),
        case(
            "BondSlaveAddressing",
            "machine: {network: {interfaces: [{interface: bond0, bond: {interfaces: [eth0, eth1, eth2]}}, {interface: eth0, dhcp: true}, {interface: eth1, addresses: [1.2.3.4/24]}, {interface: eth2, cidr: 1.2.3.4/24}]}}",
        )
        .worker()
        .v1(&[
            r#"[networking.os.device] "eth0": bonded/bridged interface shouldn't have any addressing methods configured"#,
            r#"[networking.os.device] "eth1": bonded/bridged interface shouldn't have any addressing methods configured"#,
            r#"[networking.os.device] "eth2": bonded/bridged interface shouldn't have any addressing methods configured"#,
        ])
        .warn(&[r#""eth2": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses"#]),
        case(
            "BridgeSlaveAddressing",
            "machine: {network: {interfaces: [{interface: br0, bridge: {interfaces: [eth0, eth1, eth2]}}, {interface: eth0, dhcp: true}, {interface: eth1, addresses: [1.2.3.4/24]}, {interface: eth2, cidr: 1.2.3.4/24}]}}",
        )
        .worker()
        .v1(&[
            r#"[networking.os.device] "eth0": bonded/bridged interface shouldn't have any addressing methods configured"#,
            r#"[networking.os.device] "eth1": bonded/bridged interface shouldn't have any addressing methods configured"#,
            r#"[networking.os.device] "eth2": bonded/bridged interface shouldn't have any addressing methods configured"#,
        ])
        .warn(&[r#""eth2": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses"#]),
        case(
            "BridgeDoubleBridge",
            "machine: {network: {interfaces: [{interface: br0, bridge: {interfaces: [eth0, eth1]}}, {interface: br1, bridge: {interfaces: [eth1, eth2]}}]}}",
        )
        .worker()
        .v1(&[r#"interface "eth1" is declared as part of two separate links: "br0" and "br1""#]),
        case(
            "InterfaceIsBothBridgeAndBond",
            "machine: {network: {interfaces: [{interface: bridgebond0, bond: {interfaces: [eth0]}, bridge: {interfaces: [eth1]}}]}}",
        )
        .worker()
        .v1(&[r#"interface has both bridge and bond sections set "bridgebond0": config sections are mutually exclusive"#]),
        case(
            "InterfacePartOfBridgeAndBond",
            "machine: {network: {interfaces: [{interface: br0, bridge: {interfaces: [eth0, eth1]}}, {interface: bond0, bond: {interfaces: [eth1, eth2]}}]}}",
        )
        .worker()
        .v1(&[r#"interface "eth1" is declared as part of two separate links: "br0" and "bond0""#]),
        case(
            "Wireguard",
            "machine: {network: {interfaces: [{interface: wg0, wireguard: {privateKey: 'GhuxmLsgDxcGyyf9wlvKObMmjF1/7YQPqzkO1DT9BmQ=', peers: [{publicKey: '', allowedIPs: [10.0.0.0/8]}, {publicKey: '4A3rogGVHuVjeZz5cbqryWXGkGBdIGC0E6+5mX2Iz1==', endpoint: '12.3.4.5', allowedIPs: [10.0.0.0/8]}, {publicKey: '4A3rogGVHuVjeZz5cbqryWXGkGBdIGC0E6+5mX2Iz2k=', endpoint: '12.3.4.5:10000', allowedIPs: [10.0.0.0/x]}]}}]}}",
        )
        .worker()
        .v1(&[
            r#"public key invalid: wrong key "" length: 0"#,
            r#"public key invalid: wrong key "4A3rogGVHuVjeZz5cbqryWXGkGBdIGC0E6+5mX2Iz1==" length: 31"#,
            r#"peer endpoint "12.3.4.5" is invalid"#,
            r#"peer allowed IP "10.0.0.0/x" is invalid: invalid CIDR address: 10.0.0.0/x"#,
        ]),
        case(
            "StaticRoutes",
            "machine: {network: {interfaces: [{interface: eth0, routes: [{gateway: 172.0.0.1}, {network: 10.0.0.0/24, gateway: 10.0.0.1}, {network: 130.0.0.0/28}, {network: 10.0.0.0/3, gateway: 172.0.0.x}, {network: 10.0.0.0/a, gateway: 172.0.0.1}, {}]}]}}",
        )
        .worker()
        .v1(&[
            r#"[networking.os.device.route[3].gateway] "172.0.0.x": invalid network address"#,
            r#"[networking.os.device.route[4].network] "10.0.0.0/a": invalid network address"#,
            "[networking.os.device.route[5]]: either network or gateway should be set",
        ]),
        case(
            "WireguardUpstream",
            "machine: {network: {interfaces: [{interface: wireguard0, wireguard: {privateKey: 'ONtS+jU1Q+ZHLgs7DbYvnF5Iyj+koxBtvknDigFsdG8=', peers: [{}, {publicKey: '4A3rogGVHuVjeZz5cbqryWXGkGBdIGC0E6+5mX2Iz1A=', endpoint: 'example.com:1234', allowedIPs: [10.2.0.5/31, 2.4.5.3/32]}, {publicKey: '4A3rogGVHuVjeZz5cbqryWXGkGBdIGC0E6+5mX2Iz1==', endpoint: '12.3.4.5', allowedIPs: [10.2.0]}]}}]}}",
        )
        .v1(&[
            r#"public key invalid: wrong key "" length: 0"#,
            r#"public key invalid: wrong key "4A3rogGVHuVjeZz5cbqryWXGkGBdIGC0E6+5mX2Iz1==" length: 31"#,
            r#"peer endpoint "12.3.4.5" is invalid"#,
            r#"peer allowed IP "10.2.0" is invalid: invalid CIDR address: 10.2.0"#,
        ]),
        case(
            "StaticRoutesUpstream",
            "machine: {network: {interfaces: [{interface: eth0, routes: [{gateway: 172.0.0.1}, {network: 10.0.0.0/24, gateway: 10.0.0.1}, {network: 10.0.0.0/24, gateway: 10.0.0.1, source: 10.0.0.5}, {gateway: 172.0.0.x}, {network: 10.0.0.0, gateway: 10.0.0.1}, {network: 10.0.0.0/24, gateway: 10.0.0.1, source: 10.0.0.3/32}, {network: 169.254.254.254/32}, {source: 10.0.0.3}]}]}}",
        )
        .v1(&[
            r#"[networking.os.device.route[3].gateway] "172.0.0.x": invalid network address"#,
            r#"[networking.os.device.route[4].network] "10.0.0.0": invalid network address"#,
            r#"[networking.os.device.route[5].source] "10.0.0.3/32": invalid network address"#,
            "[networking.os.device.route[7]]: either network or gateway should be set",
        ]),
        case(
            "BadKubeletSubnetUpstream",
            "machine: {kubelet: {nodeIP: {validSubnets: ['10.0.0.0.3', '[fd00::169:254:2:53]:344']}}}",
        )
        .worker()
        .v1(&[
            r#"kubelet nodeIP subnet is not valid: "10.0.0.0.3""#,
            r#"kubelet nodeIP subnet is not valid: "[fd00::169:254:2:53]:344""#,
        ]),
        case("RouteSourceInvalid", "machine: {network: {interfaces: [{interface: eth0, routes: [{network: 10.0.0.0/8, source: x}]}]}}")
            .worker()
            .v1(&[r#"[networking.os.device.route[0].source] "x": invalid network address"#]),
        case(
            "KubeSpanNoDiscovery",
            "machine: {network: {kubespan: {enabled: true}}}\ncluster: {id: '', secret: '', discovery: {enabled: false}}",
        )
        .worker()
        .v1(&[
            ".cluster.discovery should be enabled when .machine.network.kubespan is enabled",
            ".cluster.id should be set when .machine.network.kubespan is enabled",
            ".cluster.secret should be set when .machine.network.kubespan is enabled",
        ]),
        case("DiscoveryServiceEndpoint", "cluster: {discovery: {registries: {service: {endpoint: foo}}}}")
            .worker()
            .v1(&[r#"cluster discovery service registry endpoint is invalid: parse "foo": invalid URI for request"#]),
        case("DiscoveryServicePath", "cluster: {discovery: {registries: {service: {endpoint: 'https://d.example.com/path'}}}}")
            .worker()
            .v1(&["cluster discovery service path should be empty"]),
        case("DiscoveryServiceClusterIDSecret", "cluster: {id: '', secret: ''}")
            .worker()
            .v1(&["cluster discovery service requires .cluster.id", "cluster discovery service requires .cluster.secret"]),
        case("DiscoveryServiceDisabled", "cluster: {id: '', secret: '', discovery: {registries: {service: {disabled: true}}}}")
            .worker(),
        case("EtcdMissingCa", "cluster: {etcd: {ca: $delete}}").v1(&["key/cert combination should not be empty"]),
        case("EtcdConfigProvidedForWorker", "cluster: {etcd: {advertisedSubnets: [10.0.0.0/8]}}")
            .worker()
            .v1(&["etcd config is only allowed on control plane machines"]),
        case("GoodEtcdSubnet", "cluster: {etcd: {advertisedSubnets: [10.0.0.0/8, '!1.1.1.1/32'], listenSubnets: ['10.0.0.0/8', '1.1.1.1/32']}}"),
        case("BadEtcdSubnet", "cluster: {etcd: {advertisedSubnets: ['1234:'], listenSubnets: ['10']}}")
            .v1(&[r#"etcd advertised subnet is not valid: "1234:""#, r#"etcd listen subnet is not valid: "10""#]),
        case("EtcdSubnetAndAdvertised", "cluster: {etcd: {subnet: 10.0.0.0/8, advertisedSubnets: [10.0.0.0/8]}}")
            .v1(&["etcd subnet can't be set when advertised subnets are set"]),
        case("GoodKubeletSubnet", "machine: {kubelet: {nodeIP: {validSubnets: [10.0.0.0/8, '!10.0.0.3/32', 'fdc7::/16']}}}")
            .worker(),
        case("BadKubeletSubnet", "machine: {kubelet: {nodeIP: {validSubnets: ['10.0.0.0.3', '[fd00::1]']}}}")
            .worker()
            .v1(&[
                r#"kubelet nodeIP subnet is not valid: "10.0.0.0.3""#,
                r#"kubelet nodeIP subnet is not valid: "[fd00::1]""#,
            ]),
        case("BadKubeletExtraConfig", "machine: {kubelet: {extraConfig: {port: 345}}}")
            .worker()
            .v1(&[r#"kubelet configuration field "port" can't be overridden"#]),
        case("DeviceInterfaceInvalid", "machine: {network: {interfaces: [{addresses: [1.2.3.4/24]}]}}")
            .worker()
            .v1(&["[networking.os.device.interface], [networking.os.device.deviceSelector]: required either config section to be set"]),
        case("DeviceSelectorAndInterfaceSet", "machine: {network: {interfaces: [{interface: eth0, deviceSelector: {busPath: '00:*'}}]}}")
            .worker()
            .v1(&["[networking.os.device.interface], [networking.os.device.deviceSelector]: config sections are mutually exclusive"]),
        case("DeviceSelectorEmpty", "machine: {network: {interfaces: [{deviceSelector: {}}]}}")
            .worker()
            .v1(&["[networking.os.device.deviceSelector]: config section should contain at least one field"]),
        case("DeviceIgnored", "machine: {network: {interfaces: [{ignore: true}]}}").worker(),
        case("TalosAPIAccessWorker", "machine: {features: {kubernetesTalosAPIAccess: {enabled: true}}}")
            .worker()
            .v1(&["feature Kubernetes Talos API Access can only be enabled on control plane machines"]),
        case(
            "TalosAPIAccessInvalidRole",
            "machine: {features: {kubernetesTalosAPIAccess: {enabled: true, allowedRoles: ['os:reader', 'invalid:role1', 'os:admin', 'invalid:role2']}}}",
        )
        .v1(&[
            r#"invalid role "invalid:role1" in allowed roles for Kubernetes Talos API Access"#,
            r#"invalid role "invalid:role2" in allowed roles for Kubernetes Talos API Access"#,
        ]),
        case("NodeLabels", "machine: {nodeLabels: {'/foo': bar, 'key': '@invalid'}}")
            .v1(&["invalid machine node labels: 2 errors occurred:\n\t* prefix cannot be empty: \"/foo\"\n\t* label value \"@invalid\" is invalid\n\n"]),
        case("NodeAnnotationsReserved", "machine: {nodeAnnotations: {'talos.dev/owned-labels': x}}")
            .v1(&["invalid machine node annotations: 1 error occurred:\n\t* annotation \"talos.dev/owned-labels\" is reserved\n\n"]),
        case("NodeTaintsEffect", "machine: {nodeTaints: {'foo': 'bar:Bad'}}")
            .v1(&["invalid machine node taints: 1 error occurred:\n\t* invalid taint effect: \"Bad\"\n\n"]),
        case("NodeTaintsGood", "machine: {nodeTaints: {'dedicated': 'db:NoSchedule', 'x/y': NoExecute}}"),
        case("GoodKubeSpanEndpointFilters", "machine: {network: {kubespan: {enabled: true, filters: {endpoints: ['0.0.0.0/0', '!192.168.0.0/16', '2001:db8::/32']}}}}")
            .worker(),
        case("BadKubeSpanEndpointFilters", "machine: {network: {kubespan: {enabled: true, filters: {endpoints: ['10', '123::/456']}}}}")
            .worker()
            .v1(&[r#"KubeSpan endpoint filer is not valid: "10""#, r#"KubeSpan endpoint filer is not valid: "123::/456""#]),
        case("KubeSpanSmallMTU", "machine: {network: {kubespan: {enabled: true, mtu: 1000}}}")
            .worker()
            .v1(&["kubespan link MTU must be at least 1280"]),
        case(
            "ControlPlanePodResources",
            "cluster: {apiServer: {resources: {requests: {cpu: 1, invalid1: 1}}}, controllerManager: {resources: {limits: {memory: 1Gi, invalid2: 1}}}, scheduler: {resources: {requests: {invalid3: 1}}}}",
        )
        .v1(&[
            r#"apiserver resource validation failed: unsupported pod resource "invalid1""#,
            r#"controller-manager resource validation failed: unsupported pod resource "invalid2""#,
            r#"scheduler resource validation failed: unsupported pod resource "invalid3""#,
        ]),
        case("ControlPlaneInvalidAuthorizationConfig", "cluster: {apiServer: {authorizationConfig: [{name: foo}]}}")
            .v1(&["apiserver authorization config validation failed: authorizer type must be set"]),
        case("AuthorizationConfigNoName", "cluster: {apiServer: {authorizationConfig: [{type: Webhook}]}}")
            .v1(&["apiserver authorization config validation failed: authorizer name must be set"]),
        case("AuthorizationConfigBadType", "cluster: {apiServer: {authorizationConfig: [{type: ABAC, name: x}]}}")
            .v1(&["apiserver authorization config validation failed: authorizer type ABAC is not allowed, allowed types are [Node RBAC Webhook]"]),
        case(
            "ControlPlaneAuthorizationConfigWithAuthorizationModeFlag",
            "cluster: {apiServer: {extraArgs: {authorization-mode: RBAC}, authorizationConfig: [{type: RBAC, name: rbac}]}}",
        )
        .v1(&["authorization-mode cannot be used in conjunction with AuthorizationConfig, use eitherr AuthorizationConfig or authorization-mode"]),
        case(
            "ControlPlaneAuthorizationConfigWithAuthorizationWebhook",
            "cluster: {apiServer: {extraArgs: {authorization-webhook-version: v1}, authorizationConfig: [{type: RBAC, name: rbac}]}}",
        )
        .v1(&["authorization-webhook-* flags cannot be used in conjunction with AuthorizationConfig, use either AuthorizationConfig or authorization-webhook-* flags"]),
        case("MachineFeaturesInvalidAddressSortingAlgorithm", "machine: {features: {nodeAddressSortAlgorithm: xyz}}")
            .v1(&["invalid node address sort algorithm: xyz does not belong to AddressSortAlgorithm values"]),
        case("MachineFeaturesAddressSortingV2", "machine: {features: {nodeAddressSortAlgorithm: v2}}"),
        // --- more v1alpha1 rules (§3.2 of the reference) ---
        case("PersistFalse", "persist: false").v1(&[".persist should be enabled"]),
        case("UnknownMachineType", "machine: {type: master}").v1(&[
            "etcd config is only allowed on control plane machines",
            "cluster CA key is not allowed on non-controlplane nodes (.cluster.ca)",
            r#"unknown machine type "master""#,
        ]),
        case("NoCAs", "machine: {ca: $delete}").worker().v1(&["issuing CA or some accepted CAs are required (.machine.ca, machine.acceptedCAs)"]),
        case("ControlplaneNoCA", "machine: {ca: $delete}").v1(&[
            "issuing CA or some accepted CAs are required (.machine.ca, machine.acceptedCAs)",
            "issuing CA is required (.machine.ca)",
        ]),
        case("WorkerCAKey", "machine: {ca: {key: Zm9v}}")
            .worker()
            .v1(&["issuing Talos API CA key is not allowed on non-controlplane nodes (.machine.ca)"]),
        case("WorkerClusterCAKey", "cluster: {ca: {key: Zm9v}}").worker().v1(&[
            "cluster CA key is not allowed on non-controlplane nodes (.cluster.ca)",
            "issuing Kubernetes API CA key is not allowed on non-controlplane nodes (.cluster.ca)",
        ]),
        case("WorkerVIP", "machine: {network: {interfaces: [{interface: eth0, dhcp: true, vip: {ip: 10.0.0.5}}]}}")
            .worker()
            .v1(&["virtual (shared) IP is not allowed on non-controlplane nodes"]),
        case("ControlplaneVIPInvalid", "machine: {network: {interfaces: [{interface: eth0, dhcp: true, vip: {ip: 10.0.0.x}}]}}")
            .v1(&[r#"[networking.os.device.vip] failed to parse "10.0.0.x" as IP address"#]),
        case("NoCluster", "cluster: $delete").v1(&["cluster instructions are required"]),
        case("NoEndpoint", "cluster: {controlPlane: {endpoint: $delete}}").v1(&["cluster controlplane endpoint is required"]),
        case("EndpointNoHost", "cluster: {controlPlane: {endpoint: 'https://:6443'}}")
            .v1(&["invalid controlplane endpoint: hostname must not be blank"]),
        case("EndpointBadPort", "cluster: {controlPlane: {endpoint: 'https://base:99999'}}")
            .v1(&["invalid controlplane endpoint: port number must be between 1 and 65535"]),
        case("EndpointIPv6NoBrackets", "cluster: {controlPlane: {endpoint: 'https://2001:db8::1:6443'}}")
            .v1(&["invalid controlplane endpoint: IPv6 addresses MUST be enclosed by square brackets"]),
        case("EndpointHTTPAccepted", "cluster: {controlPlane: {endpoint: 'http://base:6443'}}"),
        case("MetalNoDisk", "").metal().v1(&["either install disk or diskSelector should be defined"]),
        case("MetalDiskSelector", "machine: {install: {diskSelector: {type: ssd}}}").metal(),
        case("MetalDiskSelectorName", "machine: {install: {diskSelector: {name: sda}}}")
            .metal()
            .v1(&["install disk selector is invalid: selector on name is not supported", "either install disk or diskSelector should be defined"]),
        case("MetalDiskSelectorType", "machine: {install: {disk: /dev/sda, diskSelector: {type: floppy}}}")
            .metal()
            .v1(&[r#"install disk selector is invalid: unsupported disk type "floppy""#]),
        case("ContainerHostDNS", "machine: {features: {hostDNS: {enabled: false, forwardKubeDNSToHost: false}}}")
            .container()
            .v1(&[
                "feature HostDNS should be enabled in container mode (.machine.features.hostDNS.enabled)",
                "feature HostDNS should forward kube-dns to host in container mode (.machine.features.hostDNS.forwardKubeDNSToHost)",
            ]),
        case("ContainerGolden", "").container(),
        case("BondBadEnums", "machine: {network: {interfaces: [{interface: bond0, bond: {mode: 802.3ad, interfaces: [eth0], xmitHashPolicy: layer9, lacpRate: medium, adSelect: worst}}]}}")
            .worker()
            .v1(&["invalid xmit hash policy layer9", "invalid lacp rate medium", "invalid ad_select mode worst"]),
        case("BondDelays", "machine: {network: {interfaces: [{interface: bond0, bond: {mode: active-backup, interfaces: [eth0], miimon: 100, updelay: 150, downdelay: 250, lacpRate: fast, primary: eth0}}]}}")
            .worker()
            .v1(&[
                "bond.upDelay should be a multiple of miiMon",
                "bond.downDelay should be a multiple of miiMon",
                "bond.lacpRate is only available in 802.3ad mode",
            ]),
        case("BondModeRestrictions", "machine: {network: {interfaces: [{interface: bond0, bond: {mode: 802.3ad, interfaces: [eth0], arpValidate: all, primary: eth0, arpInterval: 100, packetsPerSlave: 2, tlbDynamicLb: 1}}]}}")
            .worker()
            .v1(&[
                "bond.arpValidate is not available in 802.3ad mode",
                "bond.primary is not available in 802.3ad mode",
                "bond.arpInterval is not available in 802.3ad mode",
                "bond.packetsPerSlave is not available in 802.3ad mode",
                "bond.tlbDynamicTLB is not available in 802.3ad mode",
            ]),
        case("BondUnsupported", "machine: {network: {interfaces: [{interface: bond0, bond: {mode: 802.3ad, interfaces: [eth0], arpIPTarget: [1.2.3.4], adActorSystem: '00:11:22:33:44:55'}}]}}")
            .worker()
            .v1(&["bond.arpIPTarget is not supported", "bond.adActorSystem is not supported"]),
        case("Bond8023adLegacy", "machine: {network: {interfaces: [{interface: bond0, dhcp: true, mtu: 9000, bond: {mode: 802.3ad, lacpRate: fast, xmitHashPolicy: layer3+4, miimon: 100, updelay: 200, downdelay: 200, interfaces: [enp1s0f0, enp1s0f1]}, vip: {ip: 10.0.0.100}}]}}"),
        case("LoggingBad", "machine: {logging: {destinations: [{endpoint: 'http://host:1234', format: yaml}, {endpoint: 'udp:///x', format: json_lines}]}}")
            .v1(&[
                r#"unexpected logging endpoint scheme "http""#,
                r#"unknown logging format "yaml""#,
                "empty logging endpoint's host",
            ]),
        case("CNIEmpty", "cluster: {network: {cni: {name: ''}}}").v1(&[r#"cni name should be one of ["flannel", "custom", "none"]"#]),
        case("CNIFlannelManifests", "cluster: {network: {cni: {name: flannel, urls: ['https://example.com/x.yaml']}}}")
            .v1(&[r#""urls" field should be empty for "flannel" CNI"#]),
        case("CNIFlannelExtraArgs", "cluster: {network: {cni: {name: flannel, flannel: {extraArgs: ['--iface=eth0']}}}}"),
        case("CNICustomNoManifests", "cluster: {network: {cni: {name: custom}}}")
            .warn(&[r#""urls" field should not be empty for "custom" CNI"#]),
        case("CNICustomNoManifestsStrict", "cluster: {network: {cni: {name: custom}}}")
            .strict()
            .v1(&[r#"warning: "urls" field should not be empty for "custom" CNI"#]),
        case("CNICustomFlannelExtraArgs", "cluster: {network: {cni: {name: custom, urls: ['https://example.com/x.yaml'], flannel: {extraArgs: ['--x']}}}}")
            .v1(&[r#""flanneldExtraArgs" field should be empty for "custom" CNI"#]),
        case("CNICustomManifests", "cluster: {network: {cni: {name: custom, urls: ['https://example.com/x.yaml']}}}"),
        case("CNICustomBadURL", "cluster: {network: {cni: {name: custom, urls: ['/x.yaml']}}}").v1(&["hostname must not be blank"]),
        case("CNINone", "cluster: {network: {cni: {name: none}}}"),
        case("CNINoneManifests", "cluster: {network: {cni: {name: none, urls: ['https://example.com/x.yaml']}}}")
            .v1(&[r#""urls" field should be empty for "none" CNI"#]),
        case("CNIWorkerNotChecked", "cluster: {network: {cni: {name: bogus}}}").worker(),
        case("DiskPartitions", "machine: {disks: [{device: /dev/sdb, partitions: [{mountpoint: /var/a}, {mountpoint: /var/b, size: 100}]}]}")
            .v1(&[r#"partition for disk "/dev/sdb" is set to occupy full disk, but it's not the last partition in the list"#]),
        case("SystemDiskEncryption", "machine: {systemDiskEncryption: {state: {provider: luks2, keys: [{slot: 0, nodeID: {}}, {slot: 0}]}, ephemeral: {provider: luks2}}}")
            .v1(&[
                r#"partition "EPHEMERAL": no encryption keys provided"#,
                r#"partition "STATE": encryption key slot 0 is already in use"#,
                r#"partition "STATE": encryption key at slot 0 doesn't have the configuration parameters"#,
            ]),
        case("RegistryNull", "machine: {registries: {mirrors: {docker.io: null}}}")
            .v1(&[r#"registries.mirrors["docker.io"] is null"#]),
        // --- network documents (types/network/*_test.go) ---
        case("LinkConfigEmpty", "").docs("apiVersion: v1alpha1\nkind: LinkConfig\n").other(&["LinkConfig/: name must be specified"]),
        case("LinkConfigInvalidAddresses", "")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\naddresses:\n  - address: ''\n  - address: 0.0.0.0/8\n")
            .other(&["LinkConfig/eth0: address 0 must be specified\naddress 1 must be a valid IP address"]),
        case("LinkConfigRoutes", "")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\nroutes:\n  - destination: 0.0.0.0/0\n    gateway: 0.0.0.0\n    source: '::'\n")
            .other(&["LinkConfig/eth0: route 0 destination must be a valid IP prefix\nroute 0 gateway must be a valid IP address\nroute 0 source must be a valid IP address"]),
        case("BondConfigEmpty", "")
            .docs("apiVersion: v1alpha1\nkind: BondConfig\n")
            .other(&["BondConfig/: name must be specified\nat least one link must be specified\nbond mode must be specified"]),
        case("BondConfigNoLinks", "")
            .docs("apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nbondMode: active-backup\n")
            .other(&["BondConfig/bond0: at least one link must be specified"]),
        case("BondConfigNoMode", "")
            .docs("apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [eth0, eth1]\n")
            .other(&["BondConfig/bond0: bond mode must be specified"]),
        case("BondConfigBadMode", "")
            .docs("apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [eth0]\nbondMode: roundrobin\n")
            .decode("error decoding BondConfig to *network.BondConfigV1Alpha1: roundrobin does not belong to BondMode values"),
        case("VLANConfigEmpty", "")
            .docs("apiVersion: v1alpha1\nkind: VLANConfig\n")
            .other(&["VLANConfig/: name must be specified\nvlanID must be specified and between 1 and 4094\nparent must be specified"]),
        case("VLANConfigHighID", "")
            .docs("apiVersion: v1alpha1\nkind: VLANConfig\nname: enx9.5000\nparent: enx9\nvlanID: 5000\n")
            .other(&["VLANConfig/enx9.5000: vlanID must be specified and between 1 and 4094"]),
        case("VLANConfigInvalidAddresses", "")
            .docs("apiVersion: v1alpha1\nkind: VLANConfig\nname: enx8.2\nvlanID: 2\nparent: enx8\naddresses:\n  - address: ''\n  - address: '::/64'\n")
            .other(&["VLANConfig/enx8.2: address 0 must be specified\naddress 1 must be a valid IP address"]),
        case("DHCPv4MissingDUID", "")
            .docs("apiVersion: v1alpha1\nkind: DHCPv4Config\nname: eth0\nclientIdentifier: duid\n")
            .other(&["DHCPv4Config/eth0: duidRaw must be set if clientIdentifier is 'duid'"]),
        case("DHCPv4DUIDWithoutDUID", "")
            .docs("apiVersion: v1alpha1\nkind: DHCPv4Config\nname: eth0\nduidRaw: 00:01:00:01\n")
            .other(&["DHCPv4Config/eth0: duidRaw can only be set if clientIdentifier is 'duid'"]),
        case("DHCPv4Empty", "").docs("apiVersion: v1alpha1\nkind: DHCPv4Config\n").other(&["DHCPv4Config/: name must be specified"]),
        case("DHCPv6Empty", "").docs("apiVersion: v1alpha1\nkind: DHCPv6Config\n").other(&["DHCPv6Config/: name must be specified"]),
        case("Layer2VIPEmpty", "")
            .docs("apiVersion: v1alpha1\nkind: Layer2VIPConfig\n")
            .other(&["Layer2VIPConfig/: name must be specified\nlink must be specified"]),
        case("Layer2VIPNoLink", "")
            .docs("apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 10.0.0.5\n")
            .other(&["Layer2VIPConfig/10.0.0.5: link must be specified"]),
        case("Layer2VIPInvalidIP", "")
            .docs("apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: net4\nlink: net0\n")
            .other(&[r#"Layer2VIPConfig/net4: name must be a valid IP address: ParseAddr("net4"): unable to parse IP"#]),
        case("HostnameEmpty", "")
            .docs("apiVersion: v1alpha1\nkind: HostnameConfig\n")
            .other(&["HostnameConfig: either 'auto' or 'hostname' must be set"]),
        case("HostnameBoth", "")
            .docs("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\nhostname: example.org\n")
            .other(&["HostnameConfig: 'auto' and 'hostname' cannot be set at the same time"]),
        case("HostnameInvalidAuto", "")
            .docs("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: talos-addr\n")
            .other(&["HostnameConfig: invalid value for 'auto': talos-addr"]),
        case("HostnameTooLong", "")
            .docs("apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n")
            .other(&["HostnameConfig: invalid hostname \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""]),
        case("HostnameInvalidFQDN", "")
            .docs("apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: .example.org\n")
            .other(&["HostnameConfig: invalid hostname \"\""]),
        case("HostnameStatic", "").docs("apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: cp-1\n"),
        case("HostnameAutoOff", "").docs("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: 'off'\nhostname: cp-1\n"),
        case("HostnameV1Alpha1Static", "machine: {network: {hostname: foo}}")
            .other(&["static hostname is already set in v1alpha1 config"]),
        case("HostnameV1Alpha1Stable", "machine: {features: {stableHostname: true}}")
            .other(&["stable hostname is already set in v1alpha1 config"]),
        case("HostnameV1Alpha1NoDoc", "machine: {network: {hostname: foo}}")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\n")
            .other(&["static hostname is already set in v1alpha1 config"]),
        case("ResolverV1Alpha1Nameservers", "machine: {network: {nameservers: [1.1.1.1]}}")
            .docs("apiVersion: v1alpha1\nkind: ResolverConfig\nnameservers:\n  - address: 10.0.0.1\n")
            .other(&[".machine.network.nameservers is already set in v1alpha1 config"]),
        case("ResolverV1Alpha1SearchDomains", "machine: {network: {searchDomains: [example.com]}}")
            .docs("apiVersion: v1alpha1\nkind: ResolverConfig\n")
            .other(&[".machine.network.searchDomains is already set in v1alpha1 config"]),
        case("ResolverV1Alpha1DisableSearchDomain", "machine: {network: {disableSearchDomain: true}}")
            .docs("apiVersion: v1alpha1\nkind: ResolverConfig\n")
            .other(&[".machine.network.disableSearchDomain is already set in v1alpha1 config"]),
        case("TimeSyncBoth", "")
            .docs("apiVersion: v1alpha1\nkind: TimeSyncConfig\nntp:\n  servers: [pool.ntp.org]\nptp:\n  devices: [/dev/ptp0]\n")
            .other(&["TimeSyncConfig: only one of ntp or ptp configuration can be specified"]),
        case("TimeSyncNegativeBootTimeout", "")
            .docs("apiVersion: v1alpha1\nkind: TimeSyncConfig\nbootTimeout: -1s\n")
            .other(&["TimeSyncConfig: bootTimeout cannot be negative"]),
        case("TimeSyncV1Alpha1Servers", "machine: {time: {servers: [pool.ntp.org]}}")
            .docs("apiVersion: v1alpha1\nkind: TimeSyncConfig\n")
            .other(&["time servers cannot be specified in both v1alpha1 and new-style configuration"]),
        case("TimeSyncV1Alpha1BootTimeout", "machine: {time: {bootTimeout: 2m0s}}")
            .docs("apiVersion: v1alpha1\nkind: TimeSyncConfig\n")
            .other(&["boot timeout cannot be specified in both v1alpha1 and new-style configuration"]),
        case("TimeSyncV1Alpha1Disabled", "machine: {time: {disabled: true}}")
            .docs("apiVersion: v1alpha1\nkind: TimeSyncConfig\n")
            .other(&["time sync cannot be disabled in both v1alpha1 and new-style configuration"]),
        case("StaticHostEmpty", "")
            .docs("apiVersion: v1alpha1\nkind: StaticHostConfig\n")
            .other(&["StaticHostConfig/: name is required\nname must be a valid IP address\nat least one hostname is required"]),
        case("StaticHostNoHostnames", "")
            .docs("apiVersion: v1alpha1\nkind: StaticHostConfig\nname: 10.5.0.2\n")
            .other(&["StaticHostConfig/10.5.0.2: at least one hostname is required"]),
        case("LinkAliasEmpty", "")
            .docs("apiVersion: v1alpha1\nkind: LinkAliasConfig\n")
            .other(&["LinkAliasConfig/: name must be specified\nlink selector is required"]),
        case("BridgeEmpty", "").docs("apiVersion: v1alpha1\nkind: BridgeConfig\n").other(&["BridgeConfig/: name must be specified"]),
        case("DummyEmpty", "").docs("apiVersion: v1alpha1\nkind: DummyLinkConfig\n").other(&["DummyLinkConfig/: name must be specified"]),
        case("RegistryMirrorBadScheme", "")
            .docs("apiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: docker.io\nendpoints:\n  - url: ftp://mirror.example.com\n")
            .other(&[r#"RegistryMirrorConfig/docker.io: endpoints[0].url has unsupported scheme: "ftp""#]),
        case("TwoDocErrors", "persist: false")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\n---\napiVersion: v1alpha1\nkind: BondConfig\nname: bond0\n")
            .v1(&[".persist should be enabled"])
            .other(&[
                "LinkConfig/: name must be specified",
                "BondConfig/bond0: at least one link must be specified\nbond mode must be specified",
            ]),
        case("VolumeConfigEphemeral", "")
            .docs("apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n  maxSize: 40GB\n"),
        case("VolumeConfigUnknownName", "")
            .docs("apiVersion: v1alpha1\nkind: VolumeConfig\nname: DATA\n")
            .other(&[r#"VolumeConfig/DATA: only ["STATE" "EPHEMERAL" "IMAGECACHE"] volumes are supported"#]),
        case("VolumeConfigState", "")
            .docs("apiVersion: v1alpha1\nkind: VolumeConfig\nname: STATE\nprovisioning:\n  minSize: 2GB\n  maxSize: 1GB\n")
            .other(&[r#"VolumeConfig/STATE: provisioning config is not allowed for the "STATE" volume
min size is greater than max size"#]),
        case("VolumeConfigEncryption", "")
            .docs("apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nencryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      nodeID: {}\n    - slot: 0\n")
            .other(&["VolumeConfig/EPHEMERAL: duplicate key slot 0\nat least one encryption key type must be specified for slot 0"]),
        case("VolumeConfigEncryptionConflict", "machine: {systemDiskEncryption: {ephemeral: {provider: luks2, keys: [{slot: 0, nodeID: {}}]}}}")
            .docs("apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nencryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      nodeID: {}\n")
            .other(&[r#"system disk encryption for "EPHEMERAL" is configured in both v1alpha1.Config and VolumeConfig"#]),
        // --- container.New: duplicates and conflicts (§4.3) ---
        case("ConflictLinkBond", "")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\nname: bond0\n---\napiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [eth0]\nbondMode: 802.3ad\n")
            .decode("conflicting documents: LinkConfig/bond0 and BondConfig/bond0"),
        case("ConflictVLANBridge", "")
            .docs("apiVersion: v1alpha1\nkind: VLANConfig\nname: x\nvlanID: 2\nparent: eth0\n---\napiVersion: v1alpha1\nkind: BridgeConfig\nname: x\n")
            .decode("conflicting documents: VLANConfig/x and BridgeConfig/x"),
        case("DHCPSharesLinkName", "")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\n---\napiVersion: v1alpha1\nkind: DHCPv4Config\nname: eth0\n"),
        case("DuplicateHostname", "")
            .docs("apiVersion: v1alpha1\nkind: ResolverConfig\n---\napiVersion: v1alpha1\nkind: ResolverConfig\n")
            .decode("duplicate document v1alpha1/ResolverConfig/ is not allowed"),
        case("DuplicateV1Alpha1", "")
            .docs("machine: {type: worker}\n")
            .decode("duplicate document /v1alpha1/ is not allowed"),
        case("DuplicateV1Alpha1Versioned", "")
            .docs("apiVersion: v1alpha1\nmachine: {type: worker}\n")
            .decode("unknown keys found during decoding:\napiVersion: v1alpha1\n"),
        // --- configloader decoding ---
        case("UnknownKey", "machine: {foo: bar}").decode("unknown keys found during decoding:\nmachine:\n    foo: bar\n"),
        case("UnknownKeyNested", "machine: {network: {interfaces: [{interface: eth0, dhcp: true, dhcpp: true}]}, install: {diks: /dev/sda}}")
            .decode("unknown keys found during decoding:\nmachine:\n    install:\n        diks: /dev/sda\n    network:\n        interfaces:\n            - dhcpp: true\n"),
        case("UnknownKeyDoc", "")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\nmtuu: 1500\n")
            .decode("unknown keys found during decoding:\nmtuu: 1500\n"),
        case("MissingKind", "").docs("apiVersion: v1\nname: x\n").decode("missing kind"),
        case("ApiVersionOnlyIsV1Alpha1", "")
            .docs("apiVersion: v1alpha1\nname: x\n")
            .decode("unknown keys found during decoding:\napiVersion: v1alpha1\nname: x\n"),
        case("VersionOnly", "").docs("version: v1alpha1\n").decode("duplicate document /v1alpha1/ is not allowed"),
        case("NotRegistered", "").docs("apiVersion: v1alpha1\nkind: FooConfig\n").decode(r#""FooConfig" "v1alpha1": not registered"#),
        case("WrongVersion", "").docs("apiVersion: v1alpha2\nkind: LinkConfig\nname: x\n").decode(r#""LinkConfig" "v1alpha2": not registered"#),
        case("TypeErrorBool", "debug: maybe")
            .decode("error decoding  to *v1alpha1.Config: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!str `maybe` into bool"),
        case("TypeErrorInt", "machine: {network: {kubespan: {mtu: big}}}")
            .decode("error decoding  to *v1alpha1.Config: yaml: unmarshal errors:\n  line 17: cannot unmarshal !!str `big` into uint32"),
        case("TypeErrorSeq", "machine: {certSANs: foo}")
            .decode("error decoding  to *v1alpha1.Config: yaml: unmarshal errors:\n  line 10: cannot unmarshal !!str `foo` into []string"),
        case("BoolYes", "debug: 'yes'"),
        case("DurationBad", "machine: {time: {bootTimeout: 1 min}}")
            .decode("error decoding  to *v1alpha1.Config: yaml: unmarshal errors:\n  line 30: cannot unmarshal !!str `1 min` into time.Duration"),
        case("DurationInt", "machine: {time: {bootTimeout: 60}}")
            .decode("error decoding  to *v1alpha1.Config: yaml: unmarshal errors:\n  line 30: cannot unmarshal !!int `60` into time.Duration"),
        case("DiskSelectorSize", "machine: {install: {diskSelector: {size: '>= 100GB'}}}").metal(),
        case("DiskSelectorSizeBad", "machine: {install: {diskSelector: {size: '>= 100 XB'}}}")
            .decode("error decoding  to *v1alpha1.Config: failed to parse disk size  100 XB: unhandled size name: xb"),
        case("DiskPartitionSizeBad", "machine: {disks: [{device: /dev/sdb, partitions: [{mountpoint: /var/a, size: lots}]}]}")
            .decode("error decoding  to *v1alpha1.Config: strconv.ParseFloat: parsing \"\": invalid syntax"),
        case("CAKeyNotBase64", "machine: {ca: {key: redacted-os-key}}")
            .decode("error decoding  to *v1alpha1.Config: illegal base64 data at input byte 8"),
        case("CACrtTruncated", "cluster: {ca: {crt: Zm9vYmE}}")
            .decode("error decoding  to *v1alpha1.Config: illegal base64 data at input byte 4"),
        case("CAKeyRedacted", "cluster: {etcd: {ca: {key: '******'}}}"),
        // Talos 1.13's `v1alpha1.Args`: a value is a string or a list of strings.
        case("ExtraArgsList", "machine: {kubelet: {extraArgs: {feature-gates: [A=true, B=false]}}}"),
        case("ExtraArgsMap", "machine: {kubelet: {extraArgs: {feature-gates: {A: true}}}}")
            .decode("error decoding  to *v1alpha1.Config: arg value must be a string or list of strings"),
        case("EndpointUnparsable", "cluster: {controlPlane: {endpoint: 'ht tp://x'}}")
            .decode("error decoding  to *v1alpha1.Config: parse \"ht tp://x\": first path segment in URL cannot contain colon"),
        case("EndpointMissingScheme", "cluster: {controlPlane: {endpoint: ':6443'}}")
            .decode("error decoding  to *v1alpha1.Config: parse \":6443\": missing protocol scheme"),
        case("VLANModeBad", "")
            .docs("apiVersion: v1alpha1\nkind: VLANConfig\nname: eth0.2\nvlanID: 2\nparent: eth0\nvlanMode: 802.1x\n")
            .decode("error decoding VLANConfig to *network.VLANConfigV1Alpha1: 802.1x does not belong to VLANProtocol values"),
        case("HostnameAutoBad", "")
            .docs("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: random\n")
            .decode("error decoding HostnameConfig to *network.HostnameConfigV1Alpha1: random does not belong to AutoHostnameKind values"),
        case("HostnameAutoUpper", "").docs("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: STABLE\n"),
        case("Layer2VIPBadName", "")
            .docs("apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 10.0.0\nlink: bond0\n")
            .other(&[r#"Layer2VIPConfig/10.0.0: name must be a valid IP address: ParseAddr("10.0.0"): IPv4 address too short"#]),
        case("DisksNull", "machine: {disks: [null]}").v1(&["machine.disks[0] is null"]),
        case("RegistryConfigNull", "machine: {registries: {config: {'my.registry': null}}}")
            .v1(&[r#"registries.config["my.registry"] is null"#]),
        case("WorkerVLANVIP", "machine: {network: {interfaces: [{interface: eth0, vlans: [{vlanId: 5, vip: {ip: 10.0.0.5}}]}]}}")
            .worker()
            .v1(&["virtual (shared) IP is not allowed on non-controlplane nodes"]),
        case("LinkBadPrefix", "")
            .docs("apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\naddresses:\n  - address: 1.2.3.4\n")
            .decode("error decoding LinkConfig to *network.LinkConfigV1Alpha1: netip.ParsePrefix(\"1.2.3.4\"): no '/'"),
    ]
}

fn goldens() -> Option<(String, String)> {
    Some((
        oracle_text("talos-examples/gen-v1.12-base-controlplane.yaml")?,
        oracle_text("talos-examples/gen-v1.12-base-worker.yaml")?,
    ))
}

#[test]
fn corpus_matches_talos() {
    let Some((cp, worker)) = goldens() else {
        return;
    };
    let cases = corpus();
    let mut failures = Vec::new();
    for c in &cases {
        let text = c.text(&cp, &worker);
        // the corpus replays Talos v1.12.0's expectations (its goldens name no installer)
        let mut got = validate_text_for(&text, c.mode, c.strict, Some(12));
        let want = c.expected();
        // `details` restates the errors one by one; checked in `details_list_each_error`
        assert!(got.details.len() >= got.errors.len(), "{}", c.name);
        got.details.clear();
        if got != want {
            failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", c.name));
        }
    }
    let invalid = cases.iter().filter(|c| !c.expected().is_valid()).count();
    eprintln!("corpus: {} cases, {invalid} invalid", cases.len());
    assert!(invalid >= 80, "only {invalid} invalid cases");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn goldens_are_valid() {
    let Some((cp, worker)) = goldens() else {
        return;
    };
    for text in [&cp, &worker] {
        for mode in [Mode::Cloud, Mode::Container] {
            assert_eq!(validate_text(text, mode, true), Outcome::default());
        }
        // the library-generated goldens have no install disk (the CLI adds /dev/sda)
        let metal = validate_text(text, Mode::Metal, false);
        assert_eq!(
            metal.errors,
            vec![
                "v1alpha1.Config: 1 error occurred:\n\t* either install disk or diskSelector should be defined\n\n"
            ]
        );
        let with_disk = text.replacen(
            "        wipe: false",
            "        disk: /dev/sda\n        wipe: false",
            1,
        );
        assert_eq!(
            validate_text(&with_disk, Mode::Metal, true),
            Outcome::default()
        );
        assert!(
            schema_findings(text).is_empty(),
            "{:?}",
            schema_findings(text)
        );
    }
}

#[test]
fn network_examples_are_valid_appended_to_goldens() {
    let Some((cp, worker)) = goldens() else {
        return;
    };
    let names = crate::testutil::NETWORK_EXAMPLES;
    for name in names {
        let Some(doc) = oracle_text(&format!("talos-examples/network/{name}.yaml")) else {
            return;
        };
        for base in [&cp, &worker] {
            let base = if *name == "hostnameconfig" {
                base.split("---\n").next().unwrap_or_default().to_string()
            } else {
                base.clone()
            };
            let text = format!("{base}---\n{doc}");
            assert_eq!(
                validate_text(&text, Mode::Cloud, true),
                Outcome::default(),
                "{name}"
            );
            assert!(
                schema_findings(&doc).is_empty(),
                "{name}: {:?}",
                schema_findings(&doc)
            );
        }
    }
}

#[test]
fn talosctl_output() {
    let Some((cp, _)) = goldens() else {
        return;
    };
    let ok = validate_text(&cp, Mode::Cloud, false);
    assert_eq!(
        format_talosctl(&ok, "cp.yaml", Mode::Cloud),
        ("cp.yaml is valid for cloud mode\n".to_string(), 0)
    );
    let bad = validate_text(&cp, Mode::Metal, false);
    assert_eq!(
        format_talosctl(&bad, "cp.yaml", Mode::Metal),
        (
            "1 error occurred:\n\t* v1alpha1.Config: 1 error occurred:\n\t* either install disk or diskSelector should be defined\n\n\n\n\n"
                .to_string(),
            1
        )
    );
    let custom = cp.replacen(
        "        dnsDomain: cluster.local",
        "        cni:\n            name: custom\n        dnsDomain: cluster.local",
        1,
    );
    let warned = validate_text(&custom, Mode::Cloud, false);
    assert_eq!(
        format_talosctl(&warned, "cp.yaml", Mode::Cloud).0,
        "WARNING: \"urls\" field should not be empty for \"custom\" CNI\ncp.yaml is valid for cloud mode\n"
    );
    // Talos v1.13's decoder names the document and its line (the default: no installer
    // image says otherwise); v1.12's does not.
    let decode = validate_text("machine: {foo: 1}\n", Mode::Metal, false);
    assert_eq!(
        format_talosctl(&decode, "x.yaml", Mode::Metal),
        (
            "error decoding document /v1alpha1/ (line 1): unknown keys found during decoding:\nmachine:\n    foo: 1\n\n".to_string(),
            1
        )
    );
    let decode = validate_text_for("machine: {foo: 1}\n", Mode::Metal, false, Some(12));
    assert_eq!(
        format_talosctl(&decode, "x.yaml", Mode::Metal),
        (
            "unknown keys found during decoding:\nmachine:\n    foo: 1\n\n".to_string(),
            1
        )
    );
}

#[test]
fn details_list_each_error() {
    let Some((cp, _)) = goldens() else {
        return;
    };
    let text = format!(
        "{}---\napiVersion: v1alpha1\nkind: BondConfig\nname: bond0\n",
        cp.replacen("persist: true", "persist: false", 1).replacen(
            "        wipe: false",
            "        wipe: false\n        extraKernelArgs: [a]",
            1
        )
    );
    let out = validate_text(&text, Mode::Metal, false);
    assert_eq!(
        out.details,
        vec![
            "v1alpha1.Config: either install disk or diskSelector should be defined",
            "v1alpha1.Config: install.extraKernelArgs and install.grubUseUKICmdline can't be used together",
            "v1alpha1.Config: .persist should be enabled",
            "BondConfig/bond0: at least one link must be specified",
            "BondConfig/bond0: bond mode must be specified",
        ]
    );
    assert_eq!(out.errors.len(), 2);
}

#[test]
fn multierror_formats_like_hashicorp() {
    assert_eq!(multierror(&["a".into()]), "1 error occurred:\n\t* a\n\n");
    assert_eq!(
        multierror(&["a".into(), "b".into()]),
        "2 errors occurred:\n\t* a\n\t* b\n\n"
    );
}

#[test]
fn schema_findings_point_at_the_line() {
    let text = "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [eth0]\nbondMode: roundrobin\nmtuu: 9000\n";
    let f = schema_findings(text);
    assert_eq!(f.len(), 2, "{f:?}");
    let lines: Vec<usize> = f
        .iter()
        .map(|(_, s)| text[..s.start].matches('\n').count() + 1)
        .collect();
    assert!(lines.contains(&5) && lines.contains(&6), "{f:?}");
    assert!(
        f.iter().any(|(m, _)| m.contains("'mtuu' was unexpected")),
        "{f:?}"
    );
    let v1 = "version: v1alpha1\npersist: true\nmachine:\n  type: boss\n";
    let f = schema_findings(v1);
    assert!(
        f.iter()
            .any(|(m, s)| m.starts_with("/machine/type") && &v1[s.clone()] == "boss"),
        "{f:?}"
    );
}

#[test]
fn duplicate_keys_fail_like_go_decoding() {
    let v1 = validate_text(
        "machine:\n  type: worker\n  type: controlplane\n",
        Mode::Metal,
        false,
    );
    assert_eq!(
        v1.decode_error.as_deref(),
        Some(
            "error decoding  to *v1alpha1.Config: yaml: unmarshal errors:\n  line 3: mapping key \"type\" already defined at line 2"
        )
    );
    let doc = "machine: {}\n---\napiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\nmtu: 1500\nmtu: 9000\n";
    assert_eq!(
        validate_text(doc, Mode::Metal, false)
            .decode_error
            .as_deref(),
        Some(
            "error decoding LinkConfig to *network.LinkConfigV1Alpha1: yaml: unmarshal errors:\n  line 7: mapping key \"mtu\" already defined at line 6"
        )
    );
}

#[test]
fn sops_and_garbage_do_not_panic() {
    for text in [
        "",
        "---\n",
        "- a\n- b\n",
        "foo",
        "machine: [1, 2]\n",
        ": :\n  - ]",
    ] {
        let _ = validate_text(text, Mode::Metal, false);
        let _ = schema_findings(text);
    }
    let _ = Map::new();
}

/// End to end: every node talforge renders for the infra cluster (and the examples) is
/// valid for metal mode, strictly, with the upstream test secrets.
#[test]
fn rendered_nodes_validate_clean() {
    let Some(text) = oracle_text("talos-examples/gen-input-secrets.yaml") else {
        return;
    };
    let doc = parse_documents(&text).unwrap().remove(0).value;
    let secrets = crate::secrets::bundle::Bundle::from_yaml(&doc).expect("oracle secrets load");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let limits = crate::script::Limits::default();
    let mut checked = 0;
    for script in [root.join("clusters/infra.rhai"), root.join("examples")] {
        let Ok(ev) = crate::pipeline::evaluate_path(&script, &limits) else {
            continue;
        };
        for cluster in &ev.fleet.clusters {
            for node in &cluster.nodes {
                let docs = crate::talos::generate::render_node(cluster, node, &secrets).unwrap();
                let mut out = validate_docs(&docs, Mode::Metal, true);
                // Talos v1.13 warns on an 802.3ad BondConfig without miimon, updelay and
                // downdelay (bond.go `validateFor8023AD`); warnings leave a config valid
                out.warnings
                    .retain(|w| !w.ends_with(" was not specified for 802.3ad bond"));
                assert_eq!(
                    out,
                    Outcome::default(),
                    "{} {}",
                    cluster.name,
                    node.hostname
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 6, "only {checked} nodes rendered");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Mangled goldens (lines dropped, duplicated or replaced with junk) never panic.
    #[test]
    fn mangled_configs_never_panic(
        edits in proptest::collection::vec((0usize..200, 0u8..3, "[ -~]{0,24}"), 1..6)
    ) {
        let Some((cp, _)) = goldens() else {
            return Ok(());
        };
        let mut lines: Vec<String> = cp.lines().map(str::to_string).collect();
        for (at, op, junk) in edits {
            let i = at % lines.len().max(1);
            match op {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                _ => lines[i] = format!("{}{junk}", &lines[i][..lines[i].len() - lines[i].trim_start().len()]),
            }
            if lines.is_empty() {
                lines.push(String::new());
            }
        }
        let text = lines.join("\n");
        for mode in [Mode::Metal, Mode::Cloud, Mode::Container] {
            let out = validate_text(&text, mode, true);
            let _ = format_talosctl(&out, "x.yaml", mode);
        }
        let _ = schema_findings(&text);
    }
}
