//! Talos' own configpatcher tests, ported: the inputs and expected outputs are upstream's
//! testdata files (copied under `testdata/<tag>/`), compared byte for byte with what we
//! write, as the Go tests compare `out.Bytes()`.

use super::*;
use crate::yaml::{EmitOptions, emit_documents, parse_documents};

const TAGS: [&str; 2] = ["v1.12.0", "v1.13.9"];

fn testdata(tag: &str, name: &str) -> Option<String> {
    let path = format!(
        "{}/src/talos/patch/testdata/{tag}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).ok()
}

fn docs(text: &str) -> Vec<Yaml> {
    parse_documents(text)
        .expect("upstream YAML parses")
        .into_iter()
        .map(|d| d.value)
        .collect()
}

/// `configpatcher.LoadPatches` on `@testdata/…` files, then `Apply` on the config file; the
/// result as Talos encodes it, or the error text.
fn apply_files(tag: &str, config: &str, patches: &[&str]) -> Result<String, String> {
    let loaded: Vec<Vec<Yaml>> = patches
        .iter()
        .map(|p| docs(&testdata(tag, p).unwrap_or_else(|| panic!("{tag}/{p} exists"))))
        .collect();
    let config = docs(&testdata(tag, config).expect("config exists"));
    let out = combine(loaded)
        .iter()
        .try_fold(config, |d, p| apply_docs(d, p))
        .map_err(|e| e.to_string())?;
    Ok(emit_documents(&out, &EmitOptions::default()))
}

fn expect(tag: &str, config: &str, patches: &[&str], expected: &str) {
    let want = testdata(tag, expected).expect("expected file exists");
    let got = apply_files(tag, config, patches).unwrap_or_else(|e| panic!("{tag}: {e}"));
    assert_eq!(got, want, "{tag} {expected}");
}

/// Every tag that has the test's files.
fn tags_with(file: &str) -> impl Iterator<Item = &'static str> + '_ {
    TAGS.into_iter()
        .filter(move |t| testdata(t, file).is_some())
}

// configpatcher/apply_test.go@v1.12.0, @v1.13.9: TestApply (WithBytes; WithConfig is the
// same input already decoded).
#[test]
fn upstream_apply() {
    let patches = [
        "apply/strategic1.yaml",
        "apply/jsonpatch1.yaml",
        "apply/jsonpatch2.yaml",
        "apply/strategic2.yaml",
        "apply/strategic3.yaml",
    ];
    for tag in TAGS {
        expect(tag, "apply/config.yaml", &patches, "apply/expected.yaml");
    }
}

// configpatcher/apply_test.go: TestApplyMultiDocFail.
#[test]
fn upstream_apply_multidoc_fail() {
    for tag in TAGS {
        let err = apply_files(
            tag,
            "multidoc/config.yaml",
            &["multidoc/jsonpatch.yaml", "multidoc/strategic1.yaml"],
        )
        .unwrap_err();
        assert_eq!(
            err,
            "JSON6902 patches are not supported for multi-document machine configuration"
        );
    }
}

// configpatcher/apply_test.go: TestApplyMultiDoc.
#[test]
fn upstream_apply_multidoc() {
    let patches = ["multidoc/strategic1.yaml", "multidoc/strategic2.yaml"];
    for tag in TAGS {
        expect(
            tag,
            "multidoc/config.yaml",
            &patches,
            "multidoc/expected.yaml",
        );
    }
}

// configpatcher/apply_test.go: TestApplyAuditPolicy.
#[test]
fn upstream_apply_audit_policy() {
    for tag in TAGS {
        expect(
            tag,
            "auditpolicy/config.yaml",
            &["auditpolicy/patch1.yaml"],
            "auditpolicy/expected.yaml",
        );
    }
}

// configpatcher/apply_test.go: TestApplyWithManifestNewline (`ClusterInlineManifests`
// trims the leading newline of the contents).
#[test]
fn upstream_apply_with_manifest_newline() {
    for tag in TAGS {
        expect(
            tag,
            "apply/config.yaml",
            &["apply/strategic4.yaml"],
            "apply/expected_manifests.yaml",
        );
    }
}

// configpatcher/apply_test.go: TestApplyMultiDocDelete.
#[test]
fn upstream_apply_multidoc_delete() {
    for tag in TAGS {
        expect(
            tag,
            "patchdelete/config.yaml",
            &["patchdelete/strategic1.yaml"],
            "patchdelete/expected.yaml",
        );
    }
}

// configpatcher/apply_test.go: TestApplyMultiDocCPDelete.
#[test]
fn upstream_apply_multidoc_cp_delete() {
    let patches = [
        "patchdelete/strategic2.yaml",
        "patchdelete/strategic3.yaml",
        "patchdelete/strategic4.yaml",
    ];
    for tag in TAGS {
        expect(
            tag,
            "patchdelete/controlplane_orig.yaml",
            &patches,
            "patchdelete/controlplane_expected.yaml",
        );
    }
}

// configpatcher/apply_test.go@v1.13.9: TestPatchDeleteMissing.
#[test]
fn upstream_patch_delete_missing() {
    for tag in tags_with("patchdeletemissing/config.yaml") {
        let err = apply_files(
            tag,
            "patchdeletemissing/config.yaml",
            &["patchdeletemissing/strategic1.yaml"],
        )
        .unwrap_err();
        assert!(
            err.contains("patch delete: path 'machine.network.hostname' in document '/v1alpha1': failed to delete path 'machine.network.hostname': lookup failed"),
            "{err}"
        );
    }
}

// configpatcher/apply_test.go@v1.13.9: TestPatchLink.
#[test]
fn upstream_patch_link() {
    let tags: Vec<&str> = tags_with("patchlink/base.yaml").collect();
    assert_eq!(tags, ["v1.13.9"]);
    for tag in tags {
        expect(
            tag,
            "patchlink/base.yaml",
            &["patchlink/patch.yaml"],
            "patchlink/expected.yaml",
        );
    }
}

// configpatcher/configpatcher_test.go: TestJSON6902 ("test add patch").
#[test]
fn upstream_json6902() {
    let out = apply_docs(
        docs("machine:\n  kubelet: {}\n"),
        &docs(r#"[{"op": "add", "path": "/machine/kubelet/extraArgs", "value": {"cloud-provider": "external"}}]"#),
    )
    .unwrap();
    let want = docs("machine:\n  kubelet:\n    extraArgs:\n      cloud-provider: external\n");
    assert_eq!(
        out[0].get_path("machine.kubelet"),
        want[0].get_path("machine.kubelet")
    );
}

// configpatcher/load_test.go: TestLoadJSON, TestLoadYAML, TestLoadStrategic.
#[test]
fn upstream_load() {
    for tag in TAGS {
        let json = docs(&testdata(tag, "patch.json").unwrap());
        let [Yaml::Seq(ops)] = json.as_slice() else {
            panic!("patch.json is a JSON patch");
        };
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].get("op").and_then(Yaml::as_str), Some("add"));
        assert_eq!(
            ops[0].get("path").and_then(Yaml::as_str),
            Some("/machine/certSANs")
        );
        let yaml = docs(&testdata(tag, "patch.yaml").unwrap());
        assert!(is_json_patch(&yaml));
        assert_eq!(
            yaml[0].as_seq().unwrap()[0].get("value"),
            Some(&Yaml::Seq(vec![
                Yaml::str("a"),
                Yaml::str("b"),
                Yaml::str("c")
            ]))
        );
        let strategic = docs(&testdata(tag, "strategic.yaml").unwrap());
        assert!(!is_json_patch(&strategic));
        let out = apply_docs(docs("version: v1alpha1\nmachine: {}\n"), &strategic).unwrap();
        assert_eq!(
            out[0]
                .get_path("machine.network.hostname")
                .and_then(Yaml::as_str),
            Some("foo.bar")
        );
    }
}

