//! The codec round trip: what `write` writes, `read` reads back to the same model.

use super::{Env, read_talconfig, write};
use crate::model::{
    Bond, Cidr, Cluster, Cni, DiskSelector, ImageFactory, InstallDisk, Interface, MachineSpec,
    Node, Role, Route, Schematic, Taint, Version,
};
use crate::yaml::{EmitOptions, emit_document};
use std::net::IpAddr;
use std::path::Path;

/// A cluster that sets every key the table reads and the writer writes.
fn cluster() -> Cluster {
    let v = |s| Version::parse(s).unwrap();
    let mut c = Cluster::new("lab", "https://10.0.0.10:6443", v("v1.12.0"), v("v1.35.0"));
    c.pod_nets = vec![Cidr::parse("10.42.0.0/16").unwrap()];
    c.service_nets = vec![Cidr::parse("10.43.0.0/16").unwrap()];
    c.dns_domain = Some("lab.local".into());
    c.allow_scheduling_on_control_planes = true;
    c.api_server_cert_sans = vec!["api.lab".into()];
    c.machine_cert_sans = vec!["m.lab".into()];
    c.cni = Cni::Custom(vec!["https://example.com/cni.yaml".into()]);
    let mut n = Node::new("cp-1", IpAddr::from([10, 0, 0, 11]), Role::ControlPlane);
    n.install = Some(InstallDisk::Selector(DiskSelector {
        size: Some(">= 100GB".into()),
        model: Some("Samsung*".into()),
        disk_type: Some("nvme".into()),
        serial: Some("S1".into()),
        wwid: Some("eui.1".into()),
        bus_path: Some("/pci0000:00/0000:00:1d.0".into()),
        ..DiskSelector::default()
    }));
    n.image = Some("ghcr.io/lab/installer".into());
    let mut sch = Schematic::default();
    sch.customization.official_extensions = vec!["siderolabs/iscsi-tools".into()];
    sch.customization.extra_kernel_args = vec!["net.ifnames=0".into()];
    n.schematic = Some(sch.clone());
    sch.overlay.image = "siderolabs/sbc-raspberrypi".into();
    sch.overlay.name = "rpi_generic".into();
    n.image_schematic = Some(sch);
    n.machine_spec = MachineSpec {
        mode: Some("metal".into()),
        arch: Some("arm64".into()),
        secureboot: true,
        use_uki: true,
        boot_method: Some("disk-image".into()),
        image_suffix: Some("raw.zst".into()),
    };
    n.no_schematic_validate = true;
    c.image_factory = ImageFactory {
        registry_url: Some("factory.lab".into()),
        schematic_endpoint: Some("/schematics".into()),
        protocol: Some("http".into()),
        installer_url_tmpl: Some("{{.RegistryURL}}/installer/{{.ID}}:{{.Version}}".into()),
        image_url_tmpl: Some("{{.Protocol}}://{{.RegistryURL}}/image/{{.ID}}".into()),
        span: None,
    };
    n.labels.insert("zone".into(), "a".into());
    n.annotations.insert("note".into(), "x".into());
    n.taints.push(Taint {
        key: "dedicated".into(),
        value: "db".into(),
        effect: "NoSchedule".into(),
    });
    n.cert_sans = vec!["cp.lab".into()];
    n.kernel_modules = vec!["rbd".into()];
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
    bond.dhcp = true;
    bond.addresses = vec![Cidr::parse("10.0.0.11/24").unwrap()];
    bond.routes.push(Route {
        network: Some(Cidr::parse("10.1.0.0/16").unwrap()),
        gateway: Some(IpAddr::from([10, 0, 0, 1])),
        source: Some(IpAddr::from([10, 0, 0, 11])),
        metric: Some(5),
        mtu: Some(1500),
    });
    bond.vip = Some(IpAddr::from([10, 0, 0, 10]));
    n.interfaces = vec![bond];
    c.nodes.push(n);
    let mut w = Node::new("wk-1", IpAddr::from([10, 0, 0, 21]), Role::Worker);
    w.install = Some(InstallDisk::Path("/dev/sda".into()));
    c.nodes.push(w);
    c
}

fn without_spans(mut c: Cluster) -> Cluster {
    c.span = None;
    c.image_factory.span = None;
    for n in &mut c.nodes {
        n.span = None;
        for s in [&mut n.schematic, &mut n.image_schematic]
            .into_iter()
            .flatten()
        {
            s.span = None;
            s.extension_spans.clear();
        }
        for i in &mut n.interfaces {
            i.span = None;
        }
    }
    c
}

