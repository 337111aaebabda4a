//! Model rules checked before rendering, each pointing at the script call that caused it.

use crate::diag::Diagnostic;
use crate::model::{Cidr, Cluster, Fleet, InstallDisk};
use crate::talos::versions;
use std::collections::BTreeMap;

/// Checks every cluster of the fleet; returns errors and warnings in script order.
pub fn validate(fleet: &Fleet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &fleet.clusters {
        cluster_rules(c, &mut out);
        super::patches::rules(c, &mut out);
        super::addressing::rules(c, &mut out);
        out.extend(crate::factory::extensions::check(
            c,
            crate::factory::extensions::Surface::Script,
        ));
    }
    out
}

/// Whether `s` is a valid hostname label (RFC 1123: lowercase letters, digits, `-`, at most
/// 63 characters, no leading or trailing `-`).
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Whether `s` is a DNS subdomain (RFC 1123): [`is_dns_label`]s joined by dots, at most 253
/// characters in all, as Kubernetes wants label key prefixes and talforge cluster names.
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// Whether `s` is a hostname talhelper and Talos accept: dot-separated RFC 1123 labels
/// (letters, digits, `-`, at most 63 characters each, no leading or trailing `-`), at most
/// 253 characters in all, so FQDNs like `k8s-1.example.internal` pass.
pub fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Whether `s` is a domain name as talhelper's `isDomain` accepts one for `ipAddress`:
/// labels of letters, digits, `_` and `-` (not starting with `-`, at most 63 characters),
/// joined by dots, optionally ending in `.` or `_`.
pub fn is_domain(s: &str) -> bool {
    if s.is_empty() || s.len() - s.matches('.').count() > 255 {
        return false;
    }
    let body = s
        .strip_suffix('.')
        .or_else(|| s.strip_suffix('_'))
        .unwrap_or(s);
    !body.is_empty()
        && body.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        })
}

/// The hint for a hostname that is not one.
pub const HOSTNAME_HINT: &str = "write DNS labels (letters, digits and `-`, at most 63 characters each) joined by dots, e.g. `k8s-1` or `k8s-1.example.internal`";

/// The hint for a name that must be a DNS name (cluster names).
pub const DNS_LABEL_HINT: &str = "use lowercase letters, digits and `-` (at most 63 characters, starting and ending with a letter or digit), or such labels joined by dots like `lab.example.net`";

/// Why `name` cannot name a cluster, `None` when it can. A cluster name becomes directories
/// and files (`clusters/<name>/talos/`, `<name>-<hostname>.yaml`) and the talosconfig context,
/// so it must be a DNS name like a hostname (DNS labels, joined by dots as in `jdmarble.net`:
/// real talconfigs use FQDNs): that also rules out `/`, `..`, `.` and absolute paths, which
/// would write outside the repository. (Neither Talos' config validation nor talhelper's
/// `pkg/config/validator.go` checks more than that `clusterName` is set; this is talforge's rule.)
pub fn cluster_name_error(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("cluster name must not be empty".into());
    }
    if is_dns_subdomain(name) {
        return None;
    }
    // A hostile name can be long; quote enough of it to recognise.
    let shown: String = if name.chars().count() > 80 {
        name.chars().take(60).chain("…".chars()).collect()
    } else {
        name.to_string()
    };
    Some(format!("cluster name `{shown}` is not a valid DNS name"))
}

