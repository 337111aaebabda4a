//! talhelper's templated patches and SOPS-encrypted `@file`s through the real binary:
//! `genconfig` renders templates against each node's config and `import` → `run` gives the
//! same configs; an encrypted machine file is decrypted for genconfig, refused by import.

use crate::configs::Repo;
use crate::support::{Run, run_in};
use std::path::Path;

const TALCONFIG: &str = "clusterName: lab\ntalosVersion: v1.11.5\nkubernetesVersion: v1.34.0\nendpoint: https://10.0.0.11:6443\nnodes:\n  - hostname: lab-1\n    ipAddress: 10.0.0.11\n    controlPlane: true\n    installDisk: /dev/sda\n  - hostname: lab-2\n    ipAddress: 10.0.0.12\n    controlPlane: false\n    installDisk: /dev/sda\npatches:\n  - \"@./patches/tag.yaml\"\n";

/// A file patch with `if`, a field, a template variable and a `${VAR}` (substituted after
/// rendering). Talos v1.11: from v1.12 the hostname is a `HostnameConfig` document, and
/// `.MachineConfig.MachineNetwork.NetworkHostname` is empty (in talhelper too).
const TAG: &str = "machine:\n  # {{ .MachineConfig.MachineType }} in a comment is rendered too\n  env:\n{{- $h := .MachineConfig.MachineNetwork.NetworkHostname }}\n    TALFORGE_HOST: \"{{ $h }}-${SUFFIX}\"\n{{- if eq .MachineConfig.MachineType \"worker\" }}\n    TALFORGE_WORKER: \"1\"\n{{- end }}\n";

fn arg(p: &Path) -> String {
    p.display().to_string()
}

/// `talforge secrets gen -o BUNDLE` in `dir`.
fn secrets_gen(dir: &Path, bundle: &Path) {
    run_in(
        dir,
        &["secrets".into(), "gen".into(), "-o".into(), arg(bundle)],
        &[],
    )
    .code(0);
}

/// `talforge genconfig -c talconfig.yaml -s BUNDLE -o OUT [--force]` in `src`.
fn genconfig(src: &Path, bundle: &Path, out: &str, force: bool, env: &[(String, String)]) -> Run {
    let mut args: Vec<String> = ["genconfig", "-c", "talconfig.yaml", "-s"]
        .map(String::from)
        .to_vec();
    args.extend([arg(bundle), "-o".into(), out.into()]);
    if force {
        args.push("--force".into());
    }
    run_in(src, &args, env)
}

