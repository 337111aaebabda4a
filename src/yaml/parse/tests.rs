use super::*;
use crate::testutil::oracle_text;
use proptest::prelude::*;

/// The start of a text, for messages about large inputs.
fn head(text: &str) -> String {
    text.chars().take(200).collect()
}

fn one(text: &str) -> ParsedDoc {
    let mut docs = parse_documents(text).unwrap_or_else(|e| panic!("{:?}: {e:?}", head(text)));
    assert_eq!(docs.len(), 1, "{:?}", head(text));
    docs.remove(0)
}

fn err(text: &str) -> ParseError {
    match parse_documents(text) {
        Ok(docs) => panic!("{:?} parsed into {} documents", head(text), docs.len()),
        Err(e) => e,
    }
}

fn path(segs: &[&str]) -> Path {
    segs.iter()
        .map(|s| match s.parse() {
            Ok(i) => PathSeg::Index(i),
            Err(_) => PathSeg::Key((*s).to_owned()),
        })
        .collect()
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Every span is a valid slice, and every key span of a mapping entry reads as its key.
fn check_spans(text: &str, doc: &ParsedDoc) {
    assert!(text.get(doc.span.clone()).is_some());
    for (p, k, v) in &doc.nodes {
        let key_text = text.get(k.clone()).expect("key span on char boundaries");
        let value_text = text.get(v.clone()).expect("value span on char boundaries");
        if let Some(PathSeg::Key(name)) = p.last()
            && !key_text.starts_with(['"', '\'', '&', '!', '*', '?'])
            && name != "<<"
            && !key_text.starts_with("<<")
        {
            assert_eq!(key_text, name, "key span of {p:?}");
        }
        let mut cur = &doc.value;
        for seg in p {
            cur = match (seg, cur) {
                (PathSeg::Key(k), Yaml::Map(m)) => m.get(k).unwrap_or(&Yaml::Null),
                (PathSeg::Index(i), Yaml::Seq(s)) => &s[*i],
                _ => break,
            };
        }
        if let Yaml::Str(s) = cur
            && !value_text.starts_with(['"', '\'', '|', '>', '&', '!', '*'])
            && !s.contains('\n')
        {
            assert_eq!(value_text, s, "value span of {p:?}");
        }
    }
}

const EXAMPLES: &[&str] = &[
    "talos-examples/gen-input-secrets.yaml",
    "talos-examples/gen-v1.12-base-controlplane.yaml",
    "talos-examples/gen-v1.12-base-worker.yaml",
    "talos-examples/network/bondconfig.yaml",
    "talos-examples/network/bridgeconfig.yaml",
    "talos-examples/network/dhcpv4config.yaml",
    "talos-examples/network/hostnameconfig.yaml",
    "talos-examples/network/layer2vipconfig.yaml",
    "talos-examples/network/linkaliasconfig.yaml",
    "talos-examples/network/linkconfig.yaml",
    "talos-examples/network/resolverconfig.yaml",
    "talos-examples/network/timesyncconfig.yaml",
    "talos-examples/network/vlanconfig.yaml",
];

#[test]
fn talos_examples_parse_with_exact_spans() {
    for rel in EXAMPLES {
        let Some(text) = oracle_text(rel) else { return };
        let docs = parse_documents(&text).unwrap_or_else(|e| panic!("{rel}: {e:?}"));
        assert!(!docs.is_empty(), "{rel}");
        for doc in &docs {
            assert!(doc.value.as_map().is_some(), "{rel}: document is a mapping");
            assert!(!doc.nodes.is_empty());
            check_spans(&text, doc);
        }
    }
}

#[test]
fn controlplane_values_and_documents() {
    let Some(text) = oracle_text("talos-examples/gen-v1.12-base-controlplane.yaml") else {
        return;
    };
    let docs = parse_documents(&text).unwrap();
    assert_eq!(docs.len(), 2);
    let cp = &docs[0].value;
    assert_eq!(
        cp.get_path("machine.type"),
        Some(&Yaml::str("controlplane"))
    );
    assert_eq!(
        cp.get_path("machine.install.wipe"),
        Some(&Yaml::Bool(false))
    );
    assert_eq!(cp.get_path("machine.certSANs"), Some(&Yaml::Seq(vec![])));
    assert_eq!(cp.get_path("machine.network"), Some(&Yaml::map()));
    assert_eq!(cp.get("version"), Some(&Yaml::str("v1alpha1")));
    let subnets = cp.get_path("cluster.network.podSubnets").unwrap();
    assert_eq!(subnets, &Yaml::str_seq(["10.244.0.0/16"]));
    assert_eq!(
        docs[1].value.get("kind"),
        Some(&Yaml::str("HostnameConfig"))
    );

    // Spans index the source text.
    let p = path(&["cluster", "network", "podSubnets", "0"]);
    let span = docs[0].value_span(&p).unwrap();
    assert_eq!(&text[span.clone()], "10.244.0.0/16");
    assert_eq!(&text[docs[0].key_span(&p).unwrap()], "-");
    let kubelet = docs[0]
        .value_span(&path(&["machine", "kubelet", "image"]))
        .unwrap();
    assert_eq!(&text[kubelet], "ghcr.io/siderolabs/kubelet:v1.28.0");
    let key = docs[0].key_span(&path(&["machine", "kubelet"])).unwrap();
    assert_eq!(&text[key.clone()], "kubelet");
    let block = docs[0].value_span(&path(&["machine", "kubelet"])).unwrap();
    assert!(text[block].starts_with("image: ghcr.io"));
    // The first document stops before `---`, the second starts at it.
    assert!(!text[docs[0].span.clone()].contains("---"));
    assert!(text[docs[1].span.clone()].starts_with("---\napiVersion"));
    assert_eq!(docs[0].value_span(&[]), Some(docs[0].span.clone()));
}

#[test]
fn empty_and_separator_only_texts() {
    assert!(parse_documents("").unwrap().is_empty());
    assert!(parse_documents("# only a comment\n").unwrap().is_empty());
    let docs = parse_documents("---\n").unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].value, Yaml::Null);
    let docs = parse_documents("a: 1\n---\n- x\n...\n--- plain\n").unwrap();
    let values: Vec<_> = docs.into_iter().map(|d| d.value).collect();
    assert_eq!(
        values,
        vec![
            Yaml::from_pairs([("a", Yaml::Int(1))]),
            Yaml::str_seq(["x"]),
            Yaml::str("plain"),
        ]
    );
}

