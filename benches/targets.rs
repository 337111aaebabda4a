//! The figures of issue 18, each with its target, through the real binary (whole processes,
//! like an operator runs them) and the REPL in process, beside the peer: jrsonnet writing the
//! same cluster's talconfig alone (`benches/peer/talconfig.jsonnet`).
//!
//! `cargo bench --bench targets`. Each figure is the minimum of `BENCH_RUNS` runs (default 5):
//! wall time, user+sys CPU time and peak RSS, since a shared machine makes wall time noisy.
//! `TALFORGE_BENCH_BIN=PATH` measures another build (an older one, for before/after);
//! `BENCH_LARGE=1` adds the 30000-node `check` (linearity); `BENCH_KEEP=1` keeps the files.
//! jrsonnet is installed with `cargo install` when missing; without it the ratios use the
//! figure recorded in issue 18.

mod common;
use common::child::{best, line, measure};
use common::{big_script, report, time};

use std::path::{Path, PathBuf};
use std::time::Duration;
use talforge::secrets::bundle::Bundle;

const JRSONNET_VERSION: &str = "0.5.0-pre98";
/// jrsonnet's talconfig of 6000 nodes as issue 18 measured it, when jrsonnet cannot be had.
const RECORDED_PEER: Duration = Duration::from_millis(110);
const FLEET_CLUSTERS: usize = 100;
const FLEET_NODES: usize = 60;

fn jrsonnet() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let cargo_bin = home.map(|h| h.join(".cargo/bin/jrsonnet"));
    let works = |p: &Path| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let found = [PathBuf::from("jrsonnet")]
        .into_iter()
        .chain(cargo_bin.clone())
        .find(|p| works(p));
    if found.is_some() {
        return found;
    }
    println!("jrsonnet missing: cargo install jrsonnet --version {JRSONNET_VERSION} --locked");
    let installed = std::process::Command::new("cargo")
        .args(["install", "jrsonnet", "--version", JRSONNET_VERSION])
        .arg("--locked")
        .status()
        .is_ok_and(|s| s.success());
    cargo_bin.filter(|p| installed && works(p))
}

