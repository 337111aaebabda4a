//! `node()` on a cluster and the node methods: `bond`, `interface`, getters.

use super::cluster::ClusterRef;
use super::{HostResult, raise};
use crate::model::{Bond, DiskSelector, InstallDisk, Interface, Node, Role, Route, Taint};
use crate::script::builder::{HostError, Shared};
use crate::script::convert::to_yaml;
use crate::script::options::{Options, to_ip};
use crate::validate::kube;
use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};

/// A node handle in a script; methods return it so calls chain.
#[derive(Debug, Clone)]
pub(crate) struct NodeRef {
    pub(crate) shared: Shared,
    pub(crate) cluster: usize,
    pub(crate) node: usize,
}

const NODE_OPTS: &[&str] = &[
    "control_plane",
    "install_disk",
    "disk",
    "image",
    "schematic",
    "labels",
    "annotations",
    "taints",
    "cert_sans",
    "kernel_modules",
    "nameservers",
    "ignore_hostname",
    "override_patches",
    "filename",
];

const DISK_OPTS: &[&str] = &[
    "size", "model", "type", "serial", "wwid", "bus_path", "name", "modalias", "uuid",
];

const IFACE_OPTS: &[&str] = &["mtu", "dhcp", "addresses", "routes", "vip"];

const BOND_OPTS: &[&str] = &[
    "mode",
    "lacp_rate",
    "xmit_hash_policy",
    "miimon",
    "updelay",
    "downdelay",
    "min_links",
    "ad_select",
    "mtu",
    "dhcp",
    "addresses",
    "routes",
    "vip",
];

fn string_map(opts: &Options, key: &str) -> Result<indexmap::IndexMap<String, String>, HostError> {
    let Some(m) = opts.map(key)? else {
        return Ok(Default::default());
    };
    m.into_iter()
        .map(|(k, v)| {
            if v.is_string() || v.is_int() || v.is_bool() {
                Ok((k.to_string(), v.to_string()))
            } else {
                Err(
                    HostError::new(format!("`{key}` values must be strings, `{k}` is not"))
                        .focus(key),
                )
            }
        })
        .collect()
}

fn build_node(hostname: &str, ip: &Dynamic, opts: &Options) -> Result<Node, HostError> {
    let ip = to_ip(ip)?;
    let role = if opts.bool("control_plane")?.unwrap_or(false) {
        Role::ControlPlane
    } else {
        Role::Worker
    };
    let mut n = Node::new(hostname, ip, role);
    n.install = match (opts.string("install_disk")?, opts.map("disk")?) {
        (Some(_), Some(_)) => {
            return Err(
                HostError::new("set either `install_disk` or `disk`, not both").focus("disk"),
            );
        }
        (Some(p), None) => Some(InstallDisk::Path(p)),
        (None, Some(m)) => {
            let d = Options::new("disk selector", m, DISK_OPTS)?;
            if let Some(size) = d.string("size")?
                && let Some(e) = crate::validate::kube::disk_size_error(&size)
            {
                return Err(HostError::new(format!("disk selector option `size`: {e}"))
                    .focus("size")
                    .hint("Talos matches the install disk by size, e.g. `size: \">= 256GB\"`"));
            }
            Some(InstallDisk::Selector(DiskSelector {
                size: d.string("size")?,
                model: d.string("model")?,
                disk_type: d.choice("type", &["nvme", "ssd", "hdd", "sd"])?,
                serial: d.string("serial")?,
                wwid: d.string("wwid")?,
                bus_path: d.string("bus_path")?,
                name: d.string("name")?,
                modalias: d.string("modalias")?,
                uuid: d.string("uuid")?,
            }))
        }
        (None, None) => None,
    };
    n.image = opts.string("image")?;
    n.schematic = match opts.raw("schematic") {
        Some(v) => Some(to_yaml(&v)?),
        None => None,
    };
    n.labels = string_map(opts, "labels")?;
    for (k, v) in &n.labels {
        if let Some(e) = kube::key_error(k).or_else(|| kube::value_error(v)) {
            return Err(HostError::new(format!("node option `labels`: {e}"))
                .focus(k.clone())
                .hint(
                    "Kubernetes label keys are `[prefix/]name`, e.g. `topology.kubernetes.io/zone`",
                ));
        }
    }
    n.annotations = string_map(opts, "annotations")?;
    for k in n.annotations.keys() {
        if let Some(e) = kube::key_error(k) {
            return Err(HostError::new(format!("node option `annotations`: {e}"))
                .focus(k.clone())
                .hint("annotation keys follow the label key rule; their values may be any text"));
        }
    }
    n.taints = string_map(opts, "taints")?
        .into_iter()
        .map(|(key, v)| {
            let (value, effect) = v.rsplit_once(':').unwrap_or(("", &v));
            Taint {
                key,
                value: value.to_string(),
                effect: effect.to_string(),
            }
        })
        .collect();
    for t in &n.taints {
        if let Some(e) = kube::taint_error(&t.key, &t.value, &t.effect) {
            return Err(HostError::new(format!("node option `taints`: {e}"))
                .focus(t.key.clone())
                .hint("write a taint as `#{ key: \"value:Effect\" }`, e.g. `#{ dedicated: \"gpu:NoSchedule\" }`"));
        }
    }
    n.cert_sans = opts.strings("cert_sans")?;
    n.kernel_modules = match opts.raw("kernel_modules") {
        None => Vec::new(),
        Some(v) if v.is_array() => v
            .into_array()
            .unwrap_or_default()
            .iter()
            .map(super::storage::kernel_module_item)
            .collect::<Result<_, _>>()?,
        Some(v) => vec![super::storage::kernel_module_item(&v)?],
    };
    n.ignore_hostname = opts.bool("ignore_hostname")?.unwrap_or(false);
    n.override_patches = opts.bool("override_patches")?.unwrap_or(false);
    n.filename_template = opts.string("filename")?;
    if let Some(t) = &n.filename_template
        && let Err(e) = crate::model::fill_filename_template(t, "c", hostname, "1", "worker")
    {
        return Err(HostError::new(format!("node option `filename`: {e}")).focus("filename"));
    }
    n.nameservers = opts.ips("nameservers")?;
    Ok(n)
}