#[test]
fn scalar_styles_and_tags() {
    let text = "a: 1\nb: '1'\nc: \"true\"\nd: |\n  x\n  y\ne: >-\n  x\n  y\nf: !!str 0x10\ng: 0x10\n\
                h: ~\ni:\nj: !!binary aGVsbG8=\nk: !!float 3\nl: 1.5\nm: .inf\nn: !custom 5\n";
    let d = one(text).value;
    let want = Yaml::from_pairs([
        ("a", Yaml::Int(1)),
        ("b", Yaml::str("1")),
        ("c", Yaml::str("true")),
        ("d", Yaml::str("x\ny\n")),
        ("e", Yaml::str("x y")),
        ("f", Yaml::str("0x10")),
        ("g", Yaml::Int(16)),
        ("h", Yaml::Null),
        ("i", Yaml::Null),
        ("j", Yaml::str("aGVsbG8=")),
        ("k", Yaml::Float(3.0)),
        ("l", Yaml::Float(1.5)),
        ("m", Yaml::Float(f64::INFINITY)),
        ("n", Yaml::str("5")),
    ]);
    assert_eq!(d, want);
    let e = err("a: !!int abc\n");
    assert_eq!(e.message, "cannot decode !!str `abc` as a !!int");
    assert_eq!(&"a: !!int abc\n"[e.span], "!!int abc");
}

#[test]
fn keys_are_strings_and_complex_keys_fail() {
    let d = one("1: a\ntrue: b\n0x10: c\n~: d\n\"q\": e\n").value;
    let keys: Vec<_> = d.as_map().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["1", "true", "0x10", "~", "q"]);
    let e = err("? [a, b]\n: c\n");
    assert!(e.message.starts_with("invalid map key"), "{e:?}");
    let e = err("{[a]: 1}\n");
    assert!(e.message.starts_with("invalid map key"), "{e:?}");
    let e = err("a: &x [1]\n*x : 2\n");
    assert!(e.message.starts_with("invalid map key"), "{e:?}");
}

