//! The seed cluster: the committed clusters/infra.rhai and its generated files.

use crate::support::{Test, oracle, repo, run_in};
use talforge::yaml::{Yaml, parse_documents, to_json};

const RECIPIENT: &str = "age1j3hsfptdfsfwvkf504etjkrtmajny9csrfh5s24uqh6fchmg5dgqg087ek";

fn infra() -> Test {
    let script = std::fs::read_to_string(repo().join("clusters/infra.rhai")).unwrap();
    let t = Test::new()
        .file("clusters/infra.rhai", &script)
        .args(["run", "clusters/infra.rhai"]);
    t.run().ok();
    t
}

fn yaml(text: &str) -> Yaml {
    let docs = parse_documents(text).expect("valid YAML");
    assert_eq!(docs.len(), 1, "one document");
    docs.into_iter().next().unwrap().value
}

fn s<'a>(y: &'a Yaml, path: &str) -> &'a str {
    y.get_path(path)
        .and_then(Yaml::as_str)
        .unwrap_or_else(|| panic!("{path} is not a string in {y:?}"))
}

#[test]
fn talconfig_carries_the_seed_story() {
    let t = infra();
    let tc = yaml(&t.read("clusters/infra/talos/talconfig.yaml"));
    assert_eq!(s(&tc, "clusterName"), "infra");
    assert_eq!(s(&tc, "endpoint"), "https://10.25.11.10:6443");
    assert_eq!(s(&tc, "talosVersion"), "v1.12.0");
    assert_eq!(s(&tc, "kubernetesVersion"), "v1.35.0");
    assert_eq!(
        tc.get("clusterPodNets").unwrap(),
        &Yaml::str_seq(["10.42.0.0/16"])
    );
    assert_eq!(
        tc.get("clusterSvcNets").unwrap(),
        &Yaml::str_seq(["10.43.0.0/16"])
    );
    assert_eq!(
        tc.get("allowSchedulingOnControlPlanes"),
        Some(&Yaml::Bool(true))
    );
    assert!(
        tc.get("allowSchedulingOnControlPlane").is_none(),
        "the story's misspelling"
    );
    assert_eq!(s(&tc, "cniConfig.name"), "none");
    assert_eq!(
        tc.get("patches").unwrap(),
        &Yaml::str_seq(["@./patches/common.yaml"])
    );
    assert_eq!(
        tc.get_path("controlPlane.patches").unwrap(),
        &Yaml::str_seq(["@./patches/controlplane.yaml"])
    );
    assert_eq!(
        tc.get_path("worker.patches").unwrap(),
        &Yaml::str_seq(["@./patches/worker.yaml"])
    );
    let nodes = tc.get("nodes").and_then(Yaml::as_seq).unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| s(n, "hostname")).collect();
    assert_eq!(
        names,
        [
            "infra-cp-1",
            "infra-cp-2",
            "infra-cp-3",
            "infra-wk-1",
            "infra-wk-2",
            "infra-wk-3"
        ]
    );
    for (i, n) in nodes.iter().enumerate() {
        let cp = i < 3;
        assert_eq!(s(n, "ipAddress"), format!("10.25.11.{}", 11 + i));
        assert_eq!(n.get("controlPlane"), Some(&Yaml::Bool(cp)));
        assert_eq!(s(n, "installDisk"), "/dev/nvme0n1");
        let ifs = n.get("networkInterfaces").and_then(Yaml::as_seq).unwrap();
        assert_eq!(ifs.len(), 1);
        let bond0 = &ifs[0];
        assert_eq!(s(bond0, "interface"), "bond0");
        assert_eq!(bond0.get("dhcp"), Some(&Yaml::Bool(true)));
        assert_eq!(bond0.get("mtu"), Some(&Yaml::Int(9000)));
        assert_eq!(s(bond0, "bond.mode"), "802.3ad");
        assert_eq!(s(bond0, "bond.lacpRate"), "fast");
        assert_eq!(
            bond0.get_path("bond.interfaces").unwrap(),
            &Yaml::str_seq(["enp0s1", "enp0s2"])
        );
        // The endpoint is a VIP carried by the control planes only.
        if cp {
            assert_eq!(s(bond0, "vip.ip"), "10.25.11.10");
        } else {
            assert!(bond0.get("vip").is_none());
        }
    }
}

