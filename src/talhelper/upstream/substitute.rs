//! `pkg/substitute/*_test.go`: env files, envsubst of YAML, file content (`@file`, SOPS) and relative paths, through our reader.

use super::Tally;
use super::patcher::{TALHELPER_TEST_KEY, fixture};
use crate::secrets::keys::Identities;
use crate::talhelper::{Env, load_env_files, parse_env};
use crate::yaml::parse_documents;
use std::path::Path;

pub(super) fn run(t: &mut Tally) {
    envsubst(t);
    file_content(t);
    relative_paths(t);
}

/// The text's lines without trailing blanks and without empty lines: talhelper re-encodes
/// the YAML after dropping its comments, talforge blanks them (offsets stay for errors);
/// the lines that remain are the same.
fn lines(s: &str) -> String {
    s.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

const ENV: &str = "env1: value1\nenv2: \"true\"\nenv3: 123\ndefault: default value\n";

/// `envsubst_test.go`.
fn envsubst(t: &mut Tally) {
    t.test("TestLoadEnvFromFiles");
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<_> = ["file1.yml", "file2.yaml", "file3.sops.yaml"]
        .into_iter()
        .map(|f| {
            let p = dir.path().join(f);
            std::fs::write(&p, fixture(f)).expect("write");
            p
        })
        .collect();
    let ids = Identities::from_text(TALHELPER_TEST_KEY, "test");
    let mut env = Env::default();
    let loaded = load_env_files(&mut env, &files, Some(&ids)).map_err(|e| e.message);
    t.eq("LoadEnvFromFiles", loaded, Ok(()));
    for (k, v) in [
        ("env1", "hello"),
        ("env2", "world"),
        ("env3", "this is value"),
        ("enc_hello_env", "hello"),
    ] {
        t.eq(k, env.get(k), Some(v));
    }

    t.test("TestSubstituteEnvFromYaml");
    let mut env = Env::default();
    let _ = parse_env(&mut env, ENV, Path::new("env.yaml"), false);
    let file = "a: ${env1}\nb: \"${env2:+$default}\" ## commentb\n## this is comment\n# another comment\nc: \"${env3-$default}\" # commentc\nd: ${env4:=$default}\n";
    let got = env.substitute_yaml(file).map(|s| lines(s.text()));
    let want = "a: value1\nb: \"default value\"\nc: \"123\"\nd: default value\n";
    t.that("SubstituteEnvFromByte", got.as_deref() == Ok(want), got);

    t.test("TestLoadEnv");
    let mut env = Env::default();
    let _ = parse_env(
        &mut env,
        &format!("{ENV}# env2: \"false\"\n"),
        Path::new("env.yaml"),
        false,
    );
    for (k, v) in [
        ("env1", "value1"),
        ("env2", "true"),
        ("env3", "123"),
        ("default", "default value"),
    ] {
        t.eq(k, env.get(k), Some(v));
    }

    t.test("TestComplexCommentStrip");
    let file = "a1: '123!@# not a comment'\na2: |\n  # not a comment\nb1: '\"' # comment\nb2: \"'\" # comment\nb3: \"\\\"\" # comment\n";
    let want =
        "a1: '123!@# not a comment'\na2: |\n  # not a comment\nb1: '\"'\nb2: \"'\"\nb3: \"\\\"\"\n";
    // A `$` makes talforge strip comments (text without one has none to substitute).
    let got = Env::default()
        .substitute_yaml(&format!("{file}z: $$\n"))
        .map(|s| lines(s.text()));
    t.that(
        "SubstituteEnvFromByte",
        got.as_deref() == Ok(format!("{want}z: $\n").as_str()),
        got,
    );
}

/// The content of node `n1`'s first machine file, read from a talconfig.yaml whose
/// `content` is `value` (`skipEnvsubst: !envsubst`) with talhelper's testdata next to it.
fn file_content_of(value: &str, envsubst: bool, env: &Env) -> Result<String, String> {
    let ids = Identities::from_text(TALHELPER_TEST_KEY, "test");
    file_content_with(value, envsubst, env, ids)
}

/// [`file_content_of`] decrypting with `ids`.
fn file_content_with(
    value: &str,
    envsubst: bool,
    env: &Env,
    ids: Identities,
) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for f in ["content.yaml", "encrypted-manifest.sops.yaml"] {
        std::fs::write(dir.path().join(f), fixture(f)).map_err(|e| e.to_string())?;
    }
    let text = super::support::cluster_at(
        "v1.12.0",
        &format!(
            "nodes:\n  - hostname: n1\n    ipAddress: 10.0.0.1\n    controlPlane: true\n    installDisk: /dev/sda\n    machineFiles:\n      - content: '{}'\n        path: /var/f\n        permissions: 0o644\n        op: create\n        skipEnvsubst: {}\n",
            value.replace('\'', "''"),
            !envsubst
        ),
    );
    let c =
        crate::talhelper::read_with_keys(&dir.path().join("talconfig.yaml"), &text, env, Some(ids))
            .map_err(|(_, d)| {
                d.iter()
                    .map(|d| d.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })?
            .cluster;
    c.nodes
        .first()
        .and_then(|n| n.files.first())
        .map(|f| f.content.clone())
        .ok_or_else(|| "no machine file".to_string())
}

/// `contentsubst_test.go`, through `machineFiles[].content` (talhelper's
/// `SubstituteFileContent` callers).
fn file_content(t: &mut Tally) {
    let env = Env::from_pairs(
        [
            ("host", "substhost"),
            ("remote_addr", "substremote_addr"),
            ("request_method", "substrequest_method"),
            ("uri", "substuri"),
            ("EXPECTED_NAME", "my-secret"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    t.test("TestSubstituteFileContent_SopsEncryptedFile");
    let got = file_content_of("@./encrypted-manifest.sops.yaml", false, &env);
    let has = |g: &Result<String, String>, s: &str| g.as_ref().is_ok_and(|g| g.contains(s));
    // The decrypted text is a test fixture's (talhelper's public test key), safe to print.
    t.that(
        "contains password: supersecret",
        has(&got, "password: supersecret"),
        &got,
    );
    t.that(
        "contains name: my-secret",
        has(&got, "name: my-secret"),
        &got,
    );

    t.test("TestSubstituteFileContent_SopsEncryptedWithMissingKey");
    let got = file_content_with(
        "@./encrypted-manifest.sops.yaml",
        false,
        &env,
        Identities::default(),
    );
    let failed = got.as_ref().is_err_and(|e| e.contains("cannot decrypt `"));
    t.that("SOPS decryption error without the key", failed, &got);

    t.test("TestSubstituteFileContent_SopsEncryptedWithEnvsubst");
    let got = file_content_of("@./encrypted-manifest.sops.yaml", true, &env);
    t.that(
        "contains password: supersecret",
        has(&got, "password: supersecret"),
        &got,
    );

    t.test("TestSubstituteFileContent_NonSopsFile");
    let got = file_content_of("@./content.yaml", false, &env);
    t.that(
        "contains hubble-ui-nginx",
        has(&got, "hubble-ui-nginx"),
        &got,
    );

    t.test("TestSubstituteFileContent_NoAtPrefix");
    let got = file_content_of("literal value", false, &env);
    t.eq("result", got, Ok("literal value".to_string()));

    t.test("TestSubstituteFileContent");
    let raw = fixture("content.yaml");
    // `this is $host` reaches `SubstituteFileContent` after talhelper substituted the whole
    // talconfig.yaml: written `$$host` there, as a talconfig.yaml must say it.
    for (k, (value, want)) in [
        ("@./content.yaml", raw.trim()),
        ("this is $$host", "this is $host"),
    ]
    .into_iter()
    .enumerate()
    {
        let got = file_content_of(value, false, &env);
        let held = got.as_ref().is_ok_and(|g| g.trim() == want);
        t.that(&format!("contents[{k}] without envsubst"), held, &got);
    }
    // With envsubst talhelper re-encodes the file (comments and the leading `---` go);
    // talforge substitutes the text as written: the documents are talhelper's.
    let with = raw
        .replace("$host", "substhost")
        .replace("$remote_addr", "substremote_addr")
        .replace("$request_method", "substrequest_method")
        .replace("$uri", "substuri");
    let docs =
        |s: &str| parse_documents(s).map(|d| d.into_iter().map(|d| d.value).collect::<Vec<_>>());
    let got = file_content_of("@./content.yaml", true, &env);
    let held = got.as_ref().is_ok_and(|g| {
        docs(g).ok() == docs(&with).ok() && !g.contains("$host") && g.contains("Host substhost;")
    });
    t.that("contents[0] with envsubst (as YAML documents)", held, &got);
    let got = file_content_of("this is $$host", true, &env);
    t.eq(
        "contents[1] with envsubst",
        got,
        Ok("this is $host".to_string()),
    );
}

/// `pathsubst_test.go` `TestSubstituteRelativePaths`: talhelper rewrites `@./x` under
/// `machineFiles`, `patches` and `inlineManifests` (and bare `extraManifests`) to paths
/// next to talconfig.yaml; talforge reads each of them from there.
fn relative_paths(t: &mut Tally) {
    t.test("TestSubstituteRelativePaths");
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("path/to");
    for (f, text) in [
        ("relative/patch.yaml", "machine:\n  env:\n    A: relative\n"),
        (
            "control/plane/patch.yaml",
            "machine:\n  env:\n    B: control\n",
        ),
        ("relative/path/file.txt", "relative file\n"),
        ("nested/path/file.conf", "nested file\n"),
        ("relative/file1.yaml", "kind: A\n"),
        ("relative/file3.yaml", "kind: C\n"),
    ] {
        let p = base.join(f);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    let abs2 = base.join("relative/file2.yaml");
    std::fs::write(&abs2, "kind: B\n").expect("write");
    let text = super::support::cluster_at(
        "v1.12.0",
        &format!(
            "nodes:\n  - hostname: kmaster1\n    ipAddress: 10.0.0.1\n    controlPlane: true\n    installDisk: /dev/sda\n    machineFiles:\n      - content: \"@./nested/path/file.conf\"\n        path: /etc/config.conf\n        permissions: 0o644\n        op: create\n      - content: \"example@./should/not/replace\"\n        path: /etc/b\n        permissions: 0o644\n        op: create\n      - content: \"@/{abs}\"\n        path: /etc/c\n        permissions: 0o644\n        op: create\n    extraManifests:\n      - ./relative/file1.yaml\n      - /{abs}\n      - \"@./relative/file3.yaml\"\ncontrolPlane:\n  patches:\n    - \"@./control/plane/patch.yaml\"\npatches:\n  - \"@./relative/patch.yaml\"\n",
            abs = abs2.display().to_string().trim_start_matches('/')
        ),
    );
    let read = crate::talhelper::read_talconfig(&base.join("config.yaml"), &text, &Env::default())
        .map(|t| t.cluster)
        .map_err(|(_, d)| {
            d.iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        });
    let Some(c) = t.setup(read) else {
        t.that("SubstituteRelativePaths", false, "read failed");
        return;
    };
    let patch_files: Vec<String> = c
        .patches
        .iter()
        .filter_map(|p| match &p.source {
            crate::model::PatchSource::File(f) => Some(f.display().to_string()),
            crate::model::PatchSource::Inline => None,
        })
        .collect();
    let at = |rel: &str| base.join(rel).display().to_string();
    let files: Vec<&str> = c.nodes[0]
        .files
        .iter()
        .map(|f| f.content.as_str())
        .collect();
    let manifests: Vec<String> = c.nodes[0]
        .extra_manifests
        .iter()
        .map(|m| format!("{:?}", m.documents))
        .collect();
    let held = patch_files
        == [
            at("./control/plane/patch.yaml"),
            at("./relative/patch.yaml"),
        ]
        && files == ["nested file\n", "example@./should/not/replace", "kind: B\n"]
        && manifests.len() == 3
        && manifests[0].contains("\"A\"")
        && manifests[1].contains("\"B\"")
        && manifests[2].contains("\"C\"");
    t.that(
        "every @ path read next to the config file",
        held,
        (patch_files, files, manifests),
    );
}
