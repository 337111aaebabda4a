//! Issue 12: a cluster's secrets are never lost, replaced or leaked by accident: a missing or
//! different bundle is refused, runs lock, temp files are private, ignored and cleaned up.

use crate::configs::Repo;
use crate::support::{Run, snapshot};
use std::path::{Path, PathBuf};
use talforge::yaml::Yaml;

const TALOS: &str = "clusters/infra/talos";
const SECRET: &str = "clusters/infra/talos/talsecret.sops.yaml";
const CC: &str = "clusters/infra/talos/clusterconfig";

/// How many times a probe repeats: `TALFORGE_PROBE_ROUNDS` for long runs (the closing note's
/// counts), else `default`.
fn rounds(default: usize) -> usize {
    std::env::var("TALFORGE_PROBE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn first_run() -> Repo {
    let r = Repo::infra();
    r.run(&["run", "clusters/infra.rhai"]).ok();
    r
}

/// `machine.ca.crt` of a decrypted config, the OS CA the node trusts.
fn os_ca(r: &Repo, host: &str) -> String {
    let docs = r.decrypt(&format!("{CC}/infra-{host}.sops.yaml"));
    docs.iter()
        .find_map(|d| d.get_path("machine.ca.crt").and_then(Yaml::as_str))
        .expect("machine.ca.crt")
        .to_string()
}

fn assert_refused_missing(out: &Run, what: &str) {
    assert_eq!(out.code, 1, "{what}: {}\n{}", out.stdout, out.stderr);
    for want in [
        "the secrets bundle `",
        "talsecret.sops.yaml` ",
        "machine configs were made from one",
        "talforge-state.yaml` records the bundle",
        "git checkout -- ",
        "--secret-file",
        "--new-secrets",
    ] {
        assert!(
            out.stderr.contains(want),
            "{what}: no {want:?} in\n{}",
            out.stderr
        );
    }
    assert!(
        !out.stderr.contains("needs the age key"),
        "{what}: {}",
        out.stderr
    );
}

/// A way to lose the bundle file.
type Fault = dyn Fn(&Repo);

/// Deleted, moved, emptied or a dangling link: every run refuses, with or without the key,
/// and `--check` reports the bundle as missing; nothing is written.
#[test]
fn a_missing_bundle_is_never_regenerated() {
    let r = first_run();
    let saved = r.read(SECRET);
    let faults: [(&str, &Fault); 4] = [
        ("deleted", &|r| {
            std::fs::remove_file(r.path(SECRET)).unwrap();
        }),
        ("moved", &|r| {
            std::fs::rename(r.path(SECRET), r.path("elsewhere.sops.yaml")).unwrap();
        }),
        ("truncated", &|r| {
            std::fs::write(r.path(SECRET), "").unwrap();
        }),
        ("dangling link", &|r| {
            std::fs::remove_file(r.path(SECRET)).unwrap();
            std::os::unix::fs::symlink(r.path("gone.sops.yaml"), r.path(SECRET)).unwrap();
        }),
    ];
    for &(what, fault) in (0..rounds(1)).flat_map(|_| faults.iter()) {
        fault(&r);
        let before = snapshot(r.dir.path());
        let with_key = r.run(&["run", "clusters/infra.rhai"]);
        let without = r.run_without_key(&["run", "clusters/infra.rhai"]);
        let check = r.run_without_key(&["run", "clusters/infra.rhai", "--check"]);
        let talforge_check = r.run(&["check", "clusters/infra.rhai"]);
        if what == "dangling link" {
            for out in [&with_key, &without, &check] {
                assert_eq!(out.code, 1, "{what}: {}", out.stderr);
                assert!(
                    out.stderr.contains("is a symbolic link to")
                        && out.stderr.contains("gone.sops.yaml"),
                    "{what}: {}",
                    out.stderr
                );
            }
        } else {
            assert_refused_missing(&with_key, what);
            assert_refused_missing(&without, what);
            assert_refused_missing(&check, what);
            assert_refused_missing(&talforge_check, what);
            let verb = if what == "truncated" {
                "is empty"
            } else {
                "is missing"
            };
            assert!(
                with_key.stderr.contains(verb),
                "{what}: {}",
                with_key.stderr
            );
        }
        assert_eq!(snapshot(r.dir.path()), before, "{what}: nothing written");
        // Restore for the next fault.
        let _ = std::fs::remove_file(r.path(SECRET));
        let _ = std::fs::remove_file(r.path("elsewhere.sops.yaml"));
        r.write(SECRET, &saved);
        r.run(&["run", "clusters/infra.rhai"]).ok();
    }
}

/// Only the state file is left (configs deleted too): it alone is enough to refuse.
#[test]
fn the_state_file_alone_proves_the_configs_had_secrets() {
    let r = first_run();
    for h in [
        "infra-cp-1",
        "infra-cp-2",
        "infra-cp-3",
        "infra-wk-1",
        "infra-wk-2",
        "infra-wk-3",
    ] {
        std::fs::remove_file(r.path(&format!("{CC}/infra-{h}.sops.yaml"))).unwrap();
    }
    std::fs::remove_file(r.path(&format!("{CC}/talosconfig"))).unwrap();
    std::fs::remove_file(r.path(SECRET)).unwrap();
    assert_refused_missing(&r.run(&["run", "clusters/infra.rhai"]), "state only");
}

/// The ways out: `--secret-file` with a copy keeps every config; `--new-secrets` makes a new
/// bundle, says what it replaces, and re-keys every config.
#[test]
fn secret_file_restores_and_new_secrets_replaces_knowingly() {
    let r = first_run();
    let before = snapshot(r.dir.path());
    let old_ca = os_ca(&r, "infra-cp-1");
    std::fs::rename(r.path(SECRET), r.path("backup.sops.yaml")).unwrap();
    let out = r
        .run(&[
            "run",
            "clusters/infra.rhai",
            "--secret-file",
            "backup.sops.yaml",
        ])
        .ok();
    assert!(out.stdout.starts_with("up to date"), "{}", out.stdout);
    let mut now = snapshot(r.dir.path());
    now.remove(&PathBuf::from("backup.sops.yaml"));
    let mut was = before.clone();
    was.remove(&PathBuf::from(SECRET));
    assert_eq!(now, was, "the configs from the copy are kept as they are");

    let out = r.run(&["run", "clusters/infra.rhai", "--new-secrets"]).ok();
    assert!(
        out.stderr
            .contains("note: new secrets for cluster `infra` (--new-secrets)")
            && out
                .stderr
                .contains("it replaces the one the existing configs were made from"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains(&format!("created: {SECRET}")),
        "{}",
        out.stdout
    );
    assert_ne!(os_ca(&r, "infra-cp-1"), old_ca, "configs re-keyed");
    assert_ne!(r.read(SECRET), r.read("backup.sops.yaml"));
    // Once made, the new bundle is the one the configs come from: no flag needed.
    let again = r.run(&["run", "clusters/infra.rhai"]).ok();
    assert!(again.stdout.starts_with("up to date"), "{}", again.stdout);
}

/// Another valid bundle in place of the old one: refused (the state file's fingerprint, or
/// for an older state file the configs' CA, tells), accepted only with `--new-secrets`.
#[test]
fn a_replaced_bundle_is_refused() {
    let r = first_run();
    let other = r.run(&["secrets", "gen", "-o", "other.yaml"]).ok();
    assert_eq!(other.stdout, "");
    let enc = r
        .run(&["encrypt", "other.yaml", "--age", &r.recipient])
        .ok();
    let original = r.read(SECRET);
    let state_path = format!("{CC}/talforge-state.yaml");
    let state = r.read(&state_path);
    assert!(state.contains("\nbundle: bundle-sha256:"), "{state}");
    let legacy: String = state
        .lines()
        .filter(|l| !l.starts_with("bundle:"))
        .map(|l| format!("{l}\n"))
        .collect();
    for (what, st) in [("fingerprint", &state), ("legacy state", &legacy)] {
        r.write(&state_path, st);
        r.write(SECRET, &enc.stdout);
        let before = snapshot(r.dir.path());
        let out = r.run(&["run", "clusters/infra.rhai"]).code(1);
        assert!(
            out.stderr.contains(
                "is not the secrets bundle this cluster's machine configs were made from"
            ),
            "{what}: {}",
            out.stderr
        );
        let why = if what == "legacy state" {
            "its OS CA differs from the one in the existing machine configs"
        } else {
            "`talforge-state.yaml` records bundle-sha256:"
        };
        assert!(out.stderr.contains(why), "{what}: {}", out.stderr);
        assert_eq!(snapshot(r.dir.path()), before, "{what}: nothing written");
        r.write(SECRET, &original);
    }
    r.write(&state_path, &state);
    r.write(SECRET, &enc.stdout);
    let out = r.run(&["run", "clusters/infra.rhai", "--new-secrets"]).ok();
    assert!(
        out.stderr
            .contains("is not the bundle the existing configs were made from"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("modified: clusters/infra/talos/clusterconfig/infra-infra-cp-1.sops.yaml"),
        "{}",
        out.stdout
    );
}

/// A new recipient in the rule: the bundle is re-encrypted for it (same content), so the new
/// key alone reads the bundle and every config; without any key, a loud warning.
#[test]
fn a_changed_recipient_re_encrypts_the_bundle() {
    let r = first_run();
    let second = Repo::empty();
    let rules = r.read(".sops.yaml");
    assert_eq!(rules.matches(&r.recipient).count(), 2, "{rules}");
    r.write(
        ".sops.yaml",
        &rules.replace(&r.recipient, &second.recipient),
    );
    // Without any key: the bundle cannot be re-encrypted; say so.
    let keyless = r.run_without_key(&["run", "clusters/infra.rhai", "--check"]);
    assert!(
        keyless
            .stderr
            .contains("talsecret.sops.yaml` is encrypted for")
            && keyless
                .stderr
                .contains("the new recipients cannot read the cluster's secrets"),
        "{}",
        keyless.stderr
    );
    let plain_before =
        talforge::secrets::sops::decrypt_documents(&r.read(SECRET), &r.identities()).unwrap();
    let out = r.run(&["run", "clusters/infra.rhai"]).ok();
    assert!(
        out.stderr.contains("re-encrypting `") && out.stderr.contains("its content is unchanged"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains(&format!("modified: {SECRET}")),
        "{}",
        out.stdout
    );
    let ids2 = second.identities();
    let plain_after = talforge::secrets::sops::decrypt_documents(&r.read(SECRET), &ids2)
        .expect("the new key reads the bundle");
    assert_eq!(plain_after, plain_before, "same secrets");
    assert!(
        talforge::secrets::sops::decrypt_documents(&r.read(SECRET), &r.identities()).is_err(),
        "the old key no longer reads it"
    );
    for h in ["infra-cp-1", "infra-wk-3"] {
        talforge::secrets::sops::decrypt_documents(
            &r.read(&format!("{CC}/infra-{h}.sops.yaml")),
            &ids2,
        )
        .expect("the new key reads every config");
    }
    // And with only the new key, nothing is left to do.
    let again = crate::support::run_in(
        r.dir.path(),
        &["run".into(), "clusters/infra.rhai".into()],
        &[(
            "SOPS_AGE_KEY_FILE".into(),
            second.key_file.display().to_string(),
        )],
    )
    .ok();
    assert!(again.stdout.starts_with("up to date"), "{}", again.stdout);
}

/// Two first runs at once: the test holds the run lock while both start, so both must wait;
/// then exactly one creates the bundle and the other uses it.
#[test]
fn concurrent_runs_take_turns_and_share_one_bundle() {
    for _ in 0..rounds(1) {
        interleaved_first_runs();
    }
}

fn interleaved_first_runs() {
    let r = Repo::infra();
    let lock = talforge::fs::lock(&r.path("clusters"), |_| panic!("nobody holds it yet")).unwrap();
    assert_eq!(lock.path, r.path(".git/talforge.lock"));
    let spawn = |i: usize| {
        let out = std::fs::File::create(r.path(&format!("out-{i}.txt"))).unwrap();
        let err = std::fs::File::create(r.path(&format!("err-{i}.txt"))).unwrap();
        std::process::Command::new(crate::support::bin())
            .current_dir(r.dir.path())
            .args(["run", "clusters/infra.rhai"])
            .env("SOPS_AGE_KEY_FILE", &r.key_file)
            .env("NO_COLOR", "1")
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap()
    };
    let mut a = spawn(1);
    let mut b = spawn(2);
    let waiting = |i: usize| std::fs::read_to_string(r.path(&format!("err-{i}.txt"))).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !(waiting(1).contains("waiting for another talforge run")
        && waiting(2).contains("waiting for another talforge run"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "{} / {}",
            waiting(1),
            waiting(2)
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        !r.path(SECRET).exists(),
        "nothing written while the lock is held"
    );
    drop(lock);
    assert!(a.wait().unwrap().success(), "{}", waiting(1));
    assert!(b.wait().unwrap().success(), "{}", waiting(2));
    let outs = [1, 2].map(|i| std::fs::read_to_string(r.path(&format!("out-{i}.txt"))).unwrap());
    let created = outs
        .iter()
        .filter(|o| o.contains(&format!("created: {SECRET}")))
        .count();
    assert_eq!(created, 1, "{outs:?}");
    assert!(outs.iter().any(|o| o.starts_with("up to date")), "{outs:?}");
    // Every config comes from the bundle on disk.
    let bundle = talforge::secrets::sops::decrypt(&r.read(SECRET), &r.identities()).unwrap();
    let os_crt = bundle
        .get_path("certs.os.crt")
        .and_then(Yaml::as_str)
        .unwrap()
        .to_string();
    for h in ["infra-cp-1", "infra-wk-1"] {
        assert_eq!(os_ca(&r, h), os_crt, "{h}");
    }
}

/// Temp files are private and git-ignored wherever they land, and the next run removes them.
#[test]
fn leftover_temp_files_are_private_ignored_and_removed() {
    let r = first_run();
    let leftover = r.path(&format!("{CC}/.talforge-AbC123.tmp"));
    std::fs::write(&leftover, "plaintext that a killed run left").unwrap();
    let patches_left = r.path(&format!("{TALOS}/patches/.talforge-XyZ789.tmp"));
    std::fs::write(&patches_left, "x").unwrap();
    for gi in [format!("{TALOS}/.gitignore"), format!("{CC}/.gitignore")] {
        assert!(r.read(&gi).lines().any(|l| l == ".talforge-*.tmp"), "{gi}");
    }
    let check = r.run(&["run", "clusters/infra.rhai", "--check"]).ok();
    assert!(
        leftover.exists(),
        "--check removes nothing: {}",
        check.stderr
    );
    let out = r.run(&["run", "clusters/infra.rhai"]).ok();
    assert!(
        !leftover.exists() && !patches_left.exists(),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("removed `clusters/infra/talos/clusterconfig/.talforge-AbC123.tmp`, left by an interrupted run"),
        "{}",
        out.stderr
    );
}

/// `kill -9` during first runs and re-runs: every file on disk is an old or new output, or a
/// temp file that is 0600 and ignored by a generated `.gitignore` above it; the next run
/// leaves no temp file behind.
#[test]
fn killed_runs_leave_only_private_ignored_temp_files() {
    for first in [true, false] {
        let r = if first { Repo::infra() } else { first_run() };
        if !first {
            let s = r
                .read("clusters/infra.rhai")
                .replace("mtu: 9000", "mtu: 1500");
            r.write("clusters/infra.rhai", &s);
        }
        for i in 0..rounds(6) as u64 {
            let mut child = std::process::Command::new(crate::support::bin())
                .current_dir(r.dir.path())
                .args(["run", "clusters/infra.rhai"])
                .env("SOPS_AGE_KEY_FILE", &r.key_file)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(30 + (i % 8) * 60));
            let _ = child.kill();
            let _ = child.wait();
            for (p, bytes) in snapshot(r.dir.path()) {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if !talforge::fs::is_temp_name(&name) {
                    continue;
                }
                // The ignore files go first, alone: their own temp file cannot be ignored yet,
                // and holds ignore rules only.
                let text = String::from_utf8_lossy(&bytes);
                if text.starts_with("# generated by talforge")
                    && text.lines().skip(1).all(|l| !l.contains(':'))
                    && text.contains(".talforge-*.tmp")
                {
                    continue;
                }
                let full = r.path(&p.to_string_lossy());
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&full).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{} after kill {i}", p.display());
                if p.starts_with(TALOS) {
                    assert!(
                        ignored_by_generated(&r, &p),
                        "{} is not ignored",
                        p.display()
                    );
                } else {
                    // Outside a cluster directory only `.sops.yaml` is written: no secret.
                    assert_eq!(p.parent(), Some(Path::new("")), "{}", p.display());
                }
            }
        }
        r.run(&["run", "clusters/infra.rhai"]).ok();
        let temps: Vec<_> = snapshot(r.dir.path())
            .into_keys()
            .filter(|p| talforge::fs::is_temp_name(&p.file_name().unwrap().to_string_lossy()))
            .filter(|p| p.starts_with(TALOS))
            .collect();
        assert!(temps.is_empty(), "first={first}: {temps:?}");
    }
}

/// A generated `.gitignore` in the temp file's directory or an ancestor inside the cluster
/// lists the temp pattern.
fn ignored_by_generated(r: &Repo, p: &Path) -> bool {
    p.ancestors().skip(1).any(|d| {
        std::fs::read_to_string(r.path(&d.join(".gitignore").to_string_lossy()))
            .is_ok_and(|t| t.lines().any(|l| l == ".talforge-*.tmp"))
    })
}

/// More files than the descriptor limit: the batch keeps only a couple open at a time.
#[test]
fn a_run_writes_more_files_than_the_descriptor_limit() {
    let r = Repo::empty();
    let script = format!(
        "let c = cluster(\"big\", #{{ endpoint: \"https://10.8.0.1:6443\", age: \"{}\" }});\n\
         for i in 0..300 {{ c.node(`n-${{i}}`, ip(\"10.8.1.0\") + i, #{{ control_plane: i < 3, install_disk: \"/dev/sda\" }}); }}\n",
        r.recipient
    );
    r.write("clusters/big.rhai", &script);
    let out = std::process::Command::new("sh")
        .current_dir(r.dir.path())
        .args([
            "-c",
            &format!(
                "ulimit -n 64 && exec {} run clusters/big.rhai",
                crate::support::bin()
            ),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let configs = std::fs::read_dir(r.path("clusters/big/talos/clusterconfig"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".sops.yaml"))
        .count();
    assert_eq!(configs, 300);
}

/// Messages for a bundle that is there but unusable: empty on a first run is replaced,
/// truncated ciphertext and a plaintext bundle are named for what they are, at no quoted line.
#[test]
fn damaged_bundles_are_named_for_what_they_are() {
    let r = first_run();
    let text = r.read(SECRET);
    let cut = &text[..text.len() / 2];
    r.write(SECRET, cut);
    let out = r.run(&["run", "clusters/infra.rhai"]).code(1);
    assert!(
        out.stderr
            .contains("the secrets bundle `clusters/infra/talos/talsecret.sops.yaml` is not"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("(truncated or damaged?)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("git checkout -- "), "{}", out.stderr);
    let plain = r.run(&["secrets", "gen"]).ok().stdout;
    r.write(SECRET, &plain);
    let out = r.run(&["run", "clusters/infra.rhai"]).code(1);
    assert!(
        out.stderr.contains("talsecret.sops.yaml` is not encrypted"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("talforge encrypt -i"), "{}", out.stderr);
    // No line of the plaintext bundle is quoted.
    for line in plain.lines().filter(|l| l.len() > 20) {
        assert!(!out.stderr.contains(line.trim()), "quoted: {line}");
    }
    r.write(SECRET, &text);
    r.run(&["run", "clusters/infra.rhai"]).ok();
}

/// A committed config whose ciphertext was changed: re-encrypted, with a warning that it
/// failed to authenticate.
#[test]
fn a_tampered_config_is_replaced_with_a_warning() {
    let r = first_run();
    let p = format!("{CC}/infra-infra-wk-1.sops.yaml");
    let text = r.read(&p);
    let i = text.find("ENC[AES256_GCM,data:").unwrap() + 20;
    let mut bytes = text.into_bytes();
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    r.write(&p, &String::from_utf8(bytes).unwrap());
    // The state file no longer matches the file, so the run decrypts it.
    let out = r.run(&["run", "clusters/infra.rhai"]).ok();
    assert!(
        out.stderr
            .contains("infra-infra-wk-1.sops.yaml` failed to authenticate and is replaced"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains(&format!("modified: {p}")),
        "{}",
        out.stdout
    );
    r.decrypt(&p);
}

/// `--plaintext` and `genconfig -o`: a symlink into the repository, a force-tracked file in an
/// ignored directory and an unignored directory are refused; an ignored directory that does
/// not exist yet is fine.
#[test]
fn plaintext_outputs_never_land_where_git_tracks_them() {
    let r = first_run();
    // A real git repository, so ignore rules and the index count.
    std::fs::remove_dir_all(r.path(".git")).unwrap();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(r.dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    r.write(".gitignore", "ignored-out/\nforced/\n*.agekey\n");
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("link");
    std::fs::create_dir(r.path("inside")).unwrap();
    std::os::unix::fs::symlink(r.path("inside"), &link).unwrap();
    let link_s = link.display().to_string();
    let out = r
        .run(&["run", "clusters/infra.rhai", "--plaintext", &link_s])
        .code(1);
    assert!(
        out.stderr
            .contains("refusing to write plaintext machine configs")
            && out.stderr.contains("it resolves to"),
        "{}",
        out.stderr
    );
    r.write("forced/infra-infra-cp-1.yaml", "tracked: true\n");
    git(&["add", "-f", "forced/infra-infra-cp-1.yaml"]);
    let out = r
        .run(&["run", "clusters/infra.rhai", "--plaintext", "forced"])
        .code(1);
    assert!(
        out.stderr
            .contains("git tracks files in it although it is ignored"),
        "{}",
        out.stderr
    );
    assert_eq!(r.read("forced/infra-infra-cp-1.yaml"), "tracked: true\n");
    let out = r
        .run(&[
            "run",
            "clusters/infra.rhai",
            "--plaintext",
            "ignored-out/configs",
        ])
        .ok();
    assert!(
        r.path("ignored-out/configs/infra-infra-cp-1.yaml").exists(),
        "{}",
        out.stderr
    );
    // genconfig: the same rule for `-o`, unless `--force`.
    let args = |dir: &str, force: bool| {
        let mut a = vec![
            "genconfig",
            "-c",
            "clusters/infra/talos/talconfig.yaml",
            "-s",
            SECRET,
            "-o",
        ];
        a.push(dir);
        if force {
            a.push("--force");
        }
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let env = [(
        "SOPS_AGE_KEY_FILE".to_string(),
        r.key_file.display().to_string(),
    )];
    let refused = crate::support::run_in(r.dir.path(), &args("plain", false), &env).code(1);
    assert!(
        refused
            .stderr
            .contains("refusing to write plaintext machine configs into `plain`"),
        "{}",
        refused.stderr
    );
    assert!(!r.path("plain").exists());
    crate::support::run_in(r.dir.path(), &args("ignored-out/g", false), &env).ok();
    crate::support::run_in(r.dir.path(), &args("plain", true), &env).ok();
    assert!(r.path("plain/infra-infra-cp-1.yaml").exists());
}
