//! Tests of the whole format against the real sops 3.11 sample in `shared/oracle/sops/sample`.

use super::*;
use crate::testutil::{oracle, oracle_text};
use crate::yaml::PathSeg;
use cipher::ValueType;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn sample_ids() -> Option<Identities> {
    let p = oracle("sops/sample/TEST-KEY.agekey.txt")?;
    let text = std::fs::read_to_string(p).unwrap();
    Some(Identities::from_text(&text, "TEST-KEY"))
}

/// The `ENC[...]` strings of the sample in file order (values, comments, mac).
fn enc_strings(text: &str) -> Vec<&str> {
    let re = regex::Regex::new(r"ENC\[AES256_GCM,[^\]]*\]").unwrap();
    re.find_iter(text).map(|m| m.as_str()).collect()
}

#[test]
fn sample_values_and_mac_decrypt_with_the_oracle_data_key() {
    let (Some(text), Some(expected)) = (
        oracle_text("sops/sample/secrets.sops.yaml"),
        oracle_text("sops/sample/expected.json"),
    ) else {
        return;
    };
    let exp: serde_json::Value = serde_json::from_str(&expected).unwrap();
    let key: [u8; 32] = hex(exp["data_key_hex"].as_str().unwrap())
        .try_into()
        .unwrap();
    let encs = enc_strings(&text);
    let mut values = encs.iter().filter(|e| !e.ends_with("type:comment]"));
    let mut hasher = mac::MacHasher::new(false);
    for leaf in exp["leaves"].as_array().unwrap() {
        let plain = leaf["plaintext"].as_str().unwrap();
        let ty = leaf["type"].as_str().unwrap();
        hasher.update(plain.as_bytes());
        if ty == "EMPTY" || ty == "UNENCRYPTED" {
            continue;
        }
        let enc = values.next().unwrap();
        let (got, got_ty) = cipher::decrypt(&key, enc, leaf["aad"].as_str().unwrap()).unwrap();
        assert_eq!(String::from_utf8(got).unwrap(), plain);
        assert_eq!(got_ty.name(), ty);
    }
    let computed = hasher.finish();
    assert_eq!(computed, exp["mac_hex"].as_str().unwrap());
    let sealed_mac = values.next().unwrap();
    let lastmodified = exp["lastmodified"].as_str().unwrap();
    assert_eq!(mac::open(&key, sealed_mac, lastmodified).unwrap(), computed);
    let mut comments = encs.iter().filter(|e| e.ends_with("type:comment]"));
    for c in exp["comments"].as_array().unwrap() {
        let (got, ty) =
            cipher::decrypt(&key, comments.next().unwrap(), c["aad"].as_str().unwrap()).unwrap();
        assert_eq!(
            (String::from_utf8(got).unwrap().as_str(), ty),
            (c["plaintext"].as_str().unwrap(), ValueType::Comment)
        );
    }
}

#[test]
fn sample_data_key_unwraps_with_the_test_identity() {
    let (Some(text), Some(expected), Some(ids)) = (
        oracle_text("sops/sample/secrets.sops.yaml"),
        oracle_text("sops/sample/expected.json"),
        sample_ids(),
    ) else {
        return;
    };
    let exp: serde_json::Value = serde_json::from_str(&expected).unwrap();
    // The armored block, de-indented, as the YAML literal scalar holds it.
    let start = text.find("-----BEGIN").unwrap();
    let end = text.find("-----END AGE ENCRYPTED FILE-----").unwrap() + 32;
    let enc: String = text[start..end]
        .lines()
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    let key = datakey::unwrap(&enc, &ids).unwrap().unwrap();
    assert_eq!(key.to_vec(), hex(exp["data_key_hex"].as_str().unwrap()));
}