fn cluster_rules(c: &Cluster, out: &mut Vec<Diagnostic>) {
    let at_cluster = |d: Diagnostic| d.at_opt(c.span.clone());
    // Readers refuse bad names at their line already; this keeps a model built any other way
    // from naming directories outside the output tree.
    if let Some(msg) = cluster_name_error(&c.name) {
        out.push(at_cluster(Diagnostic::error(msg)).with_hint(DNS_LABEL_HINT));
    }
    if let Some(msg) = versions::talos_version_warning(c.talos_version) {
        out.push(at_cluster(Diagnostic::warning(msg)).with_hint(format!(
            "talforge verifies Talos {}; see README \"Talos and Kubernetes versions\"",
            versions::verified()
        )));
    }
    // A warning, as talosctl and Talos' own upgrade checks print it: Talos still runs an
    // unsupported Kubernetes, it is just not tested with it.
    if let Some(msg) = versions::kubernetes_support_error(c.talos_version, c.kubernetes_version) {
        out.push(
            at_cluster(Diagnostic::warning(msg))
                .with_hint(versions::kubernetes_support_hint(c.talos_version)),
        );
    }
    if !c.endpoint.starts_with("https://") {
        out.push(
            at_cluster(Diagnostic::error(format!(
                "the endpoint `{}` must be an https:// URL",
                c.endpoint
            )))
            .with_hint("write it like `https://10.25.11.10:6443`"),
        );
    }
    if let Some(cil) = &c.cilium
        && !(1..=255).contains(&cil.id)
    {
        {
            out.push(
                Diagnostic::error(format!("cilium cluster id {} is outside 1..=255", cil.id))
                    .at_opt(cil.span.clone())
                    .with_hint("Cluster Mesh needs a unique id from 1 to 255 per cluster"),
            );
        }
    }
    let cps = c.control_planes().count();
    if cps == 0 {
        out.push(
            at_cluster(Diagnostic::error(format!(
                "cluster `{}` has no control plane",
                c.name
            )))
            .with_hint("mark at least one node with `control_plane: true`"),
        );
    } else if cps.is_multiple_of(2) {
        out.push(
            at_cluster(Diagnostic::warning(format!(
                "cluster `{}` has {cps} control planes; etcd needs an odd number for quorum",
                c.name
            )))
            .with_hint("use 1, 3 or 5 control planes: an even count tolerates no more failures than one fewer"),
        );
    }
    for (i, a) in c.pod_nets.iter().enumerate() {
        // A warning: neither Talos (v1alpha1_validation.go checks no subnets against each
        // other) nor talhelper refuses it, and real clusters run with it (a /64 pod net
        // around a /108 service net); only the addresses in both are ambiguous.
        for b in &c.service_nets {
            if a.overlaps(b) {
                out.push(
                    at_cluster(Diagnostic::warning(format!(
                        "pod network `{a}` overlaps service network `{b}`"
                    )))
                    .with_hint("pod and service addresses in the overlap are ambiguous: give the networks disjoint ranges"),
                );
            }
        }
        for b in &c.pod_nets[i + 1..] {
            if a.overlaps(b) {
                out.push(at_cluster(Diagnostic::error(format!(
                    "pod networks `{a}` and `{b}` overlap"
                ))));
            }
        }
    }
    if let Some(vip) = c.vip.or_else(|| {
        c.nodes
            .iter()
            .flat_map(|n| n.interfaces.iter())
            .find_map(|i| i.vip)
    }) {
        for n in &c.nodes {
            if n.ip == vip {
                out.push(
                    Diagnostic::error(format!(
                        "the VIP `{vip}` is also the address of node `{}`",
                        n.hostname
                    ))
                    .at_opt(n.span.clone())
                    .with_hint("a VIP must be a free address that moves between control planes"),
                );
            }
        }
    }
    node_rules(c, out);
}

fn cluster_nets(c: &Cluster) -> Vec<(&'static str, Cidr)> {
    c.pod_nets
        .iter()
        .map(|n| ("pod", *n))
        .chain(c.service_nets.iter().map(|n| ("service", *n)))
        .collect()
}

