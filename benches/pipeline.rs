//! Benchmarks for the numbers in the issues: `run` on the infra cluster and on a generated
//! 6000-node script. Run with `cargo bench --bench pipeline` (release build); prints the
//! median and best of several runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use talforge::pipeline::{self, RunOptions};
use talforge::write;

/// A one-cluster script with `n` nodes (3 control planes, the rest workers) on one /16.
fn big_script(n: usize) -> String {
    format!(
        r#"
let net = cidr("10.20.0.0/16");
let c = cluster("big", #{{ endpoint: `https://${{net.host(10)}}:6443`,
    pod_nets: ["10.42.0.0/16"], service_nets: ["10.43.0.0/16"] }});
c.bond("bond0", ["enp0s1", "enp0s2"], #{{ mode: "802.3ad", lacp_rate: "fast", mtu: 9000, dhcp: true }});
c.vip(net.host(10));
c.cilium_ready(#{{ id: 7 }});
for i in 1..={n} {{
    let cp = i <= 3;
    let name = if cp {{ `big-cp-${{i}}` }} else {{ `big-wk-${{i - 3}}` }};
    c.node(name, net.host(100 + i), #{{ control_plane: cp, install_disk: "/dev/nvme0n1",
        labels: #{{ "topology.kubernetes.io/zone": `rack-${{i / 60}}` }} }});
}}
"#
    )
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    (samples[samples.len() / 2], samples[0])
}

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
        if write::change_of(f).unwrap() != write::Change::Unchanged {
            write::write_atomic(&f.path, f.content.as_bytes(), f.mode).unwrap();
        }
    }
}

fn report(name: &str, (median, best): (Duration, Duration), target: &str) {
    println!(
        "{name:<44} median {:>9.2} ms   best {:>9.2} ms   target {target}",
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );
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
    std::fs::write(&big, big_script(6000)).unwrap();
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
