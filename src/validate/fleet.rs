//! Rules across the clusters of a fleet: names, Cilium ids, pod networks, addresses.

use crate::diag::Diagnostic;
use crate::model::{Cluster, Fleet};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Checks that clusters of one fleet can coexist (and mesh).
pub fn validate(fleet: &Fleet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut names: BTreeMap<&str, &Cluster> = BTreeMap::new();
    let mut ids: BTreeMap<i64, &Cluster> = BTreeMap::new();
    let mut addrs: BTreeMap<IpAddr, (&Cluster, String)> = BTreeMap::new();
    for c in &fleet.clusters {
        if let Some(first) = names.insert(&c.name, c) {
            out.push(with_first(
                Diagnostic::error(format!("duplicate cluster name `{}`", c.name))
                    .at_opt(c.span.clone()),
                first,
                "first declared here",
            ));
        }
        if let Some(cil) = &c.cilium
            && let Some(first) = ids.insert(cil.id, c)
        {
            out.push(with_first(
                Diagnostic::error(format!(
                    "clusters `{}` and `{}` both use Cilium cluster id {}",
                    first.name, c.name, cil.id
                ))
                .at_opt(cil.span.clone())
                .with_hint("Cluster Mesh needs a unique id per cluster"),
                first,
                "the other cluster",
            ));
        }
        let mut own: Vec<(IpAddr, String, Option<crate::diag::Span>)> = c
            .nodes
            .iter()
            .filter_map(|n| Some((n.ip.ip()?, format!("node `{}`", n.hostname), n.span.clone())))
            .collect();
        if let Some(vip) = c.vip {
            own.push((vip, "the VIP".to_string(), c.span.clone()));
        }
        for (ip, what, span) in own {
            match addrs.get(&ip) {
                Some((other, other_what)) if other.name != c.name => out.push(
                    with_first(
                        Diagnostic::error(format!(
                            "address `{ip}` is used by {what} of cluster `{}` and by {other_what} of cluster `{}`",
                            c.name, other.name
                        ))
                        .at_opt(span),
                        other,
                        "the other cluster",
                    ),
                ),
                Some(_) => {}
                None => {
                    addrs.insert(ip, (c, what));
                }
            }
        }
    }
    for (i, a) in fleet.clusters.iter().enumerate() {
        for b in &fleet.clusters[i + 1..] {
            for pa in &a.pod_nets {
                for pb in &b.pod_nets {
                    if !pa.overlaps(pb) {
                        continue;
                    }
                    // Only clusters that reach each other's pods care: Cilium Cluster Mesh
                    // (an error: it routes pod addresses), or a shared `mesh` (a warning).
                    let cilium_mesh = a.cilium.is_some() && b.cilium.is_some();
                    let shared_mesh = a.mesh.is_some() && a.mesh == b.mesh;
                    if !cilium_mesh && !shared_mesh {
                        continue;
                    }
                    let msg = format!(
                        "pod network `{pb}` of cluster `{}` overlaps `{pa}` of cluster `{}`",
                        b.name, a.name
                    );
                    let d = if cilium_mesh {
                        Diagnostic::error(msg).with_hint("Cluster Mesh routes pod addresses between clusters: give each cluster its own pod network")
                    } else {
                        Diagnostic::warning(msg).with_hint(format!(
                            "both clusters are in mesh `{}`: give each its own pod network",
                            a.mesh.as_deref().unwrap_or_default()
                        ))
                    };
                    out.push(with_first(d.at_opt(b.span.clone()), a, "the other cluster"));
                }
            }
        }
    }
    out
}

fn with_first(d: Diagnostic, first: &Cluster, label: &str) -> Diagnostic {
    match &first.span {
        Some(s) => d.with_label(s.clone(), label),
        None => d,
    }
}
