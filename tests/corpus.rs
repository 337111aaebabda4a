//! Real talhelper configs from public repositories (`tests/corpus/`, each with its SOURCE):
//! `genconfig` renders them and `import` → `run` reproduces genconfig's configs byte for
//! byte. The pass counts are printed and may not fall below the recorded floor. Entries
//! talhelper itself fails on (SOURCE `talhelper-rejects:`) must fail in genconfig too.

use crate::configs::Repo;
use crate::support::{repo, run_in};
use std::path::{Path, PathBuf};

/// One corpus entry.
struct Entry {
    name: String,
    /// The entry's directory.
    dir: PathBuf,
    /// talconfig.yaml relative to `dir`.
    talconfig: String,
    /// talhelper's schema accepts it, every file it references exists (INDEX.md) and
    /// talhelper v3.1.16 renders it (no `talhelper-rejects:` line in SOURCE).
    accepted: bool,
    /// Why talhelper v3.1.16 fails on it (SOURCE `talhelper-rejects:`): talforge must too.
    talhelper_rejects: Option<String>,
}

fn entries() -> Vec<Entry> {
    let base = repo().join("tests/corpus");
    let index = std::fs::read_to_string(base.join("INDEX.md")).expect("tests/corpus/INDEX.md");
    let mut out = Vec::new();
    for line in index
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| dir"))
    {
        let cells: Vec<&str> = line.split(" | ").collect();
        let name = cells[0]
            .trim_start_matches("| ")
            .split(' ')
            .next()
            .unwrap()
            .to_string();
        let dir = base.join(&name);
        let Ok(source) = std::fs::read_to_string(dir.join("SOURCE")) else {
            continue;
        };
        let talconfig = source
            .lines()
            .find_map(|l| l.strip_prefix("talconfig: "))
            .unwrap_or("talconfig.yaml")
            .to_string();
        let talhelper_rejects = source
            .lines()
            .find_map(|l| l.strip_prefix("talhelper-rejects: "))
            .map(str::to_string);
        let last = cells.last().unwrap().trim_end_matches(" |");
        let accepted = last.starts_with("pass")
            && !line.contains("missing referenced file")
            && talhelper_rejects.is_none();
        out.push(Entry {
            name,
            dir,
            talconfig,
            accepted,
            talhelper_rejects,
        });
    }
    out
}

/// What happened to one entry.
struct Outcome {
    genconfig: Result<(), String>,
    roundtrip: Result<(), String>,
}

fn first_error(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.starts_with("Error") || l.starts_with("error"))
        .unwrap_or_else(|| stderr.lines().next().unwrap_or(""))
        .chars()
        .take(160)
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dst = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn try_entry(e: &Entry, bundle: &Path, keys: &Repo) -> Outcome {
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    let src = root.join("src");
    std::fs::create_dir(&src).unwrap();
    copy_dir(&e.dir, &src);
    // import takes the age recipient from the talsecret rule, as in a real repository.
    std::fs::write(
        root.join(".sops.yaml"),
        format!(
            "creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    age: {}\n",
            keys.recipient
        ),
    )
    .unwrap();
    let tc = src.join(&e.talconfig);
    let tc_dir = tc.parent().unwrap().to_path_buf();
    let env = [(
        "SOPS_AGE_KEY_FILE".to_string(),
        keys.key_file.display().to_string(),
    )];
    let arg = |p: &Path| p.display().to_string();
    let gen_out = root.join("genconfig");
    let g = run_in(
        &tc_dir,
        &[
            "genconfig".into(),
            "-c".into(),
            arg(&tc),
            "-s".into(),
            arg(bundle),
            "-o".into(),
            arg(&gen_out),
            "--force".into(),
        ],
        &env,
    );
    let mut out = Outcome {
        genconfig: Ok(()),
        roundtrip: Ok(()),
    };
    if g.code != 0 {
        out.genconfig = Err(format!("genconfig: {}", first_error(&g.stderr)));
        out.roundtrip = Err("genconfig failed".into());
        return out;
    }
    let script = tc_dir.join("imported.rhai");
    let i = run_in(
        &tc_dir,
        &["import".into(), arg(&tc), "-o".into(), arg(&script)],
        &env,
    );
    if i.code != 0 {
        out.roundtrip = Err(format!("import: {}", first_error(&i.stderr)));
        return out;
    }
    // Outside the repository: plaintext configs are refused inside one.
    let outside = tempfile::tempdir().unwrap();
    let plain = outside.path().join("plain");
    let r = run_in(
        &tc_dir,
        &[
            "run".into(),
            arg(&script),
            "--out".into(),
            arg(&root.join("out")),
            "--secret-file".into(),
            arg(bundle),
            "--plaintext".into(),
            arg(&plain),
        ],
        &env,
    );
    if r.code != 0 {
        out.roundtrip = Err(format!("run: {}", first_error(&r.stderr)));
        return out;
    }
    let (a, b) = (files_of(&gen_out), files_of(&plain));
    out.roundtrip = if a.is_empty() {
        Err("genconfig wrote no config".into())
    } else if a == b {
        Ok(())
    } else {
        let differ: Vec<&String> = a
            .keys()
            .chain(b.keys())
            .filter(|k| a.get(*k) != b.get(*k))
            .take(3)
            .collect();
        Err(format!("configs differ: {differ:?}"))
    };
    out
}

