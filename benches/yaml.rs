//! Large patch files, to show that time and memory grow linearly with the input: a generated
//! Talos patch through the YAML parser, the script that references it (evaluate, patch,
//! validate) and the real `talforge check`, with time and peak RSS per size.
//! `cargo bench --bench yaml`. Two shapes:
//! - one document of `machine.files` entries at 10, 50 and 100 MiB (`BENCH_YAML_MB=10,20`);
//! - many small documents (`ExtensionServiceConfig`, about 10,000 per MiB) at 1, 5 and
//!   10 MiB (`BENCH_YAML_DOCS_MB`): patching and validation used to be quadratic in them;
//! - 20 KB documents (a config file each) at 10, 50 and 100 MiB (`BENCH_YAML_FAT_MB`): 100 MiB
//!   took 95 s before.
//!
//! `check` runs in a child process (best of 3, peak RSS from `wait4`); the phases run once in
//! this process.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use talforge::pipeline::render;
use talforge::secrets::bundle::Bundle;
use talforge::yaml::{EmitOptions, emit_documents};

/// Writes a strategic-merge patch of about `mb` MiB: `machine.files` entries, each with a
/// literal block, a path, permissions and an op.
fn files_patch(mb: usize, out: &mut dyn Write) -> usize {
    let mut len = out_str(out, "machine:\n  files:\n");
    let mut i = 0usize;
    while len < mb << 20 {
        len += out_str(
            out,
            &format!(
                "    - content: |\n        [section-{i}]\n        option-{i} = value-{i}\n      path: /var/etc/talforge/file-{i}.conf\n      permissions: 0o644\n      op: create\n"
            ),
        );
        i += 1;
    }
    len
}

/// Writes a multi-document patch of about `mb` MiB: one named document per extension service.
fn documents_patch(mb: usize, out: &mut dyn Write) -> usize {
    let mut len = 0;
    let mut i = 0usize;
    while len < mb << 20 {
        len += out_str(
            out,
            &format!(
                "---\napiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: svc-{i}\nenvironment:\n  - KEY_{i}=value-{i}\n"
            ),
        );
        i += 1;
    }
    len
}

/// Writes a multi-document patch of about `mb` MiB of 20 KB documents (a config file each):
/// the shape of the issue's 100 MB patch that took 92 s.
fn config_files_patch(mb: usize, out: &mut dyn Write) -> usize {
    let line =
        "        option = value 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n";
    let body = line.repeat(20_000 / line.len());
    let mut len = 0;
    let mut i = 0usize;
    while len < mb << 20 {
        len += out_str(
            out,
            &format!(
                "---\napiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: svc-{i}\nconfigFiles:\n  - content: |\n{body}    mountPath: /etc/svc-{i}/config.conf\n"
            ),
        );
        i += 1;
    }
    len
}

fn out_str(out: &mut dyn Write, s: &str) -> usize {
    out.write_all(s.as_bytes()).expect("write the patch");
    s.len()
}

/// Streams a patch to `path` (so this process stays small: a child's peak RSS as the kernel
/// reports it is at least the parent's at the time of the spawn).
fn write_patch(path: &Path, generate: Generator, mb: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create the patch"));
    generate(mb, &mut f);
    f.flush().expect("write the patch");
}

type Generator = fn(usize, &mut dyn Write) -> usize;

