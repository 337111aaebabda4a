//! Disks, volumes, files, kernel modules and extension services against talhelper's own
//! expectations (`pkg/talos/*_test.go` at v3.1.16, as facts), then the whole config.

use super::*;
use crate::model::{
    DiskPartition, ExtensionService, ExtraManifest, KernelModule, MachineDisk, MachineFile,
    Provisioning, UserVolume, Volume,
};
use crate::talos::validate::{Mode, validate_docs};
use crate::yaml::{EmitOptions, Yaml, emit_documents};

fn emit(docs: &[Yaml]) -> String {
    emit_documents(docs, &EmitOptions { indent: 4 })
}

fn yaml(text: &str) -> Yaml {
    crate::yaml::parse_documents(text).unwrap().remove(0).value
}

fn input(talos: &str) -> GenInput {
    let mut i = GenInput::new(
        "test",
        "https://1.1.1.1:6443",
        Some(Version::parse("v1.34.0").unwrap()),
        Version::parse(talos).unwrap(),
        Role::ControlPlane,
    );
    i.install_disk = Some("/dev/sda".into());
    i.hostname = Some("node1".into());
    i
}

/// The documents after v1alpha1 whose kind is one of `kinds`.
fn only(docs: &[Yaml], kinds: &[&str]) -> Vec<Yaml> {
    docs[1..]
        .iter()
        .filter(|d| kinds.contains(&d.get("kind").and_then(Yaml::as_str).unwrap_or("")))
        .cloned()
        .collect()
}

fn prov(disk: &str, min: Option<&str>, max: Option<&str>) -> Provisioning {
    Provisioning {
        disk: Some(disk.into()),
        min_size: min.map(Into::into),
        max_size: max.map(Into::into),
        grow: None,
    }
}

fn generated(i: &GenInput) -> Vec<Yaml> {
    generate(i, &super::tests::placeholder_bundle()).unwrap()
}

// budimanjojo/talhelper pkg/talos/volumeconfig_test.go@v3.1.16 (TestGenerateNodeVolumeConfig).
#[test]
fn volume_configs_as_talhelper_generates_them() {
    let mut i = input("v1.12.0");
    i.volumes = vec![
        Volume {
            name: "EPHEMERAL".into(),
            provisioning: prov("disk.transport == \"nvme\"", None, Some("50GiB")),
            encryption: None,
            span: None,
        },
        Volume {
            name: "IMAGECACHE".into(),
            provisioning: prov("disk.size > 120u * GB && disk.size < 1u * TB", None, None),
            encryption: None,
            span: None,
        },
    ];
    let docs = only(&generated(&i), &["VolumeConfig"]);
    let expected = "\
apiVersion: v1alpha1
kind: VolumeConfig
name: EPHEMERAL
provisioning:
    diskSelector:
        match: disk.transport == \"nvme\"
    maxSize: 50GiB
---
apiVersion: v1alpha1
kind: VolumeConfig
name: IMAGECACHE
provisioning:
    diskSelector:
        match: disk.size > 120u * GB && disk.size < 1u * TB
";
    assert_eq!(emit(&docs), expected);
}

