//! Machine config rendering against Talos' goldens, the network samples and the JSON schema.

use super::*;
use crate::factory::schematic;
use crate::model::{Bond, Cidr, Cluster, Interface, Node, Role, Route, Schematic, Taint, parse_ip};
use crate::secrets::bundle::{Bundle, CertKey};
use crate::testutil::{oracle, oracle_text};
use crate::yaml::{EmitOptions, Yaml, emit_documents, to_json};

pub(super) fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

pub(super) fn emit(docs: &[Yaml]) -> String {
    emit_documents(docs, &EmitOptions { indent: 4 })
}

/// The bundle whose values are the placeholder names used in `testdata/`.
pub(super) fn placeholder_bundle() -> Bundle {
    let ck = |n: &str| CertKey {
        crt: format!("{n}-CRT"),
        key: format!("{n}-KEY"),
    };
    Bundle {
        cluster_id: "CLUSTER-ID".into(),
        cluster_secret: "CLUSTER-SECRET".into(),
        bootstrap_token: "BOOTSTRAP-TOKEN".into(),
        secretbox_encryption_secret: Some("SECRETBOX-SECRET".into()),
        aescbc_encryption_secret: None,
        trustd_token: "TRUSTD-TOKEN".into(),
        etcd: ck("ETCD"),
        k8s: ck("K8S"),
        k8s_aggregator: ck("K8SAGGREGATOR"),
        k8s_service_account: CertKey {
            crt: String::new(),
            key: "K8SSERVICEACCOUNT-KEY".into(),
        },
        os: ck("OS"),
    }
}

/// The upstream stability secrets (test keys) from the oracle.
pub(super) fn oracle_bundle() -> Option<Bundle> {
    let text = oracle_text("talos-examples/gen-input-secrets.yaml")?;
    let doc = crate::yaml::parse_documents(&text).unwrap().remove(0).value;
    Some(Bundle::from_yaml(&doc).expect("oracle secrets load"))
}

/// The inputs of Talos' stability goldens: cluster `base`, K8s 1.28.0, nothing else.
pub(super) fn golden_input(talos: &str, role: Role) -> GenInput {
    GenInput::new(
        "base",
        "https://base:6443",
        Some(v("1.28.0")),
        v(talos),
        role,
    )
}

#[test]
fn gen_config_matches_talos_v1_12_goldens_byte_for_byte() {
    let Some(secrets) = oracle_bundle() else {
        return;
    };
    for (role, file) in [
        (Role::ControlPlane, "gen-v1.12-base-controlplane.yaml"),
        (Role::Worker, "gen-v1.12-base-worker.yaml"),
    ] {
        let Some(expected) = oracle_text(&format!("talos-examples/{file}")) else {
            return;
        };
        let docs = generate(&golden_input("v1.12.0", role), &secrets).unwrap();
        assert_eq!(emit(&docs), expected, "{file}");
    }
}

#[test]
fn old_contracts_are_refused() {
    let err = generate(&golden_input("v1.2.0", Role::Worker), &placeholder_bundle()).unwrap_err();
    assert_eq!(
        err,
        "talos version `v1.2.0` is not supported (machine configs need v1.3 or later)"
    );
}

/// The seed story's node: bond0 (802.3ad, fast LACP, MTU 9000, DHCP) and, on control
/// planes, the endpoint VIP.
fn infra(talos: &str) -> (Cluster, Node, Node) {
    let mut c = Cluster::new("infra", "https://10.25.11.10:6443", v(talos), v("v1.35.0"));
    c.pod_nets = vec![Cidr::parse("10.42.0.0/16").unwrap()];
    c.service_nets = vec![Cidr::parse("10.43.0.0/16").unwrap()];
    c.allow_scheduling_on_control_planes = true;
    c.cni = Cni::None;
    let bond = |vip: bool| Interface {
        bond: Some(Bond {
            links: vec!["enp0s1".into(), "enp0s2".into()],
            mode: Some("802.3ad".into()),
            lacp_rate: Some("fast".into()),
            ..Bond::default()
        }),
        mtu: Some(9000),
        dhcp: true,
        vip: vip.then(|| parse_ip("10.25.11.10").unwrap()),
        ..Interface::new("bond0")
    };
    let mut cp = Node::new(
        "infra-cp-1",
        parse_ip("10.25.11.11").unwrap(),
        Role::ControlPlane,
    );
    cp.install = Some(InstallDisk::Path("/dev/nvme0n1".into()));
    cp.interfaces = vec![bond(true)];
    let mut wk = Node::new("infra-wk-1", parse_ip("10.25.11.14").unwrap(), Role::Worker);
    wk.install = Some(InstallDisk::Path("/dev/nvme0n1".into()));
    wk.interfaces = vec![bond(false)];
    (c, cp, wk)
}