fn node_rules(c: &Cluster, out: &mut Vec<Diagnostic>) {
    let mut hostnames: BTreeMap<&str, &crate::model::Node> = BTreeMap::new();
    let mut ips: BTreeMap<crate::model::NodeAddr, &crate::model::Node> = BTreeMap::new();
    let nets = cluster_nets(c);
    for n in &c.nodes {
        let at = |d: Diagnostic| d.at_opt(n.span.clone());
        if !is_hostname(&n.hostname) {
            out.push(
                at(Diagnostic::error(format!(
                    "hostname `{}` is not a valid hostname",
                    n.hostname
                )))
                .with_hint(HOSTNAME_HINT),
            );
        }
        if let Some(first) = hostnames.insert(&n.hostname, n) {
            let mut d = at(Diagnostic::error(format!(
                "duplicate hostname `{}`",
                n.hostname
            )));
            if let Some(s) = &first.span {
                d = d.with_label(s.clone(), "first declared here");
            }
            out.push(d);
        }
        if let Some(first) = ips.insert(n.ip.clone(), n) {
            let mut d = at(Diagnostic::error(format!(
                "duplicate IP `{}`: nodes `{}` and `{}`",
                n.ip, first.hostname, n.hostname
            )));
            if let Some(s) = &first.span {
                d = d.with_label(s.clone(), format!("`{}` has it already", first.hostname));
            }
            out.push(d);
        }
        for (kind, net) in &nets {
            if n.ip.ip().is_some_and(|ip| net.contains(ip)) {
                out.push(
                    at(Diagnostic::error(format!(
                        "node `{}` address `{}` is inside the {kind} network `{net}`",
                        n.hostname, n.ip
                    )))
                    .with_hint("pod and service networks must not overlap the node network"),
                );
            }
        }
        match &n.install {
            // Only bare metal installs to a disk (`talosctl validate --mode metal`).
            None if c.talos_mode != crate::model::TalosMode::Metal => {}
            None => out.push(
                at(Diagnostic::error(format!(
                    "node `{}` has no install disk",
                    n.hostname
                )))
                .with_hint("add `install_disk: \"/dev/nvme0n1\"` or a `disk: #{ ... }` selector"),
            ),
            Some(InstallDisk::Path(p)) if !p.starts_with("/dev/") => out.push(
                at(Diagnostic::error(format!(
                    "install disk `{p}` is not a /dev path"
                )))
                .with_hint("write the device path, e.g. `/dev/nvme0n1`, or use a `disk` selector"),
            ),
            _ => {}
        }
        interface_rules(n, out);
    }
}

/// The largest MTU a Linux link takes (thunderbolt-net uses 65520).
const MAX_MTU: u32 = 65535;

