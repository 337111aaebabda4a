//! Talos v1.13.9's `pkg/machinery/config/container/container_test.go`: `container.New`'s
//! duplicate and conflict errors (on decoded documents, as the Go test builds them) and the
//! whole-config `Validate` (`TestValidate`, `TestCrossValidateEncryption`, each case's
//! documents as YAML through `talforge validate`'s own path; cloud mode is the tests'
//! `validationMode{}`: no install, not in a container); and
//! `configloader/internal/decoder/decoder_test.go` `TestDecoder`'s cases on real kinds.

use super::super::decode::Doc;
use super::super::{Mode, conflicts, validate_text_for};
use crate::yaml::{Yaml, parse_documents};

const SIDEROLINK: &str = "apiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: 'https://siderolink.api/?jointoken=secret&user=alice'";
const SIDEROLINK_INVALID: &str = "apiVersion: v1alpha1\nkind: SideroLinkConfig";
const V1ALPHA1: &str = "version: v1alpha1\nmachine: {type: worker, ca: {crt: Y2VydA==}}\ncluster: {controlPlane: {endpoint: 'https://localhost:6443'}}";
/// `&v1alpha1.Config{}`: a v1alpha1 document with nothing in it (`debug` makes it one).
const V1ALPHA1_INVALID: &str = "version: v1alpha1\ndebug: false";
const V1ALPHA1_ENCRYPTED: &str = "version: v1alpha1\nmachine: {type: worker, ca: {crt: Y2VydA==}, systemDiskEncryption: {ephemeral: {keys: [{slot: 1, static: {passphrase: static-key}}]}}}\ncluster: {controlPlane: {endpoint: 'https://localhost:6443'}}";
const EPHEMERAL: &str = "apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL";
const EPHEMERAL_ENCRYPTED: &str = "apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nencryption: {provider: luks2, keys: [{slot: 2, static: {passphrase: encrypted-static-key}}]}";
const STATE_ENCRYPTED: &str = "apiVersion: v1alpha1\nkind: VolumeConfig\nname: STATE\nencryption: {provider: luks2, keys: [{slot: 3, tpm: {}}]}";
const USER_VOLUME_1: &str = "apiVersion: v1alpha1\nkind: UserVolumeConfig\nname: my-user-volume-1";
const USER_VOLUME_2: &str = "apiVersion: v1alpha1\nkind: UserVolumeConfig\nname: my-user-volume-2";
const EXISTING_VOLUME_1: &str =
    "apiVersion: v1alpha1\nkind: ExistingVolumeConfig\nname: my-user-volume-1";
const EXISTING_VOLUME_2: &str =
    "apiVersion: v1alpha1\nkind: ExistingVolumeConfig\nname: my-user-volume-2";

/// (test/case, documents, what `New` fails with, else what `Validate` returns: "" is valid;
/// `None`: upstream only asserts that `New` succeeds).
type ContainerCase = (
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    Option<&'static str>,
);

const CASES: &[ContainerCase] = &[
    (
        "TestNewDuplicate/v1alpha1",
        &[V1ALPHA1_INVALID, SIDEROLINK_INVALID, V1ALPHA1_INVALID],
        Some("duplicate v1alpha1.Config"),
        None,
    ),
    (
        "TestNewDuplicate/SideroLinkConfig",
        &[SIDEROLINK_INVALID, SIDEROLINK_INVALID],
        Some("duplicate document: SideroLinkConfig/"),
        None,
    ),
    (
        "TestNewConflict/user first",
        &[
            V1ALPHA1_INVALID,
            USER_VOLUME_1,
            USER_VOLUME_2,
            EXISTING_VOLUME_1,
        ],
        Some(
            "conflicting documents: UserVolumeConfig/my-user-volume-1 and ExistingVolumeConfig/my-user-volume-1",
        ),
        None,
    ),
    (
        "TestNewConflict/no conflict",
        &[USER_VOLUME_1, USER_VOLUME_2],
        None,
        None,
    ),
    (
        "TestNewConflict/existing first",
        &[
            EXISTING_VOLUME_2,
            EXISTING_VOLUME_1,
            USER_VOLUME_1,
            USER_VOLUME_2,
        ],
        Some(
            "conflicting documents: ExistingVolumeConfig/my-user-volume-1 and UserVolumeConfig/my-user-volume-1",
        ),
        None,
    ),
    ("TestValidate/empty", &[], None, Some("")),
    (
        "TestValidate/multi-doc",
        &[SIDEROLINK, V1ALPHA1],
        None,
        Some(""),
    ),
    (
        "TestValidate/only siderolink",
        &[SIDEROLINK],
        None,
        Some(""),
    ),
    ("TestValidate/only v1alpha1", &[V1ALPHA1], None, Some("")),
    (
        "TestValidate/invalid siderolink",
        &[SIDEROLINK_INVALID],
        None,
        Some("1 error occurred:\n\t* SideroLinkConfig: apiUrl is required\n\n"),
    ),
    (
        "TestValidate/invalid v1alpha1",
        &[V1ALPHA1_INVALID],
        None,
        Some(
            "1 error occurred:\n\t* v1alpha1.Config: 1 error occurred:\n\t* machine instructions are required\n\n\n\n",
        ),
    ),
    (
        "TestValidate/invalid multi-doc",
        &[SIDEROLINK_INVALID, V1ALPHA1_INVALID],
        None,
        Some(
            "2 errors occurred:\n\t* v1alpha1.Config: 1 error occurred:\n\t* machine instructions are required\n\n\n\t* SideroLinkConfig: apiUrl is required\n\n",
        ),
    ),
    (
        "TestCrossValidateEncryption/only v1alpha1",
        &[V1ALPHA1_ENCRYPTED],
        None,
        Some(""),
    ),
    (
        "TestCrossValidateEncryption/v1alpha1 with no-conflict volumes",
        &[V1ALPHA1_ENCRYPTED, EPHEMERAL, STATE_ENCRYPTED],
        None,
        Some(""),
    ),
    (
        "TestCrossValidateEncryption/v1alpha1 with no-conflict volumes (state)",
        &[V1ALPHA1_ENCRYPTED, STATE_ENCRYPTED],
        None,
        Some(""),
    ),
    (
        "TestCrossValidateEncryption/no v1alpha1",
        &[EPHEMERAL_ENCRYPTED, STATE_ENCRYPTED],
        None,
        Some(""),
    ),
    (
        "TestCrossValidateEncryption/conflict on ephemeral encryption",
        &[V1ALPHA1_ENCRYPTED, EPHEMERAL_ENCRYPTED],
        None,
        Some(
            "1 error occurred:\n\t* system disk encryption for \"EPHEMERAL\" is configured in both v1alpha1.Config and VolumeConfig\n\n",
        ),
    ),
];

