//! Tests of the whole format against the real sops 3.11 sample in `shared/oracle/sops/sample`.

use super::*;
use crate::testutil::{oracle, oracle_text};
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
    let mut w = Walk {
        key: &key,
        selector: &sel,
        mac: mac::MacHasher::new(false),
        warnings: vec![],
    };
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

    let mut w = Walk {
        key: &key,
        selector: &sel,
        mac: mac::MacHasher::new(false),
        warnings: vec![],
    };
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
    let mut w = Walk {
        key: &key,
        selector: &sel,
        mac: mac::MacHasher::new(false),
        warnings: vec![],
    };
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
    Walk {
        key: &key,
        selector: &sel,
        mac: mac::MacHasher::new(false),
        warnings: vec![],
    }
    .encrypt(&mut n)
    .unwrap();
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
    let e = Walk {
        key: &key,
        selector: &sel,
        mac: mac::MacHasher::new(false),
        warnings: vec![],
    }
    .decrypt(&mut n)
    .unwrap_err();
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