fn kinds(docs: &[Yaml]) -> Vec<&str> {
    docs.iter()
        .map(|d| d.get("kind").and_then(Yaml::as_str).unwrap_or("v1alpha1"))
        .collect()
}

#[test]
fn infra_node_v1_12_uses_network_documents() {
    let (c, cp, wk) = infra("v1.12.0");
    let docs = render_node(&c, &cp, &placeholder_bundle()).unwrap();
    assert_eq!(
        kinds(&docs),
        [
            "v1alpha1",
            "HostnameConfig",
            "BondConfig",
            "DHCPv4Config",
            "Layer2VIPConfig"
        ]
    );
    let m = &docs[0];
    assert_eq!(m.get_path("machine.network"), Some(&Yaml::map()));
    assert_eq!(
        m.get_path("machine.install.disk").and_then(Yaml::as_str),
        Some("/dev/nvme0n1")
    );
    assert_eq!(
        m.get_path("machine.install.image").and_then(Yaml::as_str),
        Some(
            "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.12.0"
        )
    );
    assert_eq!(
        m.get_path("cluster.network.cni.name")
            .and_then(Yaml::as_str),
        Some("none")
    );
    assert_eq!(
        m.get_path("cluster.allowSchedulingOnControlPlanes"),
        Some(&Yaml::Bool(true))
    );
    assert_eq!(
        m.get_path("machine.kubelet.image").and_then(Yaml::as_str),
        Some("ghcr.io/siderolabs/kubelet:v1.35.0")
    );
    // Compared as a value: whether `off` is single- or double-quoted is the emitter's call.
    assert_eq!(
        docs[1],
        Yaml::from_pairs([
            ("apiVersion", Yaml::str("v1alpha1")),
            ("kind", Yaml::str("HostnameConfig")),
            ("auto", Yaml::str("off")),
            ("hostname", Yaml::str("infra-cp-1")),
        ])
    );
    let expected = "\
apiVersion: v1alpha1
kind: BondConfig
name: bond0
links:
    - enp0s1
    - enp0s2
bondMode: 802.3ad
lacpRate: fast
mtu: 9000
---
apiVersion: v1alpha1
kind: DHCPv4Config
name: bond0
---
apiVersion: v1alpha1
kind: Layer2VIPConfig
name: 10.25.11.10
link: bond0
";
    assert_eq!(emit(&docs[2..]), expected);
    let docs = render_node(&c, &wk, &placeholder_bundle()).unwrap();
    assert_eq!(
        kinds(&docs),
        ["v1alpha1", "HostnameConfig", "BondConfig", "DHCPv4Config"]
    );
    assert_eq!(
        docs[0].get_path("cluster.allowSchedulingOnControlPlanes"),
        None
    );
}

#[test]
fn infra_node_v1_11_uses_legacy_interfaces() {
    let (c, cp, _) = infra("v1.11.0");
    let docs = render_node(&c, &cp, &placeholder_bundle()).unwrap();
    assert_eq!(kinds(&docs), ["v1alpha1"]);
    let network = docs[0].get_path("machine.network").unwrap();
    let expected = "\
hostname: infra-cp-1
interfaces:
    - interface: bond0
      bond:
        interfaces:
            - enp0s1
            - enp0s2
        mode: 802.3ad
        lacpRate: fast
      mtu: 9000
      dhcp: true
      vip:
        ip: 10.25.11.10
";
    assert_eq!(emit(std::slice::from_ref(network)), expected);
    let features = docs[0]
        .get_path("machine.features")
        .unwrap()
        .as_map()
        .unwrap();
    let keys: Vec<&str> = features.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "rbac",
            "stableHostname",
            "apidCheckExtKeyUsage",
            "diskQuotaSupport",
            "kubePrism",
            "hostDNS"
        ]
    );
    // ≤ 1.11 prepends the endpoint host to the API server SANs.
    assert_eq!(
        docs[0].get_path("cluster.apiServer.certSANs"),
        Some(&Yaml::str_seq(["10.25.11.10"]))
    );
}