// configpatcher/load_test.go: TestLoadJSONPatches, TestLoadMixedPatches (consecutive JSON
// patches become one).
#[test]
fn upstream_load_patches_merges_consecutive_json_patches() {
    for tag in TAGS {
        let json = docs(&testdata(tag, "patch.json").unwrap());
        let yaml = docs(&testdata(tag, "patch.yaml").unwrap());
        let strategic = docs(&testdata(tag, "strategic.yaml").unwrap());
        let replace = docs(r#"[{"op":"replace","path":"/some","value": []}]"#);
        let one = combine(vec![json.clone(), yaml.clone(), replace.clone()]);
        assert_eq!(one.len(), 1);
        let kinds: Vec<&str> = one[0][0]
            .as_seq()
            .unwrap()
            .iter()
            .filter_map(|op| op.get("op").and_then(Yaml::as_str))
            .collect();
        assert_eq!(kinds, ["add", "add", "replace"]);
        let mixed = combine(vec![json, strategic, yaml, replace]);
        assert_eq!(mixed.len(), 3);
        let json_kinds: Vec<bool> = mixed.iter().map(|p| is_json_patch(p)).collect();
        assert_eq!(json_kinds, [true, false, true]);
    }
}

// types/v1alpha1/v1alpha1_strategic_merge_test.go: TestStrategicMergePatch over
// testdata/strategic/*: `merge.Merge(left, right)` equals `expected` once all three are
// decoded (compared as Talos marshals them).
#[test]
fn upstream_strategic_merge() {
    let mut ran = 0;
    for tag in TAGS {
        for n in 1..=6 {
            let dir = format!("strategic-merge/{n:03}");
            let load = |f: &str| docs(&testdata(tag, &format!("{dir}/{f}")).unwrap());
            let mut want = load("expected.yaml");
            for d in &mut want {
                strategic::decode(d);
                reorder(d);
            }
            let got = apply_docs(load("left.yaml"), &load("right.yaml"))
                .unwrap_or_else(|e| panic!("{tag} {dir}: {e}"));
            let emit = |d: &[Yaml]| emit_documents(d, &EmitOptions::default());
            assert_eq!(emit(&got), emit(&want), "{tag} {dir}");
            ran += 1;
        }
    }
    assert_eq!(ran, 12);
}
