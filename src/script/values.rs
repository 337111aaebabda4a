//! The script's own value types: `ip()` and `cidr()` values, registered with Rhai in `api::net`.

use crate::model::{Cidr, Cluster, InstallDisk, Node};
use std::fmt;
use std::net::IpAddr;

/// An IP address value in a script (`ip("10.25.11.10") + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct IpVal(pub(crate) IpAddr);

/// A CIDR value in a script (`cidr("10.25.11.0/24").host(11)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CidrVal(pub(crate) Cidr);

impl fmt::Display for IpVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for CidrVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A cluster handle as the REPL shows it: a short table of what it declares.
pub(crate) fn cluster_table(c: &Cluster) -> String {
    let cps = c.control_planes().count();
    let mut rows = vec![
        ("cluster", c.name.clone()),
        ("endpoint", c.endpoint.clone()),
        ("talos", c.talos_version.to_string()),
        ("kubernetes", c.kubernetes_version.to_string()),
        (
            "nodes",
            format!(
                "{} ({cps} control plane{}){}",
                c.nodes.len(),
                crate::diag::plural(cps),
                short_list(c.nodes.iter().map(|n| n.hostname.as_str()))
            ),
        ),
    ];
    if let Some(vip) = c.vip {
        rows.push(("vip", vip.to_string()));
    }
    if !c.patches.is_empty() {
        rows.push((
            "patches",
            short_list(c.patches.iter().map(|p| p.name.as_str()))
                .trim_start_matches(": ")
                .to_string(),
        ));
    }
    table(&rows)
}

/// A node handle as the REPL shows it.
pub(crate) fn node_table(cluster: &str, n: &Node) -> String {
    let role = if n.is_control_plane() {
        "control plane"
    } else {
        "worker"
    };
    let install = match &n.install {
        Some(InstallDisk::Path(p)) => p.clone(),
        Some(InstallDisk::Selector(_)) => "disk selector".to_string(),
        None => "-".to_string(),
    };
    let links: Vec<String> = n
        .interfaces
        .iter()
        .map(|i| match &i.bond {
            Some(b) => format!("{} (bond: {})", i.label(), b.links.join(", ")),
            None => i.label(),
        })
        .collect();
    let mut rows = vec![
        ("node", n.hostname.clone()),
        ("cluster", cluster.to_string()),
        ("role", role.to_string()),
        ("ip", n.ip.to_string()),
        ("install", install),
    ];
    if !links.is_empty() {
        rows.push(("links", links.join("; ")));
    }
    table(&rows)
}

fn short_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        return String::new();
    }
    let shown = names.iter().take(4).copied().collect::<Vec<_>>().join(", ");
    let more = names.len().saturating_sub(4);
    if more > 0 {
        format!(": {shown}, … ({more} more)")
    } else {
        format!(": {shown}")
    }
}

fn table(rows: &[(&str, String)]) -> String {
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{k:<width$}  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}
