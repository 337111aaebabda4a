//! Benchmarks for the numbers in the issues: `run` on the infra cluster and on a generated
//! 6000-node script. Run with `cargo bench --bench pipeline` (release build); prints the
//! median and best of several runs.

mod common;
use common::{big_script, report, time};

use std::path::{Path, PathBuf};
use talforge::fs;
use talforge::pipeline::{self, RunOptions};

fn run_once(script: &Path, out: &Path) {
    let plan = pipeline::plan(
        script,
        &RunOptions {
            out: Some(out.to_path_buf()),
            ..RunOptions::default()
        },
    )
    .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    for f in &plan.files {
        if fs::change_of(f).unwrap() != fs::Change::Unchanged {
            fs::write_atomic(&f.path, f.content.as_bytes(), f.mode).unwrap();
        }
    }
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let infra = repo.join("clusters/infra.rhai");
    // First run writes, the rest compare and find nothing to do, like a re-run in CI.
    report(
        "run clusters/infra.rhai (fresh dir: new secrets bundle, RSA-4096)",
        time(5, || {
            let d = tempfile::tempdir().unwrap();
            run_once(&infra, d.path());
        }),
        "-",
    );
    run_once(&infra, tmp.path());
    report(
        "run clusters/infra.rhai (no change)",
        time(20, || run_once(&infra, tmp.path())),
        "< 20 ms",
    );
    let big = tmp.path().join("big.rhai");
    std::fs::write(&big, big_script(6000, "", "")).unwrap();
    let out = tmp.path().join("big-out");
    report(
        "run 6000-node script (first run)",
        time(1, || run_once(&big, &out)),
        "< 1 s",
    );
    report(
        "run 6000-node script (no change)",
        time(5, || run_once(&big, &out)),
        "< 1 s",
    );
    report(
        "evaluate 6000-node script only",
        time(5, || {
            talforge::script::evaluate_file(&big, &Default::default()).unwrap();
        }),
        "-",
    );
}
