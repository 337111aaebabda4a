//! Talos' own `Validate` test tables (`types/*/*_test.go`), ported as facts: each case's
//! document (as YAML; flow style where Go built the struct field by field) and Talos'
//! exact error text and warnings. One test per document kind.

mod block;
mod container;
mod container_v13;
mod count;
mod count_v1_14;
mod cri;
mod k8s;
mod network;
mod runtime;
mod test_validate;
mod v1alpha1;

use super::document;
use crate::yaml::parse_documents;

/// One upstream case: the document, the joined error text (`""`: valid) and warnings.
pub(super) struct Case {
    pub name: &'static str,
    pub doc: &'static str,
    pub errors: &'static str,
    pub warnings: &'static [&'static str],
}

/// A case without warnings.
pub(super) const fn case(name: &'static str, doc: &'static str, errors: &'static str) -> Case {
    Case {
        name,
        doc,
        errors,
        warnings: &[],
    }
}

/// Runs a table for one kind and fails with every case that differs (not just the first).
pub(super) fn run(kind: &str, cases: &[Case]) {
    run_for(kind, 13, cases);
}

/// Runs a table with the rules of Talos v1.`minor`.
pub(super) fn run_for(kind: &str, minor: u32, cases: &[Case]) {
    let failed = check_for(kind, minor, cases);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Every case of a table that differs from Talos, as a message.
pub(super) fn check_for(kind: &str, minor: u32, cases: &[Case]) -> Vec<String> {
    let mut failed = Vec::new();
    for c in cases {
        let docs = parse_documents(c.doc).unwrap_or_else(|e| panic!("{}: {e:?}", c.name));
        let value = &docs[0].value;
        let found = document(kind, value, minor);
        let errors = found.errors.join("\n");
        let warnings: Vec<&str> = found.warnings.iter().map(String::as_str).collect();
        if errors != c.errors || warnings != c.warnings {
            failed.push(format!(
                "{kind} {:?}:\n  want errors {:?} warnings {:?}\n  got  errors {errors:?} warnings {warnings:?}",
                c.name, c.errors, c.warnings
            ));
        }
    }
    failed
}

/// A `V1Alpha1ConflictValidate` case: (name, document, v1alpha1 document, error or "").
pub(super) type Conflict = (&'static str, &'static str, &'static str, &'static str);

/// Runs a table of conflict checks between a document and a legacy v1alpha1 document.
pub(super) fn run_conflicts(kind: &str, cases: &[Conflict]) {
    let failed = check_conflicts(kind, cases);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Every conflict case that differs from Talos, as a message.
pub(super) fn check_conflicts(kind: &str, cases: &[Conflict]) -> Vec<String> {
    let parse = |t: &str| parse_documents(t).expect("case YAML").remove(0).value;
    let mut failed = Vec::new();
    for (name, doc, legacy, want) in cases {
        let d = super::decode::Doc {
            kind: kind.to_string(),
            name: None,
            value: &parse(doc),
        };
        let legacy = parse(legacy);
        let got = super::network::conflict_validate(&d, &legacy)
            .or_else(|| super::k8s::conflict(kind, d.value, &legacy))
            .unwrap_or_default();
        if got != *want {
            failed.push(format!("{kind} {name:?}: want {want:?} got {got:?}"));
        }
    }
    failed
}