fn add_node(
    ctx: &NativeCallContext,
    c: &ClusterRef,
    hostname: &str,
    ip: Dynamic,
    map: Map,
) -> HostResult<NodeRef> {
    let opts = match Options::new("node", map, NODE_OPTS) {
        Ok(o) => o,
        Err(e) => return raise(ctx, e),
    };
    let mut node = match build_node(hostname, &ip, &opts) {
        Ok(n) => n,
        Err(e) => return raise(ctx, e),
    };
    let mut b = c.shared.lock();
    node.span = b.span_at(ctx.call_source(), ctx.call_position());
    let cluster = b.cluster(c.idx);
    // Cluster-wide defaults the node did not override are filled in at the end of the run,
    // so `c.bond(...)` may come before or after the nodes.
    cluster.nodes.push(node);
    Ok(NodeRef {
        shared: c.shared.clone(),
        cluster: c.idx,
        node: cluster.nodes.len() - 1,
    })
}

fn routes(opts: &Options) -> Result<Vec<Route>, HostError> {
    let Some(v) = opts.raw("routes") else {
        return Ok(Vec::new());
    };
    let Some(items) = v.clone().try_cast::<Array>() else {
        return Err(HostError::new("`routes` must be an array of maps").focus("routes"));
    };
    items
        .into_iter()
        .map(|item| {
            let Some(m) = item.try_cast::<Map>() else {
                return Err(HostError::new("each route must be a map like `#{ network: \"0.0.0.0/0\", gateway: \"10.0.0.1\" }`").focus("routes"));
            };
            let r = Options::new("route", m, &["network", "gateway", "source", "metric", "mtu"])?;
            let network = match r.string("network")? {
                None => None,
                Some(s) => Some(crate::model::Cidr::parse(&s).ok_or_else(|| {
                    HostError::new(format!("invalid route network `{s}`")).focus("network")
                })?),
            };
            Ok(Route {
                network,
                gateway: r.ip("gateway")?,
                source: r.ip("source")?,
                metric: r.u32("metric")?,
                mtu: r.u32("mtu")?,
            })
        })
        .collect()
}

