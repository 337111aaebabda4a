//! a8m/envsubst's own parse tests (strict mode, talhelper's) and talhelper v3.1.16's
//! `pkg/substitute` and `pkg/patcher` tests, with their inputs and expected values.

use super::*;
use crate::secrets::keys::Identities;
use crate::talhelper::read_talconfig;
use crate::yaml::{Yaml, parse_documents};

/// talhelper's test identity (public: its tests set it as `SOPS_AGE_KEY`).
const TALHELPER_TEST_KEY: &str =
    "AGE-SECRET-KEY-172FENV3SDP8JSRRX2SWTA9JQMAW7MW3GSKJ2JZDNXS4GVFAS5STQUW8WN4";

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/talhelper-substitute")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// a8m's `FakeEnv`.
fn fake_env() -> Env {
    Env::from_pairs(
        [
            ("BAR", "bar"),
            ("FOO", "foo"),
            ("EMPTY", ""),
            ("ALSO_EMPTY", ""),
            ("A", "AAA"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    )
}

/// a8m/envsubst v1.4.3 `parse/parse_test.go` `parseTests`, strict column: `Some(out)` where
/// strict mode succeeds, `None` where it fails.
const A8M_STRICT: &[(&str, &str, Option<&str>)] = &[
    ("empty", "", Some("")),
    ("env only", "$BAR", Some("bar")),
    ("with text", "$BAR baz", Some("bar baz")),
    ("concatenated", "$BAR$FOO", Some("barfoo")),
    ("2 env var", "$BAR - $FOO", Some("bar - foo")),
    ("invalid var", "$_ bar", Some("$_ bar")),
    ("invalid subst var", "${_} bar", Some("${_} bar")),
    ("value of $var", "${BAR}baz", Some("barbaz")),
    ("$var not set -", "${NOTSET-$BAR}", Some("bar")),
    ("$var not set =", "${NOTSET=$BAR}", Some("bar")),
    ("$var set but empty -", "${EMPTY-$BAR}", None),
    ("$var set but empty =", "${EMPTY=$BAR}", None),
    ("$var not set or empty :-", "${EMPTY:-$BAR}", Some("bar")),
    ("$var not set or empty :=", "${EMPTY:=$BAR}", Some("bar")),
    ("set: +", "${EMPTY+hello}", Some("hello")),
    ("set: :+", "${EMPTY:+hello}", Some("hello")),
    ("not set: +", "${NOTSET+hello}", Some("")),
    ("not set: :+", "${NOTSET:+hello}", Some("")),
    (
        "multi line string",
        "hello $BAR\nhello ${EMPTY:=$FOO}",
        Some("hello bar\nhello foo"),
    ),
    (
        "issue #1",
        "${hello:=wo_rld} ${foo:=bar_baz}",
        Some("wo_rld bar_baz"),
    ),
    (
        "issue #2",
        "name: ${NAME:=foo_qux}, key: ${EMPTY:=baz_bar}",
        Some("name: foo_qux, key: baz_bar"),
    ),
    (
        "gh-issue-8",
        "prop=${HOME_URL-http://localhost:8080}",
        Some("prop=http://localhost:8080"),
    ),
    ("gh-issue-41-1", "${NOTSET--1}", Some("-1")),
    ("gh-issue-41-2", "${NOTSET:--1}", Some("-1")),
    ("gh-issue-41-3", "${NOTSET=-1}", Some("-1")),
    ("gh-issue-41-4", "${NOTSET:==1}", Some("=1")),
    ("gh-issue-43-1", "${A}", Some("AAA")),
    ("closing brace expected", "hello ${", None),
    ("$var not set", "${NOTSET}", None),
    ("$var set to empty", "${EMPTY}", None),
    ("gh-issue-9 unset", "$NOTSET", None),
    ("gh-issue-9 empty", "$EMPTY", None),
    ("unset, default unset -", "${NOTSET-$ALSO_NOTSET}", None),
    ("unset, default unset :-", "${NOTSET:-$ALSO_NOTSET}", None),
    ("unset, default unset =", "${NOTSET=$ALSO_NOTSET}", None),
    ("unset, default unset :=", "${NOTSET:=$ALSO_NOTSET}", None),
    ("unset, other unset +", "${NOTSET+$ALSO_NOTSET}", Some("")),
    ("unset, other unset :+", "${NOTSET:+$ALSO_NOTSET}", Some("")),
    ("empty, default unset -", "${EMPTY-$NOTSET}", None),
    ("empty, default unset :-", "${EMPTY:-$NOTSET}", None),
    ("empty, default unset =", "${EMPTY=$NOTSET}", None),
    ("empty, default unset :=", "${EMPTY:=$NOTSET}", None),
    ("empty, other unset +", "${EMPTY+$NOTSET}", None),
    ("empty, other unset :+", "${EMPTY:+$NOTSET}", None),
    ("unset, default empty -", "${NOTSET-$EMPTY}", None),
    ("unset, default empty :-", "${NOTSET:-$EMPTY}", None),
    ("unset, default empty =", "${NOTSET=$EMPTY}", None),
    ("unset, default empty :=", "${NOTSET:=$EMPTY}", None),
    ("unset, other empty +", "${NOTSET+$EMPTY}", Some("")),
    ("unset, other empty :+", "${NOTSET:+$EMPTY}", Some("")),
    ("empty, default empty -", "${EMPTY-$ALSO_EMPTY}", None),
    ("empty, default empty :-", "${EMPTY:-$ALSO_EMPTY}", None),
    ("empty, default empty =", "${EMPTY=$ALSO_EMPTY}", None),
    ("empty, default empty :=", "${EMPTY:=$ALSO_EMPTY}", None),
    ("empty, other empty +", "${EMPTY+$ALSO_EMPTY}", None),
    ("empty, other empty :+", "${EMPTY:+$ALSO_EMPTY}", None),
    ("escape $$var", "FOO $$BAR BAZ", Some("FOO $BAR BAZ")),
    (
        "escape $${subst}",
        "FOO $${BAR} BAZ",
        Some("FOO ${BAR} BAZ"),
    ),
    ("escape $$$var", "$$$BAR", Some("$bar")),
    ("escape $$${subst}", "$$${BAZ:-baz}", Some("$baz")),
];

#[test]
fn a8m_parse_tests_in_strict_mode() {
    let env = fake_env();
    for (name, input, want) in A8M_STRICT {
        let got = env.substitute_text(input);
        match (want, got) {
            (Some(w), Ok(s)) => assert_eq!(s.text(), *w, "{name}: {input:?}"),
            (None, Err(_)) => {}
            (w, g) => panic!(
                "{name}: {input:?}: want {w:?}, got {:?}",
                g.map(|s| s.out.text)
            ),
        }
    }
}

// a8m's `negativeParseTests`: every failure, in order, with its words.
#[test]
fn a8m_reports_every_failure() {
    let errors = fake_env()
        .substitute_text("${NOTSET} and $EMPTY")
        .unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "variable ${NOTSET} not set",
            "variable ${EMPTY} set but empty"
        ]
    );
    assert_eq!(errors[0].range, 0..9);
    assert_eq!(errors[1].range, 14..20);
}

