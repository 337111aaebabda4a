//! Image Factory commands with the real binary: `genurl`, `schematic`, the system extension
//! check, and `gencommand upgrade` with a schematic run against a stand-in talosctl.
//!
//! The schematic IDs below are facts from upstream, not computed by talforge: the empty one and
//! those of talhelper v3.1.16 `pkg/talos/schematic_test.go` (drbd+zfs; tailscale with
//! `net.ifnames=0`) and of talhelper's gencommand example (intel-ucode with `net.ifnames=0`).

use crate::configs::Repo;
use sha2::{Digest, Sha256};

const VANILLA: &str = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
const INTEL: &str = "9e8cc193609699825d61c039c7738d81cf29c7b20f2a91d8f5c540511b9ea0b4";
const DRBD_ZFS: &str = "98442b5bb4e8d050f30978ce3e6ec22e7bf534d57cafcd51313235128057e612";
const TAILSCALE: &str = "104c23dfe7c5bfeff6a4cc7e166d8b3bba0f371760592c7677c90c822bb1d109";

const TALCONFIG: &str = "clusterName: demo
talosVersion: v1.12.0
kubernetesVersion: v1.35.0
endpoint: https://10.0.0.10:6443
nodes:
  - hostname: cp-1
    ipAddress: 10.0.0.11
    controlPlane: true
    installDisk: /dev/sda
  - hostname: cp-2
    ipAddress: 10.0.0.12
    controlPlane: true
    installDisk: /dev/sda
    schematic:
      customization:
        extraKernelArgs:
          - net.ifnames=0
        systemExtensions:
          officialExtensions:
            - siderolabs/intel-ucode
  - hostname: w-1
    ipAddress: 10.0.0.21
    installDisk: /dev/nvme0n1
    machineSpec:
      arch: arm64
      secureboot: true
    schematic:
      customization:
        systemExtensions:
          officialExtensions:
            - siderolabs/drbd
            - siderolabs/zfs
  - hostname: w-2
    ipAddress: 10.0.0.22
    installDisk: /dev/nvme0n1
    talosImageURL: ghcr.io/example/installer
  - hostname: w-3
    ipAddress: 10.0.0.23
    installDisk: /dev/nvme0n1
    machineSpec:
      mode: nocloud
      bootMethod: disk-image
      imageSuffix: raw.xz
    imageSchematic:
      customization:
        extraKernelArgs:
          - net.ifnames=0
        systemExtensions:
          officialExtensions:
            - siderolabs/tailscale
";

fn talconfig_repo() -> Repo {
    let r = Repo::empty();
    r.write("talconfig.yaml", TALCONFIG);
    r
}

fn stdout(r: &Repo, args: &[&str]) -> String {
    r.run(args).ok().stdout
}

/// talhelper's `genurl installer|image` for the same talconfig, byte for byte: bare for one
/// node, `<hostname>: <url>` for several; `talosImageURL` wins for the installer;
/// `imageSchematic` wins for the boot image; the machine spec picks mode, arch and secure boot.
#[test]
fn genurl_prints_talhelpers_urls_for_a_talconfig() {
    let r = talconfig_repo();
    let f = "factory.talos.dev";
    assert_eq!(
        stdout(&r, &["genurl", "installer", "-c", "talconfig.yaml"]),
        format!(
            "cp-1: {f}/metal-installer/{VANILLA}:v1.12.0\n\
             cp-2: {f}/metal-installer/{INTEL}:v1.12.0\n\
             w-1: {f}/metal-installer-secureboot/{DRBD_ZFS}:v1.12.0\n\
             w-2: ghcr.io/example/installer:v1.12.0\n\
             w-3: {f}/nocloud-installer/{VANILLA}:v1.12.0\n"
        )
    );
    assert_eq!(
        stdout(
            &r,
            &[
                "genurl",
                "installer",
                "-c",
                "talconfig.yaml",
                "-n",
                "10.0.0.12"
            ]
        ),
        format!("{f}/metal-installer/{INTEL}:v1.12.0\n")
    );
    let img = format!("https://{f}/image");
    assert_eq!(
        stdout(&r, &["genurl", "image", "-c", "talconfig.yaml"]),
        format!(
            "cp-1: {img}/{VANILLA}/v1.12.0/metal-amd64.iso\n\
             cp-2: {img}/{INTEL}/v1.12.0/metal-amd64.iso\n\
             w-1: {img}/{DRBD_ZFS}/v1.12.0/metal-arm64-secureboot.iso\n\
             w-2: {img}/{VANILLA}/v1.12.0/metal-amd64.iso\n\
             w-3: {img}/{TAILSCALE}/v1.12.0/nocloud-amd64.raw.xz\n"
        )
    );
    // `iso` whatever the boot method; `--arch` and `--secureboot` override the machine spec.
    assert_eq!(
        stdout(
            &r,
            &[
                "genurl",
                "iso",
                "-c",
                "talconfig.yaml",
                "-n",
                "w-3",
                "--arch",
                "arm64",
                "--secureboot"
            ]
        ),
        format!("{img}/{TAILSCALE}/v1.12.0/nocloud-arm64-secureboot.iso\n")
    );
    let none = r
        .run(&["genurl", "iso", "-c", "talconfig.yaml", "-n", "w-9"])
        .code(1);
    assert!(
        none.stderr.contains("no node with hostname or IP `w-9`"),
        "{}",
        none.stderr
    );
}

