//! `pkg/talos/volumeconfig_test.go`: `VolumeConfig` documents.

use super::super::Tally;
use super::super::support::str_at;
use super::network_links::{node_at_1_12, yaml};

pub(super) fn run(t: &mut Tally) {
    t.test("TestGenerateNodeVolumeConfig");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    volumes:
      - name: EPHEMERAL
        provisioning:
          diskSelector:
            match: disk.transport == "nvme"
          maxSize: 50GiB
      - name: IMAGECACHE
        provisioning:
          diskSelector:
            match: disk.size > 120u * GB && disk.size < 1u * TB"#,
    );
    let docs = r.as_ref().map(|r| r.of_kind("VolumeConfig"));
    let d = |i: usize| docs.as_ref().and_then(|v| v.get(i).copied());
    let prov = |i: usize| d(i).and_then(|d| d.get("provisioning")).cloned();
    t.eq("result[0].Name()", str_at(d(0), "name"), Some("EPHEMERAL"));
    t.eq(
        "result[0].ProvisioningSpec",
        prov(0),
        Some(yaml(
            "diskSelector:\n  match: disk.transport == \"nvme\"\nmaxSize: 50GiB",
        )),
    );
    t.eq("result[1].Name()", str_at(d(1), "name"), Some("IMAGECACHE"));
    t.eq(
        "result[1].ProvisioningSpec",
        prov(1),
        Some(yaml(
            "diskSelector:\n  match: disk.size > 120u * GB && disk.size < 1u * TB",
        )),
    );
}