#[test]
fn offsets_map_back_to_the_original() {
    let env = Env::from_pairs([("LONG".into(), "a-much-longer-value".into())]);
    let s = env.substitute_text("x: ${LONG}/y $$z\n").unwrap();
    assert_eq!(s.text(), "x: a-much-longer-value/y $z\n");
    let at = |needle: &str| {
        let i = s.text().find(needle).unwrap();
        s.original_range(i..i + needle.len())
    };
    // Inside the value: the whole `${LONG}`; after it: the same text as written.
    assert_eq!(at("longer"), 3..10);
    assert_eq!(at("/y"), 10..12);
    assert_eq!(at("z"), 15..16);
    assert_eq!(s.used(), ["LONG"]);
}

/// talhelper's `TestLoadEnv`.
#[test]
fn talhelper_load_env() {
    let mut env = Env::default();
    let file =
        "env1: value1\nenv2: \"true\"\nenv3: 123\ndefault: default value\n# env2: \"false\"\n";
    parse_env(&mut env, file, Path::new("env.yaml"), false).unwrap();
    for (k, v) in [
        ("env1", "value1"),
        ("env2", "true"),
        ("env3", "123"),
        ("default", "default value"),
    ] {
        assert_eq!(env.get(k), Some(v), "{k}");
    }
    assert!(!env.is_secret("env1"));
}

/// talhelper's `TestSubstituteEnvFromYaml`: comments dropped first, then every form.
#[test]
fn talhelper_substitute_env_from_yaml() {
    let mut env = Env::default();
    let vars = "env1: value1\nenv2: \"true\"\nenv3: 123\ndefault: default value\n";
    parse_env(&mut env, vars, Path::new("env.yaml"), false).unwrap();
    let file = "a: ${env1}\nb: \"${env2:+$default}\" ## commentb\n## this is comment\n# another comment\nc: \"${env3-$default}\" # commentc\nd: ${env4:=$default}\n";
    let expected = "a: value1\nb: \"default value\"\nc: \"123\"\nd: default value\n";
    let got = env.substitute_yaml(file).unwrap();
    // talhelper re-encodes the YAML; talforge blanks the comments: the same lines remain.
    let lines: Vec<&str> = got
        .text()
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.join("\n") + "\n", expected);
}

