//! REPL response time on a generated 6000-node script: the script is loaded once, then
//! `:nodes` and `:show` are timed from input to output text (target: under 50 ms each).
//! Run with `cargo bench --bench repl`; prints the median and best of several runs.

mod common;
use common::{big_script, report, time};
use std::time::Instant;

use talforge::repl::Session;
use talforge::script::Limits;

fn run(session: &mut Session, input: &str) -> usize {
    let out = session.execute(input);
    assert!(!out.failed(), "{input}: {:?}", out.diagnostics);
    out.text.len()
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.rhai");
    std::fs::write(&big, big_script(6000, "", "")).unwrap();
    let mut session = Session::new(Limits::default());
    let t = Instant::now();
    let out = session.load(&big);
    assert!(!out.failed(), "{:?}", out.diagnostics);
    println!(
        "{:<44} {:>16.2} ms",
        "load 6000-node script (once)",
        t.elapsed().as_secs_f64() * 1e3
    );
    report(
        ":nodes (6000 rows)",
        time(20, || {
            run(&mut session, ":nodes");
        }),
        "< 50 ms",
    );
    report(
        ":show big-wk-2999",
        time(20, || {
            run(&mut session, ":show big-wk-2999");
        }),
        "< 50 ms",
    );
    report(
        ":show big-wk-5997 machine.network",
        time(20, || {
            run(&mut session, ":show big-wk-5997 machine.network");
        }),
        "< 50 ms",
    );
    // A statement invalidates the model: the next command re-finishes 6000 nodes.
    report(
        "statement, then :show (model rebuilt)",
        time(10, || {
            run(&mut session, "let x = 1;");
            run(&mut session, ":show big-cp-1");
        }),
        "-",
    );
}
