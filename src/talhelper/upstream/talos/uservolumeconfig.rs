//! `pkg/talos/uservolumeconfig_test.go`: `UserVolumeConfig` documents.

use super::super::Tally;
use super::super::support::str_at;
use super::network_links::{node_at_1_12, yaml};

pub(super) fn run(t: &mut Tally) {
    t.test("TestGenerateNodeUserVolumeConfig");
    let r = node_at_1_12(
        t,
        r#"nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    userVolumes:
      - name: ceph-data
        volumeType: partition
        provisioning:
          diskSelector:
            match: disk.transport == "nvme"
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
      - name: ceph-data2
        provisioning:
          diskSelector:
            match: disk.size > 120u * GB && disk.size < 1u * TB
          minSize: 1GiB"#,
    );
    let docs = r.as_ref().map(|r| r.of_kind("UserVolumeConfig"));
    let d = |i: usize| docs.as_ref().and_then(|v| v.get(i).copied());
    let field = |i: usize, k: &str| d(i).and_then(|d| d.get(k)).cloned();
    t.eq("result[0].Name()", str_at(d(0), "name"), Some("ceph-data"));
    t.eq(
        "result[0].VolumeType",
        str_at(d(0), "volumeType"),
        Some("partition"),
    );
    t.eq(
        "result[0].ProvisioningSpec",
        field(0, "provisioning"),
        Some(yaml(
            "diskSelector:\n  match: disk.transport == \"nvme\"\nmaxSize: 50GiB",
        )),
    );
    t.eq(
        "result[0].FilesystemSpec",
        field(0, "filesystem"),
        Some(yaml("type: xfs")),
    );
    t.eq(
        "result[0].EncryptionSpec",
        field(0, "encryption"),
        Some(yaml(
            "provider: luks2\nkeys:\n  - slot: 0\n    tpm: {}\n  - slot: 1\n    static:\n      passphrase: topsecret",
        )),
    );
    t.eq("result[1].Name()", str_at(d(1), "name"), Some("ceph-data2"));
    t.eq(
        "result[1].ProvisioningSpec",
        field(1, "provisioning"),
        Some(yaml(
            "diskSelector:\n  match: disk.size > 120u * GB && disk.size < 1u * TB\nminSize: 1GiB",
        )),
    );
}