#[test]
#[allow(clippy::too_many_lines)] // one table of cases
fn node_fields_land_where_talhelper_puts_them() {
    let (mut c, mut cp, _) = infra("v1.12.0");
    c.machine_cert_sans = vec!["cp.example".into()];
    c.api_server_cert_sans = vec!["api.example".into()];
    c.dns_domain = Some("example.com".into());
    cp.cert_sans = vec!["10.25.11.11".into()];
    cp.kernel_modules = vec![crate::model::KernelModule::new("rbd")];
    cp.labels.insert("zone".into(), "b".into());
    cp.labels.insert("rack10".into(), "x".into());
    cp.labels.insert("rack9".into(), "y".into());
    cp.annotations.insert("note".into(), "hi".into());
    cp.taints.push(Taint {
        key: "dedicated".into(),
        value: "infra".into(),
        effect: "NoSchedule".into(),
    });
    cp.nameservers = vec![parse_ip("1.1.1.1").unwrap()];
    cp.interfaces.push(Interface {
        addresses: vec![Cidr::parse("192.168.1.5/24").unwrap()],
        routes: vec![
            Route {
                network: None,
                gateway: parse_ip("192.168.1.1"),
                source: None,
                metric: Some(100),
                mtu: None,
            },
            Route {
                network: Cidr::parse("10.3.0.0/16"),
                gateway: parse_ip("192.168.1.254"),
                source: None,
                metric: None,
                mtu: None,
            },
        ],
        ..Interface::new("enp1s0")
    });
    cp.image = Some("ghcr.io/siderolabs/installer".into());
    let docs = render_node(&c, &cp, &placeholder_bundle()).unwrap();
    let m = &docs[0];
    assert_eq!(
        m.get_path("machine.certSANs"),
        Some(&Yaml::str_seq(["cp.example", "10.25.11.11"]))
    );
    assert_eq!(
        m.get_path("cluster.apiServer.certSANs"),
        Some(&Yaml::str_seq(["api.example"]))
    );
    assert_eq!(
        m.get_path("cluster.network.dnsDomain")
            .and_then(Yaml::as_str),
        Some("example.com")
    );
    assert_eq!(
        m.get_path("machine.install.image").and_then(Yaml::as_str),
        Some("ghcr.io/siderolabs/installer:v1.12.0")
    );
    let machine_keys: Vec<&str> = m
        .get("machine")
        .unwrap()
        .as_map()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        machine_keys,
        [
            "type",
            "token",
            "ca",
            "certSANs",
            "kubelet",
            "network",
            "install",
            "features",
            "kernel",
            "nodeLabels",
            "nodeAnnotations",
            "nodeTaints"
        ]
    );
    // talhelper assigns the node's labels, replacing gen config's exclude-from-LB label;
    // Go sorts map keys naturally.
    let labels: Vec<&str> = m
        .get_path("machine.nodeLabels")
        .unwrap()
        .as_map()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(labels, ["rack9", "rack10", "zone"]);
    assert_eq!(
        m.get_path("machine.nodeTaints.dedicated")
            .and_then(Yaml::as_str),
        Some("infra:NoSchedule")
    );
    assert_eq!(
        kinds(&docs),
        [
            "v1alpha1",
            "HostnameConfig",
            "ResolverConfig",
            "BondConfig",
            "DHCPv4Config",
            "Layer2VIPConfig",
            "LinkConfig"
        ]
    );
    let expected = "\
apiVersion: v1alpha1
kind: ResolverConfig
nameservers:
    - address: 1.1.1.1
searchDomains:
    disableDefault: false
";
    assert_eq!(emit(&docs[2..3]), expected);
    let expected = "\
apiVersion: v1alpha1
kind: LinkConfig
name: enp1s0
addresses:
    - address: 192.168.1.5/24
routes:
    - gateway: 192.168.1.1
      metric: 100
    - destination: 10.3.0.0/16
      gateway: 192.168.1.254
";
    assert_eq!(emit(&docs[6..]), expected);
}

#[test]
fn control_plane_without_labels_keeps_the_exclude_label() {
    let (c, cp, wk) = infra("v1.12.0");
    let cp_docs = render_node(&c, &cp, &placeholder_bundle()).unwrap();
    assert_eq!(
        cp_docs[0].get_path("machine.nodeLabels"),
        Some(&Yaml::from_pairs([(
            "node.kubernetes.io/exclude-from-external-load-balancers",
            Yaml::str("")
        )]))
    );
    let wk_docs = render_node(&c, &wk, &placeholder_bundle()).unwrap();
    assert_eq!(wk_docs[0].get_path("machine.nodeLabels"), None);
}