#[test]
fn duplicate_keys_report_both_lines() {
    let text = "machine:\n  type: worker\n  install: {}\n  type: controlplane\n";
    let e = err(text);
    assert_eq!(e.message, r#"mapping key "type" already defined at line 2"#);
    assert_eq!(&text[e.span.clone()], "type");
    assert_eq!(line_of(text, e.span.start), 4);
    // `1` and `"1"` are the same key, as in yaml.v3.
    assert!(
        err("1: a\n\"1\": b\n")
            .message
            .contains("already defined at line 1")
    );
    // The same key in different mappings is fine.
    one("a: {x: 1}\nb: {x: 2}\n");
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let text = "a: 1\nb: \"unclosed\nc: 2\n";
    let e = err(text);
    assert!(e.message.contains("quoted scalar"), "{e:?}");
    assert_eq!(line_of(text, e.span.start), 2);
    assert_eq!(&text[e.span.clone()], "\"");

    let text = "a:\n  b: 1\n c: 2\n";
    let e = err(text);
    assert!(e.message.contains("did not find expected key"), "{e:?}");
    assert_eq!(line_of(text, e.span.start), 3);
    assert_eq!(e.span.len(), 1);

    let text = "a: [1, 2\n";
    let e = err(text);
    assert_eq!(e.span.start, text.len());
    for e in [err("a: b: c\n"), err("- a\nb: c\n"), err("*nope\n")] {
        let first = e.message.chars().next().unwrap();
        assert!(!first.is_uppercase() && !e.message.ends_with('.'), "{e:?}");
    }
}

#[test]
fn non_ascii_spans_are_byte_ranges() {
    let text = "naïve: «ünïcødé»\nliste:\n  - 日本語\n  - \"é\"\nclé: ok\n";
    let d = one(text);
    assert_eq!(d.value.get("naïve"), Some(&Yaml::str("«ünïcødé»")));
    let s = d.value_span(&path(&["naïve"])).unwrap();
    assert_eq!(&text[s], "«ünïcødé»");
    assert_eq!(
        &text[d.value_span(&path(&["liste", "0"])).unwrap()],
        "日本語"
    );
    assert_eq!(
        &text[d.value_span(&path(&["liste", "1"])).unwrap()],
        "\"é\""
    );
    assert_eq!(&text[d.key_span(&path(&["clé"])).unwrap()], "clé");
    assert_eq!(&text[d.value_span(&path(&["clé"])).unwrap()], "ok");
    check_spans(text, &d);

    let text = "ü: 1\nü: 2\n";
    let e = err(text);
    assert_eq!(&text[e.span], "ü");
    let text = "ä: \"ö\n";
    let e = err(text);
    assert_eq!(&text[e.span], "\"");
}

#[test]
fn anchors_aliases_and_merges() {
    let text = "base: &b {x: 1, y: 2}\ncopy: *b\nitem: &s hello\nlist: [*s, *s]\n\
                merged:\n  <<: *b\n  y: 3\nmulti:\n  <<: [{x: 10, z: 1}, {x: 20, w: 2}]\n";
    let d = one(text);
    let v = &d.value;
    assert_eq!(v.get("copy"), v.get("base"));
    assert_eq!(v.get("list"), Some(&Yaml::str_seq(["hello", "hello"])));
    assert_eq!(
        v.get("merged"),
        Some(&Yaml::from_pairs([
            ("y", Yaml::Int(3)),
            ("x", Yaml::Int(1))
        ]))
    );
    assert_eq!(
        v.get("multi"),
        Some(&Yaml::from_pairs([
            ("x", Yaml::Int(10)),
            ("z", Yaml::Int(1)),
            ("w", Yaml::Int(2)),
        ]))
    );
    // Nodes below an alias point at the anchored text.
    assert_eq!(&text[d.value_span(&path(&["copy"])).unwrap()], "*b");
    assert_eq!(&text[d.value_span(&path(&["copy", "x"])).unwrap()], "1");
    assert_eq!(&text[d.key_span(&path(&["merged", "x"])).unwrap()], "<<");
    // A quoted `<<` is an ordinary key.
    assert_eq!(one("'<<': 1\n").value.get("<<"), Some(&Yaml::Int(1)));
    assert!(err("a:\n  <<: 1\n").message.contains("map merge requires"));
    assert!(err("a: *undefined\n").message.contains("anchor"));
}

#[test]
fn alias_bomb_is_an_error() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let e = err(&text);
    assert!(
        e.message
            .starts_with("document contains excessive aliasing"),
        "{}",
        e.message
    );
    // Moderate reuse is fine.
    one("a: &a [1, 2]\nb: [*a, *a, *a]\n");
}

