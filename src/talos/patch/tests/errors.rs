//! Patch errors in Talos' words, and diagnostics pointing at the patch file's key.

use super::*;

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