// budimanjojo/talhelper pkg/talos/uservolumeconfig_test.go@v3.1.16 (TestGenerateNodeUserVolumeConfig)
// and pkg/talos/testdata/node2_expected.yaml (the document text talhelper writes).
#[test]
fn user_volume_configs_as_talhelper_generates_them() {
    let mut i = input("v1.12.0");
    i.user_volumes = vec![
        UserVolume {
            name: "ceph-data".into(),
            volume_type: Some("partition".into()),
            provisioning: prov("disk.transport == \"nvme\"", None, Some("50GiB")),
            filesystem: Some("xfs".into()),
            project_quota: None,
            encryption: Some(yaml(
                "provider: luks2\nkeys: [{slot: 0, tpm: {}}, {static: {passphrase: topsecret}, slot: 1}]",
            )),
            span: None,
        },
        UserVolume {
            name: "ceph-data2".into(),
            volume_type: None,
            provisioning: prov(
                "disk.size > 120u * GB && disk.size < 1u * TB",
                Some("1GiB"),
                None,
            ),
            filesystem: None,
            project_quota: None,
            encryption: None,
            span: None,
        },
    ];
    let docs = only(&generated(&i), &["UserVolumeConfig"]);
    let expected = "\
apiVersion: v1alpha1
kind: UserVolumeConfig
name: ceph-data
volumeType: partition
provisioning:
    diskSelector:
        match: disk.transport == \"nvme\"
    maxSize: 50GiB
filesystem:
    type: xfs
encryption:
    provider: luks2
    keys:
        - slot: 0
          tpm: {}
        - slot: 1
          static:
            passphrase: topsecret
---
apiVersion: v1alpha1
kind: UserVolumeConfig
name: ceph-data2
provisioning:
    diskSelector:
        match: disk.size > 120u * GB && disk.size < 1u * TB
    minSize: 1GiB
";
    assert_eq!(emit(&docs), expected);
}

// budimanjojo/talhelper pkg/talos/extensionserviceconfig_test.go@v3.1.16
// (TestGenerateNodeExtensionServiceConfig): `${upsmonHost}` is content, not substituted here.
#[test]
fn extension_service_configs_as_talhelper_generates_them() {
    let mut i = input("v1.12.0");
    i.extension_services = vec![
        ExtensionService {
            name: "nut-client".into(),
            config_files: vec![(
                "MONITOR ${upsmonHost} 1 remote pass password".into(),
                "/usr/local/etc/nut/upsmon.conf".into(),
            )],
            environment: vec!["UPS_NAME=ups".into()],
            span: None,
        },
        ExtensionService {
            name: "nut-client2".into(),
            config_files: vec![
                ("hello".into(), "/etc/hello".into()),
                ("hello2".into(), "/etc/hello2".into()),
            ],
            environment: Vec::new(),
            span: None,
        },
    ];
    let docs = only(&generated(&i), &["ExtensionServiceConfig"]);
    let expected = "\
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: nut-client
configFiles:
    - content: MONITOR ${upsmonHost} 1 remote pass password
      mountPath: /usr/local/etc/nut/upsmon.conf
environment:
    - UPS_NAME=ups
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: nut-client2
configFiles:
    - content: hello
      mountPath: /etc/hello
    - content: hello2
      mountPath: /etc/hello2
";
    assert_eq!(emit(&docs), expected);
}

// budimanjojo/talhelper pkg/talos/nodeconfig_test.go@v3.1.16 (TestGenerateNodeConfig): node1's
// machine file and kernel module with parameters, node2's install disk selector (with
// `name`) and machine disk. talhelper's test runs Talos v1.5.4, which talforge does not
// support; the fields land in the same place on every version.
#[test]
fn machine_fields_as_talhelper_sets_them() {
    for talos in ["v1.11.0", "v1.12.0"] {
        let mut i = input(talos);
        i.machine_files = vec![MachineFile {
            content: "TS_AUTHKEY=123456".into(),
            permissions: 0o644,
            path: "/var/etc/tailscale/auth.env".into(),
            op: "create".into(),
        }];
        i.kernel_modules = vec![KernelModule {
            name: "br_netfilter".into(),
            parameters: vec!["nf_conntrack_max=131072".into()],
        }];
        let cp = generated(&i);
        assert_eq!(
            cp[0].get_path("machine.files"),
            Some(&yaml(
                "[{content: TS_AUTHKEY=123456, permissions: 420, path: /var/etc/tailscale/auth.env, op: create}]"
            )),
            "{talos}"
        );
        assert_eq!(
            emit(&[cp[0].get_path("machine.kernel").unwrap().clone()]),
            "modules:\n    - name: br_netfilter\n      parameters:\n        - nf_conntrack_max=131072\n"
        );

        let mut w = input(talos);
        w.role = Role::Worker;
        w.install_disk = None;
        w.install_disk_selector = Some(DiskSelector {
            size: Some("4KB".into()),
            model: Some("WDC*".into()),
            name: Some("/sys/block/sda/device/name".into()),
            bus_path: Some("/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0".into()),
            ..DiskSelector::default()
        });
        w.machine_disks = vec![MachineDisk {
            device: "/dev/disk/by-id/ata-CT500MX500SSD1_2149E5EC1D9D".into(),
            partitions: vec![DiskPartition {
                mountpoint: "/var/mnt/sata".into(),
                size: None,
            }],
        }];
        let wk = generated(&w);
        // Talos' InstallDiskSelector field order: size, name, model, ..., busPath.
        assert_eq!(
            emit(&[wk[0]
                .get_path("machine.install.diskSelector")
                .unwrap()
                .clone()]),
            "size: 4KB\nname: /sys/block/sda/device/name\nmodel: WDC*\nbusPath: /pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0\n"
        );
        assert_eq!(
            wk[0].get_path("machine.disks"),
            Some(&yaml(
                "[{device: /dev/disk/by-id/ata-CT500MX500SSD1_2149E5EC1D9D, partitions: [{mountpoint: /var/mnt/sata}]}]"
            ))
        );
        for docs in [&cp, &wk] {
            let out = validate_docs(docs, Mode::Metal, true);
            assert!(out.errors.is_empty(), "{talos}: {:?}", out.errors);
        }
    }
}

