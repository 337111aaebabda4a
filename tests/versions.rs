//! Talos and Kubernetes versions end to end: a v1.13 cluster on Kubernetes 1.36 runs, checks
//! and validates; pre-releases render with the nearest contract and say so.

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

#[test]
fn a_pre_release_renders_with_the_nearest_contract_and_warns() {
    let stable = infra_on("v1.13.9", "v1.36.4");
    let (stable_out, _) = plaintext(&stable);
    let pre = infra_on("v1.14.0-alpha.2", "v1.36.4");
    let check = pre.run(&["check", "clusters/infra.rhai"]).ok();
    assert!(
        check.stderr.contains(
            "Talos v1.14.0-alpha.2 is a pre-release; machine configs follow the v1.13 contract, the nearest talforge has"
        ),
        "{}",
        check.stderr
    );
    let (pre_out, stderr) = plaintext(&pre);
    assert!(stderr.contains("is a pre-release"), "{stderr}");
    let d = docs(&pre_out.path().join("infra-infra-cp-1.yaml"));
    assert!(str_at(&d[0], "machine.install.image").ends_with(":v1.14.0-alpha.2"));
    assert_eq!(d[0].get_path("machine.network"), None);
    // Same documents as on v1.13.9 (both runs have their own secrets): same kinds, keys.
    let s = docs(&stable_out.path().join("infra-infra-cp-1.yaml"));
    let kinds = |d: &[Yaml]| -> Vec<String> {
        d.iter()
            .map(|x| {
                x.get("kind")
                    .and_then(Yaml::as_str)
                    .unwrap_or("v1alpha1")
                    .to_string()
            })
            .collect()
    };
    assert_eq!(kinds(&d), kinds(&s));
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
