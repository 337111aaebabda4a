//! Property harness for bad input: random and mutated scripts, YAML, talconfig.yaml and
//! SOPS files go through the real code paths; nothing may panic or hang, every error must
//! render as a report, and a failing `run` writes nothing.
//!
//! `TALFORGE_FUZZ_CASES` sets the number of cases per property (default 256 so the suite
//! stays fast); the README records the last long run.

use crate::support::{Test, repo, snapshot};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;
use talforge::diag::report::{Format, render_all};
use talforge::pipeline::{RunOptions, plan_evaluated};
use talforge::script::{Limits, evaluate_source};
use talforge::yaml::{EmitOptions, Yaml, emit_documents, parse_documents};

fn cases() -> u32 {
    std::env::var("TALFORGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Seed texts to mutate: every committed script plus its module.
fn seed_scripts() -> Vec<String> {
    let mut out = Vec::new();
    for rel in [
        "clusters/infra.rhai",
        "examples/single-node.rhai",
        "examples/static-vip.rhai",
        "examples/disk-selector.rhai",
        "examples/fleet/homelab.rhai",
    ] {
        if let Ok(t) = std::fs::read_to_string(repo().join(rel)) {
            out.push(t);
        }
    }
    assert!(!out.is_empty(), "seed scripts are committed");
    out
}

/// Tokens that make mutations interesting for Rhai and YAML alike.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "#{",
    ",",
    ";",
    ":",
    "\"",
    "'",
    "\n",
    " ",
    "- ",
    "---\n",
    "loop {}",
    "while true {}",
    "1..=1000000",
    "cluster(",
    "node(",
    "bond(",
    "patch(",
    "ip(",
    "cidr(",
    "vip(",
    "import \"talos\" as talos;",
    "fn f(x) { f(x) }\nf(1);",
    "let",
    "=",
    "999999999999999999999",
    "-1",
    "0",
    "10.0.0.300",
    "::",
    "&anchor ",
    "*anchor",
    "!!int ",
    "|",
    ">",
    "\t",
    "ENC[AES256_GCM,data:",
    "\u{0}",
    "é",
    "😀",
    "${",
    "$X",
    "@./patches/x.yaml",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, token: usize },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn floor_char(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut s = text.to_string();
    for m in muts {
        if s.is_empty() {
            s.push_str(TOKENS[0]);
        }
        match *m {
            Mutation::Delete { at, len } => {
                let a = floor_char(&s, at % s.len());
                let b = floor_char(&s, a + len);
                s.replace_range(a..b, "");
            }
            Mutation::Insert { at, token } => {
                let a = floor_char(&s, at % (s.len() + 1));
                s.insert_str(a, TOKENS[token]);
            }
            Mutation::Duplicate { at, len } => {
                let a = floor_char(&s, at % s.len());
                let b = floor_char(&s, a + len);
                let piece = s[a..b].to_string();
                s.insert_str(b, &piece);
            }
            Mutation::Truncate { at } => {
                let a = floor_char(&s, at % (s.len() + 1));
                s.truncate(a);
            }
        }
    }
    s
}

/// Evaluates and plans a script in process; every diagnostic must render in every format.
fn exercise_script(text: &str, out: &Path) {
    let path = repo().join("clusters/fuzz.rhai");
    let limits = Limits::default();
    let (sources, diags) = match evaluate_source(&path, text, &limits) {
        Ok(ev) => {
            let opts = RunOptions {
                out: Some(out.to_path_buf()),
                limits,
                check: true,
                ..RunOptions::default()
            };
            match plan_evaluated(ev, &opts) {
                Ok(plan) => (plan.evaluated.sources.clone(), plan.warnings),
                Err(f) => (f.sources, f.diagnostics),
            }
        }
        Err(f) => {
            assert!(
                f.diagnostics
                    .iter()
                    .any(talforge::diag::Diagnostic::is_error),
                "a failure carries an error"
            );
            (f.sources, f.diagnostics)
        }
    };
    for format in [Format::Human, Format::Short, Format::Json] {
        let _ = render_all(&diags, &sources, format, false);
    }
}

#[test]
fn mutated_scripts_never_panic() {
    let seeds = seed_scripts();
    let out = tempfile::tempdir().unwrap();
    runner()
        .run(
            &(0..seeds.len(), prop::collection::vec(mutation(), 1..6)),
            |(i, muts)| {
                exercise_script(&apply(&seeds[i], &muts), out.path());
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn random_token_scripts_never_panic() {
    let out = tempfile::tempdir().unwrap();
    runner()
        .run(&prop::collection::vec(0..TOKENS.len(), 0..60), |toks| {
            let text: String = toks.iter().map(|&t| TOKENS[t]).collect();
            exercise_script(&text, out.path());
            Ok(())
        })
        .unwrap();
}

/// Any YAML value we can build survives emit → parse unchanged (both indents).
fn yaml_value() -> impl Strategy<Value = Yaml> {
    let key = prop_oneof![
        "[a-zA-Z][a-zA-Z0-9./_-]{0,12}",
        Just("true".to_string()),
        Just(String::new()),
        Just("- x".to_string()),
        Just("off".to_string()),
    ];
    let leaf = prop_oneof![
        Just(Yaml::Null),
        any::<bool>().prop_map(Yaml::Bool),
        any::<i64>().prop_map(Yaml::Int),
        (-1.0e9f64..1.0e9).prop_map(Yaml::Float),
        ".{0,30}".prop_map(Yaml::Str),
        "[ -~\n\t]{0,40}".prop_map(Yaml::Str),
        prop_oneof![
            Just("123"),
            Just("1.5"),
            Just("null"),
            Just("~"),
            Just(" lead"),
            Just("trail "),
            Just("a: b"),
            Just("#c"),
            Just("x\n"),
            Just("\n\nx\n\n"),
            Just("0x1F"),
            Just("2024-01-02"),
            Just("@./p.yaml"),
            Just("*.talosconfig"),
            Just("é😀"),
        ]
        .prop_map(Yaml::str),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Yaml::Seq),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Yaml::Map(kv.into_iter().collect())),
        ]
    })
}