fn rich(talos: &str) -> GenInput {
    let mut i = input(talos);
    i.extension_services = vec![ExtensionService {
        name: "tailscale".into(),
        config_files: Vec::new(),
        environment: vec!["TS_AUTHKEY=x".into()],
        span: None,
    }];
    i.volumes = vec![Volume {
        name: "EPHEMERAL".into(),
        provisioning: Provisioning {
            grow: Some(false),
            ..prov("system_disk", Some("50GB"), Some("95GB"))
        },
        encryption: None,
        span: None,
    }];
    i.user_volumes = vec![UserVolume {
        name: "longhorn".into(),
        volume_type: None,
        provisioning: Provisioning {
            grow: Some(true),
            ..prov("system_disk", None, Some("900GB"))
        },
        filesystem: Some("ext4".into()),
        project_quota: None,
        encryption: None,
        span: None,
    }];
    i.inline_manifests = vec![crate::model::InlineManifest {
        name: "ns".into(),
        contents: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n".into(),
    }];
    i.cni = Cni::Flannel;
    i.flannel = Some(crate::model::FlannelOptions {
        extra_args: vec!["--iface-can-reach=192.168.1.1".into()],
        kube_network_policies: Some(true),
    });
    i
}

// talhelper's genMultiDocs order (pkg/talos/multidocs.go@v3.1.16): hostname and resolver,
// firewall, extension services, volumes, user volumes, then the network documents; on
// every Talos version (these kinds exist on 1.10 and later).
#[test]
fn documents_come_in_talhelpers_order_and_validate() {
    for talos in ["v1.10.0", "v1.11.0", "v1.12.0"] {
        let docs = generated(&rich(talos));
        let kinds: Vec<&str> = docs[1..]
            .iter()
            .filter_map(|d| d.get("kind").and_then(Yaml::as_str))
            .filter(|k| *k != "HostnameConfig")
            .collect();
        assert_eq!(
            kinds,
            ["ExtensionServiceConfig", "VolumeConfig", "UserVolumeConfig"],
            "{talos}"
        );
        assert_eq!(
            emit(&[docs[0].get_path("cluster.network.cni").unwrap().clone()]),
            "name: flannel\nflannel:\n    extraArgs:\n        - --iface-can-reach=192.168.1.1\n    kubeNetworkPoliciesEnabled: true\n"
        );
        assert_eq!(
            docs[0].get_path("cluster.inlineManifests"),
            Some(&yaml(
                "[{name: ns, contents: \"apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: x\\n\"}]"
            ))
        );
        let out = validate_docs(&docs, Mode::Metal, true);
        assert!(out.errors.is_empty(), "{talos}: {:?}", out.errors);
    }
    // `grow: false` is written: Talos' `*bool` keeps an explicit false.
    let docs = generated(&rich("v1.12.0"));
    assert_eq!(
        emit(&only(&docs, &["VolumeConfig"])),
        "apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n    diskSelector:\n        match: system_disk\n    grow: false\n    minSize: 50GB\n    maxSize: 95GB\n"
    );
}

