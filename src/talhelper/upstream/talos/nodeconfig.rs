//! `pkg/talos/nodeconfig_test.go`: the v1alpha1 fields `GenerateNodeConfig` sets (Talos v1.5), and templated labels.

use super::super::Tally;
use super::super::support::{Rendered, genconfig};
use super::network_links::yaml;
use crate::talos::generate::render_config_template;
use crate::yaml::Yaml;

const TALCONFIG: &str = r#"clusterName: test
talosVersion: v1.5.4
kubernetesVersion: v1.34.0
endpoint: https://1.1.1.1:6443
nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    controlPlane: true
    installDisk: /dev/sda
    disableSearchDomain: true
    extensions:
      - image: ghcr.io/siderolabs/tailscale:1.44.0
    machineFiles:
      - content: TS_AUTHKEY=123456
        permissions: 0o644
        path: /var/etc/tailscale/auth.env
        op: create
    networkInterfaces:
      - interface: eth0
        bond:
          deviceSelectors:
            - hardwareAddr: "00:50:56:*"
    kernelModules:
      - name: br_netfilter
        parameters:
          - nf_conntrack_max=131072
    schematic:
      customization:
        extraKernelArgs:
          - hello
          - hihi
        systemExtensions:
          officialExtensions:
            - siderolabs/amd-ucode
            - siderolabs/nvidia-fabricmanager
  - hostname: node2
    ipAddress: 10.0.0.2
    controlPlane: false
    installDiskSelector:
      size: 4KB
      model: WDC*
      name: /sys/block/sda/device/name
      busPath: /pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0
    machineDisks:
      - device: /dev/disk/by-id/ata-CT500MX500SSD1_2149E5EC1D9D
        partitions:
          - mountpoint: /var/mnt/sata
    nodeLabels:
      rack: rack1a
      zone: us-east-1a
      isSecureBootEnabled: '{{ .MachineConfig.MachineInstall.InstallImage | contains "installer-secureboot" }}'
    nodeAnnotations:
      rack: rack1a
      installerUrl: '{{ .MachineConfig.MachineInstall.InstallImage }}'
    talosImageURL: factory.talos.dev/installer/e9c7ef96884d4fbc8c0a1304ccca4bb0287d766a8b4125997cb9dbe84262144e
    schematic:
      customization:
        extraKernelArgs:
          - hello
          - hihi
        systemExtensions:
          officialExtensions:
            - siderolabs/amd-ucode
            - siderolabs/nvidia-fabricmanager
    nameservers: [1.1.1.1, 8.8.8.8]"#;

pub(super) fn run(t: &mut Tally) {
    node_config(t);
    template_field(t);
}

/// A `machine.…` field of a node's v1alpha1 document.
fn machine(r: Option<&Rendered>, dotted: &str) -> Option<Yaml> {
    r?.v1alpha1()?
        .get_path(&format!("machine.{dotted}"))
        .cloned()
}

/// `FileMode` compares by value: Talos writes `0o644`, Go's JSON writes 420.
fn file_modes_as_ints(files: Option<Yaml>) -> Option<Yaml> {
    let mut files = files?;
    if let Yaml::Seq(items) = &mut files {
        for f in items {
            if let Some(m) = f.as_map_mut()
                && let Some(Yaml::Str(p)) = m.get("permissions")
                && let Some(oct) = p.strip_prefix("0o")
                && let Ok(v) = i64::from_str_radix(oct, 8)
            {
                m.insert("permissions".into(), Yaml::Int(v));
            }
        }
    }
    Some(files)
}