/// One generated bundle, SOPS-encrypted to `recipient`, as a cluster's `talsecret.sops.yaml`.
fn write_bundle(bundle: &Bundle, recipient: &str, cluster_dir: &Path) {
    let p = cluster_dir.join("talos/talsecret.sops.yaml");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let text = talforge::secrets::sops::encrypt(
        &bundle.to_yaml(),
        &[recipient.to_string()],
        &Default::default(),
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    std::fs::write(p, text).unwrap();
}

fn fleet_script(recipient: &str) -> String {
    format!(
        r#"
for s in 1..={FLEET_CLUSTERS} {{
    let net = cidr(`10.${{s}}.0.0/16`);
    let c = cluster(`site-${{s}}`, #{{ endpoint: `https://${{net.host(10)}}:6443`,
        pod_nets: [`172.${{16 + s / 8}}.${{(s % 8) * 32}}.0/19`], service_nets: ["10.250.0.0/16"],
        age: "{recipient}" }});
    c.bond("bond0", ["enp0s1", "enp0s2"], #{{ mode: "802.3ad", lacp_rate: "fast", mtu: 9000, dhcp: true }});
    c.vip(net.host(10));
    c.cilium_ready(#{{ id: s }});
    for i in 1..={FLEET_NODES} {{
        c.node(`site-${{s}}-n${{i}}`, net.host(100 + i), #{{ control_plane: i <= 3, install_disk: "/dev/sda" }});
    }}
}}
"#
    )
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn ratio(name: &str, ours: Duration, theirs: Duration, target: &str) {
    println!(
        "{name:<46} {:>6.1}x   target {target}",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

/// The peer's time: jrsonnet writing the 6000-node talconfig (the recorded figure when it is
/// not installed).
fn peer(runs: usize, dir: &Path, repo: &Path) -> Duration {
    let jsonnet = repo.join("benches/peer/talconfig.jsonnet");
    if let Some(j) = jrsonnet() {
        let j = j.to_string_lossy().into_owned();
        let args = [j.as_str(), "-S", "--ext-code", "nodes=6000"];
        let u = best(runs, || {
            measure(
                &[&args[..], &[jsonnet.to_str().unwrap()]].concat(),
                dir,
                &[],
                &[0],
            )
        });
        line("peer: jrsonnet, talconfig of 6000 nodes", u, "-");
        u.wall
    } else {
        println!("peer: jrsonnet unavailable; recorded figure {RECORDED_PEER:?}");
        RECORDED_PEER
    }
}

fn main() {
    let bin = std::env::var("TALFORGE_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_talforge").to_string());
    let bin = bin.as_str();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    // `BENCH_KEEP=1` leaves the directory for profiling its runs by hand.
    let dir = &if std::env::var("BENCH_KEEP").is_ok_and(|v| v == "1") {
        let kept = tmp.keep();
        println!("kept: {}", kept.display());
        kept
    } else {
        tmp.path().to_path_buf()
    };
    std::fs::create_dir(dir.join(".git")).unwrap();
    println!("binary: {bin}; minimum of {runs} runs");

    // The peer: jrsonnet writes the 6000-node talconfig alone.
    let peer = peer(runs, dir, &repo);

    // `check` of one 6000-node cluster: render, patch and validate every config.
    std::fs::write(dir.join("big.rhai"), big_script(6000, "", "")).unwrap();
    let check = best(runs, || {
        measure(&[bin, "check", "big.rhai"], dir, &[], &[0])
    });
    line("check 6000-node cluster", check, "<= 600 ms, <= 200 MB");
    ratio("  check / jrsonnet talconfig", check.wall, peer, "<= 5x");
    if std::env::var("BENCH_LARGE").is_ok_and(|v| v == "1") {
        std::fs::write(dir.join("huge.rhai"), big_script(30000, "", "")).unwrap();
        let huge = best(1, || measure(&[bin, "check", "huge.rhai"], dir, &[], &[0]));
        line("check 30000-node cluster", huge, "linear: <= 5x the 6000");
    }

    // A fresh `run` of the 6000 nodes with their secrets present: every config rendered,
    // validated, encrypted and written.
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let key = dir.join("bench.agekey");
    {
        use age::secrecy::ExposeSecret;
        std::fs::write(&key, format!("{}\n", id.to_string().expose_secret())).unwrap();
    }
    let env = [("SOPS_AGE_KEY_FILE", key.as_path())];
    let bundle = Bundle::generate(&talforge::model::Version::parse("v1.13.9").unwrap()).unwrap();
    let script = big_script(6000, "", "").replace(
        r#"service_nets: ["10.43.0.0/16"] }"#,
        &format!(r#"service_nets: ["10.43.0.0/16"], age: "{recipient}" }}"#),
    );
    // Each run in a repository of its own holding only the script and the bundle (a
    // directory emptied for the next run would measure the filesystem's reuse of inodes).
    let template = dir.join("sealed-template");
    write_bundle(&bundle, &recipient, &template.join("big"));
    let mut fresh = 0;
    let fresh_run = || {
        fresh += 1;
        let repo = dir.join(format!("sealed-{fresh}"));
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("big/talos")).unwrap();
        std::fs::write(repo.join("big.rhai"), &script).unwrap();
        let bundle = "big/talos/talsecret.sops.yaml";
        std::fs::copy(template.join(bundle), repo.join(bundle)).unwrap();
        measure(&[bin, "run", "big.rhai"], &repo, &env, &[0])
    };
    let run = best(runs, fresh_run);
    line("run 6000 nodes, fresh, secrets present", run, "<= 1700 ms");
    ratio("  run / jrsonnet talconfig", run.wall, peer, "<= 15x");

    // The fleet: 100 clusters of 60 nodes, re-run with nothing changed, against `cat`.
    std::fs::write(dir.join("fleet.rhai"), fleet_script(&recipient)).unwrap();
    for s in 1..=FLEET_CLUSTERS {
        write_bundle(&bundle, &recipient, &dir.join(format!("site-{s}")));
    }
    let first = measure(&[bin, "run", "fleet.rhai"], dir, &env, &[0]);
    line("fleet run (100 clusters, 6000 nodes), first", first, "-");
    let again = best(runs, || {
        measure(&[bin, "run", "fleet.rhai"], dir, &env, &[0])
    });
    line("fleet re-run, nothing changed", again, "<= 3x cat");
    let mut files = Vec::new();
    for s in 1..=FLEET_CLUSTERS {
        files_under(&dir.join(format!("site-{s}")), &mut files);
    }
    files.push(dir.join("fleet.rhai"));
    let mut cat: Vec<&str> = vec!["cat"];
    cat.extend(files.iter().map(|p| p.to_str().unwrap()));
    let cat = best(runs, || measure(&cat, dir, &[], &[0]));
    line(&format!("  cat of its {} files", files.len()), cat, "-");
    ratio("  re-run / cat", again.wall, cat.wall, "<= 3x");

    // The infra cluster's `check`.
    let infra = best(runs * 4, || {
        measure(&[bin, "check", "clusters/infra.rhai"], &repo, &[], &[0])
    });
    line("check clusters/infra.rhai", infra, "<= 10 ms");

    // The REPL on 6000 nodes, in process: input to output text.
    let mut session = talforge::repl::Session::new(talforge::script::Limits::default());
    let out = session.load(&dir.join("big.rhai"));
    assert!(!out.failed(), "{:?}", out.diagnostics);
    report(
        "repl :show big-wk-2999 (6000 nodes)",
        time(20, || {
            let out = session.execute(":show big-wk-2999");
            assert!(!out.failed(), "{:?}", out.diagnostics);
        }),
        "<= 20 ms",
    );
}