// talhelper's GenerateConfig (pkg/generate/config.go@v3.1.16) on multi-doc Kubernetes (Talos
// 1.14): its own `KubeFlannelCNIConfig` with the flannel options, `kubeNetworkPoliciesEnabled`
// after `extraArgs` (Talos' k8s/flannel.go field order), and `cluster.network.cni` unset.
#[test]
fn flannel_options_go_to_the_flannel_document_on_multidoc_kubernetes() {
    let docs = generated(&rich("v1.14.0"));
    assert_eq!(
        emit(&only(&docs, &["KubeFlannelCNIConfig"])),
        "apiVersion: v1alpha1\nkind: KubeFlannelCNIConfig\nbackendType: vxlan\nbackendPort: 4789\nextraArgs:\n    - --iface-can-reach=192.168.1.1\nkubeNetworkPoliciesEnabled: true\n"
    );
    assert_eq!(docs[0].get_path("cluster.network.cni"), None);
    let out = validate_docs(&docs, Mode::Metal, true);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
}

// talhelper's `ignoreHostname`: no static hostname (pkg/talos/networkconfig.go and
// nodeconfig.go@v3.1.16): `HostnameConfig` keeps `auto: stable` on 1.12, and before it
// `machine.network.hostname` stays unset.
#[test]
fn ignore_hostname_leaves_the_hostname_to_talos() {
    let (c, mut n) = (
        Cluster::new(
            "c",
            "https://1.1.1.1:6443",
            Version::parse("v1.12.0").unwrap(),
            Version::parse("v1.34.0").unwrap(),
        ),
        Node::new(
            "n1",
            crate::model::parse_ip("1.1.1.2").unwrap(),
            Role::Worker,
        ),
    );
    n.ignore_hostname = true;
    let docs = render_node(&c, &n, &super::tests::placeholder_bundle()).unwrap();
    let hc = &only(&docs, &["HostnameConfig"])[0];
    assert_eq!(hc.get("auto"), Some(&Yaml::str("stable")));
    assert_eq!(hc.get("hostname"), None);
    let mut old = c.clone();
    old.talos_version = Version::parse("v1.11.0").unwrap();
    let docs = render_node(&old, &n, &super::tests::placeholder_bundle()).unwrap();
    assert_eq!(docs[0].get_path("machine.network.hostname"), None);
    n.ignore_hostname = false;
    let docs = render_node(&old, &n, &super::tests::placeholder_bundle()).unwrap();
    assert_eq!(
        docs[0].get_path("machine.network.hostname"),
        Some(&Yaml::str("n1"))
    );
}

#[test]
fn filename_template_names_the_output() {
    let c = Cluster::new(
        "myCluster",
        "https://1.1.1.1:6443",
        Version::parse("v1.12.0").unwrap(),
        Version::parse("v1.34.0").unwrap(),
    );
    let mut n = Node::new(
        "node1",
        crate::model::parse_ip("1.1.1.1").unwrap(),
        Role::ControlPlane,
    );
    assert_eq!(output_file_name(&c, &n), "myCluster-node1.yaml");
    n.filename_template = Some("{{.Hostname}}-{{.Role}}.yaml".into());
    assert_eq!(output_file_name(&c, &n), "node1-controlplane.yaml");
    // Extra manifests are appended after patches by the pipeline, not by `generate`.
    n.extra_manifests = vec![ExtraManifest {
        name: "wd".into(),
        documents: vec![yaml(
            "apiVersion: v1alpha1\nkind: WatchdogTimerConfig\ndevice: /dev/watchdog0",
        )],
        text: None,
        file: None,
        span: None,
    }];
    let docs = render_node(&c, &n, &super::tests::placeholder_bundle()).unwrap();
    assert!(only(&docs, &["WatchdogTimerConfig"]).is_empty());
}
