//! The model's defaults step: cluster-wide interfaces, nameservers, image settings, NTP and the
//! VIP placed on nodes.
//!
//! Both front ends end with it (the script after it ran, the talhelper reader after it
//! read), so a cluster means the same whichever way it was written. Pure: no I/O, no spans
//! invented; a setting that cannot be placed is a [`DefaultsError`].

use super::{Cluster, Fleet, Interface, Patch, PatchSource, PatchTarget};
use crate::diag::{Diagnostic, IntoDiagnostic, Problem, Span};
use crate::yaml::Yaml;
use std::net::IpAddr;

/// A cluster-wide setting that cannot be placed on a node.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultsError {
    /// The shared VIP needs an interface on every control plane.
    VipWithoutInterface {
        /// The VIP.
        vip: IpAddr,
        /// The control plane without interfaces.
        node: String,
        /// The node's declaration.
        span: Option<Span>,
    },
}

impl DefaultsError {
    /// The error as a diagnostic at the node's declaration.
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            DefaultsError::VipWithoutInterface { vip, node, span } => Diagnostic::error(format!(
                "the VIP `{vip}` needs a network interface on control plane `{node}`"
            ))
            .at_opt(span.clone())
            .with_hint(
                "declare the link with `.bond(...)` or `.interface(...)` on the node or the cluster",
            ),
        }
    }
}

impl IntoDiagnostic for DefaultsError {
    fn into_problem(self) -> Problem {
        Problem::from(self.to_diagnostic())
    }
}

/// Applies the defaults of every cluster of `fleet`.
pub fn apply_fleet(mut fleet: Fleet) -> Result<Fleet, Vec<DefaultsError>> {
    let mut errors = Vec::new();
    for cluster in &mut fleet.clusters {
        errors.extend(apply(cluster));
    }
    if errors.is_empty() {
        Ok(fleet)
    } else {
        Err(errors)
    }
}

/// Applies the cluster-wide settings of `cluster` to its nodes; returns what could not be
/// placed (the rest is applied regardless).
pub fn apply(cluster: &mut Cluster) -> Vec<DefaultsError> {
    for node in &mut cluster.nodes {
        node.interfaces = merged(
            &cluster.default_interfaces,
            &node.interfaces,
            node.is_control_plane(),
        );
        if node.nameservers.is_empty() {
            node.nameservers.clone_from(&cluster.nameservers);
        }
        if node.firewall.is_none() {
            node.firewall.clone_from(&cluster.firewall);
        }
        // A node's own machine spec or schematic replaces the cluster's whole, as talhelper
        // merges a node over its group.
        let d = &cluster.node_image_defaults;
        if node.machine_spec.is_empty() {
            node.machine_spec = d.machine_spec.clone();
        }
        if node.schematic.is_none() {
            node.schematic.clone_from(&d.schematic);
        }
        node.no_schematic_validate |= d.no_schematic_validate;
        // Cluster volumes first, each replaced by the node's own of the same name.
        node.volumes = by_name(&cluster.default_volumes, &node.volumes, |v| &v.name);
        node.user_volumes = by_name(&cluster.default_user_volumes, &node.user_volumes, |v| {
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
            template: None,
        });
    }
    let mut errors = Vec::new();
    if let Some(vip) = cluster.vip {
        for node in cluster.nodes.iter_mut().filter(|n| n.is_control_plane()) {
            if node.interfaces.iter().any(|i| i.vip.is_some()) {
                continue;
            }
            match node.interfaces.first_mut() {
                Some(i) => i.vip = Some(vip),
                None => errors.push(DefaultsError::VipWithoutInterface {
                    vip,
                    node: node.hostname.clone(),
                    span: node.span.clone(),
                }),
            }
        }
    }
    errors
}

/// The cluster's default interfaces first, in declaration order, a node's own interface of
/// the same name (or selector) replacing the default in place; then the node's other interfaces.
fn merged(defaults: &[Interface], own: &[Interface], control_plane: bool) -> Vec<Interface> {
    let mut out: Vec<Interface> = Vec::new();
    for d in defaults {
        if let Some(o) = own.iter().find(|i| i.same_device(d)) {
            out.push(o.clone());
        } else {
            let mut d = d.clone();
            // The shared VIP belongs to control planes only (Talos rejects it on
            // workers), so a cluster-wide default never gives it to a worker.
            if !control_plane {
                d.vip = None;
            }
            out.push(d);
        }
    }
    for o in own {
        if !out.iter().any(|i| i.same_device(o)) {
            out.push(o.clone());
        }
    }
    out
}