#[test]
fn what_write_writes_read_reads_back() {
    let want = cluster();
    let text = emit_document(&write::talconfig(&want), &EmitOptions { indent: 2 });
    let got = read_talconfig(Path::new("talconfig.yaml"), &text, &Env::default())
        .unwrap_or_else(|(_, d)| panic!("{d:?}\n{text}"));
    assert_eq!(without_spans(got.cluster), want, "{text}");
}

/// talhelper's lenient decoding drops a key it does not know: a warning naming the nearest
/// key of its section, and the config reads without it.
#[test]
fn an_unknown_key_names_the_nearest_key_of_its_section() {
    let text = "clusterName: a\nendpoint: https://x:6443\nkubernetesVersion: v1.35.0\n\
                nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n    \
                networkInterfaces:\n      - interface: eth0\n        bond: {lacprate: fast}\n";
    let got = read_talconfig(Path::new("talconfig.yaml"), text, &Env::default())
        .expect("an unknown key is ignored, as talhelper ignores it");
    let diags = &got.warnings;
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(!diags[0].is_error());
    assert_eq!(diags[0].message, "unknown key `lacprate`");
    assert_eq!(diags[0].hints, ["did you mean `lacpRate`?"]);
    assert_eq!(got.cluster.nodes[0].hostname, "a");
}

/// A key talhelper v3 no longer reads (yaml.v3 skips it) is a warning, and the node reads.
#[test]
fn a_key_talhelper_ignores_is_a_warning() {
    let text = "clusterName: a\nendpoint: https://x:6443\nkubernetesVersion: v1.35.0\n\
                nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n    \
                extensions:\n      - image: ghcr.io/siderolabs/tailscale:1.44.0\n";
    let tc = read_talconfig(Path::new("talconfig.yaml"), text, &Env::default())
        .unwrap_or_else(|(_, d)| panic!("{d:?}"));
    assert_eq!(tc.warnings.len(), 1, "{:?}", tc.warnings);
    assert_eq!(
        tc.warnings[0].message,
        "talhelper ignores `extensions`, and so does talforge"
    );
    let at = tc.warnings[0].span.as_ref().expect("placed").range.clone();
    assert_eq!(&text[at], "extensions");
    assert_eq!(tc.cluster.nodes.len(), 1);
}

/// talhelper v1's patch keys (`configPatches`, `inlinePatch`; gone from pkg/config/config.go
/// since v2.0.0, so v3's yaml.v3 skips them) are warnings in a role section and on a node,
/// and their patches are not applied, as with talhelper.
#[test]
fn talhelper_v1_patch_keys_are_ignored_with_a_warning() {
    let text = "clusterName: a\nendpoint: https://x:6443\nkubernetesVersion: v1.35.0\n\
                controlPlane:\n  configPatches:\n    - op: add\n      path: /machine/kubelet/extraArgs\n      value: {a: b}\n\
                nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n    \
                controlPlane: true\n    inlinePatch:\n      machine:\n        install:\n          wipe: true\n";
    let tc = read_talconfig(Path::new("talconfig.yaml"), text, &Env::default())
        .unwrap_or_else(|(_, d)| panic!("{d:?}"));
    let got: Vec<(&str, &str)> = tc
        .warnings
        .iter()
        .map(|w| {
            let at = w.span.as_ref().expect("placed").range.clone();
            (w.message.as_str(), &text[at])
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "talhelper ignores `configPatches`, and so does talforge",
                "configPatches"
            ),
            (
                "talhelper ignores `inlinePatch`, and so does talforge",
                "inlinePatch"
            ),
        ]
    );
    assert!(tc.cluster.patches.is_empty(), "{:?}", tc.cluster.patches);
}

/// Node labels follow Kubernetes' rules once `${VAR}`s are substituted (talhelper's
/// `checkNodeLabels` runs after envsubst); templated values wait for rendering.
#[test]
fn node_labels_are_checked_after_substitution() {
    let text = |labels: &str| {
        format!(
            "clusterName: a\nendpoint: https://x:6443\nkubernetesVersion: v1.35.0\n\
             nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n    \
             nodeLabels:\n{labels}"
        )
    };
    let env = Env::from_pairs([("NAME".to_string(), "lab".to_string())]);
    let ok = text("      region: ${NAME}\n      url: '{{ .MachineConfig.MachineType }}'\n");
    let c = read_talconfig(Path::new("talconfig.yaml"), &ok, &env)
        .unwrap_or_else(|(_, d)| panic!("{d:?}"))
        .cluster;
    assert_eq!(c.nodes[0].labels["region"], "lab");
    let bad = text("      ra*ck: a\n");
    let (_, d) = read_talconfig(Path::new("talconfig.yaml"), &bad, &env).expect_err("bad key");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message.starts_with("invalid node label `ra*ck`"),
        "{}",
        d[0].message
    );
    let at = d[0].span.as_ref().expect("placed").range.clone();
    assert_eq!(&bad[at], "ra*ck");
}