#[test]
fn disk_selector_and_schematic_kernel_args_before_1_12() {
    let (c, mut cp, _) = infra("v1.11.0");
    cp.install = Some(InstallDisk::Selector(crate::model::DiskSelector {
        size: Some(">= 256GB".into()),
        disk_type: Some("nvme".into()),
        ..Default::default()
    }));
    let mut s = Schematic::default();
    s.customization.extra_kernel_args = vec!["net.ifnames=0".into()];
    cp.schematic = Some(s);
    let docs = render_node(&c, &cp, &placeholder_bundle()).unwrap();
    let install = docs[0].get_path("machine.install").unwrap();
    let id = schematic::id(cp.schematic.as_ref().unwrap());
    let expected = format!(
        "\
diskSelector:
    size: '>= 256GB'
    type: nvme
extraKernelArgs:
    - net.ifnames=0
image: factory.talos.dev/metal-installer/{id}:v1.11.0
wipe: false
"
    );
    assert_eq!(emit(std::slice::from_ref(install)), expected);
    // From 1.12 Talos defaults to grubUseUKICmdline, so talhelper leaves the args out.
    let (c12, ..) = infra("v1.12.0");
    let docs = render_node(&c12, &cp, &placeholder_bundle()).unwrap();
    assert_eq!(docs[0].get_path("machine.install.extraKernelArgs"), None);
}

#[test]
fn schematic_ids_match_the_image_factory() {
    let exts = |names: &[&str], args: &[&str]| {
        let mut s = Schematic::default();
        s.customization.official_extensions = names.iter().map(|n| n.to_string()).collect();
        s.customization.extra_kernel_args = args.iter().map(|n| n.to_string()).collect();
        schematic::id(&s)
    };
    // The well-known ID of the qemu-guest-agent schematic on factory.talos.dev.
    assert_eq!(
        exts(&["siderolabs/qemu-guest-agent"], &[]),
        "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515"
    );
    assert_eq!(
        exts(
            &["siderolabs/i915-ucode", "siderolabs/intel-ucode"],
            &["net.ifnames=0"]
        ),
        "22b1d04da881ef7c57edb0f24d1f3ba2c78a8e22cbe3fa9af4f42d487b2863f7"
    );
}

#[test]
fn explicit_image_wins_over_schematic_and_secure_boot_picks_its_installer() {
    let (c, mut cp, _) = infra("v1.12.0");
    let vanilla = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
    assert_eq!(
        installer_image(&c, &cp),
        format!("factory.talos.dev/metal-installer/{vanilla}:v1.12.0")
    );
    // talhelper's default template: `<mode>-installer[-secureboot]`.
    cp.machine_spec.secureboot = true;
    cp.machine_spec.mode = Some("aws".into());
    assert_eq!(
        installer_image(&c, &cp),
        format!("factory.talos.dev/aws-installer-secureboot/{vanilla}:v1.12.0")
    );
    cp.schematic = Some(Schematic::default());
    cp.image = Some("registry.local/talos/installer".into());
    assert_eq!(
        installer_image(&c, &cp),
        "registry.local/talos/installer:v1.12.0"
    );
}

#[test]
fn output_file_name_is_cluster_dash_hostname() {
    let (c, cp, _) = infra("v1.12.0");
    assert_eq!(output_file_name(&c, &cp), "infra-infra-cp-1.yaml");
}

/// Parses an oracle network sample, keeps only `keep` keys (what talhelper can produce) and
/// re-emits it, so key order and formatting can be compared with ours.
fn sample(name: &str, keep: &[&str]) -> Option<String> {
    let text = oracle_text(&format!("talos-examples/network/{name}"))?;
    let mut doc = crate::yaml::parse_documents(&text).unwrap().remove(0).value;
    if let Some(m) = doc.as_map_mut() {
        m.retain(|k, _| keep.contains(&k.as_str()));
    }
    if let Some(Yaml::Seq(addrs)) = doc.as_map_mut().and_then(|m| m.get_mut("addresses")) {
        for a in addrs {
            if let Some(m) = a.as_map_mut() {
                m.retain(|k, _| k == "address");
            }
        }
    }
    Some(emit(&[doc]))
}

