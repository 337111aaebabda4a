//! Machine-config benchmarks: render + merge (infra and 6000 nodes, with peak memory),
//! `talosctl validate` rules per config, and SOPS encryption of 6000 configs against the real
//! `sops -e` on the same files. `cargo bench --bench configs`; `BENCH_SOPS_FILES=N` limits how
//! many files the real sops encrypts (default: all 6000).

mod common;
use std::path::Path;
use std::time::{Duration, Instant};
use talforge::model::Cluster;
use talforge::pipeline::render::{node, node_patches};
use talforge::secrets::bundle::Bundle;
use talforge::secrets::sops::{self, EncryptOptions};
use talforge::talos::validate::{Mode, validate_docs};
use talforge::yaml::{EmitOptions, Yaml, emit_documents};

fn cluster_of(path: &Path) -> Cluster {
    let ev = talforge::script::evaluate_file(path, &Default::default())
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    ev.fleet.clusters.into_iter().next().unwrap()
}

fn render_all(c: &Cluster, bundle: &Bundle) -> Vec<Vec<Yaml>> {
    c.nodes
        .iter()
        .map(|n| node(c, n, bundle).expect("renders"))
        .collect()
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let repo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let bundle = Bundle::placeholder();

    // Issue 4: rendering and merging, measured first so the peak RSS is this step's.
    let big = tmp.path().join("big.rhai");
    std::fs::write(
        &big,
        common::big_script(
            6000,
            "import \"talos\" as talos;",
            r#"talos::rook_ceph(c, "common");
c.patch(workers, "worker", #{ machine: #{ kubelet: #{ nodeIP: #{ validSubnets: ["10.20.0.0/16"] } } } });"#,
        ),
    )
    .unwrap();
    let c = cluster_of(&big);
    let t = Instant::now();
    let configs = render_all(&c, &bundle);
    let render_6000 = t.elapsed();
    let rss = peak_rss_mb();
    println!(
        "render + merge 6000 node configs          {:>9.1} ms   peak RSS {rss:.0} MB   target < 2 s, < 500 MB",
        ms(render_6000)
    );
    let infra = cluster_of(&repo.join("clusters/infra.rhai"));
    let infra_t = median(
        (0..20)
            .map(|_| {
                let t = Instant::now();
                render_all(&infra, &bundle);
                t.elapsed()
            })
            .collect(),
    );
    println!(
        "render + merge infra (6 configs)          {:>9.2} ms",
        ms(infra_t)
    );
    println!(
        "patches per worker                         {}",
        node_patches(&c, &c.nodes[10]).len()
    );

    // Issue 6: validation per config.
    let t = Instant::now();
    let mut errors = 0;
    for docs in &configs {
        errors += validate_docs(docs, Mode::Metal, true).errors.len();
    }
    let v = t.elapsed();
    println!(
        "validate (metal, strict) per config        {:>9.3} ms   ({} configs, {errors} errors)   target < 1 ms",
        ms(v) / configs.len() as f64,
        configs.len()
    );

    // Issue 5: encryption of 6000 configs vs the real sops on the same files.
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let opts = EncryptOptions::default();
    let now = time::OffsetDateTime::now_utc();
    let t = Instant::now();
    let encrypted: Vec<String> = configs
        .iter()
        .map(|d| sops::encrypt_documents(d, std::slice::from_ref(&recipient), &opts, now).unwrap())
        .collect();
    let ours = t.elapsed();
    println!(
        "talforge: encrypt 6000 configs             {:>9.1} ms   target < 3 s",
        ms(ours)
    );
    drop(encrypted);
    compare_with_sops(&configs, &recipient, ours, tmp.path());
}

/// Issue 5's ratio: the real sops encrypting the same configs (as many as `BENCH_SOPS_FILES`
/// says), against `ours` for all of them.
fn compare_with_sops(configs: &[Vec<Yaml>], recipient: &str, ours: Duration, tmp: &Path) {
    let sops_files: usize = std::env::var("BENCH_SOPS_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(configs.len())
        .min(configs.len());
    let has_sops = std::process::Command::new("sops")
        .arg("--version")
        .env("SOPS_DISABLE_VERSION_CHECK", "1")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_sops {
        println!("real sops: not installed (bash ../shared/oracle/sops/install.sh); ratio skipped");
        return;
    }
    let dir = tmp.join("plain");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, d) in configs.iter().take(sops_files).enumerate() {
        let p = dir.join(format!("node-{i}.yaml"));
        std::fs::write(&p, emit_documents(d, &EmitOptions { indent: 4 })).unwrap();
        files.push(p);
    }
    let t = Instant::now();
    for p in &files {
        let out = std::process::Command::new("sops")
            .args([
                "-e",
                "--age",
                recipient,
                "--input-type",
                "yaml",
                "--output-type",
                "yaml",
            ])
            .arg(p)
            // Away from the repository's .sops.yaml: the recipient comes from --age.
            .current_dir(&dir)
            .env("SOPS_DISABLE_VERSION_CHECK", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let theirs = t.elapsed();
    let ours_same = ours.as_secs_f64() * sops_files as f64 / configs.len() as f64;
    println!(
        "real sops -e: {sops_files} files                 {:>9.1} ms",
        ms(theirs)
    );
    println!(
        "speed-up over sops on the same files       {:>9.1}x   target >= 20x",
        theirs.as_secs_f64() / ours_same
    );
}