/// `defaults` in order, each replaced in place by the item of `own` of the same name, then
/// the rest of `own` (so applying it twice changes nothing).
fn by_name<T: Clone>(defaults: &[T], own: &[T], name: impl Fn(&T) -> &String) -> Vec<T> {
    let mut out: Vec<T> = defaults
        .iter()
        .map(|d| own.iter().find(|o| name(o) == name(d)).unwrap_or(d).clone())
        .collect();
    out.extend(
        own.iter()
            .filter(|o| !defaults.iter().any(|d| name(d) == name(o)))
            .cloned(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, Role, Version};

    fn cluster() -> Cluster {
        let v = |s| Version::parse(s).unwrap();
        let mut c = Cluster::new("lab", "https://10.0.0.10:6443", v("v1.12.0"), v("v1.35.0"));
        c.nodes.push(Node::new(
            "cp",
            IpAddr::from([10, 0, 0, 11]),
            Role::ControlPlane,
        ));
        c.nodes
            .push(Node::new("wk", IpAddr::from([10, 0, 0, 21]), Role::Worker));
        c
    }

    #[test]
    fn defaults_come_first_and_a_node_interface_replaces_its_namesake() {
        let mut c = cluster();
        let mut bond = Interface::new("bond0");
        bond.vip = Some(IpAddr::from([10, 0, 0, 10]));
        c.default_interfaces = vec![bond, Interface::new("eth9")];
        let mut own = Interface::new("eth9");
        own.dhcp = true;
        c.nodes[0].interfaces = vec![Interface::new("eth0"), own.clone()];
        c.nameservers = vec![IpAddr::from([1, 1, 1, 1])];
        c.nodes[1].nameservers = vec![IpAddr::from([9, 9, 9, 9])];
        assert!(apply(&mut c).is_empty());
        let names = |n: &Node| {
            n.interfaces
                .iter()
                .map(|i| i.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&c.nodes[0]), ["bond0", "eth9", "eth0"]);
        assert_eq!(c.nodes[0].interfaces[1], own);
        assert!(c.nodes[0].interfaces[0].vip.is_some());
        assert_eq!(c.nodes[1].interfaces[0].vip, None, "no VIP on a worker");
        assert_eq!(c.nodes[0].nameservers, [IpAddr::from([1, 1, 1, 1])]);
        assert_eq!(c.nodes[1].nameservers, [IpAddr::from([9, 9, 9, 9])]);
    }

    #[test]
    fn ntp_becomes_a_global_patch_that_does_not_collide() {
        let mut c = cluster();
        c.ntp = vec!["time.example".into()];
        c.patches.push(Patch {
            name: "ntp".into(),
            target: PatchTarget::All,
            documents: Vec::new(),
            text: None,
            source: PatchSource::Inline,
            span: None,
            template: None,
        });
        assert!(apply(&mut c).is_empty());
        let p = c.patches.last().unwrap();
        assert_eq!(p.name, "ntp-servers");
        assert_eq!(
            p.documents[0]
                .get_path("machine.time.servers")
                .and_then(Yaml::as_seq)
                .map(<[Yaml]>::len),
            Some(1)
        );
    }

    #[test]
    fn the_vip_goes_on_each_control_plane_first_interface_or_fails() {
        let mut c = cluster();
        c.vip = Some(IpAddr::from([10, 0, 0, 10]));
        c.nodes[1].interfaces.push(Interface::new("eth0"));
        let errs = apply(&mut c);
        assert_eq!(errs.len(), 1);
        let d = errs[0].to_diagnostic();
        assert_eq!(
            d.message,
            "the VIP `10.0.0.10` needs a network interface on control plane `cp`"
        );
        assert_eq!(c.nodes[1].interfaces[0].vip, None);
        let mut c = cluster();
        c.vip = Some(IpAddr::from([10, 0, 0, 10]));
        c.nodes[0].interfaces = vec![Interface::new("eth0"), Interface::new("eth1")];
        assert!(apply(&mut c).is_empty());
        assert!(c.nodes[0].interfaces[0].vip.is_some());
        assert!(c.nodes[0].interfaces[1].vip.is_none());
    }
}