/// The floor: pass counts measured when this test last improved (genconfig among the
/// accepted entries, then import → run byte-identical among genconfig's successes). Raise
/// them as support grows; a drop is a regression.
const FLOOR_GENCONFIG: usize = 92;
const FLOOR_ROUNDTRIP: usize = 91;

#[test]
fn real_talconfigs_render_and_round_trip() {
    let entries = entries();
    assert!(entries.len() >= 60, "corpus has {} entries", entries.len());
    let keys = Repo::empty();
    let bundle = keys.path("bundle.yaml");
    run_in(
        keys.dir.path(),
        &[
            "secrets".into(),
            "gen".into(),
            "-o".into(),
            bundle.display().to_string(),
        ],
        &[],
    )
    .ok();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(e) = entries.get(i) else { break };
                        mine.push((i, try_entry(e, &bundle, &keys)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut results = results;
    results.sort_by_key(|(i, _)| *i);
    let accepted: Vec<_> = results
        .iter()
        .filter(|(i, _)| entries[*i].accepted)
        .collect();
    let gen_ok = accepted.iter().filter(|(_, o)| o.genconfig.is_ok()).count();
    let rt_ok = accepted.iter().filter(|(_, o)| o.roundtrip.is_ok()).count();
    let mut report = String::new();
    for (i, o) in &results {
        let e = &entries[*i];
        let mark = |r: &Result<(), String>| if r.is_ok() { "ok" } else { "--" };
        report.push_str(&format!(
            "{:<52} {} genconfig {:<2} roundtrip {:<2} {}\n",
            e.name,
            if e.accepted { "accepted" } else { "rejected" },
            mark(&o.genconfig),
            mark(&o.roundtrip),
            o.genconfig
                .as_ref()
                .err()
                .or(o.roundtrip.as_ref().err())
                .map_or("", String::as_str)
        ));
    }
    let summary = format!(
        "corpus: {} entries, {} accepted by talhelper's schema with every file present; genconfig renders {gen_ok} of them ({:.1}%), import → run reproduces {rt_ok} ({:.1}% of the accepted, {:.1}% of genconfig's)",
        entries.len(),
        accepted.len(),
        100.0 * gen_ok as f64 / accepted.len() as f64,
        100.0 * rt_ok as f64 / accepted.len() as f64,
        100.0 * rt_ok as f64 / gen_ok.max(1) as f64,
    );
    if let Ok(p) = std::env::var("TALFORGE_CORPUS_REPORT") {
        std::fs::write(p, format!("{summary}\n{report}")).unwrap();
    }
    eprintln!("{summary}");
    // What talhelper refuses, talforge refuses too (faithful, not lenient).
    let lenient: Vec<&str> = results
        .iter()
        .filter(|(i, o)| entries[*i].talhelper_rejects.is_some() && o.genconfig.is_ok())
        .map(|(i, _)| entries[*i].name.as_str())
        .collect();
    assert!(
        lenient.is_empty(),
        "genconfig renders configs talhelper rejects: {lenient:?}"
    );
    assert!(
        gen_ok >= FLOOR_GENCONFIG && rt_ok >= FLOOR_ROUNDTRIP,
        "{summary}\n{report}"
    );
}