/// talhelper decodes the versions into Go strings, which keep the scalar's text: an
/// unquoted `1.10` is Talos v1.10, not the float 1.1.
#[test]
fn unquoted_versions_keep_their_text() {
    let read = |talos: &str, k8s: &str| {
        let text = format!(
            "clusterName: a\nendpoint: https://x:6443\ntalosVersion: {talos}\n\
             kubernetesVersion: {k8s}\nnodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    \
             installDisk: /dev/sda\n    controlPlane: true\n"
        );
        let c = read_talconfig(Path::new("talconfig.yaml"), &text, &Env::default())
            .unwrap_or_else(|(_, d)| panic!("{d:?}"))
            .cluster;
        (
            c.talos_version.to_string(),
            c.kubernetes_version.to_string(),
        )
    };
    assert_eq!(read("1.10", "1.30"), ("v1.10.0".into(), "v1.30.0".into()));
    assert_eq!(read("1.13", "1.36"), ("v1.13.0".into(), "v1.36.0".into()));
    assert_eq!(
        read("1.10", "1.30 # comment"),
        ("v1.10.0".into(), "v1.30.0".into())
    );
    assert_eq!(
        read("v1.13.9", "\"1.36.4\""),
        ("v1.13.9".into(), "v1.36.4".into())
    );
    assert_eq!(
        read("'1.14.0-alpha.2'", "v1.36.4"),
        ("v1.14.0-alpha.2".into(), "v1.36.4".into())
    );
}

/// talhelper's `checkNodeTalosImageURL` (pkg/config/validator.go@v3.1.16) refuses a
/// `talosImageURL` with a tag or digest (it appends `:<talosVersion>` itself); a registry port
/// is not a tag.
#[test]
fn talos_image_url_is_a_name_without_tag_or_digest() {
    let read = |image: &str| {
        let text = format!(
            "clusterName: a\nendpoint: https://x:6443\nkubernetesVersion: v1.35.0\n\
             nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n    \
             controlPlane: true\n    talosImageURL: {image}\n"
        );
        read_talconfig(Path::new("talconfig.yaml"), &text, &Env::default())
            .map(|tc| tc.cluster.nodes[0].image.clone())
            .map_err(|(_, d)| (text, d))
    };
    for ok in [
        "factory.talos.dev/installer/abc",
        "registry.lan:5000/talos/installer",
        "docker.io/qjoly/talos",
    ] {
        assert_eq!(
            read(ok).unwrap_or_else(|e| panic!("{e:?}")),
            Some(ok.into())
        );
    }
    for bad in [
        "ghcr.io/talos-rpi5/installer:v1.11.1-pre",
        "registry.lan:5000/installer:v1.12.0",
        "ghcr.io/siderolabs/installer@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ] {
        let (text, d) = read(bad).expect_err(bad);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "`talosImageURL` should not contain a version or digest"
        );
        let at = d[0].span.as_ref().expect("placed").range.clone();
        assert_eq!(&text[at], bad);
    }
}

/// A pre-release `talosVersion` (any semver tag, `v1.11.1-pre` too) reads with a warning at
/// its value, as talhelper warns that it "might not be compatible"; its minor's contract
/// renders it.
#[test]
fn a_pre_release_talos_version_reads_with_a_warning() {
    let text = "clusterName: a\nendpoint: https://x:6443\ntalosVersion: v1.11.1-pre\n\
                kubernetesVersion: v1.34.1\nnodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    \
                installDisk: /dev/sda\n    controlPlane: true\n";
    let tc = read_talconfig(Path::new("talconfig.yaml"), text, &Env::default())
        .unwrap_or_else(|(_, d)| panic!("{d:?}"));
    assert_eq!(tc.cluster.talos_version.to_string(), "v1.11.1-pre");
    assert_eq!(tc.warnings.len(), 1, "{:?}", tc.warnings);
    assert!(
        tc.warnings[0].message.starts_with(
            "Talos v1.11.1-pre is a pre-release; machine configs follow the v1.11 contract"
        ),
        "{}",
        tc.warnings[0].message
    );
    let at = tc.warnings[0].span.as_ref().expect("placed").range.clone();
    assert_eq!(&text[at], "v1.11.1-pre");
}

