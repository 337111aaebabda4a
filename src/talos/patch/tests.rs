//! Table tests modelled on upstream `configpatcher` / `merge` test cases (Talos v1.12.0).

use super::*;
use crate::diag::Sources;
use crate::model::{PatchSource, PatchTarget};
use crate::yaml::{EmitOptions, PathSeg, emit_documents, parse_documents};
use std::path::PathBuf;

fn docs(text: &str) -> Vec<Yaml> {
    parse_documents(text)
        .expect("test YAML parses")
        .into_iter()
        .map(|d| d.value)
        .collect()
}

fn patch(text: &str) -> Patch {
    Patch {
        name: "test".into(),
        target: PatchTarget::All,
        documents: docs(text),
        text: Some(text.to_string()),
        source: PatchSource::File(PathBuf::from("patches/test.yaml")),
        span: None,
        template: None,
    }
}

fn emit(d: &[Yaml]) -> String {
    emit_documents(d, &EmitOptions::default())
}

fn run(config: &str, patches: &[&str]) -> Vec<Yaml> {
    let ps: Vec<Patch> = patches.iter().map(|p| patch(p)).collect();
    let refs: Vec<&Patch> = ps.iter().collect();
    apply_all(docs(config), &refs).unwrap_or_else(|(i, e)| panic!("patch {i}: {e}"))
}

/// Applies `patches` in order to `config` and compares with `expected` as Talos would
/// marshal it (so the expectation can leave out `type: ""` and friends).
fn case(config: &str, patches: &[&str], expected: &str) {
    let mut want = docs(expected);
    want.iter_mut().for_each(reorder);
    assert_eq!(emit(&run(config, patches)), emit(&want));
}

/// Like [`case`], but the expected text is compared byte for byte (key order included).
fn exact(config: &str, patches: &[&str], expected: &str) {
    assert_eq!(emit(&run(config, patches)), expected);
}

fn fails(config: &str, p: &str) -> PatchError {
    apply(docs(config), &patch(p)).expect_err("patch should fail")
}

const LEGACY_NET: &str = "version: v1alpha1
machine:
  network:
    hostname: hostname1
    interfaces:
      - interface: eth0
        dhcp: true
";

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

const MULTIDOC: &str = "version: v1alpha1
machine:
  network:
    hostname: hostname1
    interfaces:
      - interface: eth0
        dhcp: true
      - interface: eth1
        addresses: [10.3.5.4/32]
---
apiVersion: v1alpha1
kind: SideroLinkConfig
apiUrl: https://siderolink.api/join?jointoken=secret&user=alice
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
  - content: hello
    mountPath: /etc/foo
environment:
  - FOO=BAR
";

#[test]
fn multi_document_patch_matches_upstream_output() {
    // Upstream TestApplyMultiDoc (with its config, which has no eth1).
    let config = MULTIDOC.replace(
        "      - interface: eth1\n        addresses: [10.3.5.4/32]\n",
        "",
    );
    exact(
        &config,
        &[
            "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        dhcp: false\n",
            "apiVersion: v1alpha1
kind: SideroLinkConfig
apiUrl: https://siderolink.api/join?jointoken=secret&user=bob
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
  - content: hello world
    mountPath: /etc/foo
  - content: another hello
    mountPath: /etc/bar
environment:
  - XXX=YYY
",
        ],
        r#"version: v1alpha1
machine:
    type: ""
    token: ""
    certSANs: []
    network:
        hostname: hostname1
        interfaces:
            - interface: eth0
              dhcp: false
cluster: null
---
apiVersion: v1alpha1
kind: SideroLinkConfig
apiUrl: https://siderolink.api/join?jointoken=secret&user=bob
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
    - content: hello world
      mountPath: /etc/foo
    - content: another hello
      mountPath: /etc/bar
environment:
    - FOO=BAR
    - XXX=YYY
"#,
    );
}