const SCRIPT: &str = r#"let c = cluster("big", #{ endpoint: "https://10.0.0.10:6443" });
c.node("big-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
c.patch(all, "big", "big.yaml");
"#;

/// Runs the real binary to the end; its wall time, peak RSS (MiB, from `wait4`) and exit code.
fn child_peak(dir: &Path, args: &[&str]) -> (Duration, f64, i32) {
    let t = Instant::now();
    #[allow(clippy::zombie_processes)] // reaped by `wait4` below, which also gives its RSS
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_talforge"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("talforge runs");
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not reaped yet; both pointers are valid for the call.
    let r = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(r, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // ru_maxrss is in KiB on Linux.
    (t.elapsed(), usage.ru_maxrss as f64 / 1024.0, code)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn sizes(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var).ok().map_or_else(
        || default.to_vec(),
        |v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
    )
}

/// Runs of the real `check` per size.
const RUNS: usize = 3;

/// What the real `check` took at one size (best time, peak RSS).
struct Child {
    wall: Duration,
    rss: f64,
}

/// The real `check` at every size of a shape, while this process is still small.
fn children(dir: &Path, sizes: &[usize], generate: Generator) -> Vec<Child> {
    sizes
        .iter()
        .map(|&mb| {
            write_patch(&dir.join("big.yaml"), generate, mb);
            // The best of a few runs: the machine is shared, other work only adds time.
            let mut best = Child {
                wall: Duration::MAX,
                rss: 0.0,
            };
            for _ in 0..RUNS {
                let (wall, rss, code) = child_peak(dir, &["check", "big.rhai"]);
                assert_eq!(code, 0, "talforge check failed at {mb} MiB");
                best.wall = best.wall.min(wall);
                best.rss = best.rss.max(rss);
            }
            best
        })
        .collect()
}

/// The phases in process at every size of a shape, printed with the child's numbers.
fn phases(dir: &Path, name: &str, sizes: &[usize], generate: Generator, runs: &[Child]) {
    println!("\n{name}");
    println!(
        "{:>6} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>9} {:>10}",
        "MiB",
        "parse ms",
        "eval ms",
        "patch ms",
        "valid ms",
        "check ms",
        "check/MiB",
        "RSS MiB",
        "RSS/MiB"
    );
    for (&mb, run) in sizes.iter().zip(runs) {
        let mut text = Vec::new();
        generate(mb, &mut text);
        let text = String::from_utf8(text).expect("utf-8");
        std::fs::write(dir.join("big.yaml"), &text).unwrap();
        let t = Instant::now();
        let docs = talforge::yaml::parse_documents(&text).expect("parses");
        let parse = t.elapsed();
        drop((docs, text));
        let t = Instant::now();
        let ev = talforge::script::evaluate_file(&dir.join("big.rhai"), &Default::default())
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
        let eval = t.elapsed();
        let c = &ev.fleet.clusters[0];
        let t = Instant::now();
        let config = render::node(c, &c.nodes[0], &Bundle::placeholder())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let patch = t.elapsed();
        let t = Instant::now();
        // Validation reads the config as written, as the run does.
        let text = emit_documents(&config, &EmitOptions { indent: 4 });
        let found = render::validate(c, &c.nodes[0], &text, true);
        let valid = t.elapsed();
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        println!(
            "{mb:>6} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>10.0} {:>10.1} {:>9.0} {:>10.1}",
            ms(parse),
            ms(eval),
            ms(patch),
            ms(valid),
            ms(run.wall),
            ms(run.wall) / mb as f64,
            run.rss,
            run.rss / mb as f64
        );
    }
    if let (Some(&a), Some(&b), Some(ra), Some(rb)) =
        (sizes.first(), sizes.last(), runs.first(), runs.last())
        && b > a
    {
        println!(
            "{}x the input: {:.1}x the time and {:.1}x the peak RSS of `check` (linear: {}x)",
            b / a,
            rb.wall.as_secs_f64() / ra.wall.as_secs_f64(),
            rb.rss / ra.rss,
            b / a
        );
    }
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("big.rhai"), SCRIPT).unwrap();
    let shapes: [(&str, Vec<usize>, Generator); 3] = [
        (
            "one document of machine.files entries",
            sizes("BENCH_YAML_MB", &[10, 50, 100]),
            files_patch,
        ),
        (
            "ExtensionServiceConfig documents (about 10,000 per MiB)",
            sizes("BENCH_YAML_DOCS_MB", &[1, 5, 10]),
            documents_patch,
        ),
        (
            "ExtensionServiceConfig documents of 20 KB (about 5,200 per 100 MiB)",
            sizes("BENCH_YAML_FAT_MB", &[10, 50, 100]),
            config_files_patch,
        ),
    ];
    let runs: Vec<Vec<Child>> = shapes
        .iter()
        .map(|(_, sizes, generate)| children(dir, sizes, *generate))
        .collect();
    for ((name, sizes, generate), runs) in shapes.iter().zip(&runs) {
        phases(dir, name, sizes, *generate, runs);
    }
}
