//! `pkg/patcher/patcher_test.go`: patches read as talhelper reads them, applied as its `PatchesPatcher` applies them.

use super::Tally;
use crate::model::Patch;
use crate::secrets::keys::Identities;
use crate::talhelper::Env;
use crate::yaml::{EmitOptions, Yaml, emit_documents, parse_documents};
use std::path::Path;

/// talhelper's test identity (public: its tests set it as `SOPS_AGE_KEY`).
pub(super) const TALHELPER_TEST_KEY: &str =
    "AGE-SECRET-KEY-172FENV3SDP8JSRRX2SWTA9JQMAW7MW3GSKJ2JZDNXS4GVFAS5STQUW8WN4";

/// A file of talhelper's `pkg/patcher/testdata` or `pkg/substitute/testdata` (kept under
/// `tests/fixtures/talhelper-substitute`, the patcher's with a `patcher-` prefix).
pub(super) fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/talhelper-substitute")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The patches a talconfig.yaml with top-level `patches: entries` reads to, with `files`
/// written next to it.
fn read_patches(
    entries: &[&str],
    files: &[(&str, String)],
    env: &Env,
) -> Result<Vec<Patch>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).map_err(|e| e.to_string())?;
    }
    let list: String = entries
        .iter()
        .map(|e| format!("  - '{}'\n", e.replace('\'', "''")))
        .collect();
    let text = super::support::cluster_at(
        "v1.12.0",
        &format!(
            "nodes:\n  - hostname: n1\n    ipAddress: 10.0.0.1\n    controlPlane: true\n    installDisk: /dev/sda\npatches:\n{list}"
        ),
    );
    let ids = Identities::from_text(TALHELPER_TEST_KEY, "test");
    crate::talhelper::read_with_keys(&dir.path().join("talconfig.yaml"), &text, env, Some(ids))
        .map(|t| t.cluster.patches)
        .map_err(|(_, d)| {
            d.iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
}

fn docs(text: &str) -> Vec<Yaml> {
    parse_documents(text)
        .map(|d| d.into_iter().map(|d| d.value).collect())
        .unwrap_or_default()
}

/// `PatchesPatcher(patches, base)` as talforge's genconfig applies a node's patches.
fn patches_patcher(patches: &[Patch], base: &str) -> Result<String, String> {
    let refs: Vec<&Patch> = patches.iter().collect();
    crate::talos::generate::apply_patches(docs(base), &refs)
        .map(|d| emit_documents(&d, &EmitOptions { indent: 4 }))
        .map_err(|(i, e)| format!("patch {i}: {e}"))
}

pub(super) fn run(t: &mut Tally) {
    apply_patch_from_yaml(t);
    patches_patcher_files(t);
    templating(t);
}

/// `TestApplyPatchFromYaml`: a YAML JSON6902 patch on a plain YAML document.
fn apply_patch_from_yaml(t: &mut Tally) {
    t.test("TestApplyPatchFromYaml");
    let ops = docs("\n- op: add\n  path: /a/b\n  value: added");
    let got = crate::talos::patch::apply_docs(docs("a:\n  b: original\n"), &ops)
        .map(|d| emit_documents(&d, &EmitOptions { indent: 2 }))
        .map_err(|e| e.to_string());
    t.eq("result", got, Ok("a:\n  b: added\n".into()));
}

/// `TestPatchesPatcher`: a JSON6902 file, a strategic file, a YAML JSON6902 file with
/// `${foodomain}`, a SOPS file, an empty file and an inline JSON6902 patch.
fn patches_patcher_files(t: &mut Tally) {
    t.test("TestPatchesPatcher");
    let env = Env::from_pairs([
        ("foodomain".into(), "foo.com".into()),
        ("foodotbar".into(), "foo.bar".into()),
    ]);
    let files: Vec<(&str, String)> = [
        "patch.json",
        "strategic.yaml",
        "patch.yaml",
        "encrypted.sops.yaml",
        "emptyfile.yaml",
    ]
    .into_iter()
    .map(|f| (f, fixture(&format!("patcher-{f}"))))
    .collect();
    let entries = [
        "@./patch.json",
        "@./strategic.yaml",
        "@./patch.yaml",
        "@./encrypted.sops.yaml",
        "@./emptyfile.yaml",
        r#"[{"op":"add","path":"/machine/network/interfaces/0/dhcp","value": false}]"#,
    ];
    let base = "version: v1alpha1\nmachine:\n  certSANs:\n    - \"\"\n  network:\n    interfaces:\n      - interface: eth0\n        dhcp: false\n";
    // talhelper's expected config, `configloader.NewFromBytes(…).Bytes()`: Talos' key order.
    let want = "version: v1alpha1\nmachine:\n    type: \"\"\n    token: \"\"\n    certSANs:\n        - foo.com\n    network:\n        hostname: foo.bar\n        interfaces:\n            - interface: eth0\n              addresses:\n                - 10.1.2.3/24\n              dhcp: false\ncluster: null\n";
    let got = read_patches(&entries, &files, &env).and_then(|p| patches_patcher(&p, base));
    t.eq("PatchesPatcher(patchList, file)", got, Ok(want.to_string()));
}

/// `TestPatchesPatherTemplating`: a patch file rendered as a Go template against the
/// config it patches (`templating{0,1,2}`: a hostname in a strategic patch, in a new
/// document's name, and `if`/`range` over the machine type and service subnets).
fn templating(t: &mut Tally) {
    t.test("TestPatchesPatherTemplating");
    let cases = [
        (
            "templating0",
            include_str!("testdata/templating0_base.yaml"),
            include_str!("testdata/templating0_input.yaml"),
            include_str!("testdata/templating0_expected.yaml"),
        ),
        (
            "templating1",
            include_str!("testdata/templating1_base.yaml"),
            include_str!("testdata/templating1_input.yaml"),
            include_str!("testdata/templating1_expected.yaml"),
        ),
        (
            "templating2",
            include_str!("testdata/templating2_base.yaml"),
            include_str!("testdata/templating2_input.yaml"),
            include_str!("testdata/templating2_expected.yaml"),
        ),
    ];
    for (name, base, input, expected) in cases {
        let file = format!("{name}_input.yaml");
        let got = read_patches(
            &[&format!("@./{file}")],
            &[(&file, input.to_string())],
            &Env::default(),
        )
        .and_then(|p| patches_patcher(&p, base));
        t.eq(name, got, Ok(expected.to_string()));
    }
}
