//! Network device methods on nodes: `interface`, `bond`, `link` (by hardware), `vlan`,
//! `bridge`, `wireguard`, `dummy`, `firewall`; and the cluster-wide `firewall`.

use super::cluster::ClusterRef;
use super::link::{Kind, device_from, firewall_from, selector_from, vlan_from};
use super::node::NodeRef;
use super::{HostResult, raise};
use crate::model::Interface;
use crate::script::builder::HostError;
use rhai::{Array, Engine, Map, NativeCallContext};

/// Adds a device built by `build` to the node; one name (or selector) per node.
fn push_device(
    ctx: &NativeCallContext,
    n: &NodeRef,
    build: Result<Interface, HostError>,
) -> HostResult<NodeRef> {
    let mut iface = match build {
        Ok(i) => i,
        Err(e) => return raise(ctx, e),
    };
    let mut b = n.shared.lock();
    iface.span = b.span_at(ctx.call_source(), ctx.call_position());
    let node = &mut b.fleet.clusters[n.cluster].nodes[n.node];
    if node.interfaces.iter().any(|i| i.same_device(&iface)) {
        let msg = format!(
            "node `{}` already has an interface `{}`",
            node.hostname,
            iface.label()
        );
        drop(b);
        return raise(ctx, HostError::new(msg));
    }
    node.interfaces.push(iface);
    Ok(n.clone())
}

/// `n.vlan(parent, id, #{...})`: a VLAN on the node's device `parent` (declared here as a
/// plain link when the node has none of that name).
fn add_vlan(
    ctx: &NativeCallContext,
    n: &NodeRef,
    parent: &str,
    id: i64,
    map: Map,
) -> HostResult<NodeRef> {
    let vlan = match vlan_from(id, map) {
        Ok(v) => v,
        Err(e) => return raise(ctx, e),
    };
    let mut b = n.shared.lock();
    let span = b.span_at(ctx.call_source(), ctx.call_position());
    let node = &mut b.fleet.clusters[n.cluster].nodes[n.node];
    let pos = match node.interfaces.iter().position(|i| i.name == parent) {
        Some(p) => p,
        None if parent.is_empty() => {
            drop(b);
            return raise(ctx, HostError::new("VLAN parent must not be empty"));
        }
        None => {
            let mut i = Interface::new(parent);
            i.span = span;
            node.interfaces.push(i);
            node.interfaces.len() - 1
        }
    };
    let dev = &mut node.interfaces[pos];
    if dev.vlans.iter().any(|v| v.id == vlan.id) {
        let msg = format!("`{parent}` already has VLAN {}", vlan.id);
        drop(b);
        return raise(ctx, HostError::new(msg));
    }
    dev.vlans.push(vlan);
    Ok(n.clone())
}

fn set_node_firewall(ctx: &NativeCallContext, n: &NodeRef, map: Map) -> HostResult<NodeRef> {
    let fw = match firewall_from(map) {
        Ok(f) => f,
        Err(e) => return raise(ctx, e),
    };
    n.shared.lock().fleet.clusters[n.cluster].nodes[n.node].firewall = Some(fw);
    Ok(n.clone())
}

fn set_cluster_firewall(
    ctx: &NativeCallContext,
    c: &ClusterRef,
    map: Map,
) -> HostResult<ClusterRef> {
    let fw = match firewall_from(map) {
        Ok(f) => f,
        Err(e) => return raise(ctx, e),
    };
    c.shared.lock().cluster(c.idx).firewall = Some(fw);
    Ok(c.clone())
}

pub(super) fn register(engine: &mut Engine) {
    engine.register_fn(
        "bond",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, links: Array, opts: Map| {
            push_device(&ctx, n, device_from(name, Kind::Bond(links), opts))
        },
    );
    engine.register_fn(
        "interface",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, opts: Map| {
            push_device(&ctx, n, device_from(name, Kind::Link, opts))
        },
    );
    engine.register_fn(
        "link",
        |ctx: NativeCallContext, n: &mut NodeRef, select: Map, mut opts: Map| {
            let dev = if opts.contains_key("select") {
                Err(
                    HostError::new("`link` takes its selector as the first argument")
                        .focus("select"),
                )
            } else {
                opts.insert("select".into(), select.into());
                device_from("", Kind::Link, opts)
            };
            push_device(&ctx, n, dev)
        },
    );
    engine.register_fn(
        "link",
        |ctx: NativeCallContext, n: &mut NodeRef, select: Map| {
            let dev = selector_from(select).map(|s| Interface {
                selector: Some(s),
                ..Interface::new("")
            });
            push_device(&ctx, n, dev)
        },
    );
    engine.register_fn(
        "vlan",
        |ctx: NativeCallContext, n: &mut NodeRef, parent: &str, id: i64, opts: Map| {
            add_vlan(&ctx, n, parent, id, opts)
        },
    );
    engine.register_fn(
        "vlan",
        |ctx: NativeCallContext, n: &mut NodeRef, parent: &str, id: i64| {
            add_vlan(&ctx, n, parent, id, Map::new())
        },
    );
    engine.register_fn(
        "bridge",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, links: Array, opts: Map| {
            push_device(&ctx, n, device_from(name, Kind::Bridge(links), opts))
        },
    );
    engine.register_fn(
        "wireguard",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, opts: Map| {
            push_device(&ctx, n, device_from(name, Kind::Wireguard, opts))
        },
    );
    engine.register_fn(
        "dummy",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, opts: Map| {
            push_device(&ctx, n, device_from(name, Kind::Dummy, opts))
        },
    );
    engine.register_fn(
        "dummy",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str| {
            push_device(&ctx, n, device_from(name, Kind::Dummy, Map::new()))
        },
    );
    engine.register_fn(
        "firewall",
        |ctx: NativeCallContext, n: &mut NodeRef, opts: Map| set_node_firewall(&ctx, n, opts),
    );
    engine.register_fn(
        "firewall",
        |ctx: NativeCallContext, c: &mut ClusterRef, opts: Map| set_cluster_firewall(&ctx, c, opts),
    );
}