/// A `${VAR}` in a comment is not read (talhelper strips comments before substituting).
#[test]
fn variables_in_comments_are_ignored() {
    let env = Env::default();
    let got = env
        .substitute_yaml("a: 1 # ${UNSET}\n# ${ALSO_UNSET}\nb: '# ${X}'\n")
        .unwrap_err();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].message, "variable ${X} not set");
}

/// talhelper's `TestLoadEnvFromFiles`: later files win, `---` lines are ignored, a SOPS
/// file is decrypted (its values are secret).
#[test]
fn talhelper_load_env_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for f in ["file1.yml", "file2.yaml", "file3.sops.yaml"] {
        std::fs::write(dir.path().join(f), fixture(f)).unwrap();
        files.push(dir.path().join(f));
    }
    files.push(dir.path().join("missing.yaml"));
    let ids = Identities::from_text(TALHELPER_TEST_KEY, "test");
    let mut env = Env::default();
    load_env_files(&mut env, &files, Some(&ids)).unwrap();
    for (k, v) in [
        ("env1", "hello"),
        ("env2", "world"),
        ("env3", "this is value"),
        ("enc_hello_env", "hello"),
    ] {
        assert_eq!(env.get(k), Some(v), "{k}");
    }
    assert!(env.is_secret("enc_hello_env") && !env.is_secret("env2"));
    assert!(!format!("{env:?}").contains("this is value"));
    // Without the key the encrypted file is an error that names it.
    let err =
        load_env_files(&mut Env::default(), &files, Some(&Identities::default())).unwrap_err();
    assert!(err.message.contains("file3.sops.yaml"), "{}", err.message);
}

/// talhelper's `TestSubstituteFileContent` (`content.yaml`, with envsubst): every `$word`
/// inside the double-quoted nginx config is substituted; the header comments go.
#[test]
fn talhelper_substitute_file_content() {
    let env = Env::from_pairs(
        [
            ("host", "substhost"),
            ("remote_addr", "substremote_addr"),
            ("request_method", "substrequest_method"),
            ("uri", "substuri"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let got = env.substitute_yaml(&fixture("content.yaml")).unwrap();
    let docs = parse_documents(got.text()).unwrap();
    let conf = docs[0].value.get("data").and_then(|d| d.get("nginx.conf"));
    let Some(Yaml::Str(conf)) = conf else {
        panic!("{}", got.text())
    };
    assert!(conf.contains("proxy_set_header Host substhost;"), "{conf}");
    assert!(
        conf.contains("if (substrequest_method = OPTIONS)"),
        "{conf}"
    );
    assert!(
        conf.contains("try_files substuri substuri/ /index.html"),
        "{conf}"
    );
    assert!(!got.text().contains("# Source:"));
}

fn read(dir: &Path, talconfig: &str, env: &Env) -> Result<crate::model::Cluster, String> {
    let path = dir.join("talconfig.yaml");
    read_talconfig(&path, talconfig, env)
        .map(|t| t.cluster)
        .map_err(|(_, d)| {
            d.iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("\n")
        })
}

const BASE: &str = "clusterName: lab\nendpoint: https://${VIP}:6443\ntalosVersion: v1.12.0\nkubernetesVersion: v1.35.0\nnodes:\n  - hostname: cp-1\n    ipAddress: 10.0.0.11\n    controlPlane: true\n    installDisk: /dev/sda\n    networkInterfaces:\n      - interface: eth0\n        mtu: ${MTU}\n        dhcp: true\n        vip:\n          ip: ${VIP}\n";

/// talhelper substitutes the text before parsing it: `mtu: ${MTU}` is a number, a VIP
/// from the environment an address; the variables read are recorded, a secret as secret.
#[test]
fn talconfig_is_substituted_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let mut env = Env::from_pairs([("MTU".into(), "9000".into())]);
    env.set_secret("VIP", "10.0.0.10");
    let c = read(dir.path(), BASE, &env).unwrap();
    let eth = &c.nodes[0].interfaces[0];
    assert_eq!(eth.mtu, Some(9000));
    assert_eq!(eth.vip.map(|v| v.to_string()).as_deref(), Some("10.0.0.10"));
    assert_eq!(c.endpoint, "https://10.0.0.10:6443");
    let vars: Vec<(&str, bool)> = c
        .env_vars
        .iter()
        .map(|v| (v.name.as_str(), v.secret))
        .collect();
    assert_eq!(vars, [("VIP", true), ("MTU", false)]);
}

/// An unset variable is talhelper's error at the `${...}` as written; one in a comment is not.
#[test]
fn unset_variables_are_errors_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("# uses ${{NOT_HERE}}\n{BASE}");
    let path = dir.path().join("talconfig.yaml");
    let (sources, diags) = read_talconfig(&path, &text, &Env::default()).unwrap_err();
    let got: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| {
            let s = d.span.as_ref().unwrap();
            (d.message.as_str(), &sources.text(s.source)[s.range.clone()])
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "failed to substitute env: variable ${VIP} not set",
                "${VIP}"
            ),
            (
                "failed to substitute env: variable ${MTU} not set",
                "${MTU}"
            ),
            (
                "failed to substitute env: variable ${VIP} not set",
                "${VIP}"
            ),
        ]
    );
}

