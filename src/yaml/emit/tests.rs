//! Emitter cases: styles, quoting, indentation, floats.

use super::*;
use crate::yaml::Map;

fn emit4(y: &Yaml) -> String {
    emit_document(y, &EmitOptions { indent: 4 })
}

fn m(pairs: Vec<(&str, Yaml)>) -> Yaml {
    Yaml::from_pairs(pairs)
}

#[test]
fn nested_maps_and_sequences_indent_like_yaml_v3() {
    let doc = m(vec![
        ("version", Yaml::str("v1alpha1")),
        (
            "cluster",
            m(vec![(
                "network",
                m(vec![("podSubnets", Yaml::str_seq(["10.244.0.0/16"]))]),
            )]),
        ),
        (
            "admissionControl",
            Yaml::Seq(vec![m(vec![
                ("name", Yaml::str("PodSecurity")),
                (
                    "configuration",
                    m(vec![(
                        "exemptions",
                        m(vec![("namespaces", Yaml::str_seq(["a"]))]),
                    )]),
                ),
            ])]),
        ),
        ("empty", Yaml::map()),
        ("none", Yaml::Seq(vec![])),
    ]);
    assert_eq!(
        emit4(&doc),
        "version: v1alpha1\ncluster:\n    network:\n        podSubnets:\n            - 10.244.0.0/16\n\
         admissionControl:\n    - name: PodSecurity\n      configuration:\n        exemptions:\n            namespaces:\n                - a\n\
         empty: {}\nnone: []\n"
    );
}

#[test]
fn two_space_indent_for_talhelper() {
    let doc = m(vec![(
        "nodes",
        Yaml::Seq(vec![m(vec![
            ("hostname", Yaml::str("cp-1")),
            ("patches", Yaml::str_seq(["@./patches/a.yaml"])),
        ])]),
    )]);
    assert_eq!(
        emit_document(&doc, &EmitOptions { indent: 2 }),
        "nodes:\n  - hostname: cp-1\n    patches:\n      - '@./patches/a.yaml'\n"
    );
}

#[test]
fn quoting_follows_resolution() {
    let cases = [
        ("", "\"\""),
        ("true", "\"true\""),
        ("off", "\"off\""),
        ("123", "\"123\""),
        ("0755", "\"0755\""),
        ("1.5", "\"1.5\""),
        ("1e3", "\"1e3\""),
        ("1:20", "\"1:20\""),
        ("2024-01-02", "\"2024-01-02\""),
        ("null", "\"null\""),
        ("~", "\"~\""),
        ("10.244.0.0/16", "10.244.0.0/16"),
        ("https://base:6443", "https://base:6443"),
        ("802.3ad", "802.3ad"),
        ("v1.12.0", "v1.12.0"),
        ("*.talosconfig", "'*.talosconfig'"),
        ("!*.sops.yaml", "'!*.sops.yaml'"),
        ("a: b", "'a: b'"),
        ("a #b", "'a #b'"),
        ("a#b", "a#b"),
        ("- x", "'- x'"),
        ("-x", "-x"),
        (" lead", "' lead'"),
        ("it's", "it's"),
        ("'q", "'''q'"),
        ("tab\there", "\"tab\\there\""),
        ("é", "é"),
        ("😀", "\"\\U0001F600\""),
        ("a\u{7}", "\"a\\a\""),
        ("layer3+4", "layer3+4"),
        ("+5", "\"+5\""),
        ("0x1F", "\"0x1F\""),
        ("08", "\"08\""),
        (".5", "\".5\""),
        (".hidden", ".hidden"),
        ("1_000", "\"1_000\""),
    ];
    for (input, want) in cases {
        let doc = m(vec![("k", Yaml::str(input))]);
        assert_eq!(emit4(&doc), format!("k: {want}\n"), "input {input:?}");
    }
}

#[test]
fn literal_blocks_and_chomping() {
    let doc = m(vec![
        ("a", Yaml::str("line1\nline2\n")),
        ("b", Yaml::str("x\ny")),
        ("c", Yaml::str("x\n\n")),
        ("d", Yaml::str("x\n\ny\n")),
        ("e", Yaml::str(" lead\n")),
        ("f", Yaml::str("trail \nx")),
    ]);
    assert_eq!(
        emit4(&doc),
        "a: |\n    line1\n    line2\nb: |-\n    x\n    y\nc: |+\n    x\n\nd: |\n    x\n\n    y\ne: |4\n     lead\nf: \"trail \\nx\"\n"
    );
    let seq = Yaml::Seq(vec![Yaml::str("a\nb\n")]);
    assert_eq!(emit4(&seq), "- |\n  a\n  b\n");
}

#[test]
fn scalars_and_keys() {
    let mut map = Map::new();
    map.insert("n".into(), Yaml::Null);
    map.insert("b".into(), Yaml::Bool(false));
    map.insert("i".into(), Yaml::Int(-7));
    map.insert("f".into(), Yaml::Float(0.5));
    map.insert("g".into(), Yaml::Float(1e6));
    map.insert("true".into(), Yaml::Int(1));
    map.insert("node.kubernetes.io/role".into(), Yaml::str(""));
    assert_eq!(
        emit4(&Yaml::Map(map)),
        "\"n\": null\nb: false\ni: -7\nf: 0.5\ng: 1e+06\n\"true\": 1\nnode.kubernetes.io/role: \"\"\n"
    );
    assert_eq!(emit4(&Yaml::map()), "{}\n");
    assert_eq!(emit4(&Yaml::str("x")), "x\n");
}

#[test]
fn floats_like_go() {
    for (f, want) in [
        (1.0, "1"),
        (1.5, "1.5"),
        (123_456.0, "123456"),
        (1_234_567.0, "1.234567e+06"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.25, "-2.25"),
    ] {
        assert_eq!(format_float(f), want, "{f}");
    }
}

#[test]
fn nested_sequences() {
    let doc = Yaml::Seq(vec![Yaml::str_seq(["a", "b"]), Yaml::str("c")]);
    assert_eq!(emit4(&doc), "- - a\n  - b\n- c\n");
    let doc = m(vec![("k", Yaml::Seq(vec![Yaml::str_seq(["a"])]))]);
    assert_eq!(emit4(&doc), "k:\n    - - a\n");
}

#[test]
fn multiple_documents() {
    let a = m(vec![("a", Yaml::Int(1))]);
    let b = m(vec![("b", Yaml::Int(2))]);
    assert_eq!(
        emit_documents(&[a, b], &EmitOptions::default()),
        "a: 1\n---\nb: 2\n"
    );
}