fn sample_tree() -> Node {
    let y = Yaml::from_pairs([
        (
            "cluster",
            Yaml::from_pairs([
                ("name", Yaml::str("demo")),
                ("port", Yaml::Int(6443)),
                ("ratio", Yaml::Float(1.5)),
            ]),
        ),
        (
            "machine",
            Yaml::from_pairs([
                ("certSANs", Yaml::str_seq(["10.0.0.1", "cp.example.test"])),
                (
                    "nodes",
                    Yaml::Seq(vec![Yaml::from_pairs([("controlplane", Yaml::Bool(true))])]),
                ),
                ("empty", Yaml::str("")),
                ("nothing", Yaml::Null),
                ("note_unencrypted", Yaml::str("clear")),
            ]),
        ),
    ]);
    let mut n = Node::from_yaml(&y);
    if let Node::Map(e) = &mut n {
        e.insert(0, Entry::Comment(" top".into()));
    }
    n
}

#[test]
fn tree_walk_encrypts_with_path_aad_and_round_trips() {
    let key = [5u8; 32];
    let sel = EncryptOptions::default()
        .metadata()
        .unwrap()
        .selector()
        .unwrap();
    let mut n = sample_tree();
    let mut w = Walk::new(&key, &sel);
    w.encrypt(&mut n).unwrap();
    let enc_mac = w.mac.finish();
    let y = n.to_yaml();
    let name = y.get_path("cluster.name").unwrap().as_str().unwrap();
    assert_eq!(
        cipher::decrypt(&key, name, "cluster:name:").unwrap().0,
        b"demo"
    );
    let san = &y.get_path("machine.certSANs").unwrap().as_seq().unwrap()[1];
    assert_eq!(
        cipher::decrypt(&key, san.as_str().unwrap(), "machine:certSANs:")
            .unwrap()
            .0,
        b"cp.example.test"
    );
    let cp = &y.get_path("machine.nodes").unwrap().as_seq().unwrap()[0];
    let cp = cp.get("controlplane").unwrap().as_str().unwrap();
    assert_eq!(
        cipher::decrypt(&key, cp, "machine:nodes:controlplane:").unwrap(),
        (b"True".to_vec(), ValueType::Bool)
    );
    assert_eq!(y.get_path("machine.empty"), Some(&Yaml::str("")));
    assert_eq!(y.get_path("machine.nothing"), Some(&Yaml::Null));
    assert_eq!(
        y.get_path("machine.note_unencrypted"),
        Some(&Yaml::str("clear"))
    );
    let Node::Map(e) = &n else { panic!() };
    let Entry::Comment(c) = &e[0] else { panic!() };
    assert_eq!(
        cipher::decrypt(&key, c, ":").unwrap(),
        (b" top".to_vec(), ValueType::Comment)
    );

    let mut w = Walk::new(&key, &sel);
    w.decrypt(&mut n).unwrap();
    assert_eq!(w.mac.finish(), enc_mac);
    assert_eq!(n, sample_tree());
}

#[test]
fn mac_covers_values_in_order_with_sops_bytes() {
    let key = [5u8; 32];
    let sel = EncryptOptions::default()
        .metadata()
        .unwrap()
        .selector()
        .unwrap();
    let mut w = Walk::new(&key, &sel);
    w.encrypt(&mut sample_tree()).unwrap();
    let mut h = mac::MacHasher::new(false);
    for b in [
        "demo",
        "6443",
        "1.5",
        "10.0.0.1",
        "cp.example.test",
        "True",
        "clear",
    ] {
        h.update(b.as_bytes());
    }
    assert_eq!(w.mac.finish(), h.finish());
}

#[test]
fn tampered_value_is_reported_with_its_path() {
    let key = [5u8; 32];
    let sel = EncryptOptions::default()
        .metadata()
        .unwrap()
        .selector()
        .unwrap();
    let mut n = sample_tree();
    Walk::new(&key, &sel).encrypt(&mut n).unwrap();
    // Swap the two certSANs: each still authenticates only under its own AAD... which is the
    // same for both list items, so instead move a value to another key.
    let Node::Map(root) = &mut n else { panic!() };
    let Entry::Pair(_, Node::Map(cluster)) = &mut root[1] else {
        panic!()
    };
    let Entry::Pair(_, Node::Str(name)) = cluster[0].clone() else {
        panic!()
    };
    cluster[1] = Entry::Pair("port".into(), Node::Str(name));
    let e = Walk::new(&key, &sel).decrypt(&mut n).unwrap_err();
    assert_eq!(e.kind, SopsErrorKind::Tampered);
    assert!(e.message.contains("`cluster.port`"), "{}", e.message);
}