/// Builds an interface (a bond when `links` is given) from its option map.
pub(crate) fn interface_from(
    name: &str,
    links: Option<Array>,
    map: Map,
) -> Result<Interface, HostError> {
    if name.is_empty() {
        return Err(HostError::new("interface name must not be empty"));
    }
    let opts = if links.is_some() {
        Options::new("bond", map, BOND_OPTS)?
    } else {
        Options::new("interface", map, IFACE_OPTS)?
    };
    let mut i = Interface::new(name);
    i.mtu = opts.int("mtu", 0, i64::from(u32::MAX))?.map(|m| m as u32);
    i.dhcp = opts.bool("dhcp")?.unwrap_or(false);
    i.addresses = opts.cidrs("addresses")?;
    i.routes = routes(&opts)?;
    i.vip = opts.ip("vip")?;
    if let Some(links) = links {
        let links = links
            .iter()
            .map(|l| {
                if l.is_string() {
                    Ok(l.to_string())
                } else {
                    Err(HostError::new(
                        "bond links must be interface names (strings)",
                    ))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        i.bond = Some(Bond {
            links,
            mode: opts.choice("mode", crate::model::BOND_MODES)?,
            lacp_rate: opts.choice("lacp_rate", &["slow", "fast"])?,
            xmit_hash_policy: opts
                .choice("xmit_hash_policy", crate::model::BOND_XMIT_HASH_POLICIES)?,
            miimon: opts.u32("miimon")?,
            updelay: opts.u32("updelay")?,
            downdelay: opts.u32("downdelay")?,
            min_links: opts.u32("min_links")?,
            ad_select: opts.choice("ad_select", &["stable", "bandwidth", "count"])?,
            ..Bond::default()
        });
    }
    Ok(i)
}

fn node_interface(
    ctx: &NativeCallContext,
    n: &NodeRef,
    name: &str,
    links: Option<Array>,
    map: Map,
) -> HostResult<NodeRef> {
    let mut iface = match interface_from(name, links, map) {
        Ok(i) => i,
        Err(e) => return raise(ctx, e),
    };
    let mut b = n.shared.lock();
    iface.span = b.span_at(ctx.call_source(), ctx.call_position());
    let node = &mut b.fleet.clusters[n.cluster].nodes[n.node];
    if node.interfaces.iter().any(|i| i.name == iface.name) {
        let msg = format!(
            "node `{}` already has an interface `{}`",
            node.hostname, iface.name
        );
        drop(b);
        return raise(ctx, HostError::new(msg));
    }
    node.interfaces.push(iface);
    Ok(n.clone())
}

fn with_node<T>(n: &NodeRef, f: impl FnOnce(&Node) -> T) -> T {
    let b = n.shared.lock();
    f(&b.fleet.clusters[n.cluster].nodes[n.node])
}

pub(super) fn register(engine: &mut Engine, _shared: &Shared) {
    engine.register_type_with_name::<NodeRef>("Node");
    engine.register_fn(
        "node",
        |ctx: NativeCallContext, c: &mut ClusterRef, hostname: &str, ip: Dynamic, opts: Map| {
            add_node(&ctx, c, hostname, ip, opts)
        },
    );
    engine.register_fn(
        "node",
        |ctx: NativeCallContext, c: &mut ClusterRef, hostname: &str, ip: Dynamic| {
            add_node(&ctx, c, hostname, ip, Map::new())
        },
    );
    engine.register_fn(
        "bond",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, links: Array, opts: Map| {
            node_interface(&ctx, n, name, Some(links), opts)
        },
    );
    engine.register_fn(
        "interface",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, opts: Map| {
            node_interface(&ctx, n, name, None, opts)
        },
    );
    engine.register_get("hostname", |n: &mut NodeRef| {
        with_node(n, |n| n.hostname.clone())
    });
    engine.register_get("ip", |n: &mut NodeRef| with_node(n, |n| super::IpVal(n.ip)));
    engine.register_get("control_plane", |n: &mut NodeRef| {
        with_node(n, |n| n.is_control_plane())
    });
    engine.register_fn("to_string", |n: &mut NodeRef| {
        with_node(n, |n| format!("node(\"{}\")", n.hostname))
    });
    engine.register_fn("to_debug", |n: &mut NodeRef| {
        let cluster = n.shared.lock().fleet.clusters[n.cluster].name.clone();
        with_node(n, |node| crate::script::values::node_table(&cluster, node))
    });
}
