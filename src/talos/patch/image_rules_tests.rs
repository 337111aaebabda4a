//! ImageVerificationConfig rules merged as Talos v1.13's `ImageVerificationRules.Merge` does.

use super::*;
use crate::model::{PatchSource, PatchTarget};
use crate::yaml::{EmitOptions, emit_documents, parse_documents};
use std::path::PathBuf;

fn docs(text: &str) -> Vec<Yaml> {
    parse_documents(text)
        .expect("test YAML parses")
        .into_iter()
        .map(|d| d.value)
        .collect()
}

fn run(config: &str, patch: &str) -> String {
    let p = Patch {
        name: "test".into(),
        target: PatchTarget::All,
        documents: docs(patch),
        text: Some(patch.to_string()),
        source: PatchSource::File(PathBuf::from("patches/test.yaml")),
        span: None,
        template: None,
    };
    let out = apply(docs(config), &p).unwrap_or_else(|e| panic!("{e}"));
    emit_documents(&out, &EmitOptions::default())
}

/// `text` as Talos marshals it (the emitter's indentation).
fn marshalled(text: &str) -> String {
    emit_documents(&docs(text), &EmitOptions::default())
}

const BASE: &str = "apiVersion: v1alpha1
kind: ImageVerificationConfig
rules:
  - image: registry.k8s.io/*
    skip: true
  - image: ghcr.io/siderolabs/*
    keyless:
      issuer: https://accounts.google.com
      subject: a@example.com
";

#[test]
fn a_rule_replaces_the_rule_of_its_pattern_and_new_patterns_append() {
    let patch = "apiVersion: v1alpha1
kind: ImageVerificationConfig
rules:
  - image: ghcr.io/siderolabs/*
    deny: true
  - image: docker.io/*
    skip: true
  - image: docker.io/*
    deny: true
";
    // The ghcr.io rule is replaced whole (its keyless verifier is gone), not merged; both
    // docker.io rules are appended (appended rules are not matched again).
    let want = "apiVersion: v1alpha1
kind: ImageVerificationConfig
rules:
  - image: registry.k8s.io/*
    skip: true
  - image: ghcr.io/siderolabs/*
    deny: true
  - image: docker.io/*
    skip: true
  - image: docker.io/*
    deny: true
";
    assert_eq!(run(BASE, patch), marshalled(want));
}

#[test]
fn a_config_without_rules_takes_the_patch_rules() {
    let base = "apiVersion: v1alpha1\nkind: ImageVerificationConfig\n";
    let patch = "apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules:\n  - image: a/*\n    skip: true\n";
    assert_eq!(run(base, patch), marshalled(patch));
}