#[test]
fn selectors_follow_sops_should_be_encrypted() {
    let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let def = Selector {
        unencrypted_suffix: Some("_unencrypted".into()),
        ..Selector::default()
    };
    assert!(def.encrypts(&p(&["a", "b"])));
    assert!(!def.encrypts(&p(&["a_unencrypted", "b"])));
    let re = Selector {
        encrypted_regex: Some(regex::Regex::new("^(data|stringData)$").unwrap()),
        ..Selector::default()
    };
    assert!(re.encrypts(&p(&["data", "x"])));
    assert!(!re.encrypts(&p(&["metadata", "name"])));
    let suf = Selector {
        encrypted_suffix: Some("_enc".into()),
        ..Selector::default()
    };
    assert!(suf.encrypts(&p(&["x_enc"])) && !suf.encrypts(&p(&["x"])));
    let unre = Selector {
        unencrypted_regex: Some(regex::Regex::new("^pub").unwrap()),
        ..Selector::default()
    };
    assert!(!unre.encrypts(&p(&["public"])) && unre.encrypts(&p(&["secret"])));
}

#[test]
fn options_allow_only_one_selector_and_default_the_suffix() {
    let m = EncryptOptions::default().metadata().unwrap();
    assert_eq!(m.unencrypted_suffix.as_deref(), Some("_unencrypted"));
    let two = EncryptOptions {
        encrypted_regex: Some("x".into()),
        unencrypted_suffix: Some("_u".into()),
        ..EncryptOptions::default()
    };
    assert_eq!(two.metadata().unwrap_err().kind, SopsErrorKind::Config);
}

#[test]
fn sample_decrypts_to_the_plaintext_byte_for_byte() {
    let (Some(text), Some(plain), Some(ids)) = (
        oracle_text("sops/sample/secrets.sops.yaml"),
        oracle_text("sops/sample/secrets.plain.yaml"),
        sample_ids(),
    ) else {
        return;
    };
    assert_eq!(decrypt_to_text(&text, &ids).unwrap(), plain);
    let meta = metadata(&text).unwrap();
    assert_eq!(
        meta.recipients(),
        ["age1xqzcys7lczx9g80uthkntu0lygdmf9lmsta5q9378zvg0lyja90sxatc0g"]
    );
    assert_eq!(meta.lastmodified, "2026-11-24T12:45:13Z");
    assert_eq!(meta.version, "3.11.0");
    let value = decrypt(&text, &ids).unwrap();
    assert_eq!(value.get_path("cluster.port"), Some(&Yaml::Int(6443)));
    assert!(decrypt_equals(&text, &value, &ids));
}

#[test]
fn quick_metadata_reads_what_the_whole_file_says() {
    let (_, recipient) = test_identity();
    let docs = [
        Yaml::from_pairs([("machine", Yaml::from_pairs([("type", Yaml::str("worker"))]))]),
        Yaml::from_pairs([("kind", Yaml::str("HostnameConfig"))]),
    ];
    let text = encrypt_documents(&docs, &[recipient], &EncryptOptions::default(), now()).unwrap();
    assert_eq!(metadata_quick(&text).unwrap(), metadata(&text).unwrap());
    if let Some(sample) = oracle_text("sops/sample/secrets.sops.yaml") {
        assert_eq!(metadata_quick(&sample).unwrap(), metadata(&sample).unwrap());
    }
    // A block that is not the document's end, or no block: the whole file decides.
    let trailing = text.replacen("\n---", "\nafter: 1\n---", 1);
    assert_eq!(quick_block(&trailing), None);
    assert_eq!(
        metadata_quick(&trailing).unwrap(),
        metadata(&trailing).unwrap()
    );
    let plain = "a: 1\n";
    assert_eq!(
        metadata_quick(plain).unwrap_err().kind,
        metadata(plain).unwrap_err().kind
    );
    let broken = text.replacen("    mac: ", "    mac: [", 1);
    assert_eq!(
        metadata_quick(&broken).unwrap_err().message,
        metadata(&broken).unwrap_err().message
    );
}

