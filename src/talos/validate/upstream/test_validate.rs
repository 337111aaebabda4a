//! `v1alpha1_validation_test.go` `TestValidate`, whole, as `scripts/talos-test-tables.py`
//! extracts it from a Talos tag: each case's Go `v1alpha1.Config` literal as its YAML document
//! (JSON), `requiresInstall`, `strict` and Talos' exact error text and warnings.

use super::super::{Mode, multierror, v1alpha1};
use crate::yaml::{Yaml, parse_documents};

/// TestValidate of Talos v1.12.0.
pub(super) const V1_12_0: &str = include_str!("testdata/v1alpha1-TestValidate-v1.12.0.json");

/// TestValidate of Talos v1.13.9.
pub(super) const V1_13_9: &str = include_str!("testdata/v1alpha1-TestValidate-v1.13.9.json");

/// TestValidate of Talos v1.14.0-rc.1.
pub(super) const V1_14_0_RC_1: &str =
    include_str!("testdata/v1alpha1-TestValidate-v1.14.0-rc.1.json");

fn text<'a>(case: &'a Yaml, key: &str) -> &'a str {
    case.get(key).and_then(Yaml::as_str).unwrap_or("")
}

fn flag(case: &Yaml, key: &str) -> bool {
    case.get(key).and_then(Yaml::as_bool).unwrap_or(false)
}

/// Runs every case of a table with the rules of Talos v1.`minor`: (cases run, failures).
pub(super) fn check(table: &str, minor: u32) -> (usize, Vec<String>) {
    let docs = parse_documents(table).expect("table parses");
    let cases = docs[0].value.as_seq().expect("a list of cases");
    let mut failed = Vec::new();
    for case in cases {
        let name = text(case, "name");
        let config = case.get("config").cloned().unwrap_or(Yaml::Null);
        let mode = if flag(case, "requiresInstall") {
            Mode::Metal
        } else {
            Mode::Cloud
        };
        let (warnings, errors) = v1alpha1::validate(&config, mode, flag(case, "strict"), minor);
        let got = if errors.is_empty() {
            String::new()
        } else {
            multierror(&errors)
        };
        let want_warnings: Vec<&str> = case
            .get("expectedWarnings")
            .and_then(Yaml::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Yaml::as_str)
            .collect();
        // The Go test's `runtimeMode` prints as `runtimeMode(true)` where talosctl's mode
        // prints its name; `requiresInstall` is metal mode.
        let want = text(case, "expectedError").replace("\"runtimeMode(true)\"", "\"metal\"");
        if got != want || warnings != want_warnings {
            failed.push(format!(
                "TestValidate/{name} (v1.{minor}):\n  want {want:?} {want_warnings:?}\n  got  {got:?} {warnings:?}"
            ));
        }
    }
    (cases.len(), failed)
}

#[test]
fn test_validate_v1_12_0() {
    let (n, failed) = check(V1_12_0, 12);
    assert!(n >= 61, "{n} cases");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn test_validate_v1_13_9() {
    let (n, failed) = check(V1_13_9, 13);
    assert!(n >= 64, "{n} cases");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn test_validate_v1_14_0_rc_1() {
    let (n, failed) = check(V1_14_0_RC_1, 14);
    assert!(n >= 64, "{n} cases");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
