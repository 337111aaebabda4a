//! Property tests: no patch, however malformed, makes patching panic.

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
