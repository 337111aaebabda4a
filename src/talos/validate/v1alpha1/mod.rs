//! `v1alpha1.Config.Validate` (`v1alpha1_validation.go`): the legacy machine document's
//! checks in Talos' order, returning `(warnings, errors)` with nested multierrors flattened.
//!
//! By section: [`machine`] (role, CAs, disks, kubelet, encryption, logging, features),
//! [`install`], [`network`] (legacy interfaces, KubeSpan), [`labels`]; the cluster section
//! is [`super::cluster`].

mod install;
pub(super) mod labels;
mod machine;
mod network;

use super::Mode;
use super::cluster;
use super::yamlx::{at, bool_at, str_at};
use crate::yaml::Yaml;

/// The legacy device checks (`ValidateNetworkDevices` with the interface, addressing and
/// routes checks) on a list of `machine.network.interfaces` entries: `(warnings, errors)`.
pub(super) fn network_devices(interfaces: &Yaml) -> (Vec<String>, Vec<String>) {
    let m = Yaml::from_pairs([(
        "network",
        Yaml::from_pairs([("interfaces", interfaces.clone())]),
    )]);
    let (mut w, mut e) = (Vec::new(), Vec::new());
    network::legacy_network(&m, &mut w, &mut e);
    (w, e)
}

/// Machine types as `machine.ParseType` reads them; `None` is `TypeUnknown`.
fn machine_type(t: &str) -> Option<&'static str> {
    match t {
        "init" => Some("init"),
        "controlplane" => Some("controlplane"),
        "worker" | "join" | "" => Some("worker"),
        _ => None,
    }
}

/// Runs the v1alpha1 checks of Talos v1.`minor`; in strict mode warnings come back as
/// `warning: …` errors.
pub(super) fn validate(
    c: &Yaml,
    mode: Mode,
    strict: bool,
    minor: u32,
) -> (Vec<String>, Vec<String>) {
    let mut w: Vec<String> = Vec::new();
    let mut e: Vec<String> = Vec::new();
    let Some(m) = at(c, "machine") else {
        return (w, vec!["machine instructions are required".into()]);
    };
    let raw_type = str_at(m, "type");
    let mtype = machine_type(&raw_type);
    let is_cp = matches!(mtype, Some("init" | "controlplane"));

    if minor >= 14 {
        machine::deprecations(m, &mut w);
    }
    e.extend(cluster::validate(at(c, "cluster"), is_cp, minor));
    install::required(m, mode, minor, &mut e);
    // v1.14 checks container mode on the whole config (`validateContainer`).
    if minor < 14 {
        machine::container_mode(m, mode, &mut e);
    }
    // v1.13: forwarding kube-dns to the host needs the host DNS resolver
    if minor >= 13
        && bool_at(m, "features.hostDNS.forwardKubeDNSToHost") == Some(true)
        && bool_at(m, "features.hostDNS.enabled") != Some(true)
    {
        e.push("feature hostDNS.forwardKubeDNSToHost requires hostDNS.enabled to be true (.machine.features.hostDNS)".into());
    }
    machine::role(c, m, (&raw_type, mtype), &mut w, &mut e);
    if at(m, "network").is_some() {
        network::legacy_network(m, &mut w, &mut e);
        network::kubespan_mtu(m, &mut e);
    }
    machine::disks(m, &mut e);
    machine::kubelet(m, &mut e);
    machine::disk_encryption(m, &mut e);
    network::kubespan(c, m, minor, &mut e);
    machine::logging(m, &mut e);
    install::extensions(m, minor, &mut w, &mut e);
    labels::node_metadata(m, &mut e);
    machine::features(m, is_cp, &mut e);
    if bool_at(c, "persist") == Some(false) {
        e.push(".persist should be enabled".into());
    }
    machine::registries(m, &mut e);

    if strict {
        e.extend(w.drain(..).map(|x| format!("warning: {x}")));
    }
    (w, e)
}
