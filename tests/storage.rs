//! Disks, volumes, files, kernel modules, extension services and manifests end to end: a
//! script's `run` writes them into talconfig.yaml and the machine configs, `genconfig` on
//! that talconfig.yaml and `import` → `run` give the same configs, bad options are
//! diagnostics at their line.

use crate::configs::Repo;
use crate::support::snapshot;
use std::path::Path;

fn script(recipient: &str) -> String {
    format!(
        r#"import "talos" as talos;
let c = cluster("lab", #{{ endpoint: "https://10.0.0.11:6443", talos: "v1.12.0", age: "{recipient}" }});
c.volume("EPHEMERAL", #{{ disk: "system_disk", min_size: "50GB", max_size: "95GB", grow: false }});
c.inline_manifest("apps", #{{ apiVersion: "v1", kind: "Namespace", metadata: #{{ name: "apps" }} }});
talos::longhorn(c, "system_disk", "100GiB");
for i in 1..=2 {{
    c.node(`lab-${{i}}`, ip("10.0.0.10") + i, #{{ control_plane: true, disk: #{{ uuid: "4f2c", modalias: "scsi:t-0x00", model: "Samsung*" }},
                                         kernel_modules: ["rbd", #{{ name: "br_netfilter", parameters: ["nf_conntrack_max=131072"] }}] }})
     .interface("eth0", #{{ dhcp: true }})
     .user_volume("ceph", #{{ type: "disk", disk: "disk.transport == 'nvme' && !system_disk" }})
     .extension_service("nut-client", #{{ config_files: [#{{ content: "MONITOR ups@nas 1 u p secondary", mount_path: "/usr/local/etc/nut/upsmon.conf" }}] }})
     .file("/var/etc/motd", #{{ content: "hello", permissions: 0o600 }})
     .machine_disk("/dev/sdb", [#{{ mountpoint: "/var/mnt/sata" }}])
     .extra_manifest("watchdog", #{{ apiVersion: "v1alpha1", kind: "WatchdogTimerConfig", device: "/dev/watchdog0", timeout: "5m" }});
}}
c.node("lab-3", "10.0.0.13", #{{ install_disk: "/dev/sda", ignore_hostname: true, filename: "{{{{.Role}}}}-{{{{.Hostname}}}}.yaml" }})
 .interface("eth0", #{{ dhcp: true }})
 .kernel_module("i915", ["enable_guc=3"]);
"#
    )
}

fn plaintext_run(r: &Repo, script: &str, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let mut args = vec!["run", script, "--plaintext", o.as_str()];
    args.extend_from_slice(extra);
    r.run(&args).ok();
    out
}

fn yaml_files(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    snapshot(dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "yaml"))
        .collect()
}

#[test]
fn machine_and_storage_options_render_and_round_trip() {
    let r = Repo::empty();
    r.write("clusters/lab.rhai", &script(&r.recipient));
    let out = plaintext_run(&r, "clusters/lab.rhai", &[]);
    let files = yaml_files(out.path());
    let names: Vec<String> = files
        .keys()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["lab-lab-1.yaml", "lab-lab-2.yaml", "worker-lab-3.yaml"],
        "filename template"
    );
    let file = |name: &str| {
        let (_, bytes) = files.iter().find(|(p, _)| p.ends_with(name)).unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    };
    let cp = file("lab-lab-1.yaml");
    for want in [
        "kind: ExtensionServiceConfig\nname: nut-client\n",
        "kind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n    diskSelector:\n        match: system_disk\n    grow: false\n    minSize: 50GB\n    maxSize: 95GB\n",
        "kind: UserVolumeConfig\nname: longhorn\n",
        "kind: UserVolumeConfig\nname: ceph\nvolumeType: disk\nprovisioning:\n    diskSelector:\n        match: disk.transport == 'nvme' && !system_disk\n",
        "            - name: br_netfilter\n              parameters:\n                - nf_conntrack_max=131072\n",
        "    disks:\n        - device: /dev/sdb\n          partitions:\n            - mountpoint: /var/mnt/sata\n",
        "            modalias: scsi:t-0x00\n            uuid: 4f2c\n",
        "    inlineManifests:\n        - name: apps\n",
        "apiVersion: v1alpha1\nkind: WatchdogTimerConfig\ndevice: /dev/watchdog0\n",
    ] {
        assert!(cp.contains(want), "missing {want:?} in\n{cp}");
    }
    // Extra manifests come last, after every patch and network document.
    assert!(cp.trim_end().ends_with("timeout: 5m"), "{cp}");
    let wk = file("worker-lab-3.yaml");
    assert!(wk.contains("kind: HostnameConfig\nauto: stable\n"), "{wk}");
    assert!(wk.contains("- name: i915\n"), "{wk}");
    assert!(!wk.contains("kind: UserVolumeConfig\nname: ceph"), "{wk}");

    let tc = r.read("clusters/lab/talos/talconfig.yaml");
    for want in [
        "    userVolumes:\n",
        "    extensionServices:\n",
        "    machineFiles:\n",
        "    machineDisks:\n",
        "    extraManifests:\n      - '@./manifests/watchdog.yaml'\n",
        "    ignoreHostname: true\n",
        "    filenameTmpl: '{{.Role}}-{{.Hostname}}.yaml'\n",
        "inlineManifests:\n",
        "        parameters:\n          - nf_conntrack_max=131072\n",
    ] {
        assert!(tc.contains(want), "missing {want:?} in\n{tc}");
    }
    assert!(
        r.read("clusters/lab/talos/manifests/watchdog.yaml")
            .contains("kind: WatchdogTimerConfig")
    );

    // genconfig on the talconfig.yaml the run wrote gives the same configs.
    let gen_out = tempfile::tempdir().unwrap();
    r.run(&[
        "genconfig",
        "-c",
        "clusters/lab/talos/talconfig.yaml",
        "--out-dir",
        &gen_out.path().display().to_string(),
    ])
    .ok();
    let gen_files: Vec<_> = yaml_files(gen_out.path()).into_values().collect();
    assert_eq!(
        gen_files,
        files.values().cloned().collect::<Vec<_>>(),
        "genconfig"
    );

    // import → run with the same bundle gives the same configs.
    r.run(&[
        "import",
        "clusters/lab/talos/talconfig.yaml",
        "-o",
        "imported/lab.rhai",
    ])
    .ok();
    let imported = r.read("imported/lab.rhai");
    for want in [
        "n.user_volume(\"ceph\", #{ type: \"disk\"",
        "n.volume(\"EPHEMERAL\", #{ disk: \"system_disk\", min_size: \"50GB\", max_size: \"95GB\", grow: false })",
        "n.file(\"/var/etc/motd\", #{ content: \"hello\", permissions: 0o600, op: \"create\" })",
        "c.inline_manifest(\"apps\", ",
        "ignore_hostname: true",
    ] {
        assert!(imported.contains(want), "missing {want:?} in\n{imported}");
    }
    let import_out = plaintext_run(
        &r,
        "imported/lab.rhai",
        &["--secret-file", "clusters/lab/talos/talsecret.sops.yaml"],
    );
    let imported_files: Vec<_> = yaml_files(import_out.path()).into_values().collect();
    assert_eq!(
        imported_files,
        files.values().cloned().collect::<Vec<_>>(),
        "import"
    );
}

fn fails(body: &str) -> String {
    let r = Repo::empty();
    let text = format!(
        "let c = cluster(\"lab\", #{{ endpoint: \"https://10.0.0.11:6443\", talos: \"v1.12.0\", age: \"{}\" }});\nlet n = c.node(\"lab-1\", \"10.0.0.11\", #{{ control_plane: true, install_disk: \"/dev/sda\" }});\n{body}\n",
        r.recipient
    );
    r.write("clusters/lab.rhai", &text);
    let before = snapshot(r.dir.path());
    let out = r.run(&["check", "clusters/lab.rhai"]).code(1);
    assert_eq!(snapshot(r.dir.path()), before, "nothing written");
    out.stderr
}

#[test]
fn bad_storage_options_are_diagnostics_at_their_line() {
    let cases = [
        (
            "n.user_volume(\"data\", #{ min_size: \"10GiB\" });",
            "user volume `data` needs a `disk`",
        ),
        (
            "n.volume(\"DATA\", #{ disk: \"system_disk\" });",
            "`DATA` is not a system volume",
        ),
        (
            "n.user_volume(\"data\", #{ disk: \"system_disk\", max_size: \"lots\" });",
            "volume option `max_size`: `lots` is not a size",
        ),
        (
            "n.user_volume(\"data\", #{ disk: \"system_disk\", min_size: \"1GiB\", encryption: #{ provider: \"luks2\", keys: [#{ slot: 0, \"static\": #{ passphrase: \"x\" } }] } });",
            "a static passphrase in a script would be written to talconfig.yaml in plaintext",
        ),
        (
            "n.file(\"etc/x\", #{ content: \"x\" });",
            "file path `etc/x` is not absolute",
        ),
        (
            "n.file(\"/var/x\", #{ content: \"x\", op: \"replace\" });",
            "invalid file `op` value `replace`",
        ),
        (
            "n.extension_service(\"nut\", #{});",
            "extension service `nut` needs `config_files` or `environment`",
        ),
        (
            "n.user_volume(\"a\", #{ disk: \"system_disk\", min_size: \"1GiB\", filesystem: \"zfs\" });",
            "invalid user volume `filesystem` value `zfs`",
        ),
    ];
    for (body, want) in cases {
        let err = fails(body);
        assert!(err.contains(want), "{body}: {err}");
        assert!(err.contains("lab.rhai:3:"), "{body}: at line 3: {err}");
    }
}