#[test]
fn network_documents_match_talos_samples() {
    let Some(expected) = oracle_text("talos-examples/network/hostnameconfig.yaml") else {
        return;
    };
    assert_eq!(emit(&[network::hostname_config(None)]), expected);

    let mut input = golden_input("v1.12.0", Role::ControlPlane);
    input.interfaces = vec![Interface {
        vip: parse_ip("1.2.3.4"),
        ..Interface::new("net0")
    }];
    assert_eq!(
        Some(emit(&super::nettests::docs(input.interfaces.clone()))),
        oracle_text("talos-examples/network/layer2vipconfig.yaml")
    );

    // Bond: the sample's fields talhelper can express.
    input.interfaces = vec![Interface {
        bond: Some(Bond {
            links: vec!["eth0".into(), "eth1".into()],
            mode: Some("802.3ad".into()),
            miimon: Some(100),
            updelay: Some(200),
            downdelay: Some(200),
            xmit_hash_policy: Some("layer3+4".into()),
            lacp_rate: Some("slow".into()),
            ..Bond::default()
        }),
        addresses: vec![Cidr::parse("1.2.3.4/24").unwrap()],
        ..Interface::new("agg.0")
    }];
    let keep = [
        "apiVersion",
        "kind",
        "name",
        "links",
        "bondMode",
        "miimon",
        "updelay",
        "downdelay",
        "xmitHashPolicy",
        "lacpRate",
        "addresses",
    ];
    assert_eq!(
        Some(emit(&super::nettests::docs(input.interfaces.clone()))),
        sample("bondconfig.yaml", &keep)
    );

    // Link: MTU, both address families, a routed network and a default route.
    input.interfaces = vec![Interface {
        mtu: Some(9000),
        addresses: vec![
            Cidr::parse("192.168.1.100/24").unwrap(),
            Cidr::parse("2001:db8::1/64").unwrap(),
        ],
        routes: vec![
            Route {
                network: Cidr::parse("10.3.5.0/24"),
                gateway: parse_ip("10.3.5.1"),
                source: None,
                metric: None,
                mtu: None,
            },
            Route {
                network: None,
                gateway: parse_ip("fe80::1"),
                source: None,
                metric: None,
                mtu: None,
            },
        ],
        ..Interface::new("enp0s1")
    }];
    let keep = ["apiVersion", "kind", "name", "mtu", "addresses", "routes"];
    assert_eq!(
        Some(emit(&super::nettests::docs(input.interfaces.clone()))),
        sample("linkconfig.yaml", &keep)
    );

    input.interfaces = vec![Interface {
        dhcp: true,
        ..Interface::new("enp0s3")
    }];
    assert_eq!(
        Some(emit(&super::nettests::docs(input.interfaces.clone()))),
        sample("dhcpv4config.yaml", &["apiVersion", "kind", "name"])
    );
}

/// Validates each document against its `$defs` entry of the Talos v1.12.0 schema.
fn schema_errors(docs: &[Yaml]) -> Option<Vec<String>> {
    let path = oracle("talos-v1.12.0-config.schema.json")?;
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut errors = Vec::new();
    for d in docs {
        let json = to_json(d);
        errors.extend(validator.iter_errors(&json).map(|e| {
            format!(
                "{}: {e} at {}",
                kinds(std::slice::from_ref(d))[0],
                e.instance_path()
            )
        }));
    }
    Some(errors)
}

/// Keys the schema leaves out although Talos accepts them (deprecated, `docgen:nodoc`).
fn strip_deprecated(doc: &mut Yaml) {
    let m = doc.as_map_mut().unwrap();
    m.shift_remove("persist");
    if let Some(Yaml::Map(machine)) = m.get_mut("machine") {
        if let Some(Yaml::Map(net)) = machine.get_mut("network") {
            for k in ["hostname", "interfaces", "nameservers"] {
                net.shift_remove(k);
            }
        }
        if let Some(Yaml::Map(f)) = machine.get_mut("features") {
            for k in ["rbac", "stableHostname", "apidCheckExtKeyUsage"] {
                f.shift_remove(k);
            }
        }
        if let Some(Yaml::Map(i)) = machine.get_mut("install") {
            i.shift_remove("extraKernelArgs");
        }
    }
    if let Some(Yaml::Map(api)) = m
        .get_mut("cluster")
        .and_then(Yaml::as_map_mut)
        .and_then(|c| c.get_mut("apiServer"))
    {
        api.shift_remove("disablePodSecurityPolicy");
    }
}

#[test]
fn infra_configs_satisfy_the_talos_schema() {
    for talos in ["v1.12.0", "v1.11.0"] {
        let (c, cp, wk) = infra(talos);
        for node in [&cp, &wk] {
            let mut docs = render_node(&c, node, &placeholder_bundle()).unwrap();
            // Only `persist` (and, before 1.12, the legacy network and feature keys) is
            // outside the schema; everything else must validate.
            let raw = schema_errors(&docs[..1]);
            let Some(raw) = raw else { return };
            assert!(raw.iter().any(|e| e.contains("persist")), "{raw:?}");
            strip_deprecated(&mut docs[0]);
            let errors = schema_errors(&docs).unwrap();
            assert!(errors.is_empty(), "{talos} {}: {errors:#?}", node.hostname);
        }
    }
}