fn node_config(t: &mut Tally) {
    t.test("TestGenerateNodeConfig");
    let nodes = t.setup(genconfig(TALCONFIG));
    let cp = nodes.as_ref().and_then(|n| n.first());
    let w = nodes.as_ref().and_then(|n| n.get(1));
    let s = |v: &str| Some(Yaml::str(v));
    let node1_image = "factory.talos.dev/metal-installer/647a0a54bff662aa12051bc0312097f29d3562107d8e6a8e87ab85b643e25bc0:v1.5.4";
    let node2_image = "factory.talos.dev/installer/e9c7ef96884d4fbc8c0a1304ccca4bb0287d766a8b4125997cb9dbe84262144e:v1.5.4";
    t.eq("cpCfg.MachineType", machine(cp, "type"), s("controlplane"));
    t.eq(
        "cpCfg.MachineNetwork.NetworkHostname",
        machine(cp, "network.hostname"),
        s("node1"),
    );
    t.eq(
        "cpCfg.MachineInstall.InstallDisk",
        machine(cp, "install.disk"),
        s("/dev/sda"),
    );
    t.eq(
        "cpCfg.MachineNetwork.NetworkDisableSearchDomain",
        machine(cp, "network.disableSearchDomain"),
        Some(Yaml::Bool(true)),
    );
    t.eq(
        "cpCfg.MachineFiles",
        file_modes_as_ints(machine(cp, "files")),
        Some(yaml(
            "- content: TS_AUTHKEY=123456\n  permissions: 420\n  path: /var/etc/tailscale/auth.env\n  op: create",
        )),
    );
    t.eq(
        "cpCfg.MachineNetwork.NetworkInterfaces",
        machine(cp, "network.interfaces"),
        // The expected `v1alpha1.Device` as Talos encodes it: `Bond.interfaces` and
        // `Bond.mode` have no `omitempty`, so their zero values are written.
        Some(yaml(
            "- interface: eth0\n  bond:\n    interfaces: []\n    deviceSelectors:\n      - hardwareAddr: \"00:50:56:*\"\n    mode: \"\"",
        )),
    );
    t.eq(
        "cpCfg.MachineKernel",
        machine(cp, "kernel"),
        Some(yaml(
            "modules:\n  - name: br_netfilter\n    parameters: [nf_conntrack_max=131072]",
        )),
    );
    t.eq(
        "cpCfg.MachineInstall.InstallImage",
        machine(cp, "install.image"),
        s(node1_image),
    );
    t.eq(
        "cpCfg.MachineInstall.ExtraKernelArgs()",
        machine(cp, "install.extraKernelArgs"),
        Some(yaml("[hello, hihi]")),
    );
    t.eq("wCfg.MachineType", machine(w, "type"), s("worker"));
    t.eq(
        "wCfg.MachineInstall.InstallDiskSelector",
        machine(w, "install.diskSelector"),
        Some(yaml(
            "size: 4KB\nmodel: WDC*\nname: /sys/block/sda/device/name\nbusPath: /pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0",
        )),
    );
    t.eq(
        "wCfg.MachineDisks",
        machine(w, "disks"),
        Some(yaml(
            "- device: /dev/disk/by-id/ata-CT500MX500SSD1_2149E5EC1D9D\n  partitions:\n    - mountpoint: /var/mnt/sata",
        )),
    );
    t.eq(
        "wCfg.MachineNodeLabels",
        machine(w, "nodeLabels"),
        Some(yaml(
            "rack: rack1a\nzone: us-east-1a\nisSecureBootEnabled: \"false\"",
        )),
    );
    t.eq(
        "wCfg.MachineNodeAnnotations",
        machine(w, "nodeAnnotations"),
        Some(Yaml::from_pairs([
            ("rack", Yaml::str("rack1a")),
            ("installerUrl", Yaml::str(node2_image)),
        ])),
    );
    t.eq(
        "wCfg.MachineInstall.InstallImage",
        machine(w, "install.image"),
        s(node2_image),
    );
    t.eq(
        "wCfg.MachineNetwork.NameServers",
        machine(w, "network.nameservers"),
        Some(yaml("[1.1.1.1, 8.8.8.8]")),
    );
}

fn template_field(t: &mut Tally) {
    t.test("TestTemplateConfigField");
    // `v1alpha1.Config{ConfigVersion: "dummy value"}` as the document it encodes to.
    let cfg = yaml("version: dummy value");
    let str_value = render_config_template("{{ .ConfigVersion }}", &cfg);
    t.that("str: no error", str_value.is_ok(), &str_value);
    t.eq("str: key", str_value.ok().as_deref(), Some("dummy value"));
    // The int and bool destinations convert the rendered text as `fmt.Sscan` does.
    let int_value = render_config_template("{{ 123 }}", &cfg);
    t.that("int: no error", int_value.is_ok(), &int_value);
    let n = int_value.ok().and_then(|v| v.trim().parse::<i64>().ok());
    t.eq("int: key", n, Some(123));
    let bool_value = render_config_template("{{ true }}", &cfg);
    t.that("bool: no error", bool_value.is_ok(), &bool_value);
    let b = bool_value.ok().and_then(|v| v.trim().parse::<bool>().ok());
    t.eq("bool: key", b, Some(true));
}