#[test]
fn emitted_yaml_parses_back_to_the_same_value() {
    runner()
        .run(
            &(yaml_value(), prop_oneof![Just(2usize), Just(4)]),
            |(v, indent)| {
                let text = emit_documents(std::slice::from_ref(&v), &EmitOptions { indent });
                let docs = parse_documents(&text)
                    .map_err(|e| TestCaseError::fail(format!("{e:?} in\n{text}")))?;
                prop_assert_eq!(docs.len(), 1, "one document in\n{}", text);
                let back = &docs[0].value;
                // NaN never equals itself; floats are compared through their text.
                prop_assert_eq!(
                    format!("{back:?}"),
                    format!("{v:?}"),
                    "round trip of\n{}",
                    text
                );
                Ok(())
            },
        )
        .unwrap();
}

fn seed_yaml() -> Vec<String> {
    let mut out = vec![
        std::fs::read_to_string(repo().join("clusters/infra/talos/talconfig.yaml"))
            .unwrap_or_default(),
    ];
    let oracle = repo().join("../shared/oracle");
    for rel in [
        "talos-examples/gen-v1.12-base-worker.yaml",
        "talos-examples/network/bondconfig.yaml",
        "sops/sample/secrets.sops.yaml",
        "talhelper/examples",
    ] {
        let p = oracle.join(rel);
        if p.is_dir() {
            for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    out.push(t);
                }
            }
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            out.push(t);
        }
    }
    out.retain(|t| !t.is_empty());
    out.push("a: 1\nb:\n  - c\n  - d: e\n".into());
    out
}

#[test]
fn mutated_yaml_and_talconfig_never_panic() {
    let seeds = seed_yaml();
    let env = talforge::talhelper::Env::from_pairs([("X".into(), "1".into())]);
    let path = repo().join("clusters/talconfig.yaml");
    runner()
        .run(
            &(0..seeds.len(), prop::collection::vec(mutation(), 1..6)),
            |(i, muts)| {
                let text = apply(&seeds[i], &muts);
                if let Ok(docs) = parse_documents(&text) {
                    for d in &docs {
                        prop_assert!(d.span.end <= text.len());
                        for (_, k, v) in &d.nodes {
                            prop_assert!(k.end <= text.len() && v.end <= text.len());
                            prop_assert!(
                                text.is_char_boundary(v.start) && text.is_char_boundary(v.end)
                            );
                        }
                    }
                }
                if let Err((sources, diags)) =
                    talforge::talhelper::read_talconfig(&path, &text, &env)
                {
                    let _ = render_all(&diags, &sources, Format::Human, false);
                }
                Ok(())
            },
        )
        .unwrap();
}

