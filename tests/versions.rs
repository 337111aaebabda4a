//! Talos and Kubernetes versions end to end: a v1.13 cluster on Kubernetes 1.36 runs, checks
//! and validates; a v1.14 cluster gets the `Kube*Config` documents; pre-releases render with
//! the nearest contract and say so.

use crate::configs::Repo;
use talforge::yaml::{Yaml, parse_documents};

/// The infra script on other versions, encrypted for a key generated here.
fn infra_on(talos: &str, kubernetes: &str) -> Repo {
    let r = Repo::infra();
    let script = r
        .read("clusters/infra.rhai")
        .replace("talos: \"v1.12.0\"", &format!("talos: \"{talos}\""))
        .replace(
            "kubernetes: \"v1.35.0\"",
            &format!("kubernetes: \"{kubernetes}\""),
        );
    assert!(script.contains(talos) && script.contains(kubernetes));
    r.write("clusters/infra.rhai", &script);
    r
}

fn plaintext(r: &Repo) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let run = r
        .run(&[
            "run",
            "clusters/infra.rhai",
            "--plaintext",
            &out.path().display().to_string(),
        ])
        .ok();
    (out, run.stderr)
}

fn docs(path: &std::path::Path) -> Vec<Yaml> {
    let text = std::fs::read_to_string(path).unwrap();
    parse_documents(&text)
        .unwrap()
        .into_iter()
        .map(|d| d.value)
        .collect()
}

fn str_at<'a>(doc: &'a Yaml, path: &str) -> &'a str {
    doc.get_path(path)
        .and_then(Yaml::as_str)
        .unwrap_or_else(|| panic!("{path}"))
}

#[test]
fn talos_1_13_on_kubernetes_1_36_runs_checks_and_validates() {
    let r = infra_on("v1.13.9", "v1.36.4");
    // Talos v1.13 warns on an 802.3ad bond without link timers (bond.go `validateFor8023AD`)
    let warned = r.run(&["check", "clusters/infra.rhai"]).ok();
    assert!(
        warned.stderr.contains(
            "Warning: machine config of `infra-cp-1`: miimon was not specified for 802.3ad bond"
        ),
        "{}",
        warned.stderr
    );
    let script = r.read("clusters/infra.rhai").replace(
        "mode: \"802.3ad\",",
        "mode: \"802.3ad\", miimon: 100, updelay: 200, downdelay: 200,",
    );
    assert!(script.contains("downdelay: 200"));
    r.write("clusters/infra.rhai", &script);
    let check = r.run(&["check", "clusters/infra.rhai"]).ok();
    // Talos 1.13's own BondConfig warnings (an 802.3ad bond without miimon) may print; no
    // version warning does.
    let no_version_warning = |stderr: &str| {
        for w in [
            "pin `talos:`",
            "pre-release",
            "contract",
            "too new",
            "too old",
            "rror",
        ] {
            assert!(!stderr.contains(w), "{w}: {stderr}");
        }
    };
    no_version_warning(&check.stderr);
    assert!(
        check.stdout.contains("1 cluster, 6 nodes, ok"),
        "{}",
        check.stdout
    );
    let (out, stderr) = plaintext(&r);
    no_version_warning(&stderr);
    let talconfig = r.read("clusters/infra/talos/talconfig.yaml");
    assert!(talconfig.contains("talosVersion: v1.13.9\n"), "{talconfig}");
    assert!(
        talconfig.contains("kubernetesVersion: v1.36.4\n"),
        "{talconfig}"
    );
    for host in ["infra-cp-1", "infra-wk-1"] {
        let file = out.path().join(format!("infra-{host}.yaml"));
        let d = docs(&file);
        let m = &d[0];
        assert_eq!(
            str_at(m, "machine.kubelet.image"),
            "ghcr.io/siderolabs/kubelet:v1.36.4"
        );
        assert!(str_at(m, "machine.install.image").ends_with(":v1.13.9"));
        // Contract 1.13: no empty `machine.network` any more.
        assert_eq!(m.get_path("machine.network"), None, "{host}");
        if host.starts_with("infra-cp") {
            for (key, image) in [
                ("cluster.apiServer.image", "registry.k8s.io/kube-apiserver"),
                (
                    "cluster.controllerManager.image",
                    "registry.k8s.io/kube-controller-manager",
                ),
                ("cluster.scheduler.image", "registry.k8s.io/kube-scheduler"),
            ] {
                assert_eq!(str_at(m, key), format!("{image}:v1.36.4"));
            }
        }
        let v = r
            .run(&[
                "validate",
                "-c",
                &file.display().to_string(),
                "--mode",
                "metal",
            ])
            .ok();
        assert_eq!(
            v.stdout,
            format!("{} is valid for metal mode\n", file.display())
        );
        // Only Talos 1.13's BondConfig warnings, as talosctl prints them.
        for line in v.stderr.lines() {
            assert!(
                line.starts_with("WARNING: ")
                    && line.ends_with("was not specified for 802.3ad bond"),
                "{}",
                v.stderr
            );
        }
    }
    // Re-running changes nothing.
    let again = r.run(&["run", "clusters/infra.rhai", "--check"]).ok();
    assert!(again.stdout.starts_with("up to date"), "{}", again.stdout);
}

