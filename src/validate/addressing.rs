//! Addressing an operator gets wrong before a machine fails to boot: an endpoint that is no
//! control-plane address, a node IP on none of its links, a gateway off its link. Warnings:
//! the config is valid for Talos, just unlikely to work.

use crate::diag::Diagnostic;
use crate::model::{Cluster, Interface, Node};
use std::net::IpAddr;

/// Every addressing warning of a cluster, in script order.
pub(crate) fn rules(c: &Cluster, out: &mut Vec<Diagnostic>) {
    endpoint_rule(c, out);
    for n in &c.nodes {
        node_ip_rule(n, out);
        for i in &n.interfaces {
            gateway_rule(n, i, out);
        }
    }
}

/// The endpoint must reach the API server: the VIP, a control plane's address, or a DNS name
/// (a load balancer or round-robin record talforge cannot check).
fn endpoint_rule(c: &Cluster, out: &mut Vec<Diagnostic>) {
    // A non-https endpoint and a cluster without control planes are errors already.
    if !c.endpoint.starts_with("https://") || c.control_planes().next().is_none() {
        return;
    }
    let Some(host) = c.endpoint_host() else {
        return;
    };
    let Ok(ip) = host.parse::<IpAddr>() else {
        return;
    };
    let vips: Vec<IpAddr> = c
        .vip
        .into_iter()
        .chain(
            c.nodes
                .iter()
                .flat_map(|n| n.interfaces.iter().filter_map(|i| i.vip)),
        )
        .collect();
    let mut cp_addresses = c.control_planes().flat_map(|n| {
        n.ip.ip().into_iter().chain(
            n.interfaces
                .iter()
                .flat_map(|i| i.addresses.iter().map(|a| a.addr)),
        )
    });
    if vips.contains(&ip) || cp_addresses.any(|a| a == ip) {
        return;
    }
    let mut d = Diagnostic::warning(format!(
        "the endpoint `{}` is neither the VIP nor the address of a control plane",
        c.endpoint
    ))
    .at_opt(c.span.clone())
    .with_note("nodes and talosctl reach the Kubernetes API through the endpoint");
    if let Some(suggestion) = vips
        .first()
        .copied()
        .or_else(|| c.control_planes().find_map(|n| n.ip.ip()))
    {
        d = d.with_hint(format!(
            "point it at the VIP or a control plane, e.g. `https://{}:6443`, or at a load balancer's DNS name",
            bracketed(suggestion)
        ));
    }
    out.push(d);
}

