//! Multi-document patches: documents merged by kind and name, `$patch: delete`, audit policy and admission plugins.

use super::*;

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
