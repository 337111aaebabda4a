//! JSON 6902 patches: single-document configs only, values decoded into Talos types, errors at the op.

use super::*;

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
fn diagnostic_for_a_json_patch_points_at_the_op_key() {
    let text = "- op: add\n  path: /machine/nope/x\n  value: 1\n";
    let p = patch(text);
    let err = apply(docs(LEGACY_NET), &p).unwrap_err();
    let mut sources = Sources::default();
    let span = to_diagnostic(&err, &p, &mut sources).span.expect("span");
    assert_eq!(sources.line_col(span.source, span.range.start).0, 2);
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
