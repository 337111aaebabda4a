//! Shared by the benchmarks: the generated 6000-node script and the timing helpers.

#![allow(dead_code)] // each bench uses a part

pub(crate) mod child;

use std::time::{Duration, Instant};

/// A one-cluster script with `n` nodes (3 control planes, the rest workers) on one /16, an
/// LACP bond with a VIP, Cilium, and `extra` appended (patches, imports' uses).
pub(crate) fn big_script(n: usize, prelude: &str, extra: &str) -> String {
    format!(
        r#"{prelude}
let net = cidr("10.20.0.0/16");
let c = cluster("big", #{{ endpoint: `https://${{net.host(10)}}:6443`,
    pod_nets: ["10.42.0.0/16"], service_nets: ["10.43.0.0/16"] }});
c.bond("bond0", ["enp0s1", "enp0s2"], #{{ mode: "802.3ad", lacp_rate: "fast", mtu: 9000, dhcp: true }});
c.vip(net.host(10));
c.cilium_ready(#{{ id: 7 }});
{extra}
for i in 1..={n} {{
    let cp = i <= 3;
    let name = if cp {{ `big-cp-${{i}}` }} else {{ `big-wk-${{i - 3}}` }};
    c.node(name, net.host(100 + i), #{{ control_plane: cp, install_disk: "/dev/nvme0n1",
        labels: #{{ "topology.kubernetes.io/zone": `rack-${{i / 60}}` }} }});
}}
"#
    )
}

/// Median and best of `runs` timings of `f`.
pub(crate) fn time<F: FnMut()>(runs: usize, mut f: F) -> (Duration, Duration) {
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

/// Prints one result line.
pub(crate) fn report(name: &str, (median, best): (Duration, Duration), target: &str) {
    println!(
        "{name:<44} median {:>9.2} ms   best {:>9.2} ms   target {target}",
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );
}
