//! `pkg/config/nodeconfigs_test.go`: `OverrideGlobalCfg`, a role's defaults under a node's own settings.

use super::super::Tally;
use super::super::support::read;
use crate::model::{Node, Schematic};
use crate::yaml::Yaml;
use indexmap::IndexMap;

/// A machine disk: its device and its partitions' (size, mount point).
type Disk = (String, Vec<(Option<Yaml>, String)>);

/// The fields upstream's expected node sets.
#[derive(Debug, PartialEq)]
struct Projection {
    hostname: String,
    install: String,
    control_plane: bool,
    labels: IndexMap<String, String>,
    annotations: IndexMap<String, String>,
    disks: Vec<Disk>,
    schematic: Option<Schematic>,
}

fn project(n: &Node) -> Projection {
    Projection {
        hostname: n.hostname.clone(),
        install: format!("{:?}", n.install),
        control_plane: n.is_control_plane(),
        labels: n.labels.clone(),
        annotations: n.annotations.clone(),
        disks: n
            .machine_disks
            .iter()
            .map(|d| {
                let parts = d
                    .partitions
                    .iter()
                    .map(|p| (p.size.clone(), p.mountpoint.clone()))
                    .collect();
                (d.device.clone(), parts)
            })
            .collect(),
        schematic: n.schematic.clone().map(without_spans),
    }
}

pub(super) fn run(t: &mut Tally) {
    t.test("TestOverrideNodeConfigs");
    let c = t.setup(read(
        "clusterName: test
talosVersion: v1.12.0
kubernetesVersion: v1.34.0
endpoint: https://1.1.1.1:6443
controlPlane:
  nodeLabels:
    testkey: testValue
  nodeAnnotations:
    testkey: testValue
  schematic:
    customization:
      extraKernelArgs:
        - enable=1
nodes:
  - hostname: test-host
    ipAddress: 123.456.789.1
    installDisk: /dev/test
    controlPlane: true
    nodeLabels:
      testkey: overwritten
    machineDisks:
      - device: /dev/sda
        partitions:
          - size: 1
            mountpoint: /hello",
    ));
    let map = |v: &str| IndexMap::from([("testkey".to_string(), v.to_string())]);
    let mut schematic = Schematic::default();
    schematic.customization.extra_kernel_args = vec!["enable=1".into()];
    let want = Projection {
        hostname: "test-host".into(),
        install: format!(
            "{:?}",
            Some(crate::model::InstallDisk::Path("/dev/test".into()))
        ),
        control_plane: true,
        labels: map("overwritten"),
        annotations: map("testValue"),
        disks: vec![(
            "/dev/sda".into(),
            vec![(Some(Yaml::Int(1)), "/hello".into())],
        )],
        schematic: Some(schematic),
    };
    let got = c.as_ref().and_then(|c| c.nodes.first()).map(project);
    t.eq("node after OverrideGlobalCfg", got, Some(want));
}

/// A schematic without the source spans the reader records (upstream's has none).
fn without_spans(mut s: Schematic) -> Schematic {
    s.span = None;
    s.extension_spans.clear();
    s
}
