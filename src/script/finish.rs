//! Post-processing after a script ran: cluster default interfaces and the VIP onto nodes.

use crate::diag::Diagnostic;
use crate::model::{Fleet, Interface, Patch, PatchSource, PatchTarget};
use crate::yaml::Yaml;

/// Applies cluster-wide settings to nodes; fails when a setting cannot be placed.
pub(crate) fn finish(mut fleet: Fleet) -> Result<Fleet, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    for cluster in &mut fleet.clusters {
        for node in &mut cluster.nodes {
            // Defaults first in declaration order; a node's own interface of the same name
            // replaces the default in place.
            let mut merged: Vec<Interface> = Vec::new();
            for d in &cluster.default_interfaces {
                match node.interfaces.iter().find(|i| i.name == d.name) {
                    Some(own) => merged.push(own.clone()),
                    None => {
                        let mut d = d.clone();
                        // The shared VIP belongs to control planes only (Talos rejects it on
                        // workers), so a cluster-wide default never gives it to a worker.
                        if !node.is_control_plane() {
                            d.vip = None;
                        }
                        merged.push(d);
                    }
                }
            }
            for own in &node.interfaces {
                if !merged.iter().any(|i| i.name == own.name) {
                    merged.push(own.clone());
                }
            }
            node.interfaces = merged;
            if node.nameservers.is_empty() {
                node.nameservers = cluster.nameservers.clone();
            }
            // Cluster volumes first, each replaced by the node's own of the same name.
            node.volumes = merge_by_name(&cluster.default_volumes, &node.volumes, |v| &v.name);
            node.user_volumes =
                merge_by_name(&cluster.default_user_volumes, &node.user_volumes, |v| {
                    &v.name
                });
        }
        // talhelper has no key for NTP servers, so they travel as a generated global patch
        // (like `cilium_ready()`'s), which talconfig.yaml references like any other.
        if !cluster.ntp.is_empty() {
            let name = if cluster.patches.iter().any(|p| p.name == "ntp") {
                "ntp-servers"
            } else {
                "ntp"
            };
            cluster.patches.push(Patch {
                name: name.into(),
                target: PatchTarget::All,
                documents: vec![Yaml::from_pairs([(
                    "machine",
                    Yaml::from_pairs([(
                        "time",
                        Yaml::from_pairs([("servers", Yaml::str_seq(cluster.ntp.clone()))]),
                    )]),
                )])],
                text: None,
                source: PatchSource::Inline,
                span: cluster.span.clone(),
            });
        }
        if let Some(vip) = cluster.vip {
            for node in cluster.nodes.iter_mut().filter(|n| n.is_control_plane()) {
                if node.interfaces.iter().any(|i| i.vip.is_some()) {
                    continue;
                }
                match node.interfaces.first_mut() {
                    Some(i) => i.vip = Some(vip),
                    None => diags.push(
                        Diagnostic::error(format!(
                            "the VIP `{vip}` needs a network interface on control plane `{}`",
                            node.hostname
                        ))
                        .at_opt(node.span.clone())
                        .with_hint("declare the link with `.bond(...)` or `.interface(...)` on the node or the cluster"),
                    ),
                }
            }
        }
    }
    if diags.is_empty() {
        Ok(fleet)
    } else {
        Err(diags)
    }
}

/// `defaults` in order with each replaced in place by the item of `own` of the same name,
/// then the rest of `own`.
fn merge_by_name<T: Clone>(defaults: &[T], own: &[T], name: impl Fn(&T) -> &String) -> Vec<T> {
    let mut out: Vec<T> = defaults
        .iter()
        .map(|d| own.iter().find(|o| name(o) == name(d)).unwrap_or(d).clone())
        .collect();
    for o in own {
        if !defaults.iter().any(|d| name(d) == name(o)) {
            out.push(o.clone());
        }
    }
    out
}
