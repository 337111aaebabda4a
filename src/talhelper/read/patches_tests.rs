//! Patch entries as talhelper and Talos read them: templates, file names without `@`.

use crate::model::{Patch, PatchTarget};
use crate::talhelper::Env;
use crate::yaml::{EmitOptions, Yaml, emit_documents, parse_documents};

const HEAD: &str = "clusterName: lab\ntalosVersion: v1.12.0\nkubernetesVersion: v1.35.0\nendpoint: https://10.0.0.10:6443\nnodes:\n  - hostname: cp-1\n    ipAddress: 10.0.0.11\n    controlPlane: true\n    installDisk: /dev/sda\n";

fn read(files: &[(&str, &str)], tail: &str, env: &Env) -> Result<Vec<Patch>, String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let path = dir.path().join("talconfig.yaml");
    crate::talhelper::read_talconfig(&path, &format!("{HEAD}{tail}"), env)
        .map(|t| t.cluster.patches)
        .map_err(|(_, d)| {
            d.iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("\n")
        })
}

fn docs(text: &str) -> Vec<Yaml> {
    parse_documents(text)
        .unwrap()
        .into_iter()
        .map(|d| d.value)
        .collect()
}

/// The patched config's `machine` section.
fn apply(patches: &[Patch], base: &str) -> Result<String, String> {
    let refs: Vec<&Patch> = patches.iter().collect();
    crate::talos::generate::apply_patches(docs(base), &refs)
        .map(|d| {
            let machine = d[0].get("machine").cloned().unwrap_or(Yaml::Null);
            emit_documents(&[machine], &EmitOptions { indent: 2 })
        })
        .map_err(|(i, e)| format!("patch {i}: {e}"))
}

const BASE: &str =
    "version: v1alpha1\nmachine:\n  type: controlplane\n  network:\n    hostname: before\n";

/// `patches/a.yaml` (no `@`, space or newline) is a file for Talos' `LoadPatches`, read
/// as is: no envsubst (`${X}` and `$$` stay), no template.
#[test]
fn an_entry_without_at_is_a_file_read_as_is() {
    let file = "machine:\n  network:\n    hostname: \"${X}-$$-{{ .MachineConfig.MachineType }}\"\n";
    let p = read(
        &[("patches/a.yaml", file)],
        "patches:\n  - patches/a.yaml\n",
        &Env::default(),
    )
    .unwrap();
    assert_eq!(p[0].name, "a");
    assert!(p[0].template.is_none());
    assert_eq!(
        apply(&p, BASE).unwrap(),
        "type: controlplane\ntoken: \"\"\ncertSANs: []\nnetwork:\n  hostname: ${X}-$$-{{ .MachineConfig.MachineType }}\n"
    );
    let err = read(&[], "patches:\n  - patches/missing.yaml\n", &Env::default()).unwrap_err();
    assert!(err.starts_with("cannot read patch `"), "{err}");
    assert!(err.contains("is a file name for Talos"), "{err}");
}

/// Inline patches are templates too (no envsubst of their result); a one-word entry that
/// starts with `{` or `[` is inline, not a file name.
#[test]
fn inline_patches_are_templates() {
    let tail = "patches:\n  - |\n    machine:\n      network:\n        hostname: \"{{ .MachineConfig.MachineType }}-x\"\n  - '[{\"op\":\"add\",\"path\":\"/machine/env\",\"value\":{\"A\":\"b\"}}]'\n";
    let p = read(&[], tail, &Env::default()).unwrap();
    // The JSON's `}}` makes it a template too (talhelper renders every inline patch): text
    // without actions renders as itself.
    assert!(p[0].template.is_some() && p[1].template.is_some());
    assert_eq!(
        apply(&p, BASE).unwrap(),
        "type: controlplane\ntoken: \"\"\ncertSANs: []\nnetwork:\n  hostname: controlplane-x\nenv:\n  A: b\n"
    );
}

/// talhelper's two `PatchesPatcher` calls: node (and role) patches render against the
/// generated config, global patches against the config after the node patches.
#[test]
fn templates_see_the_config_before_their_call() {
    let set = |h: &str| format!("machine:\n  network:\n    hostname: {h}\n");
    let read_host = "machine:\n  install:\n    extraKernelArgs:\n      - \"seen={{ .MachineConfig.MachineNetwork.NetworkHostname }}\"\n";
    let files = [
        ("set.yaml", set("node").leak() as &str),
        ("read.yaml", read_host),
    ];
    let tail = "patches:\n  - '@./read.yaml'\ncontrolPlane:\n  patches:\n    - '@./set.yaml'\n    - '@./read.yaml'\n";
    let p = read(&files, tail, &Env::default()).unwrap();
    let cp = |t: &PatchTarget| *t == PatchTarget::ControlPlanes;
    let ordered: Vec<Patch> = p
        .iter()
        .filter(|q| cp(&q.target))
        .chain(p.iter().filter(|q| !cp(&q.target)))
        .cloned()
        .collect();
    let out = apply(&ordered, BASE).unwrap();
    // The node call saw `before` (its own `set` comes earlier in the same call); the global
    // call saw `node`.
    assert!(
        out.contains("extraKernelArgs:\n    - seen=before\n    - seen=node\n"),
        "{out}"
    );
}

/// A template that fails is the patch's error; a rendered file is substituted afterwards.
#[test]
fn file_templates_render_then_substitute() {
    let files = [
        (
            "ok.yaml",
            "machine:\n  network:\n    hostname: \"{{ $t := .MachineConfig.MachineType }}{{ $t }}-${SUFFIX}\"\n",
        ),
        (
            "bad.yaml",
            "machine:\n  network:\n    hostname: \"{{ .Nope }}\"\n",
        ),
    ];
    let env = Env::from_pairs([("SUFFIX".into(), "s".into())]);
    let p = read(&files, "patches:\n  - '@./ok.yaml'\n", &env).unwrap();
    assert_eq!(
        apply(&p, BASE).unwrap(),
        "type: controlplane\ntoken: \"\"\ncertSANs: []\nnetwork:\n  hostname: controlplane-s\n"
    );
    let p = read(&files, "patches:\n  - '@./bad.yaml'\n", &env).unwrap();
    let err = apply(&p, BASE).unwrap_err();
    assert!(
        err.starts_with("patch 0: the Go template in patch `./bad.yaml` fails:"),
        "{err}"
    );
    // Unset after rendering: talhelper's envsubst error.
    let p = read(&files, "patches:\n  - '@./ok.yaml'\n", &Env::default()).unwrap();
    let err = apply(&p, BASE).unwrap_err();
    assert!(err.contains("variable ${SUFFIX} not set"), "{err}");
}
