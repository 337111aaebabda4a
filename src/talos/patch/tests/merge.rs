//! Merging as Talos merges Go structs: maps, lists, keyed lists, Go zero values, pointers, URLs.

use super::*;

#[test]
fn maps_merge_recursively_and_scalars_follow_go_zero_rules() {
    case(
        "version: v1alpha1
debug: true
machine:
  type: controlplane
  token: abc
  kubelet:
    image: kubelet:v1
    extraArgs:
      a: '1'
  install:
    disk: /dev/sda
    wipe: true
cluster:
  clusterName: base
",
        &["machine:
  token: ''
  kubelet:
    extraArgs:
      b: '2'
  install:
    disk: /dev/nvme0n1
    wipe: false
debug: false
"],
        "version: v1alpha1
debug: false
machine:
  type: controlplane
  token: abc
  kubelet:
    image: kubelet:v1
    extraArgs:
      a: '1'
      b: '2'
  install:
    disk: /dev/nvme0n1
    wipe: false
cluster:
  clusterName: base
",
    );
}

#[test]
fn lists_append_except_replace_fields() {
    case(
        "version: v1alpha1
machine:
  certSANs: [a]
  kernel:
    modules:
      - name: rbd
cluster:
  network:
    podSubnets: [10.244.0.0/16]
    serviceSubnets: [10.96.0.0/12]
  apiServer:
    certSANs: [x]
",
        &["machine:
  certSANs: [b]
  kernel:
    modules:
      - name: ceph
cluster:
  network:
    podSubnets: [10.42.0.0/16]
    serviceSubnets: [10.43.0.0/16]
  apiServer:
    certSANs: [y]
"],
        "version: v1alpha1
machine:
  certSANs: [a, b]
  kernel:
    modules:
      - name: rbd
      - name: ceph
cluster:
  network:
    podSubnets: [10.42.0.0/16]
    serviceSubnets: [10.43.0.0/16]
  apiServer:
    certSANs: [x, y]
",
    );
}

#[test]
fn interfaces_and_vlans_merge_by_key() {
    // Upstream TestApply: strategic, two JSON patches, strategic x2 on a single document;
    // the expectation is Talos' re-marshalled output (zero values of required fields).
    exact(
        LEGACY_NET,
        &[
            "machine:
  network:
    interfaces:
      - interface: eth0
        dhcp: false
",
            "- op: add
  path: /machine/network/interfaces/0/addresses
  value:
    - 10.1.2.3/24
",
            "- op: replace
  path: /machine/network/hostname
  value: foo
",
            "machine:
  network:
    interfaces:
      - interface: eth0
        vip:
          ip: 10.3.5.6
      - interface: eth1
        vlans:
          - vlanId: 100
            addresses: [10.3.4.5]
",
            "machine:
  network:
    interfaces:
      - interface: eth1
        vlans:
          - vlanId: 100
            addresses: [10.3.4.6]
          - vlanId: 101
            addresses: [10.3.4.7]
",
        ],
        r#"version: v1alpha1
machine:
    type: ""
    token: ""
    certSANs: []
    network:
        hostname: foo
        interfaces:
            - interface: eth0
              addresses:
                - 10.1.2.3/24
              dhcp: false
              vip:
                ip: 10.3.5.6
            - interface: eth1
              vlans:
                - addresses:
                    - 10.3.4.5
                    - 10.3.4.6
                  routes: []
                  vlanId: 100
                - addresses:
                    - 10.3.4.7
                  routes: []
                  vlanId: 101
cluster: null
"#,
    );
}

#[test]
fn string_fields_take_scalars_as_text() {
    case(
        "version: v1alpha1\nmachine:\n  type: worker\n",
        &["machine:\n  sysctls:\n    vm.max_map_count: 262144\n    net.core.rmem_max: '2500000'\n"],
        "version: v1alpha1\nmachine:\n  type: worker\n  sysctls:\n    net.core.rmem_max: '2500000'\n    vm.max_map_count: '262144'\n",
    );
}

#[test]
fn null_values_change_nothing_except_new_string_map_entries() {
    case(
        "version: v1alpha1\nmachine:\n  type: worker\n  nodeLabels:\n    a: x\n",
        &["machine:\n  type: null\n  install:\n  nodeLabels:\n    a: null\n    b: null\n"],
        "version: v1alpha1\nmachine:\n  type: worker\n  nodeLabels:\n    a: x\n    b: ''\n",
    );
}

#[test]
fn free_form_values_merge_like_go_maps_of_any() {
    // Upstream merge_test "unstructured": nested maps merge, lists inside append, keys
    // come out sorted as Go marshals a map.
    case(
        "version: v1alpha1
machine:
  kubelet:
    extraConfig:
      map:
        slice: [s1]
        some: value
      a: aa
      gone: null
",
        &["machine:
  kubelet:
    extraConfig:
      map:
        slice: [s2]
        other: thing
      b: bb
      gone:
        x: [c]
"],
        "version: v1alpha1
machine:
  kubelet:
    extraConfig:
      a: aa
      b: bb
      gone:
        x: [c]
      map:
        other: thing
        slice: [s1, s2]
        some: value
",
    );
}

#[test]
fn zero_values_override_only_through_pointers() {
    // Upstream merge_test "merge with pointer override": `miimon` is `*uint32`, so `0`
    // wins; `mtu` is a plain `uint32`, so `0` is Go's zero value and leaves it alone.
    case(
        "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [a]\nbondMode: 802.3ad\nmiimon: 100\nmtu: 9000\n",
        &["apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nmiimon: 0\nmtu: 0\n"],
        "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [a]\nbondMode: 802.3ad\nmiimon: 0\nmtu: 9000\n",
    );
}

#[test]
fn endpoints_merge_as_go_urls_field_by_field() {
    let base = "version: v1alpha1\ncluster:\n  controlPlane:\n    endpoint: https://a/\n";
    let out = run(
        base,
        &["cluster:\n  controlPlane:\n    endpoint: https://b\n"],
    );
    assert_eq!(
        out[0].get_path("cluster.controlPlane.endpoint"),
        Some(&Yaml::str("https://b/"))
    );
    let logging = "version: v1alpha1\nmachine:\n  logging:\n    destinations:\n      - endpoint: udp://127.0.0.1:12345/\n        format: json_lines\n";
    // A list item is appended, not merged: its endpoint is the patch's as written.
    let out = run(
        logging,
        &[
            "machine:\n  logging:\n    destinations:\n      - endpoint: tcp://10.0.0.1:99\n        format: json_lines\n",
        ],
    );
    let dests = out[0].get_path("machine.logging.destinations").unwrap();
    assert_eq!(dests.as_seq().map(<[Yaml]>::len), Some(2));
    // Both with user information: Go's merge cannot set `url.Userinfo`'s fields.
    let e = fails(
        "version: v1alpha1\ncluster:\n  controlPlane:\n    endpoint: https://u@a/\n",
        "cluster:\n  controlPlane:\n    endpoint: https://v@b\n",
    );
    assert!(e.to_string().contains("merge not possible"), "{e}");
}
