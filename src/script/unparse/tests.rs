//! `import`'s script writer: loops, shared defaults, and the script evaluating back to the
//! model it came from.

use super::idiom::split_number;
use super::lit::{rhai_key, rhai_str, rhai_value};
use super::script_for;
use crate::model::{Cidr, Cluster, Cni, InstallDisk, Interface, Node, Role, Route, Version};
use crate::yaml::Yaml;
use std::net::IpAddr;
use std::path::Path;

fn cluster() -> Cluster {
    let v = |s| Version::parse(s).unwrap();
    let mut c = Cluster::new("lab", "https://10.0.0.10:6443", v("v1.12.0"), v("v1.35.0"));
    for i in 1..=3u8 {
        let mut n = Node::new(
            format!("lab-cp-{i}"),
            IpAddr::from([10, 0, 0, 10 + i]),
            Role::ControlPlane,
        );
        n.install = Some(InstallDisk::Path("/dev/sda".into()));
        let mut eth = Interface::new("eth0");
        eth.dhcp = true;
        eth.vip = Some(IpAddr::from([10, 0, 0, 10]));
        n.interfaces.push(eth);
        c.nodes.push(n);
    }
    let mut w = Node::new("gpu", IpAddr::from([10, 0, 0, 20]), Role::Worker);
    w.labels.insert("gpu".into(), "true".into());
    let mut eth = Interface::new("eth0");
    eth.dhcp = true;
    w.interfaces.push(eth);
    c.nodes.push(w);
    c
}

#[test]
fn loops_defaults_and_vip() {
    let s = script_for(&cluster(), Path::new("talconfig.yaml"), Path::new("."));
    assert!(s.contains("for i in 1..=3 {\n    c.node(`lab-cp-${i}`, ip(\"10.0.0.11\") + (i - 1), #{ control_plane: true, install_disk: \"/dev/sda\" });\n}\n"), "{s}");
    assert!(s.contains("c.interface(\"eth0\", #{ dhcp: true });"), "{s}");
    assert!(s.contains("c.vip(\"10.0.0.10\");"), "{s}");
    assert!(
        s.contains("c.node(\"gpu\", \"10.0.0.20\", #{ labels: #{ gpu: \"true\" } });"),
        "{s}"
    );
}

