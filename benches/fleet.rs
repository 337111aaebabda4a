//! The fleet benchmark of issue 9: 100 clusters, 6000 nodes, end to end with encryption
//! through the real binary, on secrets bundles written beforehand; then a no-change re-run.
//! Reports wall time and the child's peak RSS. `cargo bench --bench fleet`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const CLUSTERS: usize = 100;
const NODES: usize = 60;

fn fleet_script(recipient: &str) -> String {
    format!(
        r#"
// {CLUSTERS} clusters of {NODES} nodes: a site table generated in a loop.
for s in 1..={CLUSTERS} {{
    let net = cidr(`10.${{s}}.0.0/16`);
    let c = cluster(`site-${{s}}`, #{{
        endpoint: `https://${{net.host(10)}}:6443`,
        pod_nets: [`172.${{16 + s / 8}}.${{(s % 8) * 32}}.0/19`],
        service_nets: ["10.250.0.0/16"],
        age: "{recipient}",
    }});
    c.bond("bond0", ["enp0s1", "enp0s2"], #{{ mode: "802.3ad", lacp_rate: "fast", mtu: 9000, dhcp: true }});
    c.vip(net.host(10));
    c.cilium_ready(#{{ id: s }});
    for i in 1..={NODES} {{
        let cp = i <= 3;
        c.node(`site-${{s}}-n${{i}}`, net.host(100 + i), #{{ control_plane: cp, install_disk: "/dev/sda" }});
    }}
}}
"#
    )
}

/// Runs the binary and returns (wall time, peak RSS in MB, stdout).
fn run(bin: &str, dir: &Path, key: &Path, args: &[&str]) -> (Duration, f64, String) {
    let t = Instant::now();
    let child = Command::new(bin)
        .current_dir(dir)
        .args(args)
        .env("SOPS_AGE_KEY_FILE", key)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // Read output in threads so the child never blocks on a full pipe.
    let mut child = child;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let e = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    // SAFETY: pid is our direct child, not yet reaped (we never call child.wait()).
    let r = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    let elapsed = t.elapsed();
    assert_eq!(r, pid);
    let stdout = o.join().unwrap();
    let stderr = e.join().unwrap();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{args:?} failed:\n{stderr}"
    );
    (elapsed, usage.ru_maxrss as f64 / 1024.0, stdout)
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_talforge");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join(".git")).unwrap();
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let key = dir.join("bench.agekey");
    {
        use age::secrecy::ExposeSecret;
        std::fs::write(&key, format!("{}\n", id.to_string().expose_secret())).unwrap();
    }
    std::fs::create_dir(dir.join("clusters")).unwrap();
    std::fs::write(dir.join("clusters/fleet.rhai"), fleet_script(&recipient)).unwrap();
    // Bundles beforehand: one generated bundle, encrypted into each cluster's talsecret.
    let t = Instant::now();
    let bundle = talforge::secrets::bundle::Bundle::generate(
        &talforge::model::Version::parse("v1.12.0").unwrap(),
    )
    .unwrap();
    for s in 1..=CLUSTERS {
        let p = dir.join(format!("clusters/site-{s}/talos/talsecret.sops.yaml"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let text = talforge::secrets::sops::encrypt(
            &bundle.to_yaml(),
            std::slice::from_ref(&recipient),
            &Default::default(),
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
        std::fs::write(p, text).unwrap();
    }
    println!(
        "setup: {CLUSTERS} encrypted bundles in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let (first, rss1, out1) = run(bin, dir, &key, &["run", "clusters/fleet.rhai"]);
    let written = out1.lines().filter(|l| l.starts_with("created")).count();
    println!(
        "fleet run ({CLUSTERS} clusters, {} nodes, encrypted)   {:>7.2} s   peak RSS {rss1:.0} MB   {written} files   target < 5 s, < 1 GB",
        CLUSTERS * NODES,
        first.as_secs_f64()
    );
    let (again, rss2, out2) = run(bin, dir, &key, &["run", "clusters/fleet.rhai"]);
    let changed = out2
        .lines()
        .filter(|l| l.starts_with("created") || l.starts_with("modified"))
        .count();
    println!(
        "fleet re-run, nothing changed               {:>7.2} s   peak RSS {rss2:.0} MB   {changed} files written   target < 2 s, 0 files",
        again.as_secs_f64()
    );
}