/// talhelper's `checkSupportedK8sVersion` (pkg/config/validator.go@v3.1.16) is an error:
/// Talos' `SupportedWith` refuses a Kubernetes minor outside the Talos release's range (Talos
/// 1.12: 1.30 to 1.35), at `kubernetesVersion`; without `talosVersion` the pair is checked
/// against talhelper's `LatestTalosVersion`, v1.13.8, which the config then renders with.
#[test]
fn kubernetes_outside_the_talos_range_is_an_error_as_in_talhelper() {
    let text = |talos: &str, k8s: &str| {
        format!(
            "clusterName: a\nendpoint: https://x:6443\n{talos}kubernetesVersion: {k8s}\n\
             nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n    \
             controlPlane: true\n"
        )
    };
    let read = |t: &str| read_talconfig(Path::new("talconfig.yaml"), t, &Env::default());
    let ok =
        read(&text("talosVersion: v1.12.7\n", "v1.35.0")).unwrap_or_else(|(_, d)| panic!("{d:?}"));
    assert_eq!(ok.cluster.kubernetes_version.to_string(), "v1.35.0");
    let bad = text("talosVersion: v1.12.7\n", "v1.36.0");
    let (_, d) = read(&bad).expect_err("too new");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].message,
        "version of Kubernetes 1.36.0 is too new to be used with Talos 1.12.7"
    );
    let at = d[0].span.as_ref().expect("placed").range.clone();
    assert_eq!(&bad[at], "v1.36.0");
    let (_, d) = read(&text("talosVersion: v1.12.7\n", "v1.29.9")).expect_err("too old");
    assert_eq!(
        d[0].message,
        "version of Kubernetes 1.29.9 is too old to be used with Talos 1.12.7"
    );
    let default = read(&text("", "v1.36.4")).unwrap_or_else(|(_, d)| panic!("{d:?}"));
    assert_eq!(default.cluster.talos_version.to_string(), "v1.13.8");
    let (_, d) = read(&text("", "v1.37.0")).expect_err("too new for v1.13.8");
    assert_eq!(
        d[0].message,
        "version of Kubernetes 1.37.0 is too new to be used with Talos 1.13.8"
    );
}

/// talhelper's `checkSupportedTalosVersion` (pkg/config/validator.go@v3.1.16): a Talos minor
/// outside v1.2 to v1.14 is an error at `talosVersion`.
#[test]
fn a_talos_minor_talhelper_does_not_list_is_an_error() {
    for (talos, k8s) in [
        ("v1.1.0", "v1.23.6"),
        ("v1.15.0", "v1.36.0"),
        ("v2.0.0", "v1.36.0"),
    ] {
        let text = format!(
            "clusterName: a\nendpoint: https://x:6443\ntalosVersion: {talos}\n\
             kubernetesVersion: {k8s}\nnodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    \
             installDisk: /dev/sda\n    controlPlane: true\n"
        );
        let (_, d) =
            read_talconfig(Path::new("talconfig.yaml"), &text, &Env::default()).expect_err(talos);
        let e = d
            .iter()
            .find(|d| d.message == format!("\"{talos}\" is not a supported Talos version"))
            .unwrap_or_else(|| panic!("{d:?}"));
        let at = e.span.as_ref().expect("placed").range.clone();
        assert_eq!(&text[at], talos);
    }
}

/// talhelper's `checkNodeMachineFiles` (pkg/config/validator.go@v3.1.16): an `op` outside
/// create / append / overwrite, or none (Go's empty string fails the same regexp), is an error.
#[test]
fn a_machine_file_needs_an_op() {
    let text = |op: &str| {
        format!(
            "clusterName: a\nendpoint: https://x:6443\nkubernetesVersion: v1.35.0\n\
             nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n    \
             controlPlane: true\n    machineFiles:\n      - path: /var/etc/x.conf\n        \
             content: x\n        permissions: 0o644\n{op}"
        )
    };
    let read = |t: &str| read_talconfig(Path::new("talconfig.yaml"), t, &Env::default());
    let ok = read(&text("        op: append\n")).unwrap_or_else(|(_, d)| panic!("{d:?}"));
    assert_eq!(ok.cluster.nodes[0].files[0].op, "append");
    let (_, d) = read(&text("")).expect_err("no op");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "machine file `/var/etc/x.conf` has no `op`");
    let (_, d) = read(&text("        op: ccreate\n")).expect_err("bad op");
    assert!(d[0].message.contains("got `ccreate`"), "{d:?}");
}