#[test]
fn the_script_evaluates_to_the_same_nodes() {
    let c = cluster();
    let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
    let ev = crate::script::evaluate_source(
        Path::new("imported.rhai"),
        &s,
        &crate::script::Limits::default(),
    )
    .unwrap_or_else(|f| panic!("{:?}\n{s}", f.diagnostics));
    let got = &ev.fleet.clusters[0];
    assert_eq!(got.nodes.len(), c.nodes.len());
    for (a, b) in got.nodes.iter().zip(&c.nodes) {
        assert_eq!(a.hostname, b.hostname);
        assert_eq!(a.ip, b.ip);
        assert_eq!(a.role, b.role);
        assert_eq!(a.install, b.install);
        assert_eq!(a.labels, b.labels);
        let strip = |i: &[Interface]| {
            i.iter()
                .map(|i| {
                    let mut i = i.clone();
                    i.span = None;
                    i
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&a.interfaces), strip(&b.interfaces), "{}", a.hostname);
    }
}

#[test]
fn talos_mode_round_trips_and_metal_is_left_out() {
    let mut c = cluster();
    let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
    assert!(!s.contains("talos_mode"), "{s}");
    c.talos_mode = crate::model::TalosMode::Container;
    let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
    let ev = crate::script::evaluate_source(
        Path::new("imported.rhai"),
        &s,
        &crate::script::Limits::default(),
    )
    .unwrap_or_else(|f| panic!("{:?}\n{s}", f.diagnostics));
    assert_eq!(
        ev.fleet.clusters[0].talos_mode,
        crate::model::TalosMode::Container
    );
}

/// Every option `import` takes from the key table must be one the script accepts with
/// the same meaning: a node and cluster setting every such key evaluate back unchanged.
#[test]
fn table_options_import_writes_are_script_options() {
    use crate::model::{Bond, DiskSelector, Taint};
    let v = |s| Version::parse(s).unwrap();
    let mut c = Cluster::new("lab", "https://10.0.0.10:6443", v("v1.12.0"), v("v1.35.0"));
    c.pod_nets = vec![Cidr::parse("10.42.0.0/16").unwrap()];
    c.service_nets = vec![Cidr::parse("10.43.0.0/16").unwrap()];
    c.dns_domain = Some("lab.local".into());
    c.allow_scheduling_on_control_planes = true;
    c.api_server_cert_sans = vec!["api.lab".into()];
    c.machine_cert_sans = vec!["m.lab".into()];
    c.cni = Cni::Custom(vec!["https://example.com/cni.yaml".into()]);
    let mut n = Node::new("cp", IpAddr::from([10, 0, 0, 11]), Role::ControlPlane);
    n.install = Some(InstallDisk::Selector(DiskSelector {
        size: Some(">= 100GB".into()),
        model: Some("Samsung*".into()),
        disk_type: Some("nvme".into()),
        serial: Some("S1".into()),
        wwid: Some("eui.1".into()),
        bus_path: Some("/pci0000:00/0000:00:1d.0".into()),
        name: Some("/dev/nvme*".into()),
        modalias: Some("pci:v00008086*".into()),
        uuid: Some("0000-1111".into()),
    }));
    n.image = Some("ghcr.io/lab/installer".into());
    let mut sch = crate::model::Schematic::default();
    sch.customization.official_extensions = vec!["siderolabs/iscsi-tools".into()];
    sch.customization.extra_kernel_args = vec!["net.ifnames=0".into()];
    n.schematic = Some(sch.clone());
    sch.overlay.image = "siderolabs/sbc-raspberrypi".into();
    sch.overlay.name = "rpi_generic".into();
    n.image_schematic = Some(sch);
    n.machine_spec = crate::model::MachineSpec {
        mode: Some("metal".into()),
        arch: Some("arm64".into()),
        secureboot: true,
        use_uki: true,
        boot_method: Some("disk-image".into()),
        image_suffix: Some("raw.zst".into()),
    };
    n.no_schematic_validate = true;
    c.image_factory.registry_url = Some("factory.lab".into());
    c.image_factory.installer_url_tmpl =
        Some("{{.RegistryURL}}/installer/{{.ID}}:{{.Version}}".into());
    n.labels.insert("zone".into(), "a".into());
    n.annotations.insert("note".into(), "x".into());
    n.taints.push(Taint {
        key: "dedicated".into(),
        value: "db".into(),
        effect: "NoSchedule".into(),
    });
    n.cert_sans = vec!["cp.lab".into()];
    n.kernel_modules = vec![crate::model::KernelModule::new("rbd")];
    n.nameservers = vec![IpAddr::from([1, 1, 1, 1])];
    let mut bond = Interface::new("bond0");
    bond.bond = Some(Bond {
        links: vec!["eth0".into(), "eth1".into()],
        mode: Some("802.3ad".into()),
        lacp_rate: Some("fast".into()),
        xmit_hash_policy: Some("layer3+4".into()),
        miimon: Some(100),
        updelay: Some(200),
        downdelay: Some(300),
        min_links: Some(1),
        ad_select: Some("stable".into()),
        ..Bond::default()
    });
    bond.mtu = Some(9000);
    bond.addresses = vec![Cidr::parse("10.0.0.11/24").unwrap()];
    bond.routes.push(Route {
        network: Some(Cidr::parse("10.1.0.0/16").unwrap()),
        gateway: Some(IpAddr::from([10, 0, 0, 1])),
        source: Some(IpAddr::from([10, 0, 0, 11])),
        metric: Some(5),
        mtu: Some(1500),
    });
    let mut eth = Interface::new("eth2");
    eth.dhcp = true;
    eth.vip = Some(IpAddr::from([10, 0, 0, 10]));
    n.interfaces = vec![bond, eth];
    c.nodes.push(n);
    let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
    let ev = crate::script::evaluate_source(
        Path::new("imported.rhai"),
        &s,
        &crate::script::Limits::default(),
    )
    .unwrap_or_else(|f| panic!("{:?}\n{s}", f.diagnostics));
    let mut got = ev.fleet.clusters[0].clone();
    for n in &mut got.nodes {
        n.span = None;
        for i in &mut n.interfaces {
            i.span = None;
        }
        for s in [&mut n.schematic, &mut n.image_schematic]
            .into_iter()
            .flatten()
        {
            s.extension_spans.clear();
        }
    }
    assert_eq!(got.nodes, c.nodes, "{s}");
    assert_eq!(got.image_factory, c.image_factory, "{s}");
    let same = (
        &got.pod_nets,
        &got.service_nets,
        &got.dns_domain,
        got.allow_scheduling_on_control_planes,
        &got.api_server_cert_sans,
        &got.machine_cert_sans,
        &got.cni,
    );
    let want = (
        &c.pod_nets,
        &c.service_nets,
        &c.dns_domain,
        c.allow_scheduling_on_control_planes,
        &c.api_server_cert_sans,
        &c.machine_cert_sans,
        &c.cni,
    );
    assert_eq!(same, want, "{s}");
}

#[test]
fn zero_padded_names_are_not_looped() {
    assert_eq!(split_number("node01"), None);
    assert_eq!(split_number("node10"), Some(("node", 10)));
    assert_eq!(split_number("node"), None);
}

#[test]
fn literals_escape() {
    assert_eq!(rhai_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    assert_eq!(
        rhai_key("node.kubernetes.io/role"),
        "\"node.kubernetes.io/role\""
    );
    assert_eq!(rhai_key("fn"), "\"fn\"");
    assert_eq!(
        rhai_value(&Yaml::from_pairs([(
            "a",
            Yaml::Seq(vec![Yaml::Int(1), Yaml::Null])
        )])),
        "#{ a: [1, ()] }"
    );
}