fn configs(dir: &Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn templated_patches_render_in_genconfig_and_survive_import() {
    let keys = Repo::empty();
    let root = keys.dir.path();
    std::fs::write(
        root.join(".sops.yaml"),
        format!(
            "creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    age: {}\n",
            keys.recipient
        ),
    )
    .unwrap();
    let src = root.join("src");
    std::fs::create_dir_all(src.join("patches")).unwrap();
    std::fs::write(src.join("talconfig.yaml"), TALCONFIG).unwrap();
    std::fs::write(src.join("patches/tag.yaml"), TAG).unwrap();
    std::fs::write(src.join("talenv.yaml"), "SUFFIX: x\n").unwrap();
    let bundle = root.join("bundle.yaml");
    secrets_gen(root, &bundle);
    let env = [("SOPS_AGE_KEY_FILE".to_string(), arg(&keys.key_file))];
    let out = root.join("gen");
    let g = genconfig(&src, &bundle, &arg(&out), true, &env);
    assert_eq!(g.code, 0, "{}", g.stderr);
    let generated = configs(&out);
    let cp = &generated["lab-lab-1.yaml"];
    let worker = &generated["lab-lab-2.yaml"];
    assert!(cp.contains("TALFORGE_HOST: lab-1-x\n"), "{cp}");
    assert!(!cp.contains("TALFORGE_WORKER"), "{cp}");
    assert!(worker.contains("TALFORGE_HOST: lab-2-x\n"), "{worker}");
    assert!(worker.contains("TALFORGE_WORKER: \"1\"\n"), "{worker}");
    assert!(!cp.contains("{{") && !worker.contains("{{"));

    let script = src.join("imported.rhai");
    let i = run_in(
        &src,
        &[
            "import".into(),
            "talconfig.yaml".into(),
            "-o".into(),
            arg(&script),
        ],
        &env,
    );
    assert_eq!(i.code, 0, "{}", i.stderr);
    let outside = tempfile::tempdir().unwrap();
    let plain = outside.path().join("plain");
    let r = run_in(
        &src,
        &[
            "run".into(),
            arg(&script),
            "--out".into(),
            arg(&root.join("out")),
            "--secret-file".into(),
            arg(&bundle),
            "--plaintext".into(),
            arg(&plain),
        ],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(configs(&plain), generated);
}

/// A template that fails names the patch and the node.
#[test]
fn a_failing_patch_template_names_the_patch_and_node() {
    let keys = Repo::empty();
    let src = keys.dir.path().join("src");
    std::fs::create_dir_all(src.join("patches")).unwrap();
    std::fs::write(src.join("talconfig.yaml"), TALCONFIG).unwrap();
    std::fs::write(
        src.join("patches/tag.yaml"),
        "machine:\n  env:\n    A: \"{{ .MachineConfig.NoSuchField }}\"\n",
    )
    .unwrap();
    let bundle = keys.path("bundle.yaml");
    secrets_gen(keys.dir.path(), &bundle);
    let g = genconfig(&src, &bundle, "out", false, &[]);
    assert_eq!(g.code, 1, "{}", g.stderr);
    assert!(
        g.stderr
            .contains("the Go template in patch `./patches/tag.yaml` fails")
            && g.stderr.contains("NoSuchField")
            && g.stderr
                .contains("while patching the machine config of `lab-1`"),
        "{}",
        g.stderr
    );
    assert!(!src.join("out").exists());
}

/// A SOPS-encrypted `machineFiles` `@file` is decrypted into genconfig's machine config (as
/// talhelper's `SubstituteFileContent`); `import` refuses to write its plaintext into a script.
#[test]
fn an_encrypted_machine_file_is_decrypted_for_genconfig_and_refused_by_import() {
    let keys = Repo::empty();
    let src = keys.dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("token.sops.yaml"), "token: s3cr3t-machine-file\n").unwrap();
    let enc = run_in(
        &src,
        &[
            "encrypt".into(),
            "--age".into(),
            keys.recipient.clone(),
            "-i".into(),
            "token.sops.yaml".into(),
        ],
        &[],
    );
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    let text = std::fs::read_to_string(src.join("token.sops.yaml")).unwrap();
    assert!(!text.contains("s3cr3t"), "{text}");
    let talconfig = TALCONFIG.replace(
        "patches:\n  - \"@./patches/tag.yaml\"\n",
        "    machineFiles:\n      - content: \"@./token.sops.yaml\"\n        path: /var/etc/token.yaml\n        permissions: 0o600\n        op: create\n",
    );
    std::fs::write(src.join("talconfig.yaml"), talconfig).unwrap();
    let bundle = keys.path("bundle.yaml");
    secrets_gen(keys.dir.path(), &bundle);
    let env = [("SOPS_AGE_KEY_FILE".to_string(), arg(&keys.key_file))];
    let g = genconfig(&src, &bundle, "out", true, &env);
    assert_eq!(g.code, 0, "{}", g.stderr);
    let worker = std::fs::read_to_string(src.join("out/lab-lab-2.yaml")).unwrap();
    assert!(worker.contains("token: s3cr3t-machine-file"), "{worker}");
    let script = src.join("imported.rhai");
    let i = run_in(
        &src,
        &[
            "import".into(),
            "talconfig.yaml".into(),
            "-o".into(),
            arg(&script),
        ],
        &env,
    );
    assert_eq!(i.code, 1, "{}", i.stderr);
    assert!(
        i.stderr.contains("token.sops.yaml` is SOPS-encrypted"),
        "{}",
        i.stderr
    );
    assert!(!i.stderr.contains("s3cr3t") && !script.exists());
    // Without the key, genconfig says it cannot decrypt the file.
    let g = genconfig(
        &src,
        &bundle,
        "out2",
        true,
        &[
            ("SOPS_AGE_KEY_FILE".to_string(), "/nonexistent".to_string()),
            ("HOME".to_string(), arg(keys.dir.path())),
        ],
    );
    assert_eq!(g.code, 1, "{}", g.stderr);
    assert!(g.stderr.contains("cannot decrypt `"), "{}", g.stderr);
}

/// An inline templated patch renders in genconfig; import refuses it (a script's inline patch
/// is a map), pointing at the patch.
#[test]
fn an_inline_template_renders_and_import_asks_for_a_file() {
    let keys = Repo::empty();
    let src = keys.dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    let talconfig = TALCONFIG.replace(
        "  - \"@./patches/tag.yaml\"\n",
        "  - |\n    machine:\n      env:\n        ROLE: \"{{ .MachineConfig.MachineType }}\"\n",
    );
    std::fs::write(src.join("talconfig.yaml"), talconfig).unwrap();
    let bundle = keys.path("bundle.yaml");
    secrets_gen(keys.dir.path(), &bundle);
    let g = genconfig(&src, &bundle, "out", true, &[]);
    assert_eq!(g.code, 0, "{}", g.stderr);
    let worker = std::fs::read_to_string(src.join("out/lab-lab-2.yaml")).unwrap();
    assert!(worker.contains("ROLE: worker\n"), "{worker}");
    let i = run_in(&src, &["import".into(), "talconfig.yaml".into()], &[]);
    assert_eq!(i.code, 1, "{}", i.stderr);
    assert!(
        i.stderr.contains("an inline patch holds a Go template")
            && i.stderr.contains("talconfig.yaml:"),
        "{}",
        i.stderr
    );
}
