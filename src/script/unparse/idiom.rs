//! What makes an imported script idiomatic: counting runs of nodes that become one `for`
//! loop, interfaces every node shares, and a VIP every control plane announces.

use crate::model::{Cluster, Interface, Node};
use std::net::IpAddr;

/// A VIP that every control plane announces on its first interface, and no worker does.
pub(super) fn shared_vip(c: &Cluster) -> Option<IpAddr> {
    let mut vip = None;
    for n in &c.nodes {
        // A cloud VIP provider stays on its interface: `c.vip()` has none.
        let first = n
            .interfaces
            .first()
            .filter(|i| i.vip_provider.is_none())
            .and_then(|i| i.vip);
        let any = n.interfaces.iter().filter_map(|i| i.vip).count();
        if n.is_control_plane() {
            match (vip, first) {
                (_, None) => return None,
                (None, Some(v)) => vip = Some(v),
                (Some(a), Some(b)) if a != b => return None,
                _ => {}
            }
            if any != 1 {
                return None;
            }
        } else if any > 0 {
            return None;
        }
    }
    vip
}

/// Interfaces identical on every node (and at least two nodes), as cluster defaults.
pub(super) fn shared_interfaces(nodes: &[Node]) -> Vec<Interface> {
    let Some(first) = nodes.first() else {
        return Vec::new();
    };
    // Cluster defaults are named links and bonds (`c.interface`, `c.bond`).
    let liftable = |i: &Interface| {
        !i.name.is_empty() && i.bridge.is_none() && i.wireguard.is_none() && !i.dummy
    };
    if nodes.len() < 2 || first.interfaces.is_empty() || !first.interfaces.iter().all(liftable) {
        return Vec::new();
    }
    let same = |a: &[Interface], b: &[Interface]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                let (mut x, mut y) = (x.clone(), y.clone());
                x.span = None;
                y.span = None;
                x == y
            })
    };
    if nodes.iter().all(|n| same(&n.interfaces, &first.interfaces)) {
        first.interfaces.clone()
    } else {
        Vec::new()
    }
}

/// How many nodes from the start form a counting run: hostnames `<prefix><n>` with n going
/// up by one, addresses going up by one, everything else equal.
pub(super) fn run_length(nodes: &[Node]) -> usize {
    let Some((prefix, start)) = split_number(&nodes[0].hostname) else {
        return 1;
    };
    let mut len = 1;
    for (k, n) in nodes.iter().enumerate().skip(1) {
        let Some((p, num)) = split_number(&n.hostname) else {
            break;
        };
        let expected_ip = nodes[0]
            .ip
            .ip()
            .and_then(|ip| crate::model::ip_add(ip, k as i128));
        if p != prefix
            || num != start + k as u64
            || expected_ip.is_none()
            || n.ip.ip() != expected_ip
            || !same_besides_name(&nodes[0], n)
        {
            break;
        }
        len += 1;
    }
    len
}

pub(super) fn split_number(h: &str) -> Option<(&str, u64)> {
    let digits = h.len() - h.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 6 {
        return None;
    }
    let (p, d) = h.split_at(h.len() - digits);
    // `node01` would lose its zero padding in a loop.
    if d.len() > 1 && d.starts_with('0') {
        return None;
    }
    Some((p, d.parse().ok()?))
}

fn same_besides_name(a: &Node, b: &Node) -> bool {
    let mut x = b.clone();
    x.hostname.clone_from(&a.hostname);
    x.ip.clone_from(&a.ip);
    x.span.clone_from(&a.span);
    for (i, j) in x.interfaces.iter_mut().zip(&a.interfaces) {
        i.span.clone_from(&j.span);
    }
    // Where a schematic was written differs per node; what it says is what matters.
    for (mine, theirs) in [
        (&mut x.schematic, &a.schematic),
        (&mut x.image_schematic, &a.image_schematic),
    ] {
        if let (Some(m), Some(t)) = (mine.as_mut(), theirs) {
            m.span.clone_from(&t.span);
            m.extension_spans.clone_from(&t.extension_spans);
        }
    }
    super::machine::align_spans(&mut x, a);
    // Static addresses differ per node; a loop cannot express them.
    x == *a && a.interfaces.iter().all(|i| i.addresses.is_empty())
}