#[test]
fn multi_document_patch_merges_by_kind_and_name() {
    case(
        MULTIDOC,
        &["apiVersion: v1alpha1
kind: SideroLinkConfig
apiUrl: https://siderolink.api/join?jointoken=secret&user=bob
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
  - content: hello world
    mountPath: /etc/foo
  - content: another hello
    mountPath: /etc/bar
environment:
  - XXX=YYY
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: bar
environment:
  - A=B
"],
        "version: v1alpha1
machine:
  network:
    hostname: hostname1
    interfaces:
      - interface: eth0
        dhcp: true
      - interface: eth1
        addresses: [10.3.5.4/32]
---
apiVersion: v1alpha1
kind: SideroLinkConfig
apiUrl: https://siderolink.api/join?jointoken=secret&user=bob
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
  - content: hello world
    mountPath: /etc/foo
  - content: another hello
    mountPath: /etc/bar
environment:
  - FOO=BAR
  - XXX=YYY
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: bar
environment:
  - A=B
",
    );
}

#[test]
fn patch_delete_documents_list_items_and_keys() {
    // Upstream testdata/patchdelete/strategic1: the eth0 delete runs before the merge,
    // so the patch's own eth0 entry is appended anew.
    case(
        MULTIDOC,
        &["apiVersion: v1alpha1
kind: SideroLinkConfig
$patch: delete
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
  - content: hello
    $patch: delete
  - content: hello2
    mountPath: /etc/foo2
---
version: v1alpha1
machine:
  network:
    hostname:
      $patch: delete
    interfaces:
      - interface: eth0
        $patch: delete
      - interface: eth1
        addresses: [10.3.5.5/32]
      - interface: eth0
        dummy: true
"],
        "version: v1alpha1
machine:
  network:
    interfaces:
      - interface: eth1
        addresses: [10.3.5.4/32, 10.3.5.5/32]
      - interface: eth0
        dummy: true
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
  - content: hello2
    mountPath: /etc/foo2
environment:
  - FOO=BAR
",
    );
}

#[test]
fn patch_delete_admission_plugin_node_label_and_audit_policy() {
    case(
        "version: v1alpha1
machine:
  nodeLabels:
    node.kubernetes.io/exclude-from-external-load-balancers: ''
    keep: 'yes'
cluster:
  apiServer:
    admissionControl:
      - name: PodSecurity
        configuration:
          kind: PodSecurityConfiguration
      - name: Other
        configuration:
          kind: X
    auditPolicy:
      kind: Policy
",
        &["version: v1alpha1
cluster:
  apiServer:
    admissionControl:
      - name: PodSecurity
        $patch: delete
    auditPolicy:
      $patch: delete
machine:
  nodeLabels:
    node.kubernetes.io/exclude-from-external-load-balancers:
      $patch: delete
"],
        "version: v1alpha1
machine:
  nodeLabels:
    keep: 'yes'
cluster:
  apiServer:
    admissionControl:
      - name: Other
        configuration:
          kind: X
",
    );
}

#[test]
fn admission_plugins_merge_by_name_and_audit_policy_is_replaced() {
    case(
        "version: v1alpha1
cluster:
  apiServer:
    admissionControl:
      - name: PodSecurity
        configuration:
          defaults:
            audit: restricted
            enforce: baseline
    auditPolicy:
      apiVersion: audit.k8s.io/v1
      kind: Policy
      rules:
        - level: Metadata
",
        &["cluster:
  apiServer:
    admissionControl:
      - name: PodSecurity
        configuration:
          defaults:
            enforce: privileged
    auditPolicy:
      apiVersion: audit.k8s.io/v1
      kind: Policy
      rules:
        - level: None
"],
        "version: v1alpha1
cluster:
  apiServer:
    admissionControl:
      - name: PodSecurity
        configuration:
          defaults:
            audit: restricted
            enforce: privileged
    auditPolicy:
      apiVersion: audit.k8s.io/v1
      kind: Policy
      rules:
        - level: None
",
    );
}

#[test]
fn named_documents_merge_by_name_or_are_appended() {
    case(
        "version: v1alpha1
machine:
  type: worker
---
apiVersion: v1alpha1
kind: BondConfig
name: bond0
links: [enp0s1]
bondMode: 802.3ad
---
apiVersion: v1alpha1
kind: HostnameConfig
auto: stable
",
        // Keys deliberately out of Go order: Talos re-marshals, so they come out sorted.
        &["apiVersion: v1alpha1
kind: BondConfig
name: bond0
mtu: 9000
links: [enp0s2]
---
kind: BondConfig
apiVersion: v1alpha1
mtu: 1500
name: bond1
bondMode: active-backup
links: [enp1s0]
---
apiVersion: v1alpha1
kind: HostnameConfig
hostname: cp-1
"],
        // HostnameConfig keeps `auto: stable` (siderolabs/talos#12891).
        "version: v1alpha1
machine:
  type: worker
---
apiVersion: v1alpha1
kind: BondConfig
name: bond0
links: [enp0s1, enp0s2]
bondMode: 802.3ad
mtu: 9000
---
apiVersion: v1alpha1
kind: HostnameConfig
auto: stable
hostname: cp-1
---
apiVersion: v1alpha1
kind: BondConfig
name: bond1
links: [enp1s0]
bondMode: active-backup
mtu: 1500
",
    );
}

#[test]
fn delete_generated_hostname_document() {
    case(
        "version: v1alpha1
machine:
  type: worker
---
apiVersion: v1alpha1
kind: HostnameConfig
auto: stable
",
        &["apiVersion: v1alpha1
kind: HostnameConfig
$patch: delete
---
apiVersion: v1alpha1
kind: HostnameConfig
hostname: wk-1
"],
        "version: v1alpha1
machine:
  type: worker
---
apiVersion: v1alpha1
kind: HostnameConfig
hostname: wk-1
",
    );
}

#[test]
fn json6902_on_a_single_document() {
    case(
        LEGACY_NET,
        &["- op: add
  path: /machine/network/interfaces/0/addresses
  value: [10.1.2.3/24]
- op: replace
  path: /machine/network/hostname
  value: foo
- op: copy
  from: /machine/network/hostname
  path: /machine/install
- op: test
  path: /machine/install
  value: foo
- op: remove
  path: /machine/install
- op: add
  path: /machine/certSANs
  value: [a]
- op: add
  path: /machine/certSANs/-
  value: b
- op: move
  from: /machine/certSANs/0
  path: /machine/certSANs/-
"],
        "version: v1alpha1
machine:
  certSANs: [b, a]
  network:
    hostname: foo
    interfaces:
      - interface: eth0
        addresses: [10.1.2.3/24]
        dhcp: true
",
    );
}

#[test]
fn json6902_fails_on_multi_document_configs() {
    let err = fails(MULTIDOC, "- op: remove\n  path: /machine/network\n");
    assert_eq!(err.message, MULTI_DOC);
    assert!(err.hint.is_some());
    // An empty patch is an empty JSON patch to Talos.
    let err = fails(MULTIDOC, "");
    assert_eq!(err.message, MULTI_DOC);
    assert!(err.hint.unwrap().contains("empty"));
}

#[test]
fn json6902_errors_point_at_the_op() {
    let err = fails(
        LEGACY_NET,
        "- op: test\n  path: /machine/network/hostname\n  value: other\n",
    );
    assert_eq!(
        err.message,
        "failure applying rfc6902 patches to talos machine config: testing value /machine/network/hostname failed"
    );
    assert_eq!(err.path, [PathSeg::Index(0), PathSeg::Key("value".into())]);
    let err = fails(LEGACY_NET, "- op: remove\n  path: /machine/nope\n");
    assert!(
        err.message.contains("doc is missing path: /machine/nope"),
        "{}",
        err.message
    );
}

#[test]
fn unknown_key_is_reported_with_path_and_suggestion() {
    let err = fails(
        LEGACY_NET,
        "machine:\n  kubelet:\n    extraArgz:\n      a: b\n",
    );
    assert_eq!(err.message, "unknown field `machine.kubelet.extraArgz`");
    assert_eq!(err.hint.as_deref(), Some("did you mean `extraArgs`?"));
    assert_eq!(err.doc, Some(0));
    assert_eq!(
        err.path,
        ["machine", "kubelet", "extraArgz"].map(|k| PathSeg::Key(k.into()))
    );
    // Deprecated fields are known; keys inside them are checked by the Go struct.
    let err = fails(
        LEGACY_NET,
        "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        dhcpp: true\n",
    );
    assert_eq!(
        err.message,
        "unknown field `machine.network.interfaces[0].dhcpp`"
    );
    assert_eq!(err.hint.as_deref(), Some("did you mean `dhcp`?"));
    // In a second document of the patch.
    let err = fails(
        MULTIDOC,
        "machine:\n  type: worker\n---\napiVersion: v1alpha1\nkind: SideroLinkConfig\napiURL: x\n",
    );
    assert_eq!(err.doc, Some(1));
    assert_eq!(err.message, "unknown field `apiURL`");
    assert_eq!(err.hint.as_deref(), Some("did you mean `apiUrl`?"));
}

#[test]
fn type_mismatches_are_errors() {
    let cases = [
        (
            "machine:\n  certSANs:\n    a: b\n",
            "invalid type for `machine.certSANs`: expected a sequence, found a mapping",
        ),
        (
            "machine:\n  install:\n    wipe: 'yes'\n",
            "invalid type for `machine.install.wipe`: expected a boolean, found a string",
        ),
        (
            "cluster:\n  network:\n    podSubnets: 10.42.0.0/16\n",
            "invalid type for `cluster.network.podSubnets`: expected a sequence, found a string",
        ),
        (
            "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [a]\nbondMode: 802.3ad\nmtu: big\n",
            "invalid type for `mtu`: expected an integer, found a string",
        ),
    ];
    for (p, msg) in cases {
        assert_eq!(fails(LEGACY_NET, p).message, msg, "patch: {p}");
    }
    let err = fails(
        LEGACY_NET,
        "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [a]\nbondMode: 802.3adx\n",
    );
    assert_eq!(err.message, "invalid value `802.3adx` for `bondMode`");
    assert!(err.hint.unwrap().starts_with("did you mean `802.3ad`?"));
    // Free-form values merge like Go's map[string]any: types must agree.
    let base = "version: v1alpha1\nmachine:\n  kubelet:\n    extraConfig:\n      featureGates:\n        A: true\n";
    let err = fails(
        base,
        "machine:\n  kubelet:\n    extraConfig:\n      featureGates: false\n",
    );
    assert_eq!(
        err.message,
        "merge type mismatch left map[string]interface {} right bool"
    );
    assert_eq!(
        dotted(&err.path),
        "machine.kubelet.extraConfig.featureGates"
    );
}

#[test]
fn unknown_kinds_and_missing_kind() {
    let err = fails(
        LEGACY_NET,
        "apiVersion: v1alpha1\nkind: BondConfg\nname: b\n",
    );
    assert_eq!(err.message, "\"BondConfg\" \"v1alpha1\": not registered");
    assert_eq!(err.hint.as_deref(), Some("did you mean `BondConfig`?"));
    assert_eq!(fails(LEGACY_NET, "hostname: x\n").message, "missing kind");
}

#[test]
fn patch_delete_errors_use_talos_wording() {
    let err = fails(
        LEGACY_NET,
        "machine:\n  nodeLabels:\n    foo:\n      $patch: delete\n",
    );
    assert_eq!(
        err.message,
        "patch delete: path 'machine.nodeLabels.foo' in document '/v1alpha1': failed to delete path 'machine.nodeLabels.foo': lookup failed"
    );
    assert_eq!(dotted(&err.path), "machine.nodeLabels.foo");
    let err = fails(
        LEGACY_NET,
        "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        vip:\n          $patch: delete\n",
    );
    assert_eq!(
        err.message,
        "cannot delete an inner key in 'machine.network.interfaces.[0].vip'"
    );
    let err = fails(
        LEGACY_NET,
        "apiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n",
    );
    assert_eq!(
        err.message,
        "patch delete: no document v1alpha1/HostnameConfig in the config"
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
fn new_keys_come_out_in_talos_order() {
    exact(
        "version: v1alpha1
machine:
  type: controlplane
  token: t
  certSANs: []
  nodeLabels:
    zone: a
cluster:
  controlPlane:
    endpoint: https://c:6443
  clusterName: c
",
        &["cluster:
  allowSchedulingOnControlPlanes: true
  network:
    cni:
      name: none
machine:
  kubelet:
    extraMounts:
      - options: [bind, rshared, rw]
        source: /var/lib/rook
        type: bind
        destination: /var/lib/rook
  install:
    disk: /dev/nvme0n1
  nodeLabels:
    a10: x
    a2: y
persist: true
"],
        r#"version: v1alpha1
persist: true
machine:
    type: controlplane
    token: t
    certSANs: []
    kubelet:
        extraMounts:
            - destination: /var/lib/rook
              type: bind
              source: /var/lib/rook
              options:
                - bind
                - rshared
                - rw
    install:
        disk: /dev/nvme0n1
        wipe: null
    nodeLabels:
        a2: "y"
        a10: x
        zone: a
cluster:
    controlPlane:
        endpoint: https://c:6443
    clusterName: c
    network:
        cni:
            name: none
        dnsDomain: ""
        podSubnets: []
        serviceSubnets: []
    allowSchedulingOnControlPlanes: true
"#,
    );
}

#[test]
fn golden_configs_are_in_talos_order_and_pass_the_check() {
    for role in ["controlplane", "worker"] {
        let rel = format!("talos-examples/gen-v1.12-base-{role}.yaml");
        let Some(text) = crate::testutil::oracle_text(&rel) else {
            return;
        };
        let golden = docs(&text);
        assert_eq!(golden.len(), 2);
        let mut reordered = golden.clone();
        reordered.iter_mut().for_each(reorder);
        assert_eq!(emit(&reordered), emit(&golden), "{role}");
        check_documents(&golden).unwrap_or_else(|(i, e)| panic!("{role} doc {i}: {e}"));
        // A no-op patch leaves the golden config byte-identical.
        let out = apply(golden.clone(), &patch("machine:\n  type: ''\n")).unwrap();
        assert_eq!(emit(&out), emit(&golden));
    }
}

#[test]
fn apply_all_reports_the_failing_patch_index() {
    let ok = patch("machine:\n  type: worker\n");
    let bad = patch("machine:\n  typo: x\n");
    let (i, err) = apply_all(docs(LEGACY_NET), &[&ok, &bad]).unwrap_err();
    assert_eq!(i, 1);
    assert_eq!(err.hint.as_deref(), Some("did you mean `type`?"));
}

#[test]
fn diagnostic_points_at_the_patch_file_key() {
    let text = "machine:\n  kubelet:\n    extraArgz:\n      a: b\n";
    let p = patch(text);
    let err = apply(docs(LEGACY_NET), &p).unwrap_err();
    let mut sources = Sources::default();
    let d = to_diagnostic(&err, &p, &mut sources);
    let span = d.span.expect("span in the patch file");
    assert_eq!(
        sources.path(span.source),
        std::path::Path::new("patches/test.yaml")
    );
    assert_eq!(&text[span.range.clone()], "extraArgz");
    assert_eq!(sources.line_col(span.source, span.range.start), (3, 5));
    assert_eq!(d.hints, ["did you mean `extraArgs`?"]);
    assert!(d.notes[0].contains("`test`"));
}

#[test]
fn only_delete_is_a_patch_directive() {
    let err = fails(LEGACY_NET, "machine:\n  network:\n    $patch: replace\n");
    assert_eq!(err.message, "unknown field `machine.network.$patch`");
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
fn check_documents_reports_unknown_keys_in_configs() {
    let mut d = docs(LEGACY_NET);
    d.push(
        docs("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\nhostnam: x\n").remove(0),
    );
    let (i, err) = check_documents(&d).unwrap_err();
    assert_eq!(i, 1);
    assert_eq!(err.message, "unknown field `hostnam`");
    assert_eq!(err.hint.as_deref(), Some("did you mean `hostname`?"));
    assert!(
        check_documents(&docs(LEGACY_NET)).is_ok(),
        "deprecated fields are accepted"
    );
}

#[test]
fn diagnostic_for_a_json_patch_points_at_the_op_key() {
    let text = "- op: add\n  path: /machine/nope/x\n  value: 1\n";
    let p = patch(text);
    let err = apply(docs(LEGACY_NET), &p).unwrap_err();
    let mut sources = Sources::default();
    let span = to_diagnostic(&err, &p, &mut sources).span.expect("span");
    assert_eq!(sources.line_col(span.source, span.range.start).0, 2);
}

#[test]
fn upstream_network_documents_pass_and_keep_their_order() {
    let names = crate::testutil::NETWORK_EXAMPLES;
    for name in names {
        let Some(text) =
            crate::testutil::oracle_text(&format!("talos-examples/network/{name}.yaml"))
        else {
            return;
        };
        let original = docs(&text);
        check_documents(&original).unwrap_or_else(|(i, e)| panic!("{name} doc {i}: {e}"));
        let mut shaped = original.clone();
        shaped.iter_mut().for_each(reorder);
        assert_eq!(emit(&shaped), emit(&original), "{name}");
    }
}

#[test]
fn empty_audit_policy_replaces_and_drops_it() {
    case(
        "version: v1alpha1\ncluster:\n  apiServer:\n    image: x\n    auditPolicy:\n      kind: Policy\n",
        &["cluster:\n  apiServer:\n    auditPolicy: {}\n"],
        "version: v1alpha1\ncluster:\n  apiServer:\n    image: x\n",
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Values built from the keys and scalars patches use, so they reach deep into the
    /// Talos structs (and their error paths) instead of failing at the first key.
    fn value() -> impl Strategy<Value = Yaml> {
        let key = prop::sample::select(vec![
            "machine",
            "cluster",
            "network",
            "interfaces",
            "interface",
            "vlans",
            "vlanId",
            "kubelet",
            "extraArgs",
            "extraConfig",
            "certSANs",
            "apiServer",
            "admissionControl",
            "name",
            "auditPolicy",
            "nodeLabels",
            "install",
            "disk",
            "$patch",
            "kind",
            "apiVersion",
            "links",
            "mtu",
            "podSubnets",
        ]);
        let leaf = prop_oneof![
            Just(Yaml::Null),
            any::<bool>().prop_map(Yaml::Bool),
            (-2i64..3).prop_map(Yaml::Int),
            prop::sample::select(vec!["", "delete", "eth0", "v1alpha1", "BondConfig", "x"])
                .prop_map(Yaml::str),
        ];
        leaf.prop_recursive(5, 40, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Yaml::Seq),
                prop::collection::vec((key.clone(), inner), 0..4).prop_map(Yaml::from_pairs),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn apply_returns_instead_of_panicking(patch_docs in prop::collection::vec(value(), 0..3)) {
            let _ = apply_docs(docs(MULTIDOC), &patch_docs);
            let _ = apply_docs(docs(LEGACY_NET), &patch_docs);
        }
    }
}

#[test]
fn rendered_configs_already_have_talos_shape() {
    // `apply` re-shapes every document as Talos re-marshals it; the machine renderer's
    // output must come through unchanged, for v1.12 documents and legacy interfaces alike.
    use crate::model::{Bond, Cluster, Cni, InstallDisk, Interface, Node, Role, Version, parse_ip};
    let Some(text) = crate::testutil::oracle_text("talos-examples/gen-input-secrets.yaml") else {
        return;
    };
    let secrets =
        crate::secrets::bundle::Bundle::from_yaml(&docs(&text).remove(0)).expect("test secrets");
    for talos in ["v1.12.0", "v1.11.0"] {
        let v = |s: &str| Version::parse(s).unwrap();
        let mut c = Cluster::new("infra", "https://10.25.11.10:6443", v(talos), v("v1.35.0"));
        c.cni = Cni::None;
        let mut n = Node::new("cp-1", parse_ip("10.25.11.11").unwrap(), Role::ControlPlane);
        n.install = Some(InstallDisk::Path("/dev/nvme0n1".into()));
        n.interfaces = vec![Interface {
            bond: Some(Bond {
                links: vec!["enp0s1".into(), "enp0s2".into()],
                mode: Some("802.3ad".into()),
                ..Bond::default()
            }),
            mtu: Some(9000),
            dhcp: true,
            ..Interface::new("bond0")
        }];
        let rendered = crate::talos::generate::render_node(&c, &n, &secrets).unwrap();
        let out = apply(rendered.clone(), &patch("machine:\n  type: ''\n")).unwrap();
        assert_eq!(emit(&out), emit(&rendered), "{talos}");
        check_documents(&rendered).unwrap_or_else(|(i, e)| panic!("{talos} doc {i}: {e}"));
    }
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
fn values_talos_parses_are_checked_at_the_key() {
    let bond =
        "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nlinks: [a]\nbondMode: 802.3ad\n";
    let cases = [
        (
            "addresses:\n  - address: 10.0.0.5\n",
            "invalid value `10.0.0.5` for `addresses[0].address`: expected an IP prefix",
        ),
        (
            "routes:\n  - gateway: 10.0.0.300\n",
            "invalid value `10.0.0.300` for `routes[0].gateway`: expected an IP address",
        ),
        (
            "arpIpTargets: [10.0.0.1, nope]\n",
            "invalid value `nope` for `arpIpTargets[1]`: expected an IP address",
        ),
    ];
    for (extra, msg) in cases {
        let err = fails(LEGACY_NET, &format!("{bond}{extra}"));
        assert_eq!(err.message, msg);
    }
    let err = fails(
        LEGACY_NET,
        "apiVersion: v1alpha1\nkind: TimeSyncConfig\nbootTimeout: 30 seconds\n",
    );
    assert_eq!(
        err.message,
        "invalid value `30 seconds` for `bootTimeout`: expected a duration"
    );
    assert_eq!(err.hint.as_deref(), Some("write it like `30s`"));
    // Valid spellings pass.
    let ok = format!(
        "{bond}addresses:\n  - address: FD00::5/64\nroutes:\n  - destination: 0.0.0.0/0\n    gateway: 10.0.0.1\n---\napiVersion: v1alpha1\nkind: TimeSyncConfig\nbootTimeout: 1m30.5s\n"
    );
    apply(docs(LEGACY_NET), &patch(&ok)).expect("valid values");
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

#[test]
fn json6902_values_are_decoded_into_talos_types() {
    let out = run(
        "version: v1alpha1\nmachine:\n  type: worker\n",
        &["- op: add\n  path: /machine/sysctls\n  value:\n    vm.max_map_count: 262144\n"],
    );
    assert_eq!(
        out[0].get_path("machine.sysctls"),
        docs("vm.max_map_count: '262144'\n").first()
    );
    let out = run(
        "version: v1alpha1\ncluster:\n  inlineManifests: []\n",
        &[
            "- op: add\n  path: /cluster/inlineManifests/-\n  value:\n    name: a\n    contents: \"\\n\\t kind: A\\n\"\n",
        ],
    );
    assert_eq!(
        out[0].get_path("cluster.inlineManifests"),
        docs("- name: a\n  contents: \" kind: A\\n\"\n").first()
    );
}