fn test_identity() -> (Identities, String) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let ids = Identities::from_text(id.to_string().expose_secret(), "generated");
    (ids, id.to_public().to_string())
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap()
}

/// Replaces every random part so two encryptions of the same input compare equal.
fn mask(text: &str) -> String {
    let re = regex::Regex::new(r"data:[^,]*,iv:[^,]*,tag:[^,]*,").unwrap();
    let text = re.replace_all(text, "data:D,iv:I,tag:T,");
    let armor = regex::Regex::new(r"(?s)-----BEGIN AGE ENCRYPTED FILE-----\n.*?-----END").unwrap();
    armor
        .replace_all(&text, "-----BEGIN AGE ENCRYPTED FILE-----\nA\n-----END")
        .into_owned()
}

#[test]
fn encrypted_text_has_the_sops_3_11_layout() {
    let Some(plain) = oracle_text("sops/sample/secrets.plain.yaml") else {
        return;
    };
    let Some(theirs) = oracle_text("sops/sample/secrets.sops.yaml") else {
        return;
    };
    let Some(ids) = sample_ids() else { return };
    let recipient = ids.recipients()[0].clone();
    let t = time::OffsetDateTime::parse(
        "2026-11-24T12:45:13Z",
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let ours = encrypt_text(&plain, &[recipient], &EncryptOptions::default(), t).unwrap();
    // Same bytes as real sops except the random IVs, data, tags and the age armor body.
    assert_eq!(mask(&ours), mask(&theirs));
    assert_eq!(decrypt_to_text(&ours, &ids).unwrap(), plain);
}

#[test]
fn encrypt_value_round_trips_and_lists_recipients_on_wrong_key() {
    let (ids, r) = test_identity();
    let (_, r2) = test_identity();
    let plain = sample_tree().to_yaml();
    let text = encrypt(
        &plain,
        &[r.clone(), r2.clone()],
        &EncryptOptions::default(),
        now(),
    )
    .unwrap();
    assert!(
        text.contains("    lastmodified: \"2026-11-18T11:06:40Z\"\n"),
        "{text}"
    );
    assert_eq!(decrypt(&text, &ids).unwrap(), plain);
    assert_eq!(
        metadata(&text).unwrap().recipients(),
        [r.clone(), r2.clone()]
    );
    let (other, _) = test_identity();
    let e = decrypt(&text, &other).unwrap_err();
    assert_eq!(e.kind, SopsErrorKind::NoKey);
    assert!(
        e.notes.iter().any(|n| n.contains(&r) && n.contains(&r2)),
        "{e}"
    );
    assert!(!e.to_string().contains("demo"));
    let none = Identities::default();
    let e = decrypt(&text, &none).unwrap_err();
    assert_eq!(e.message, "no age identity found to decrypt the file");
}

#[test]
fn tampering_is_detected() {
    let (ids, r) = test_identity();
    let plain = sample_tree().to_yaml();
    let text = encrypt(&plain, &[r], &EncryptOptions::default(), now()).unwrap();
    // A clear (`_unencrypted`) value is still covered by the MAC.
    let edited = text.replace("note_unencrypted: clear", "note_unencrypted: changed");
    let e = decrypt(&edited, &ids).unwrap_err();
    assert_eq!(e.kind, SopsErrorKind::MacMismatch, "{e}");
    // Reordering keys breaks the MAC, as in sops.
    let y = crate::yaml::parse_documents(&text).unwrap().remove(0).value;
    let Yaml::Map(mut m) = y else { panic!() };
    m.swap_indices(0, 1);
    let reordered = crate::yaml::emit_document(&Yaml::Map(m), &Default::default());
    assert_eq!(
        decrypt(&reordered, &ids).unwrap_err().kind,
        SopsErrorKind::MacMismatch
    );
    // A changed lastmodified makes the MAC undecryptable.
    let re = regex::Regex::new(r#"lastmodified: "[^"]*""#).unwrap();
    let moved = re.replace(&text, r#"lastmodified: "2020-01-01T00:00:00Z""#);
    assert_eq!(
        decrypt(&moved, &ids).unwrap_err().kind,
        SopsErrorKind::MacMismatch
    );
    // Not a sops file at all.
    assert_eq!(
        decrypt("a: 1\n", &ids).unwrap_err().kind,
        SopsErrorKind::NotSops
    );
    assert_eq!(
        decrypt("a: [\n", &ids).unwrap_err().kind,
        SopsErrorKind::Parse
    );
}

#[test]
fn encrypted_regex_leaves_other_values_clear() {
    let (ids, r) = test_identity();
    let plain = Yaml::from_pairs([
        ("kind", Yaml::str("Secret")),
        (
            "stringData",
            Yaml::from_pairs([("token", Yaml::str("s3cret"))]),
        ),
    ]);
    let opts = EncryptOptions {
        encrypted_regex: Some("^(data|stringData)$".into()),
        ..EncryptOptions::default()
    };
    let text = encrypt(&plain, &[r], &opts, now()).unwrap();
    assert!(
        text.starts_with("kind: Secret\nstringData:\n    token: ENC[AES256_GCM,"),
        "{text}"
    );
    assert!(
        text.contains("    encrypted_regex: ^(data|stringData)$\n    version: 3.11.0\n"),
        "{text}"
    );
    assert!(!text.contains("unencrypted_suffix"));
    assert_eq!(decrypt(&text, &ids).unwrap(), plain);
}

#[test]
fn multi_document_files_share_key_and_mac() {
    let (ids, r) = test_identity();
    let docs = [
        Yaml::from_pairs([("a", Yaml::Int(1))]),
        Yaml::from_pairs([("b", Yaml::Bool(false))]),
    ];
    let text = encrypt_documents(&docs, &[r], &EncryptOptions::default(), now()).unwrap();
    assert_eq!(text.matches("\nsops:\n").count(), 2);
    assert!(text.contains("\n---\nb: ENC["));
    assert_eq!(decrypt_documents(&text, &ids).unwrap(), docs);
}

#[test]
fn comments_are_encrypted_and_come_back_where_sops_puts_them() {
    let (ids, r) = test_identity();
    let plain = "# top\na:\n    # before b\n    b: 1 # trailing\n    # foot of a\nl:\n    # head\n    - x\n    # between\n    - y\n    # foot of l\n# end\n";
    let text = encrypt_text(plain, &[r], &EncryptOptions::default(), now()).unwrap();
    assert!(
        !text.contains("before b") && !text.contains("foot"),
        "{text}"
    );
    // Map comments are `#ENC` lines; sequence comments become string items, as in sops.
    assert!(text.starts_with("#ENC[AES256_GCM,"), "{text}");
    assert!(text.contains("\n    - ENC[AES256_GCM,") && text.contains("type:comment]\n"));
    let back = decrypt_to_text(&text, &ids).unwrap();
    assert_eq!(
        back,
        // yaml.v3 quotes `y` (a YAML 1.1 boolean), as `sops -d` does.
        "# top\na:\n    # before b\n    # trailing\n    b: 1\n    # foot of a\nl:\n    # head\n    - x\n    # between\n    - \"y\"\n    # foot of l\n# end\n"
    );
}

#[test]
fn refuses_what_sops_refuses() {
    let (_, r) = test_identity();
    let o = EncryptOptions::default();
    assert_eq!(
        encrypt(&Yaml::str_seq(["a"]), std::slice::from_ref(&r), &o, now())
            .unwrap_err()
            .kind,
        SopsErrorKind::Unsupported
    );
    let already = Yaml::from_pairs([("sops", Yaml::map())]);
    assert_eq!(
        encrypt(&already, std::slice::from_ref(&r), &o, now())
            .unwrap_err()
            .kind,
        SopsErrorKind::Config
    );
    assert_eq!(
        encrypt_text("", std::slice::from_ref(&r), &o, now())
            .unwrap_err()
            .kind,
        SopsErrorKind::Unsupported
    );
    assert_eq!(
        encrypt(&Yaml::map(), &[], &o, now()).unwrap_err().kind,
        SopsErrorKind::Config
    );
    assert_eq!(
        encrypt(&Yaml::map(), &["age1bad".into()], &o, now())
            .unwrap_err()
            .kind,
        SopsErrorKind::Config
    );
}

#[test]
fn comments_attach_where_yaml_v3_attaches_them() {
    // Checked against sops 3.11: a comment is a head comment of the next node unless that
    // node is indented less; then it belongs to the innermost open collection.
    let text = "top:\n  b:\n    - k: v\n      j: w\n    # foot of item\n  c: 1\n# head of d\n  d: 2\n  e:\n    f: 1\n      # deeper\n    g: 2\n  # shallower\n    h: 3\nlast: 1 # line\n";
    let docs = text::parse(text).unwrap();
    let comments_in = |n: &Node| -> Vec<String> {
        let (Node::Map(e) | Node::Seq(e)) = n else {
            return vec![];
        };
        e.iter()
            .filter_map(|e| match e {
                Entry::Comment(c) => Some(c.trim().to_string()),
                _ => None,
            })
            .collect()
    };
    let Node::Map(root) = &docs[0] else { panic!() };
    let get = |entries: &[Entry], k: &str| -> Node {
        entries
            .iter()
            .find_map(|e| match e {
                Entry::Pair(key, v) if key == k => Some(v.clone()),
                _ => None,
            })
            .unwrap()
    };
    let top = get(root, "top");
    let Node::Map(top_e) = &top else { panic!() };
    let Node::Seq(b) = get(top_e, "b") else {
        panic!()
    };
    let Entry::Item(item) = &b[0] else { panic!() };
    assert_eq!(comments_in(item), ["foot of item"]);
    assert_eq!(comments_in(&top), ["head of d"]);
    assert_eq!(comments_in(&get(top_e, "e")), ["deeper", "shallower"]);
    assert_eq!(comments_in(&docs[0]), ["line"]);
}

#[test]
fn decryption_errors_point_at_the_value() {
    let (ids, r) = test_identity();
    let plain = sample_tree().to_yaml();
    let text = encrypt(&plain, &[r], &EncryptOptions::default(), now()).unwrap();
    // Swap the two certSANs' ciphertexts with the cluster name's: AAD mismatch at the name.
    let y = crate::yaml::parse_documents(&text).unwrap().remove(0);
    let name_span = y
        .value_span(&[PathSeg::Key("cluster".into()), PathSeg::Key("name".into())])
        .unwrap();
    let port_span = y
        .value_span(&[PathSeg::Key("cluster".into()), PathSeg::Key("port".into())])
        .unwrap();
    let mut moved = text.clone();
    moved.replace_range(name_span.clone(), &text[port_span]);
    let e = decrypt(&moved, &ids).unwrap_err();
    assert_eq!(e.kind, SopsErrorKind::Tampered);
    assert_eq!(
        e.span.as_ref().map(|s| s.start),
        Some(name_span.start),
        "{e:?}"
    );
    let d = e.to_diagnostic(Some(crate::diag::SourceId(0)));
    assert!(d.span.is_some());
    // A tampered item of a list points at the item.
    let san = [
        PathSeg::Key("machine".into()),
        PathSeg::Key("certSANs".into()),
        PathSeg::Index(1),
    ];
    let span = y.value_span(&san).unwrap();
    let mut bad = text.clone();
    bad.replace_range(
        span.clone(),
        &text[span.clone()].replace("data:", "data:AAAA"),
    );
    let e = decrypt(&bad, &ids).unwrap_err();
    assert_eq!(e.span.map(|s| s.start), Some(span.start));
    assert!(e.message.contains("`machine.certSANs[1]`"), "{}", e.message);
}

mod roundtrip {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Yaml> {
        let key = prop_oneof![
            "[a-zA-Z][a-zA-Z0-9./_-]{0,10}",
            Just("x_unencrypted".to_string()),
            Just("true".to_string()),
            Just(String::new()),
            Just("- x".to_string()),
        ];
        let leaf = prop_oneof![
            Just(Yaml::Null),
            any::<bool>().prop_map(Yaml::Bool),
            any::<i64>().prop_map(Yaml::Int),
            (-1.0e9f64..1.0e9).prop_map(Yaml::Float),
            ".{0,20}".prop_map(Yaml::Str),
            "[ -~\n\t]{0,30}".prop_map(Yaml::Str),
            prop_oneof![
                Just("2024-01-02"),
                Just("#c"),
                Just("ENC[AES256_GCM,data:x]"),
                Just(""),
                Just("x\n"),
            ]
            .prop_map(Yaml::str),
        ];
        let tree = leaf.prop_recursive(4, 40, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Yaml::Seq),
                prop::collection::vec((key.clone(), inner), 0..5)
                    .prop_map(|kv| Yaml::Map(kv.into_iter().collect())),
            ]
        });
        prop::collection::vec(("[a-z]{1,6}", tree), 0..5)
            .prop_map(|kv| Yaml::Map(kv.into_iter().filter(|(k, _)| k != "sops").collect()))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever talforge encrypts, it decrypts back to the same value, and the
        /// text layer keeps it a single valid document.
        #[test]
        fn encrypt_then_decrypt_is_identity(v in value()) {
            let id = age::x25519::Identity::generate();
            let ids = Identities::from_text(
                age::secrecy::ExposeSecret::expose_secret(&id.to_string()),
                "generated",
            );
            let text = encrypt(&v, &[id.to_public().to_string()], &EncryptOptions::default(), now()).unwrap();
            prop_assert_eq!(decrypt(&text, &ids).unwrap(), v.clone());
            prop_assert!(decrypt_equals(&text, &v, &ids));
        }
    }
}