fn interface_rules(n: &crate::model::Node, out: &mut Vec<Diagnostic>) {
    let mut members: BTreeMap<&str, &str> = BTreeMap::new();
    for i in &n.interfaces {
        let at_i = |d: Diagnostic| d.at_opt(i.span.clone().or_else(|| n.span.clone()));
        let name = i.label();
        // `mtu: 0` is Talos' "unset".
        let mtus = std::iter::once((name.clone(), i.mtu))
            .chain(i.vlans.iter().map(|v| (format!("{name}.{}", v.id), v.mtu)));
        for (link, mtu) in mtus {
            if let Some(mtu) = mtu.filter(|m| *m != 0 && !(68..=MAX_MTU).contains(m)) {
                out.push(at_i(Diagnostic::error(format!(
                    "MTU {mtu} of `{link}` is outside 68..={MAX_MTU}"
                ))));
            }
        }
        if i.name.is_empty() && i.selector.as_ref().is_none_or(|s| s.is_empty()) {
            out.push(
                at_i(Diagnostic::error(
                    "a network interface needs a name or a device selector",
                ))
                .with_hint("name the link, or select it with `mac`, `driver`, `bus_path`, ..."),
            );
        }
        if let Some(vip) = i.vip {
            if !n.is_control_plane() {
                // talhelper and Talos accept it; Talos' VIP election runs on control planes.
                out.push(
                    at_i(Diagnostic::warning(format!(
                        "worker `{}` announces the VIP `{vip}`",
                        n.hostname
                    )))
                    .with_hint("Talos elects the VIP holder through etcd, which runs on control planes only"),
                );
            }
            if !i.addresses.is_empty() && !i.addresses.iter().any(|a| a.contains(vip)) {
                out.push(
                    at_i(Diagnostic::error(format!(
                        "the VIP `{vip}` is outside the subnet of `{name}` ({})",
                        i.addresses
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                    .with_hint("a layer 2 VIP must be in the same subnet as the link's addresses"),
                );
            }
        }
        if let Some(b) = &i.bond {
            if b.links.is_empty() && b.selectors.is_empty() {
                out.push(at_i(Diagnostic::error(format!(
                    "bond `{name}` has no links"
                ))));
            }
            for l in &b.links {
                if let Some(other) = members.insert(l, &i.name) {
                    out.push(at_i(Diagnostic::error(format!(
                        "link `{l}` is in two bonds: `{other}` and `{name}`"
                    ))));
                }
            }
            if b.lacp_rate.is_some() && b.mode.as_deref() != Some("802.3ad") {
                out.push(
                    at_i(Diagnostic::error(format!(
                        "bond `{name}` sets `lacp_rate` but its mode is not 802.3ad"
                    )))
                    .with_hint("set `mode: \"802.3ad\"` or remove `lacp_rate`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Version;

    #[test]
    fn dns_labels() {
        assert!(is_dns_label("infra-cp-1"));
        assert!(!is_dns_label("Infra"));
        assert!(!is_dns_label("-a"));
        assert!(!is_dns_label("a_b"));
        assert!(!is_dns_label(&"a".repeat(64)));
    }

    #[test]
    fn hostnames_may_be_fqdns_as_talhelper_accepts() {
        for ok in [
            "k8s-1",
            "k8s-1.example.internal",
            "Node1",
            "a.b.c",
            &"a".repeat(63),
        ] {
            assert!(is_hostname(ok), "{ok}");
        }
        let long = format!("{}.{}", "a".repeat(63), "b.".repeat(100));
        for bad in [
            "",
            "a_b",
            "-a",
            "a-",
            "a..b",
            ".a",
            "a.",
            &long,
            &"a".repeat(64),
        ] {
            assert!(!is_hostname(bad), "{bad:?} accepted");
        }
    }

    // talhelper pkg/config/validator.go@v3.1.16 `isDomain`.
    #[test]
    fn node_addresses_may_be_domain_names() {
        for ok in ["k8s-1.example.internal", "node1", "a.b.", "_srv.x"] {
            assert!(is_domain(ok), "{ok}");
        }
        for bad in ["", "-a.b", "a..b", "a b", "a/b", &"a".repeat(64)] {
            assert!(!is_domain(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn cluster_names_are_dns_names() {
        for ok in [
            "infra",
            "edge-1",
            "a",
            &"a".repeat(63),
            "jdmarble.net",
            "a.b",
        ] {
            assert_eq!(cluster_name_error(ok), None, "{ok}");
        }
        for bad in [
            "",
            "../../x",
            "/abs",
            "..",
            ".",
            "a/b",
            "Infra",
            "a_b",
            "-a",
            "a-",
            "a..b",
            ".a",
            "a.",
            "a.-b",
            &format!("{}.a", "a".repeat(64)),
            &["a"; 128].join("."),
        ] {
            assert!(cluster_name_error(bad).is_some(), "{bad:?} accepted");
        }
        let long = cluster_name_error(&"x".repeat(10_000)).unwrap();
        assert!(long.len() < 120, "{long}");
    }

    #[test]
    fn a_model_with_a_bad_cluster_name_is_refused() {
        let c = Cluster::new(
            "../escape",
            "https://10.0.0.10:6443",
            Version::parse("v1.12.0").unwrap(),
            Version::parse("v1.35.0").unwrap(),
        );
        let fleet = Fleet { clusters: vec![c] };
        let diags = validate(&fleet);
        assert!(
            diags
                .iter()
                .any(|d| d.message == "cluster name `../escape` is not a valid DNS name"),
            "{diags:?}"
        );
    }
}