/// A cluster that uses only what Talos 1.14 keeps in its documents (no legacy patches).
fn lab_on(talos: &str) -> Repo {
    let r = Repo::empty();
    let script = format!(
        r#"let c = cluster("lab", #{{ endpoint: "https://10.0.0.10:6443", talos: "{talos}",
                           kubernetes: "v1.37.0-rc.0", age: "{}" }});
c.bond("bond0", ["enp0s1", "enp0s2"], #{{ mode: "802.3ad", lacp_rate: "fast", miimon: 100,
                                          updelay: 200, downdelay: 200, mtu: 9000, dhcp: true }});
c.vip(ip("10.0.0.10"));
c.node("lab-cp-1", ip("10.0.0.11"), #{{ control_plane: true, install_disk: "/dev/nvme0n1" }});
c.node("lab-wk-1", ip("10.0.0.14"), #{{ control_plane: false, install_disk: "/dev/nvme0n1" }});
"#,
        r.recipient
    );
    r.write("clusters/lab.rhai", &script);
    r
}

fn kinds(d: &[Yaml]) -> Vec<String> {
    d.iter()
        .map(|x| {
            x.get("kind")
                .and_then(Yaml::as_str)
                .unwrap_or("v1alpha1")
                .to_string()
        })
        .collect()
}

#[test]
fn talos_1_14_renders_its_kubernetes_documents_and_validates() {
    let r = lab_on("v1.14.0-rc.1");
    let check = r.run(&["check", "clusters/lab.rhai"]).ok();
    assert!(
        check.stderr.contains(
            "Talos v1.14.0-rc.1 is a pre-release; machine configs follow the v1.14 contract"
        ),
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains("rror"), "{}", check.stderr);
    assert!(
        check.stdout.contains("1 cluster, 2 nodes, ok"),
        "{}",
        check.stdout
    );
    let out = tempfile::tempdir().unwrap();
    let run = r
        .run(&[
            "run",
            "clusters/lab.rhai",
            "--plaintext",
            &out.path().display().to_string(),
        ])
        .ok();
    assert!(!run.stderr.contains("rror"), "{}", run.stderr);
    let cp = docs(&out.path().join("lab-lab-cp-1.yaml"));
    assert_eq!(
        kinds(&cp),
        [
            "v1alpha1",
            "DiscoveryServiceConfig",
            "DiscoveryIdentityConfig",
            "UnattendedInstallConfig",
            "ResolverConfig",
            "VolumeConfig",
            "FilesystemTrimConfig",
            "SecurityProfileConfig",
            "HostnameConfig",
            "KubeClusterConfig",
            "KubeNodeConfig",
            "KubeletConfig",
            "KubeNetworkConfig",
            "KubeAPIServerCAConfig",
            "KubePrismConfig",
            "KubeAggregatorCAConfig",
            "KubeAdmissionControlConfig",
            "KubeAuditPolicyConfig",
            "KubeAuthenticationConfig",
            "KubeAuthorizerConfig",
            "KubeAuthorizerConfig",
            "KubeEtcdEncryptionConfig",
            "KubeServiceAccountConfig",
            "KubeAPIServerConfig",
            "KubeControllerManagerConfig",
            "KubeSchedulerConfig",
            "KubeProxyConfig",
            "KubeFlannelCNIConfig",
            "KubeCoreDNSConfig",
            "BondConfig",
            "DHCPv4Config",
            "Layer2VIPConfig",
        ]
    );
    // The v1alpha1 document keeps the machine identity, the cluster token and etcd only.
    assert_eq!(cp[0].get_path("machine.kubelet"), None);
    assert_eq!(cp[0].get_path("machine.install"), None);
    assert_eq!(cp[0].get_path("cluster.controlPlane"), None);
    assert!(cp[0].get_path("cluster.etcd.ca").is_some());
    let install = &cp[3];
    assert!(str_at(install, "installer.image").ends_with(":v1.14.0-rc.1"));
    assert_eq!(
        str_at(install, "provisioning.diskSelector.match"),
        "disk.dev_path == \"/dev/nvme0n1\""
    );
    assert_eq!(str_at(&cp[8], "hostname"), "lab-cp-1");
    assert_eq!(
        str_at(&cp[11], "image"),
        "ghcr.io/siderolabs/kubelet:v1.37.0-rc.0"
    );
    assert_eq!(str_at(&cp[9], "endpoint"), "https://10.0.0.10:6443");
    // Certificates are PEM in the Kubernetes documents.
    assert!(str_at(&cp[13], "issuingCA.cert").starts_with("-----BEGIN CERTIFICATE-----\n"));
    let wk = docs(&out.path().join("lab-lab-wk-1.yaml"));
    assert!(!kinds(&wk).iter().any(|k| k == "KubeAPIServerConfig"));
    for host in ["lab-cp-1", "lab-wk-1"] {
        let file = out.path().join(format!("lab-{host}.yaml"));
        let v = r
            .run(&[
                "validate",
                "-c",
                &file.display().to_string(),
                "--mode",
                "metal",
            ])
            .ok();
        assert_eq!(
            v.stdout,
            format!("{} is valid for metal mode\n", file.display())
        );
        assert_eq!(v.stderr, "", "{host}");
    }
}