/// `levels` levels of ten aliases over a string of `len` bytes.
fn string_bomb(len: usize, levels: usize) -> String {
    let mut s = format!("a0: &a0 \"{}\"\n", "x".repeat(len));
    for level in 1..=levels {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        s.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    s
}

#[test]
fn an_alias_bomb_of_long_strings_is_refused_at_the_alias_that_crosses_the_budget() {
    // 100 KiB expanding to 10 GiB through about 111,000 nodes: under the node guard.
    let text = string_bomb(100 * 1024, 6);
    let t = std::time::Instant::now();
    let e = err(&text);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(
        e.message,
        "document contains excessive aliasing: anchors and aliases would copy more than 10 MiB"
    );
    // The anchor (0.1 MiB), `a1` and its anchor (2 MiB) and eight aliases of `a1` on line 3.
    assert_eq!(line_of(&text, e.span.start), 3);
    assert_eq!(&text[e.span.clone()], "*a1");
    // The same shape two levels shallower copies 2.2 MiB and is fine.
    one(&string_bomb(100 * 1024, 1));
}

#[test]
fn the_copy_budget_grows_with_the_input() {
    // A 4 MiB string aliased 30 times copies 124 MiB: more than 10 MiB, less than 10 × 4 MiB
    // would be refused; 3 aliases (16 MiB with the anchor) are under 40 MiB.
    let big = "y".repeat(4 << 20);
    one(&format!("a: &a \"{big}\"\nb: [*a, *a, *a]\n"));
    let text = format!("a: &a \"{big}\"\nb: [{}]\n", vec!["*a"; 30].join(", "));
    let e = err(&text);
    let budget = (10 * text.len()).div_ceil(1 << 20);
    assert_eq!(budget, 41);
    assert!(
        e.message.ends_with(&format!("more than {budget} MiB")),
        "{}",
        e.message
    );
}

#[test]
fn the_budgets_are_shared_by_the_documents_of_a_text() {
    // Each document copies 3 MiB, well under 10 MiB; 12 of them copy 36 MiB, more than
    // 10 × their 1.2 MiB.
    let one_doc = format!(
        "a: &a \"{}\"\nb: [{}]\n",
        "z".repeat(100 << 10),
        vec!["*a"; 29].join(", ")
    );
    assert_eq!(parse_documents(&one_doc).unwrap().len(), 1);
    let text = vec![one_doc; 12].join("---\n");
    assert!(
        err(&text)
            .message
            .starts_with("document contains excessive aliasing")
    );
}

#[test]
fn a_long_key_above_many_nodes_is_refused() {
    // Each node records its path from the root: the 200 KB key would be copied 20,000 times.
    let text = format!(
        "? {}\n: [{}]\n",
        "k".repeat(200_000),
        vec!["1"; 20_000].join(",")
    );
    let t = std::time::Instant::now();
    let e = err(&text);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(
        e.message,
        "document paths are too long: long keys or deep nesting add up to more than 64 MiB"
    );
    assert_eq!(line_of(&text, e.span.start), 2);
    // Deep nesting over many nodes: each of 50,000 items 200 levels down has a 200-step path.
    let mut deep = String::new();
    for i in 0..200 {
        deep.push_str(&format!("{}-\n", "  ".repeat(i)));
    }
    deep.push_str(&format!(
        "{}- [{}]\n",
        "  ".repeat(200),
        vec!["v"; 50_000].join(",")
    ));
    let e = err(&deep);
    assert!(
        e.message.starts_with("document paths are too long"),
        "{}",
        e.message
    );
    // Nested anchors each keep a copy of their subtree and of its records.
    let mut nested = String::new();
    for i in 0..20 {
        nested.push_str(&format!("{}- &n{i}\n", "  ".repeat(i)));
    }
    nested.push_str(&format!(
        "{}- [{}]\n",
        "  ".repeat(20),
        vec!["v"; 50_000].join(",")
    ));
    let e = err(&nested);
    assert!(
        e.message
            .starts_with("document contains excessive aliasing"),
        "{}",
        e.message
    );
    assert!(
        parse_documents(&nested.replace('&', "#")).is_ok(),
        "the same without anchors is fine"
    );
}

#[test]
fn real_configs_stay_far_below_the_budgets() {
    // A 4 MiB patch of `machine.files` entries (the benchmark's shape), and non-ASCII text.
    let mut text = String::from("machine:\n  files:\n");
    let mut i = 0;
    while text.len() < 4 << 20 {
        text.push_str(&format!(
            "    - content: |\n        [sectión-{i}]\n      path: /var/etc/f-{i}.conf\n      permissions: 0o644\n      op: create\n"
        ));
        i += 1;
    }
    let d = one(&text);
    let last = PathSeg::Index(i - 1);
    let p = vec![
        PathSeg::Key("machine".into()),
        PathSeg::Key("files".into()),
        last,
        PathSeg::Key("path".into()),
    ];
    assert_eq!(
        &text[d.value_span(&p).unwrap()],
        format!("/var/etc/f-{}.conf", i - 1)
    );
}

#[test]
fn depth_bombs_are_errors_not_overflows() {
    let too_deep = |e: ParseError| {
        // saphyr stops runaway flow nesting itself; we stop the rest at MAX_DEPTH.
        e.message.contains("max depth") || e.message.contains("recursion limit")
    };
    assert!(too_deep(err(&"[".repeat(100_000))));
    assert!(too_deep(err(&"{a: ".repeat(10_000))));
    // `levels` nested block mappings: the root and one per `k:` but the last.
    let block = |levels: usize| -> String {
        (0..levels)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect()
    };
    one(&block(MAX_DEPTH));
    let e = err(&block(MAX_DEPTH + 1));
    assert_eq!(e.message, format!("exceeded max depth of {MAX_DEPTH}"));
    assert!(err(&block(5000)).message.contains("max depth"));
    let seqs = "- ".repeat(1000) + "x\n";
    assert!(err(&seqs).message.contains("max depth"));
    // Aliases cannot stack nesting past the limit either.
    let deep = format!(
        "a: &a {}1{}\nb: {}*a{}\n",
        "[".repeat(200),
        "]".repeat(200),
        "[".repeat(100),
        "]".repeat(100)
    );
    assert!(err(&deep).message.contains("max depth"));
    // Flow nesting up to saphyr's own limit is fine.
    one(&format!("{}1{}", "[".repeat(200), "]".repeat(200)));
}

const SAMPLE: &str = "version: v1alpha1\nmachine:\n  type: worker # comment\n  install:\n    disk: /dev/sda\n    image: 'ghcr.io/x:v1'\n  certSANs: [a, \"b\", 1.5]\n  kubelet: &k\n    extraArgs: {rotate: true}\n    note: |\n      héllo\n  other: *k\n---\n- { <<: {x: 1} }\n- >\n  folded\n...\n";

fn check_no_panic(text: &str) {
    if let Ok(docs) = parse_documents(text) {
        for d in &docs {
            assert!(text.get(d.span.clone()).is_some());
            for (_, k, v) in &d.nodes {
                assert!(text.get(k.clone()).is_some() && text.get(v.clone()).is_some());
            }
        }
    } else if let Err(e) = parse_documents(text) {
        assert!(text.get(e.span.clone()).is_some(), "{e:?}");
        assert!(!e.message.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_text_never_panics(text in "[ -~\\n\\t\u{e9}\u{65e5}\u{feff}]{0,80}") {
        check_no_panic(&text);
    }

    #[test]
    fn yaml_ish_text_never_panics(text in "([-:?&*!|>'\"\\[\\]{},#.<~ \\n]|a|0|x){0,60}") {
        check_no_panic(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        check_no_panic(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_yaml_never_panics(
        edits in proptest::collection::vec((0..SAMPLE.len(), 0u8..3, "[-:?&*!|>'\"\\[\\]{},# \\n\\té]"), 1..6)
    ) {
        let mut text: Vec<char> = SAMPLE.chars().collect();
        for (pos, op, s) in edits {
            let pos = pos % (text.len() + 1);
            let c = s.chars().next().unwrap_or(' ');
            match op {
                0 => text.insert(pos, c),
                1 if pos < text.len() => { text.remove(pos); }
                _ if pos < text.len() => text[pos] = c,
                _ => {}
            }
        }
        check_no_panic(&text.into_iter().collect::<String>());
    }
}

#[test]
fn sample_parses() {
    let docs = parse_documents(SAMPLE).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs[0].value.get_path("machine.install.disk"),
        Some(&Yaml::str("/dev/sda"))
    );
    assert_eq!(
        docs[0].value.get_path("machine.other"),
        docs[0].value.get_path("machine.kubelet")
    );
    assert_eq!(
        docs[0].value.get_path("machine.kubelet.note"),
        Some(&Yaml::str("héllo\n"))
    );
    check_spans(SAMPLE, &docs[0]);
}
