//! REPL response time on a generated 6000-node script: the script is loaded once, then
//! `:nodes` and `:show` are timed from input to output text (target: under 50 ms each).
//! Run with `cargo bench --bench repl`; prints the median and best of several runs.

use std::time::{Duration, Instant};
use talforge::repl::Session;
use talforge::script::Limits;

/// A one-cluster script with `n` nodes (3 control planes, the rest workers) on one /16,
/// the same shape as the 6000-node script of `benches/pipeline.rs`.
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

fn report(name: &str, (median, best): (Duration, Duration), target: &str) {
    println!(
        "{name:<44} median {:>9.2} ms   best {:>9.2} ms   target {target}",
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );
}

fn run(session: &mut Session, input: &str) -> usize {
    let out = session.execute(input);
    assert!(!out.failed(), "{input}: {:?}", out.diagnostics);
    out.text.len()
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.rhai");
    std::fs::write(&big, big_script(6000)).unwrap();
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