mod comments_roundtrip {
    use super::*;
    use proptest::prelude::*;

    /// An emitted document with comment lines spliced in at random lines and indents.
    fn commented() -> impl Strategy<Value = String> {
        let doc = prop_oneof![
            Just(
                "a:\n    b: 1\n    c:\n        - x\n        - k: v\n          j: é\nd: \"2024-01-01\"\ne: |\n    block\n    # not a comment\n"
            ),
            Just("top:\n  - - n1\n    - n2\n  - {a: 1}\nz: [1, 2] # line\n"),
            Just("x: 1\n---\ny:\n    z: ok\n"),
        ];
        let comments = prop::collection::vec((0usize..12, 0usize..10, "[ a-z#é]{0,8}"), 0..6);
        (doc, comments).prop_map(|(doc, comments)| {
            let mut lines: Vec<String> = doc.lines().map(String::from).collect();
            for (at, indent, text) in comments {
                let at = at.min(lines.len());
                // Never inside the block scalar (its lines are indented by 4 after `e: |`).
                if lines
                    .get(at)
                    .is_some_and(|l| l.starts_with("    ") && !l.trim_start().contains(':'))
                {
                    continue;
                }
                lines.insert(at, format!("{}#{text}", " ".repeat(indent)));
            }
            lines.join("\n") + "\n"
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Comments may move, values never change, and nothing panics.
        #[test]
        fn comments_never_change_values(text in commented()) {
            let Ok(plain) = crate::yaml::parse_documents(&text) else { return Ok(()) };
            let id = age::x25519::Identity::generate();
            let ids = Identities::from_text(
                age::secrecy::ExposeSecret::expose_secret(&id.to_string()),
                "generated",
            );
            let enc = encrypt_text(&text, &[id.to_public().to_string()], &EncryptOptions::default(), now()).unwrap();
            let back = decrypt_to_text(&enc, &ids).unwrap();
            let values: Vec<Yaml> = plain.into_iter().map(|d| d.value).collect();
            let again: Vec<Yaml> = crate::yaml::parse_documents(&back).unwrap().into_iter().map(|d| d.value).collect();
            prop_assert_eq!(again, values.clone());
            prop_assert_eq!(decrypt_documents(&enc, &ids).unwrap(), values);
        }
    }
}

#[test]
fn a_damaged_age_entry_does_not_hide_a_working_one() {
    let (ids, r) = test_identity();
    let (_, other) = test_identity();
    let plain = Yaml::from_pairs([("a", Yaml::Int(1))]);
    let text = encrypt(
        &plain,
        &[other.clone(), r],
        &EncryptOptions::default(),
        now(),
    )
    .unwrap();
    // Break the first entry's armor body.
    let at = text.find("-----BEGIN AGE ENCRYPTED FILE-----\n").unwrap() + 48;
    let mut broken = text.clone();
    broken.replace_range(at..at + 8, "!!!!!!!!");
    assert_eq!(decrypt(&broken, &ids).unwrap(), plain);
    let (nobody, _) = test_identity();
    let e = decrypt(&broken, &nobody).unwrap_err();
    assert_eq!(e.kind, SopsErrorKind::NoKey);
    assert!(
        e.notes
            .iter()
            .any(|n| n.starts_with(&format!("the entry for {other}"))),
        "{e}"
    );
}

mod mutations {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    /// One encrypted file and its key, shared by all cases.
    static FIXTURE: LazyLock<(String, Identities)> = LazyLock::new(|| {
        let (ids, r) = test_identity();
        let plain = "# c\na:\n    b: [1, 2.5, true]\n    l:\n        # in list\n        - x\n        - k: v\nd: 2024-01-01\ne_unencrypted: clear\n---\nf: |\n    multi\n    line\n";
        let text = encrypt_text(plain, &[r], &EncryptOptions::default(), now()).unwrap();
        (text, ids)
    });

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Tampered or truncated files are rejected (or decrypt) without panicking, and a
        /// changed byte inside an encrypted value or the MAC is always detected.
        #[test]
        fn mutated_files_never_panic(at in 0usize..4000, len in 0usize..6, with in "[ -~\n]{0,4}") {
            let (text, ids) = &*FIXTURE;
            let at = at.min(text.len());
            let end = (at + len).min(text.len());
            let mut t = text.clone();
            t.replace_range(at..end, &with);
            let _ = decrypt_to_text(&t, ids);
            let _ = metadata(&t);
        }
    }

    #[test]
    fn every_value_byte_is_authenticated() {
        let (text, ids) = &*FIXTURE;
        let re = regex::Regex::new(r"ENC\[AES256_GCM,data:([A-Za-z0-9+/=]+),").unwrap();
        // Like sops, only the first document's copy of the metadata is read.
        let second_meta = text.match_indices("\nsops:\n").nth(1).unwrap().0;
        let mut checked = 0;
        for m in re.captures_iter(text) {
            let whole = m.get(0).unwrap();
            if whole.start() > second_meta {
                continue;
            }
            let r = m.get(1).unwrap().range();
            let mut t = text.clone();
            // Flip one base64 digit of the ciphertext.
            let c = if &text[r.start..=r.start] == "A" {
                "B"
            } else {
                "A"
            };
            t.replace_range(r.start..=r.start, c);
            let map_comment = text[..whole.start()].ends_with('#');
            match decrypt_file(&t, ids) {
                // sops keeps a mapping comment that does not decrypt, with a warning.
                Ok(d) => assert!(map_comment && !d.warnings.is_empty(), "undetected at {r:?}"),
                Err(e) => assert!(!map_comment, "comment at {r:?} failed the file: {e}"),
            }
            checked += 1;
        }
        assert!(checked >= 10, "{checked}");
    }
}