/// `container.New` on the decoded documents: its error, or "".
fn container_new(texts: &[&str]) -> String {
    let values: Vec<Yaml> = texts
        .iter()
        .map(|t| parse_documents(t).expect("case YAML").remove(0).value)
        .collect();
    let docs: Vec<Doc> = values
        .iter()
        .map(|value| {
            let kind = value
                .get("kind")
                .and_then(Yaml::as_str)
                .unwrap_or_default()
                .to_string();
            let name = value.get("name").and_then(Yaml::as_str).map(str::to_string);
            Doc { kind, name, value }
        })
        .collect();
    conflicts::check(&docs)
        .err()
        .map(|e| e.0)
        .unwrap_or_default()
}

/// `TestDecoder` cases whose kinds are Talos' own (upstream registers mock kinds for the
/// rest): (name, source, error).
const DECODER: &[(&str, &str, &str)] = &[
    (
        "missing kind",
        "---\napiVersion: v1alpha2\ntest: true\n",
        "error decoding document v1alpha2/v1alpha1/ (line 2): missing kind",
    ),
    (
        "empty kind",
        "---\nkind:\napiVersion: v1alpha2\ntest: true\n",
        "error decoding document v1alpha2/v1alpha1/ (line 2): missing kind",
    ),
    (
        "misspelled apiVersion",
        "---\napiversion: v1alpha1\nkind: ExtensionServiceConfig\nconfig:\n    - name: nut-client\n      configFiles:\n          - content: MONITOR ${upsmonHost} 1 remote pass foo\n            mountPath: /usr/local/etc/nut/upsmon.conf\n",
        "error decoding document /ExtensionServiceConfig/ (line 2): missing apiVersion",
    ),
    (
        "missing apiVersion",
        "---\nkind: mock\ntest: true\n",
        "error decoding document /mock/ (line 2): missing apiVersion",
    ),
];

/// Runs `TestDecoder`'s cases: (cases run, failures).
pub(super) fn check_decoder() -> (usize, Vec<String>) {
    let mut failed = Vec::new();
    for (name, source, want) in DECODER {
        let got = validate_text_for(source, Mode::Cloud, false, Some(13)).decode_error;
        if got.as_deref() != Some(*want) {
            failed.push(format!("TestDecoder/{name}: want {want:?} got {got:?}"));
        }
    }
    (DECODER.len(), failed)
}

/// Runs every case: (cases of `test` run, failures).
pub(super) fn check(test: &str) -> (usize, Vec<String>) {
    let mut failed = Vec::new();
    let mut n = 0;
    for (name, docs, new_error, validate_error) in CASES {
        if name.split('/').next() != Some(test) {
            continue;
        }
        n += 1;
        let new = container_new(docs);
        if new != new_error.unwrap_or_default() {
            failed.push(format!("{name}: container.New: {new:?}"));
            continue;
        }
        if docs.is_empty() {
            // No document has no YAML (an empty file is "config not found" before the
            // container): the container's own checks on nothing.
            let errors = super::super::container::validate(&[], Mode::Cloud);
            if !errors.is_empty() || validate_error != &Some("") {
                failed.push(format!("{name}: got {errors:?}"));
            }
            continue;
        }
        if let Some(want) = validate_error {
            let out = validate_text_for(&docs.join("\n---\n"), Mode::Cloud, false, Some(13));
            let got = out.error_text().unwrap_or_default();
            if got != *want || !out.warnings.is_empty() {
                failed.push(format!("{name}: got {out:?}"));
            }
        }
    }
    (n, failed)
}

#[test]
fn container_tests() {
    for test in [
        "TestNewDuplicate",
        "TestNewConflict",
        "TestValidate",
        "TestCrossValidateEncryption",
    ] {
        let (n, failed) = check(test);
        assert!(n > 0, "{test}");
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }
    let (_, failed) = check_decoder();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