/// talhelper's `checkNodeNetworkInterfaces` (pkg/config/validator.go@v3.1.16) runs Talos'
/// legacy device checks on `networkInterfaces` on every Talos version and turns their warnings
/// into errors: a deprecated `cidr` is refused, as is an address on a bonded link.
#[test]
fn network_interfaces_pass_talos_device_checks_as_in_talhelper() {
    let text = |ifaces: &str| {
        format!(
            "clusterName: a\nendpoint: https://x:6443\ntalosVersion: v1.12.0\n\
             kubernetesVersion: v1.35.0\nnodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    \
             installDisk: /dev/sda\n    controlPlane: true\n    networkInterfaces:\n{ifaces}"
        )
    };
    let read = |t: &str| read_talconfig(Path::new("talconfig.yaml"), t, &Env::default());
    read(&text(
        "      - interface: eth0\n        addresses: [10.0.0.1/24]\n",
    ))
    .unwrap_or_else(|(_, d)| panic!("{d:?}"));
    let cidr = text("      - interface: eth0\n        cidr: 10.0.0.1/24\n");
    let (_, d) = read(&cidr).expect_err("cidr");
    let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "`networkInterfaces`: \"eth0\": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses"
        ]
    );
    let at = d[0].span.as_ref().expect("placed").range.clone();
    let placed = &cidr[at];
    assert!(placed.starts_with("- interface: eth0"), "{placed}");
    let bonded = text(
        "      - interface: bond0\n        bond: {mode: active-backup, interfaces: [eth0]}\n        \
         addresses: [10.0.0.1/24]\n      - interface: eth0\n        addresses: [10.0.0.2/24]\n",
    );
    let (_, d) = read(&bonded).expect_err("bonded link with an address");
    assert!(
        d.iter().any(|d| d.message
            == "`networkInterfaces`: [networking.os.device] \"eth0\": bonded/bridged interface shouldn't have any addressing methods configured"),
        "{d:?}"
    );
}

/// talhelper's `checkCNIConfig` (pkg/config/validator.go@v3.1.16) runs Talos' `ValidateCNI`
/// on `cniConfig`, its warning (a `custom` CNI without URLs) an error too.
#[test]
fn cni_config_passes_talos_validate_cni_as_in_talhelper() {
    let read = |cni: &str| {
        let text = format!(
            "clusterName: a\nendpoint: https://x:6443\nkubernetesVersion: v1.35.0\n\
             cniConfig:\n{cni}nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    \
             installDisk: /dev/sda\n    controlPlane: true\n"
        );
        read_talconfig(Path::new("talconfig.yaml"), &text, &Env::default())
            .map(|_| ())
            .map_err(|(_, d)| d.into_iter().map(|d| d.message).collect::<Vec<_>>())
    };
    assert_eq!(
        read("  name: flannel\n  flannel:\n    kubeNetworkPoliciesEnabled: true\n"),
        Ok(())
    );
    assert_eq!(
        read("  name: custom\n  urls: [https://example.com/cni.yaml]\n"),
        Ok(())
    );
    for (cni, want) in [
        (
            "  name: custom\n",
            "`cniConfig`: \"urls\" field should not be empty for \"custom\" CNI",
        ),
        (
            "  name: none\n  urls: [https://x/cni.yaml]\n",
            "`cniConfig`: \"urls\" field should be empty for \"none\" CNI",
        ),
        (
            "  name: none\n  flannel:\n    kubeNetworkPoliciesEnabled: true\n",
            "`cniConfig`: \"flannelKubeNetworkPoliciesEnabled\" should not be enabled for \"none\" CNI",
        ),
        (
            "  name: custom\n  urls: [https://x/cni.yaml]\n  flannel:\n    extraArgs: [--a]\n",
            "`cniConfig`: \"flanneldExtraArgs\" field should be empty for \"custom\" CNI",
        ),
        (
            "  flannel:\n    extraArgs: [--a]\n",
            "`cniConfig`: cni name should be one of [\"flannel\", \"custom\", \"none\"]",
        ),
    ] {
        assert_eq!(read(cni), Err(vec![want.to_string()]), "{cni}");
    }
}
