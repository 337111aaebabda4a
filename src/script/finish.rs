//! Post-processing after a script ran: cluster default interfaces, image settings and the VIP
//! onto nodes.

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
            let d = &cluster.node_image_defaults;
            if node.machine_spec.is_empty() {
                node.machine_spec = d.machine_spec.clone();
            }
            if node.schematic.is_none() {
                node.schematic = d.schematic.clone();
            }
            node.no_schematic_validate |= d.no_schematic_validate;
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
