//! Table tests modelled on upstream `configpatcher` / `merge` test cases (Talos v1.12.0).

use super::*;
use crate::diag::Sources;
use crate::model::{PatchSource, PatchTarget};
use crate::yaml::{EmitOptions, PathSeg, emit_documents, parse_documents};
use std::path::PathBuf;

fn docs(text: &str) -> Vec<Yaml> {
    parse_documents(text)
        .expect("test YAML parses")
        .into_iter()
        .map(|d| d.value)
        .collect()
}

fn patch(text: &str) -> Patch {
    Patch {
        name: "test".into(),
        target: PatchTarget::All,
        documents: docs(text),
        text: Some(text.to_string()),
        source: PatchSource::File(PathBuf::from("patches/test.yaml")),
        span: None,
        template: None,
    }
}

/// Applies patches in order; the error carries the index of the failing patch (the
/// renderer's `generate::apply_patches` does the same and renders templated patches too).
fn apply_all(docs: Vec<Yaml>, patches: &[&Patch]) -> Result<Vec<Yaml>, (usize, PatchError)> {
    patches
        .iter()
        .enumerate()
        .try_fold(docs, |docs, (i, p)| apply(docs, p).map_err(|e| (i, e)))
}

fn emit(d: &[Yaml]) -> String {
    emit_documents(d, &EmitOptions::default())
}

fn run(config: &str, patches: &[&str]) -> Vec<Yaml> {
    let ps: Vec<Patch> = patches.iter().map(|p| patch(p)).collect();
    let refs: Vec<&Patch> = ps.iter().collect();
    apply_all(docs(config), &refs).unwrap_or_else(|(i, e)| panic!("patch {i}: {e}"))
}

/// Applies `patches` in order to `config` and compares with `expected` as Talos would
/// marshal it (so the expectation can leave out `type: ""` and friends).
fn case(config: &str, patches: &[&str], expected: &str) {
    let mut want = docs(expected);
    want.iter_mut().for_each(reorder);
    assert_eq!(emit(&run(config, patches)), emit(&want));
}

/// Like [`case`], but the expected text is compared byte for byte (key order included).
fn exact(config: &str, patches: &[&str], expected: &str) {
    assert_eq!(emit(&run(config, patches)), expected);
}

fn fails(config: &str, p: &str) -> PatchError {
    apply(docs(config), &patch(p)).expect_err("patch should fail")
}

const LEGACY_NET: &str = "version: v1alpha1
machine:
  network:
    hostname: hostname1
    interfaces:
      - interface: eth0
        dhcp: true
";

const MULTIDOC: &str = "version: v1alpha1
machine:
  network:
    hostname: hostname1
    interfaces:
      - interface: eth0
        dhcp: true
      - interface: eth1
        addresses: [10.3.5.4/32]
---
apiVersion: v1alpha1
kind: SideroLinkConfig
apiUrl: https://siderolink.api/join?jointoken=secret&user=alice
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: foo
configFiles:
  - content: hello
    mountPath: /etc/foo
environment:
  - FOO=BAR
";

mod documents;
mod errors;
mod json6902;
mod merge;
mod never_panics;
mod order;