/// The real binary: a failing `run` on a mutated script leaves the tree as it was.
#[test]
fn failing_runs_write_nothing() {
    let seed = std::fs::read_to_string(repo().join("clusters/infra.rhai")).unwrap();
    let mut runner = TestRunner::new(Config {
        cases: cases().min(24),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(mutation(), 1..4), |muts| {
            let text = apply(&seed, &muts);
            let t = Test::new()
                .file("clusters/infra.rhai", &text)
                .args(["run", "clusters/infra.rhai"]);
            let before = snapshot(t.dir.path());
            let r = t.run();
            if r.code != 0 {
                prop_assert_eq!(r.code, 1, "user errors exit 1: {}", r.stderr);
                prop_assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
                prop_assert_eq!(snapshot(t.dir.path()), before, "a failing run wrote files");
            }
            Ok(())
        })
        .unwrap();
}

/// Mutated SOPS files (the oracle sample and a file talforge wrote) through decryption with
/// the right key: an error or the exact plaintext, never a panic or partial output.
#[test]
fn mutated_sops_files_never_panic() {
    let mut seeds = Vec::new();
    let mut keys = String::new();
    if let (Some(sample), Some(key)) = (
        crate::support::oracle("sops/sample/secrets.sops.yaml"),
        crate::support::oracle("sops/sample/TEST-KEY.agekey.txt"),
    ) {
        seeds.push(std::fs::read_to_string(sample).unwrap());
        keys.push_str(&std::fs::read_to_string(key).unwrap());
    }
    let id = age::x25519::Identity::generate();
    {
        use age::secrecy::ExposeSecret;
        keys.push_str(&format!("\n{}\n", id.to_string().expose_secret()));
    }
    let plain = Yaml::from_pairs([
        (
            "machine",
            Yaml::from_pairs([("token", Yaml::str("abc.def"))]),
        ),
        ("list", Yaml::str_seq(["a", "b"])),
        ("n", Yaml::Int(3)),
    ]);
    seeds.push(
        talforge::secrets::sops::encrypt(
            &plain,
            &[id.to_public().to_string()],
            &Default::default(),
            time::OffsetDateTime::now_utc(),
        )
        .unwrap(),
    );
    let ids = talforge::secrets::keys::Identities::from_text(&keys, "test keys");
    runner()
        .run(
            &(0..seeds.len(), prop::collection::vec(mutation(), 1..4)),
            |(i, muts)| {
                let text = apply(&seeds[i], &muts);
                let _ = talforge::secrets::sops::metadata(&text);
                let _ = talforge::secrets::sops::decrypt_to_text(&text, &ids);
                Ok(())
            },
        )
        .unwrap();
}

/// Mutated patch YAML applied to a rendered infra config: an error or a config, never a panic.
#[test]
fn mutated_patches_never_panic() {
    let ev =
        talforge::script::evaluate_file(&repo().join("clusters/infra.rhai"), &Limits::default())
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let cluster = &ev.fleet.clusters[0];
    let bundle = talforge::secrets::bundle::Bundle::placeholder();
    let base = talforge::talos::generate::render_node(cluster, &cluster.nodes[0], &bundle).unwrap();
    let seeds = [
        "machine:\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: \"true\"\n",
        "apiVersion: v1alpha1\nkind: BondConfig\nname: bond0\nmtu: 1500\n---\nmachine:\n  install:\n    disk: /dev/sdb\n",
        "- op: add\n  path: /machine/network/hostname\n  value: x\n",
        "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        $patch: delete\n",
        "cluster:\n  network:\n    podSubnets: [10.1.0.0/16]\n  apiServer:\n    certSANs: [a, b]\n",
    ];
    runner()
        .run(
            &(0..seeds.len(), prop::collection::vec(mutation(), 1..5)),
            |(i, muts)| {
                let text = apply(seeds[i], &muts);
                if let Ok(docs) = parse_documents(&text) {
                    let docs: Vec<Yaml> = docs.into_iter().map(|d| d.value).collect();
                    let _ = talforge::talos::patch::apply_docs(base.clone(), &docs);
                }
                Ok(())
            },
        )
        .unwrap();
}
