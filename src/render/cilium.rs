//! Cilium Helm values matching the Talos config, for the Helmfile bootstrap.

use crate::model::Cluster;
use crate::yaml::Yaml;

/// KubePrism's local API server port (Talos `machine.features.kubePrism.port`).
pub const KUBEPRISM_PORT: i64 = 7445;

/// The Helm values for a cluster prepared with `cilium_ready()`, or `None`.
///
/// They follow the Talos guide for Cilium: kube-proxy replacement through KubePrism
/// (`localhost:7445`), IPAM from the Kubernetes pod CIDRs Talos hands out, the cgroup v2 host
/// root Talos mounts, and the agent capabilities without `SYS_MODULE` (Talos forbids loading
/// kernel modules from pods).
pub fn helm_values(c: &Cluster) -> Option<Yaml> {
    let cil = c.cilium.as_ref()?;
    let strs = |v: &[&str]| Yaml::str_seq(v.iter().copied());
    let mut pairs = vec![
        (
            "cluster",
            Yaml::from_pairs([("name", Yaml::str(&cil.name)), ("id", Yaml::Int(cil.id))]),
        ),
        ("kubeProxyReplacement", Yaml::Bool(true)),
        ("k8sServiceHost", Yaml::str("localhost")),
        ("k8sServicePort", Yaml::Int(KUBEPRISM_PORT)),
        (
            "ipam",
            Yaml::from_pairs([("mode", Yaml::str("kubernetes"))]),
        ),
        (
            "cgroup",
            Yaml::from_pairs([
                (
                    "autoMount",
                    Yaml::from_pairs([("enabled", Yaml::Bool(false))]),
                ),
                ("hostRoot", Yaml::str("/sys/fs/cgroup")),
            ]),
        ),
        (
            "securityContext",
            Yaml::from_pairs([(
                "capabilities",
                Yaml::from_pairs([
                    (
                        "ciliumAgent",
                        strs(&[
                            "CHOWN",
                            "KILL",
                            "NET_ADMIN",
                            "NET_RAW",
                            "IPC_LOCK",
                            "SYS_ADMIN",
                            "SYS_RESOURCE",
                            "DAC_OVERRIDE",
                            "FOWNER",
                            "SETGID",
                            "SETUID",
                        ]),
                    ),
                    (
                        "cleanCiliumState",
                        strs(&["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"]),
                    ),
                ]),
            )]),
        ),
    ];
    // The pod MTU follows the nodes' links; when every node agrees, tell Cilium.
    let mtus: std::collections::BTreeSet<u32> = c
        .nodes
        .iter()
        .filter_map(|n| n.interfaces.iter().find_map(|i| i.mtu))
        .collect();
    if mtus.len() == 1 {
        let mtu = *mtus.iter().next()?;
        pairs.push(("MTU", Yaml::Int(i64::from(mtu))));
    }
    Some(Yaml::from_pairs(pairs))
}
