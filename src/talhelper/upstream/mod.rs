//! talhelper v3.1.16's own tests (`pkg/talos`, `pkg/config`, `pkg/patcher`, `pkg/substitute`), ported: its inputs and expected values as tables, run through our reader, checks and generator.
//!
//! One file per upstream test file (`talos/`, `config/`, `patcher/`, `substitute.rs`). Upstream calls its generator
//! functions on a decoded node; we run the whole `genconfig` (our reader, model checks and
//! [`render::node`](crate::pipeline::render::node)) on the same YAML with the cluster header
//! and `ipAddress` talhelper's validation requires, and look at the document the function's
//! result becomes (`GenerateBondConfig` → the `BondConfig` document, its Go fields → its
//! YAML fields).
//!
//! Counting rule: one assertion per upstream check, that is each `t.Errorf`/`t.Error` call,
//! each `compare(…)`/`compareMaps(…)` call (the helpers' own bodies are not counted again),
//! and each `t.Fatal`/`t.Fatalf` that tests a result (`expected 3 addresses, got …`), not a
//! setup step (`yaml.Unmarshal`, reading testdata, the call returning an error). A check
//! inside a loop over a table or over expected documents counts once per row. Checks of Go
//! mechanics that have no counterpart here are listed in [`NOT_PORTED`] and not counted.
//! `cargo test --lib talhelper::upstream -- --nocapture` prints every assertion and the
//! count; the test fails below [`FLOOR`], on a not-held assertion missing from [`NOT_HELD`],
//! or on a [`NOT_HELD`] row that holds.
//!
//! The "142" is every `t.Errorf(` call site of the four packages: [`sites`] maps each
//! one to the rows here that assert its expected values and counts the sites that hold.

mod config;
mod patcher;
mod sites;
mod substitute;
mod support;
mod talos;

use std::fmt::Debug;

/// Assertions that must hold (of the total the test prints).
const FLOOR: usize = 351;

/// Upstream assertions that do not hold, each with why (`Test: what` as [`Tally`] names them).
const NOT_HELD: &[(&str, &str)] = &[
    (
        "TestOnlineMode: online ID == offline ID",
        "POSTs to factory.talos.dev; talforge is offline by design (its IDs match the factory's in TestGetInstallerURL)",
    ),
    (
        "TestValidateFromByte: HasField(nodes[1].schematic) == true",
        "talhelper checks the schematic of a node it cannot use (no `hostname`, `ipAddress` or `installDisk`); talforge reports that node's other problems in the same run, but checks system extensions only on nodes it could read",
    ),
    (
        "TestIsSemVer: v1.2.3-4",
        "talforge's versions take only the alpha/beta/rc pre-releases Talos and Kubernetes tag",
    ),
    (
        "TestIsSemVer: 1.2.3-444",
        "talforge's versions take only the alpha/beta/rc pre-releases Talos and Kubernetes tag",
    ),
    (
        "TestIsSemVer: v12.3",
        "talforge reads `v1.12` as v1.12.0 (talhelper requires the patch number)",
    ),
];

/// Upstream checks not counted: Go mechanics with nothing to compare here.
pub(super) const NOT_PORTED: &[(&str, &str)] = &[
    (
        "TestCheckNodeLabels, TestCheckNodeAnnotations: `&providedErrors != resultErrors` (11 rows)",
        "Go pointer identity of the error list the checker returns; our checks return diagnostics",
    ),
    (
        "TestTemplateConfigField: the `map[string]map[string]string` destination errors",
        "Go generics: the destination map's type picks the conversion; talforge's labels and annotations are strings",
    ),
    (
        "TestGenerateVLANConfigBytesMultipleVLANs: `len(vlans) != 3`, TestGenerateBondConfig etc.: `len(m.Nodes) == 0`",
        "checks of the test's own YAML decoding (setup), not of talhelper's output",
    ),
];

/// One upstream assertion and whether it holds here.
struct Check {
    id: String,
    held: bool,
    got: String,
}

/// The assertions of every ported test, in run order.
#[derive(Default)]
pub(super) struct Tally {
    test: &'static str,
    checks: Vec<Check>,
    setup: Vec<String>,
}

impl Tally {
    /// Starts the checks of upstream test `name`.
    pub(super) fn test(&mut self, name: &'static str) -> &mut Self {
        self.test = name;
        self
    }

    /// Records an assertion: `what` upstream checks, whether it holds, what we produced.
    pub(super) fn that(&mut self, what: &str, held: bool, got: impl Debug) {
        self.checks.push(Check {
            id: format!("{}: {what}", self.test),
            held,
            got: format!("{got:?}"),
        });
    }

    /// Notes why a test's input did not render (printed, not counted: its checks fail).
    pub(super) fn setup<T>(&mut self, r: Result<T, String>) -> Option<T> {
        r.map_err(|e| self.setup.push(format!("{}: {e}", self.test)))
            .ok()
    }

    /// Records `got == want`.
    pub(super) fn eq<T: PartialEq + Debug>(&mut self, what: &str, got: T, want: T) {
        let held = got == want;
        self.that(what, held, got);
    }

    /// Records that `text` (a `Generate…Bytes` output) contains `needle`.
    pub(super) fn contains(&mut self, what: &str, text: Option<&str>, needle: &str) {
        let held = text.is_some_and(|t| t.contains(needle));
        self.that(what, held, text);
    }
}

/// Every ported assertion, run.
fn tally() -> Tally {
    let mut t = Tally::default();
    talos::run(&mut t);
    config::run(&mut t);
    patcher::run(&mut t);
    substitute::run(&mut t);
    t
}

#[test]
fn talhelper_upstream_assertions() {
    let t = tally();
    let held = t.checks.iter().filter(|c| c.held).count();
    for s in &t.setup {
        println!("SETUP {s}");
    }
    for c in &t.checks {
        let mark = if c.held { "ok  " } else { "FAIL" };
        println!("{mark} {} -> {}", c.id, c.got);
    }
    println!(
        "talhelper v3.1.16 upstream assertions: {held} of {} hold",
        t.checks.len()
    );
    let listed = |id: &str| NOT_HELD.iter().any(|(n, _)| *n == id);
    let unlisted: Vec<&str> = t
        .checks
        .iter()
        .filter(|c| !c.held && !listed(&c.id))
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        unlisted.is_empty(),
        "not held and not in NOT_HELD: {unlisted:#?}"
    );
    let stale: Vec<&str> = NOT_HELD
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !t.checks.iter().any(|c| c.id == *id && !c.held))
        .collect();
    assert!(
        stale.is_empty(),
        "NOT_HELD rows that hold or do not exist: {stale:#?}"
    );
    assert!(
        held >= FLOOR,
        "{held} upstream assertions hold, floor {FLOOR}"
    );
    println!("not counted: {}", NOT_PORTED.len());
}