/// talhelper's `TestPatchesPatcher` inputs: a JSON6902 file, a strategic file and a YAML
/// JSON6902 file substituted, a SOPS file decrypted, an empty file skipped.
#[test]
fn talhelper_patches_patcher_files() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "patch.json",
        "strategic.yaml",
        "patch.yaml",
        "encrypted.sops.yaml",
        "emptyfile.yaml",
    ] {
        std::fs::write(dir.path().join(f), fixture(&format!("patcher-{f}"))).unwrap();
    }
    let env = Env::from_pairs([
        ("foodomain".into(), "foo.com".into()),
        ("foodotbar".into(), "foo.bar".into()),
    ]);
    let text = BASE
        .replace("${VIP}", "10.0.0.10")
        .replace("${MTU}", "1500")
        + "patches:\n  - \"@./patch.json\"\n  - \"@./strategic.yaml\"\n  - \"@./patch.yaml\"\n  - \"@./encrypted.sops.yaml\"\n  - \"@./emptyfile.yaml\"\n";
    let path = dir.path().join("talconfig.yaml");
    let ids = Identities::from_text(TALHELPER_TEST_KEY, "test");
    let c = crate::talhelper::read_with_keys(&path, &text, &env, Some(ids))
        .unwrap_or_else(|(_, d)| panic!("{d:?}"))
        .cluster;
    let docs: Vec<String> = c
        .patches
        .iter()
        .map(|p| crate::yaml::emit_documents(&p.documents, &crate::yaml::EmitOptions { indent: 2 }))
        .collect();
    assert_eq!(
        docs,
        [
            "- op: add\n  path: /machine/certSANs\n  value:\n    - foo.com\n",
            "machine:\n  network:\n    hostname: foo.bar\n",
            "- op: add\n  path: /machine/network/interfaces/0/addresses\n  value:\n    - 10.1.2.3/24\n",
            // The encrypted value is `${foodotbar}`: decrypted, then substituted.
            "machine:\n  network:\n    hostname: foo.bar\n",
        ]
    );
    // The decrypted file is kept as it was (encrypted): `run` copies it, never plaintext.
    assert!(
        c.patches[3]
            .text
            .as_deref()
            .unwrap()
            .contains("ENC[AES256_GCM")
    );
}

/// `$$patch: delete` in a patch file is Talos' `$patch: delete`; a bare `$patch` is
/// talhelper's unset-variable error, with a hint.
#[test]
fn dollar_dollar_in_patch_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("del.yaml"),
        "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        $$patch: delete\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "machine:\n  $patch: delete\n").unwrap();
    let env = Env::default();
    let ok = BASE
        .replace("${VIP}", "10.0.0.10")
        .replace("${MTU}", "1500")
        + "patches:\n  - \"@./del.yaml\"\n";
    let c = read(dir.path(), &ok, &env).unwrap();
    let eth = c.patches[0].documents[0]
        .get("machine")
        .and_then(|m| m.get("network"))
        .and_then(|n| n.get("interfaces"));
    assert_eq!(
        crate::yaml::emit_documents(
            &[eth.unwrap().clone()],
            &crate::yaml::EmitOptions { indent: 2 }
        ),
        "- interface: eth0\n  $patch: delete\n"
    );
    let bad = BASE
        .replace("${VIP}", "10.0.0.10")
        .replace("${MTU}", "1500")
        + "patches:\n  - \"@./bad.yaml\"\n";
    let err = read(dir.path(), &bad, &env).unwrap_err();
    assert_eq!(err, "failed to substitute env: variable ${patch} not set");
}