#[test]
fn a_pre_release_renders_with_the_nearest_contract_and_warns() {
    let rc = lab_on("v1.14.0-rc.1");
    let pre = lab_on("v1.14.0-alpha.2");
    let check = pre.run(&["check", "clusters/lab.rhai"]).ok();
    assert!(
        check.stderr.contains(
            "Talos v1.14.0-alpha.2 is a pre-release; machine configs follow the v1.14 contract as of v1.14.0-rc.1"
        ),
        "{}",
        check.stderr
    );
    let render = |r: &Repo| {
        let out = tempfile::tempdir().unwrap();
        let run = r
            .run(&[
                "run",
                "clusters/lab.rhai",
                "--plaintext",
                &out.path().display().to_string(),
            ])
            .ok();
        (docs(&out.path().join("lab-lab-cp-1.yaml")), run.stderr)
    };
    let (d, stderr) = render(&pre);
    assert!(stderr.contains("is a pre-release"), "{stderr}");
    assert!(str_at(&d[3], "installer.image").ends_with(":v1.14.0-alpha.2"));
    // The same documents as on v1.14.0-rc.1 (both runs have their own secrets).
    let (s, _) = render(&rc);
    assert_eq!(kinds(&d), kinds(&s));
}

#[test]
fn legacy_patches_on_talos_1_14_are_refused_as_talos_refuses_them() {
    // The infra script patches `machine.kubelet` and `cluster.proxy`, which Talos 1.14 keeps
    // in `KubeletConfig` and `KubeProxyConfig`: its conflict checks reject the configs.
    let r = infra_on("v1.14.0-rc.1", "v1.37.0-rc.0");
    let check = r.run(&["check", "clusters/infra.rhai"]).code(1);
    for msg in [
        "the machine config of `infra-wk-1` is invalid: kubelet config is already set in v1alpha1 config (.machine.kubelet)",
        "the machine config of `infra-cp-1` is invalid: cluster proxy config in v1alpha1 config (.machine.cluster.proxy) can't be used with KubeProxyConfig document, please remove it to avoid conflicts",
    ] {
        assert!(check.stderr.contains(msg), "{msg}: {}", check.stderr);
    }
}

#[test]
fn kubernetes_outside_the_talos_range_is_a_warning_not_an_error() {
    let r = infra_on("v1.13.9", "v1.37.0");
    let check = r.run(&["check", "clusters/infra.rhai"]).ok();
    assert!(
        check
            .stderr
            .contains("version of Kubernetes 1.37.0 is too new to be used with Talos 1.13.9"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("Talos 1.13 supports Kubernetes 1.31 to 1.36")
    );
    let (_out, stderr) = plaintext(&r);
    assert!(stderr.contains("too new"), "{stderr}");
}
