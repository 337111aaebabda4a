//! The strict reader: typed getters, coercion, unknown and missing keys with their spans.

use super::*;
use crate::yaml::parse_documents;

fn doc(text: &str) -> ParsedDoc {
    parse_documents(text).unwrap().remove(0)
}

#[test]
fn typed_getters_return_values_with_spans() {
    let text = "a: x\nb: 7\nc: true\nd: [1, 2]\n";
    let d = doc(text);
    let root = Node::root(&d);
    let a = root.opt_string("a", Coerce::Ints).unwrap().unwrap();
    assert_eq!(a.value, "x");
    assert_eq!(&text[a.span.unwrap()], "x");
    let b = root.opt_u32("b").unwrap().unwrap();
    assert_eq!((b.value, &text[b.span.unwrap()]), (7, "7"));
    assert!(root.opt_bool("c").unwrap().unwrap().value);
    let items = root.required("d").unwrap().items().unwrap();
    assert_eq!(items[1].dotted(), "d[1]");
    assert_eq!(items[1].int().unwrap().value, 2);
    assert_eq!(root.opt_string("zz", Coerce::Ints).unwrap(), None);
}

#[test]
fn wrong_types_say_what_was_expected_and_where() {
    let text = "a:\n  b: [x]\n  c: 1.5\n  d: -1\n";
    let d = doc(text);
    let a = Node::root(&d).required("a").unwrap();
    let e = a.opt_string("b", Coerce::Scalars).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Type {
            expected: Expected::String,
            found: "sequence"
        }
    );
    assert_eq!(e.dotted(), "a.b");
    assert_eq!(&text[e.value_span.unwrap()], "[x]");
    assert!(a.opt_string("c", Coerce::Ints).is_err());
    assert!(a.opt_string("d", Coerce::Strings).is_err());
    assert_eq!(
        a.opt_string("d", Coerce::Ints).unwrap().unwrap().value,
        "-1"
    );
    assert_eq!(
        a.opt_string("c", Coerce::Scalars).unwrap().unwrap().value,
        "1.5"
    );
    assert!(a.opt_u32("d").is_err());
    assert!(a.opt_bool("c").is_err());
}

#[test]
fn unknown_keys_come_in_order_with_the_nearest_name() {
    let text = "hostnme: a\nip: b\nzzzzzzzz: c\n";
    let d = doc(text);
    let errs = Node::root(&d).unknown_keys(&["hostname", "ipAddress"]);
    let got: Vec<_> = errs
        .iter()
        .map(|e| match &e.kind {
            ErrorKind::Unknown { key, nearest } => (key.as_str(), *nearest),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        [
            ("hostnme", Some("hostname")),
            ("ip", None),
            ("zzzzzzzz", None)
        ]
    );
    assert_eq!(&text[errs[0].key_span.clone().unwrap()], "hostnme");
    assert!(Node::root(&d).check_keys(&["hostnme", "ip"]).is_err());
}

#[test]
fn a_missing_key_points_at_its_nearest_existing_parent() {
    let text = "certs:\n  os: {}\n";
    let d = doc(text);
    let os = Node::root(&d)
        .required("certs")
        .unwrap()
        .required("os")
        .unwrap();
    let e = os.required("key").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Missing);
    assert_eq!(e.dotted(), "certs.os.key");
    assert_eq!(&text[e.key_span.unwrap()], "os");
}

#[test]
fn bare_values_have_no_spans_but_the_same_errors() {
    let y = Yaml::from_pairs([("a", Yaml::Int(1))]);
    let n = Node::bare(&y);
    assert_eq!(n.opt_u32("a").unwrap().unwrap().span, None);
    let e = n.required("b").unwrap_err();
    assert_eq!((e.kind, e.key_span), (ErrorKind::Missing, None));
    assert!(Node::bare(&Yaml::Int(1)).map().is_err());
    assert!(Node::bare(&Yaml::Null).entries().unwrap().is_empty());
}

#[test]
fn nearest_matches_the_diagnostic_rule() {
    assert_eq!(nearest("lacprate", &["lacpRate", "mode"]), Some("lacpRate"));
    assert_eq!(nearest("q", &["lacpRate"]), None);
}