fn bracketed(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

/// With static addressing only (no link uses DHCP), the node's IP should be one of its
/// links' addresses: otherwise talosctl, the talosconfig and the other nodes look for it
/// where it is not.
fn node_ip_rule(n: &Node, out: &mut Vec<Diagnostic>) {
    // Every static address of the node with the link (or VLAN) that carries it.
    let mut addrs: Vec<(crate::model::Cidr, String, &Interface)> = Vec::new();
    for i in &n.interfaces {
        addrs.extend(i.addresses.iter().map(|a| (*a, i.label(), i)));
        for v in &i.vlans {
            let name = format!("{}.{}", i.label(), v.id);
            addrs.extend(v.addresses.iter().map(|a| (*a, name.clone(), i)));
        }
    }
    let dhcp = n
        .interfaces
        .iter()
        .any(|i| i.dhcp || i.vlans.iter().any(|v| v.dhcp));
    if addrs.is_empty() || dhcp || addrs.iter().any(|(a, _, _)| n.ip == a.addr) {
        return;
    }
    let listed: Vec<String> = addrs
        .iter()
        .map(|(a, link, _)| format!("{a} on `{link}`"))
        .collect();
    let first = addrs[0].2;
    out.push(
        Diagnostic::warning(format!(
            "node `{}` has the IP `{}`, which is on none of its links",
            n.hostname, n.ip
        ))
        .at_opt(first.span.clone().or_else(|| n.span.clone()))
        .with_note(format!("its static addresses: {}", listed.join(", ")))
        .with_hint(format!(
            "add `{}/<prefix>` to a link's `addresses`, or give the node the address it has",
            n.ip
        )),
    );
}

/// A route's gateway must be reachable on the link: inside one of its static addresses'
/// subnets (a DHCP link's subnet is not known here).
fn gateway_rule(n: &Node, i: &Interface, out: &mut Vec<Diagnostic>) {
    if i.dhcp || i.addresses.is_empty() {
        return;
    }
    for r in &i.routes {
        let Some(gw) = r.gateway else { continue };
        if i.addresses.iter().any(|a| a.contains(gw)) {
            continue;
        }
        let subnets: Vec<String> = i
            .addresses
            .iter()
            .map(|a| {
                crate::model::Cidr {
                    addr: a.network(),
                    prefix: a.prefix,
                }
                .to_string()
            })
            .collect();
        out.push(
            Diagnostic::warning(format!(
                "the gateway `{gw}` of `{}` on node `{}` is outside the link's subnets ({})",
                i.label(),
                n.hostname,
                subnets.join(", ")
            ))
            .at_opt(i.span.clone().or_else(|| n.span.clone()))
            .with_hint(
                "a gateway must be on the link; check the address's prefix length or the gateway",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cidr, Role, Route, Version};

    fn cluster(endpoint: &str) -> Cluster {
        let v = |s| Version::parse(s).unwrap();
        let mut c = Cluster::new("lab", endpoint, v("v1.12.0"), v("v1.35.0"));
        let mut cp = Node::new(
            "cp-1",
            "10.0.0.11".parse::<std::net::IpAddr>().unwrap(),
            Role::ControlPlane,
        );
        let mut eth = Interface::new("eth0");
        eth.addresses = vec![Cidr::parse("10.0.0.11/24").unwrap()];
        eth.routes = vec![Route {
            network: Cidr::parse("0.0.0.0/0"),
            gateway: "10.0.0.1".parse().ok(),
            source: None,
            metric: None,
            mtu: None,
        }];
        cp.interfaces = vec![eth];
        c.nodes.push(cp);
        c
    }

    fn warnings(c: &Cluster) -> Vec<String> {
        let mut out = Vec::new();
        rules(c, &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_consistent_cluster_has_no_warning() {
        assert_eq!(
            warnings(&cluster("https://10.0.0.11:6443")),
            Vec::<String>::new()
        );
        let mut c = cluster("https://10.0.0.10:6443");
        c.vip = "10.0.0.10".parse().ok();
        assert_eq!(warnings(&c), Vec::<String>::new());
        assert_eq!(
            warnings(&cluster("https://k8s.lab.example:6443")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn endpoint_node_ip_and_gateway_off_the_link_warn() {
        let mut c = cluster("https://10.0.0.99:6443");
        c.nodes[0].ip = "10.0.1.11".parse::<std::net::IpAddr>().unwrap().into();
        c.nodes[0].interfaces[0].routes[0].gateway = "192.168.1.1".parse().ok();
        assert_eq!(
            warnings(&c),
            [
                "the endpoint `https://10.0.0.99:6443` is neither the VIP nor the address of a control plane",
                "node `cp-1` has the IP `10.0.1.11`, which is on none of its links",
                "the gateway `192.168.1.1` of `eth0` on node `cp-1` is outside the link's subnets (10.0.0.0/24)",
            ]
        );
        // DHCP anywhere on the node: its addresses are not all known.
        c.nodes[0].interfaces[0].dhcp = true;
        assert_eq!(warnings(&c).len(), 1);
    }

    #[test]
    fn a_node_ip_on_a_vlan_is_on_its_links() {
        let mut c = cluster("https://10.0.0.11:6443");
        c.nodes[0].ip = "10.0.20.11".parse::<std::net::IpAddr>().unwrap().into();
        assert_eq!(
            warnings(&c),
            ["node `cp-1` has the IP `10.0.20.11`, which is on none of its links"]
        );
        c.nodes[0].interfaces[0].vlans.push(crate::model::Vlan {
            id: 20,
            addresses: vec![crate::model::Cidr::parse("10.0.20.11/24").unwrap()],
            ..Default::default()
        });
        assert_eq!(warnings(&c), Vec::<String>::new());
    }
}