#[test]
fn patches_carry_the_seed_story() {
    let t = infra();
    let common = yaml(&t.read("clusters/infra/talos/patches/common.yaml"));
    assert_eq!(
        common.get_path("machine.kernel.modules").unwrap(),
        &Yaml::Seq(vec![
            Yaml::from_pairs([("name", Yaml::str("rbd"))]),
            Yaml::from_pairs([("name", Yaml::str("ceph"))]),
        ])
    );
    let sysctls = common.get_path("machine.sysctls").unwrap();
    assert_eq!(
        sysctls.get("net.core.rmem_max").and_then(Yaml::as_str),
        Some("2500000")
    );
    assert_eq!(
        sysctls.get("net.core.wmem_max").and_then(Yaml::as_str),
        Some("2500000")
    );
    assert_eq!(
        sysctls.get("vm.max_map_count").and_then(Yaml::as_str),
        Some("262144")
    );
    let mounts = common
        .get_path("machine.kubelet.extraMounts")
        .and_then(Yaml::as_seq)
        .unwrap();
    assert_eq!(mounts.len(), 1);
    assert_eq!(s(&mounts[0], "destination"), "/var/lib/rook");
    assert_eq!(s(&mounts[0], "source"), "/var/lib/rook");
    assert_eq!(s(&mounts[0], "type"), "bind");
    assert_eq!(
        mounts[0].get("options").unwrap(),
        &Yaml::str_seq(["bind", "rshared", "rw"])
    );

    let cp = yaml(&t.read("clusters/infra/talos/patches/controlplane.yaml"));
    assert_eq!(
        cp.get_path("machine.features.kubePrism.enabled"),
        Some(&Yaml::Bool(true))
    );
    assert_eq!(
        cp.get_path("machine.features.kubePrism.port"),
        Some(&Yaml::Int(7445))
    );
    assert_eq!(
        cp.get_path("cluster.proxy.disabled"),
        Some(&Yaml::Bool(true))
    );
    assert_eq!(
        cp.get_path("cluster.discovery.enabled"),
        Some(&Yaml::Bool(true))
    );
    let worker = yaml(&t.read("clusters/infra/talos/patches/worker.yaml"));
    assert!(
        worker
            .get_path("machine.kubelet.nodeIP.validSubnets")
            .is_some()
    );
}

#[test]
fn ignore_files_and_sops_rules() {
    let t = infra();
    let gi = t.read("clusters/infra/talos/.gitignore");
    let lines: Vec<&str> = gi.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "talosconfig",
            "*.talosconfig",
            "!*.sops.yaml",
            ".talenv",
            ".talforge-*.tmp"
        ]
    );
    let cc = t.read("clusters/infra/talos/clusterconfig/.gitignore");
    assert!(cc.lines().any(|l| l == "infra-infra-cp-1.yaml"), "{cc}");
    assert!(cc.lines().any(|l| l == "talosconfig"), "{cc}");
    let sops = yaml(&t.read(".sops.yaml"));
    let rules = sops.get("creation_rules").and_then(Yaml::as_seq).unwrap();
    let regexes: Vec<&str> = rules.iter().map(|r| s(r, "path_regex")).collect();
    assert!(
        regexes.contains(&r".*talsecret\.sops\.yaml$"),
        "{regexes:?}"
    );
    assert!(
        regexes.contains(&r"clusters/.*/talos/clusterconfig/.*\.sops\.yaml$"),
        "{regexes:?}"
    );
    for r in rules {
        assert_eq!(s(r, "age"), RECIPIENT);
    }
}

#[test]
fn talconfig_validates_against_talhelper_schema() {
    let Some(schema_path) = oracle("talhelper/talconfig.schema.json") else {
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let t = infra();
    let tc = yaml(&t.read("clusters/infra/talos/talconfig.yaml"));
    let errors: Vec<String> = validator
        .iter_errors(&to_json(&tc))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The story's misspelled key is exactly what the schema rejects.
    let mut bad = to_json(&tc);
    bad["allowSchedulingOnControlPlane"] = serde_json::Value::Bool(true);
    assert!(!validator.is_valid(&bad));
}

#[test]
fn committed_infra_output_is_up_to_date() {
    let out = run_in(
        &repo(),
        &["run".into(), "clusters/infra.rhai".into(), "--check".into()],
        &[],
    );
    assert_eq!(
        out.code, 0,
        "clusters/infra is stale:\n{}{}",
        out.stdout, out.stderr
    );
}