/// `talforge schematic` prints the bytes the factory hashes: their sha256 is the ID, which
/// it also prints (stderr, or alone with `--id`).
#[test]
fn schematic_prints_what_the_factory_hashes() {
    let r = talconfig_repo();
    let out = r
        .run(&["schematic", "-c", "talconfig.yaml", "-n", "cp-2"])
        .ok();
    assert_eq!(
        out.stdout,
        "customization:\n    extraKernelArgs:\n        - net.ifnames=0\n    systemExtensions:\n        officialExtensions:\n            - siderolabs/intel-ucode\n"
    );
    let digest: String = Sha256::digest(out.stdout.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(digest, INTEL);
    assert!(out.stderr.contains(INTEL), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("curl -X POST --data-binary @- https://factory.talos.dev/schematics"),
        "{}",
        out.stderr
    );
    assert_eq!(
        stdout(
            &r,
            &[
                "schematic",
                "-c",
                "talconfig.yaml",
                "-n",
                "w-3",
                "--boot",
                "--id"
            ]
        ),
        format!("{TAILSCALE}\n")
    );
    assert_eq!(
        stdout(&r, &["schematic", "-c", "talconfig.yaml", "-n", "w-2"]),
        "customization: {}\n"
    );
    let many = r.run(&["schematic", "-c", "talconfig.yaml"]).code(1);
    assert!(
        many.stderr.contains("use 3 schematics") && many.stderr.contains("-n NODE"),
        "{}",
        many.stderr
    );
    let ext = stdout(&r, &["schematic", "-c", "talconfig.yaml", "--extensions"]);
    assert!(ext.lines().any(|l| l == "siderolabs/iscsi-tools"), "{ext}");
    assert_eq!(
        ext.lines().count(),
        77,
        "Talos v1.12.0's official extensions"
    );
}

const EDGE: &str = r#"let c = cluster("edge", #{ endpoint: "https://10.1.0.11:6443", talos: "v1.12.0", kubernetes: "v1.35.0",
                          machine_spec: #{ secureboot: true } });
c.node("edge-1", "10.1.0.11", #{
    control_plane: true,
    install_disk: "/dev/sda",
    schematic: #{ customization: #{
        extraKernelArgs: ["net.ifnames=0"],
        systemExtensions: #{ officialExtensions: ["siderolabs/intel-ucode"] },
    } },
});
c.node("edge-2", "10.1.0.12", #{ install_disk: "/dev/sda",
                                machine_spec: #{ arch: "arm64" } });
"#;

fn edge_repo(script: &str) -> Repo {
    let r = Repo::empty();
    let age = format!(
        "age: \"{}\",\n                          machine_spec",
        r.recipient
    );
    r.write(
        "clusters/edge.rhai",
        &script.replacen("machine_spec", &age, 1),
    );
    r
}

/// A misspelt extension is an error at its string in the script with the nearest official
/// name; `no_schematic_validate` skips the check as talhelper's key does.
#[test]
fn unknown_extensions_are_errors_at_their_script_line() {
    let bad = EDGE.replace("siderolabs/intel-ucode", "siderolabs/intel-ucod");
    let r = edge_repo(&bad);
    for cmd in [
        &["check", "clusters/edge.rhai"][..],
        &["genurl", "installer", "clusters/edge.rhai"],
    ] {
        let e = r.run(cmd).code(1);
        assert!(
            e.stderr.contains(
                "`siderolabs/intel-ucod` is not an official system extension for Talos v1.12.0"
            ) && e.stderr.contains("clusters/edge.rhai:9:51 ]")
                && e.stderr.contains("did you mean `siderolabs/intel-ucode`?"),
            "{cmd:?}: {}",
            e.stderr
        );
    }
    let skipped = bad.replace(
        "control_plane: true,",
        "control_plane: true, no_schematic_validate: true,",
    );
    let r = edge_repo(&skipped);
    r.run(&["check", "clusters/edge.rhai"]).ok();
}

/// The same in a talconfig: at its line for genconfig (and every command that reads it),
/// unless `noSchematicValidate`.
#[test]
fn unknown_extensions_are_errors_at_their_talconfig_line() {
    let r = Repo::empty();
    r.write(
        "talconfig.yaml",
        &TALCONFIG.replace("siderolabs/zfs", "siderolabs/zsf"),
    );
    for cmd in [
        &["genconfig"][..],
        &["genurl", "image", "-c", "talconfig.yaml"],
    ] {
        let e = r.run(cmd).code(1);
        assert!(
            e.stderr
                .contains("`siderolabs/zsf` is not an official system extension for Talos v1.12.0")
                && e.stderr.contains("talconfig.yaml:32:")
                && e.stderr.contains("did you mean `siderolabs/zfs`?"),
            "{cmd:?}: {}",
            e.stderr
        );
    }
    r.write(
        "talconfig.yaml",
        &TALCONFIG
            .replace("siderolabs/zfs", "siderolabs/zsf")
            .replace(
                "    machineSpec:\n      arch: arm64",
                "    noSchematicValidate: true\n    machineSpec:\n      arch: arm64",
            ),
    );
    assert!(
        stdout(
            &r,
            &["genurl", "installer", "-c", "talconfig.yaml", "-n", "w-1"]
        )
        .starts_with("factory.talos.dev/metal-installer-secureboot/")
    );
}

/// `gencommand upgrade | bash` with a stand-in talosctl: each node is upgraded to the installer
/// of its schematic and machine spec (secure boot from the cluster's `machine_spec`), the
/// same image its machine config installs.
#[test]
fn gencommand_upgrade_runs_with_the_schematic_installer() {
    let r = edge_repo(EDGE);
    r.run(&["run", "clusters/edge.rhai"]).ok();
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("calls");
    std::fs::create_dir(&record).unwrap();
    let stub = bin.path().join("talosctl");
    std::fs::write(
        &stub,
        format!(
            "#!/bin/sh\nn=$(ls {rec} | wc -l)\nprintf '%s\\n' \"$@\" > {rec}/$n.args\n",
            rec = record.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let lines = stdout(&r, &["gencommand", "upgrade", "clusters/edge.rhai"]);
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap()
    );
    let ran = std::process::Command::new("bash")
        .current_dir(r.dir.path())
        .env("PATH", path)
        .arg("-c")
        .arg(&lines)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let tc = "--talosconfig=clusters/edge/talos/clusterconfig/talosconfig";
    // A node's own `machine_spec` replaces the cluster's whole, as talhelper merges a node
    // over its group: edge-2 (arm64) boots without secure boot.
    let images = [
        ("edge-1", format!("metal-installer-secureboot/{INTEL}")),
        ("edge-2", format!("metal-installer/{VANILLA}")),
    ];
    for (i, (host, path)) in images.iter().enumerate() {
        let image = format!("factory.talos.dev/{path}:v1.12.0");
        let args = std::fs::read_to_string(record.join(format!("{i}.args"))).unwrap();
        assert_eq!(
            args,
            format!(
                "upgrade\n{tc}\n--nodes=10.1.0.1{}\n--image={image}\n",
                i + 1
            )
        );
        let config = r.decrypt(&format!(
            "clusters/edge/talos/clusterconfig/edge-{host}.sops.yaml"
        ));
        assert_eq!(
            config[0]
                .get_path("machine.install.image")
                .and_then(talforge::yaml::Yaml::as_str),
            Some(image.as_str()),
            "{host}"
        );
    }
    // The talconfig the run wrote says the same to talhelper.
    let talconfig = r.read("clusters/edge/talos/talconfig.yaml");
    assert!(
        talconfig.contains("    machineSpec:\n      secureboot: true\n"),
        "{talconfig}"
    );
}

/// Real configs whose nodes name both a schematic and the factory installer made from it
/// (`talosImageURL: factory.talos.dev/.../<id>`): the ID talforge computes for the schematic
/// is the one in the URL. (Of the corpus's 12 distinct schematic + URL pairs, these 7 agree;
/// the other 5 URLs name a different schematic than the file's, stale or on purpose.)
#[test]
fn real_configs_schematic_ids_match_their_installer_urls() {
    use talforge::yaml::{EmitOptions, Yaml, emit_document, parse_documents};
    let cases = [
        ("Heavybullets8--heavy-ops", "heavy-control"),
        ("Vikaspogu--k8s-gitops", "k8s-3-pxm"),
        ("danielclasen--homelab-infra", "tcpl-01"),
        ("danielclasen--homelab-infra", "tworker-01"),
        ("rodent1--home-ops", "node-1.internal"),
        ("rodent1--home-ops", "node-4.internal"),
        ("zocimek--home-ops", "goku.internal"),
    ];
    let r = Repo::empty();
    for (dir, host) in cases {
        let path = crate::support::repo().join(format!("tests/corpus/{dir}/talconfig.yaml"));
        let doc = parse_documents(&std::fs::read_to_string(&path).unwrap()).unwrap()[0]
            .value
            .clone();
        let node = doc
            .get("nodes")
            .and_then(Yaml::as_seq)
            .unwrap()
            .iter()
            .find(|n| n.get("hostname").and_then(Yaml::as_str) == Some(host))
            .unwrap()
            .clone();
        let group = doc
            .get(if node.get("controlPlane") == Some(&Yaml::Bool(true)) {
                "controlPlane"
            } else {
                "worker"
            })
            .cloned()
            .unwrap_or(Yaml::Null);
        let own = |k: &str| node.get(k).or_else(|| group.get(k)).cloned().unwrap();
        let url = own("talosImageURL");
        let want = url
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .split(':')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(want.len(), 64, "{dir} {host}: {url:?}");
        let tc = Yaml::from_pairs([
            ("clusterName", Yaml::str("x")),
            ("kubernetesVersion", Yaml::str("v1.35.0")),
            ("endpoint", Yaml::str("https://10.0.0.10:6443")),
            (
                "nodes",
                Yaml::Seq(vec![Yaml::from_pairs([
                    ("hostname", Yaml::str("a")),
                    ("ipAddress", Yaml::str("10.0.0.11")),
                    ("noSchematicValidate", Yaml::Bool(true)),
                    ("schematic", own("schematic")),
                ])]),
            ),
        ]);
        r.write(
            "talconfig.yaml",
            &emit_document(&tc, &EmitOptions { indent: 2 }),
        );
        let got = stdout(&r, &["schematic", "-c", "talconfig.yaml", "--id"]);
        assert_eq!(got.trim(), want, "{dir} {host}");
    }
}

/// Schematic and machine spec mistakes in a talconfig: at the key or value, with a hint;
/// an image factory template talforge cannot evaluate is an error in a script.
#[test]
fn schematic_and_machine_spec_mistakes_are_errors_at_their_line() {
    let r = Repo::empty();
    r.write(
        "talconfig.yaml",
        &TALCONFIG.replacen("        systemExtensions:", "        systemExtension:", 1),
    );
    let e = r.run(&["genconfig"]).code(1);
    assert!(
        e.stderr
            .contains("schematic `customization.systemExtension` is not a schematic field")
            && e.stderr.contains("talconfig.yaml:18:9 ]")
            && e.stderr.contains("did you mean `systemExtensions`?"),
        "{}",
        e.stderr
    );
    r.write(
        "talconfig.yaml",
        &TALCONFIG.replace("imageSuffix: raw.xz", "imageSuffix: raw.xzz"),
    );
    let e = r.run(&["genurl", "image", "-c", "talconfig.yaml"]).code(1);
    assert!(
        e.stderr
            .contains("image suffix `raw.xzz` for disk-image should be one of raw.zst")
            && e.stderr.contains("talconfig.yaml:43:20 ]"),
        "{}",
        e.stderr
    );
    let r = edge_repo(&EDGE.replace(
        "machine_spec: #{ secureboot: true }",
        "machine_spec: #{ secureboot: true }, image_factory: #{ installer_url_tmpl: \"{{ .Registry }}/x\" }",
    ));
    let e = r.run(&["check", "clusters/edge.rhai"]).code(1);
    assert!(
        e.stderr.contains(
            "option `image_factory`: `installer_url_tmpl`: no field `.Registry`; the fields are .RegistryURL"
        ),
        "{}",
        e.stderr
    );
}
