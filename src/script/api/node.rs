//! `node()` on a cluster and the node getters (network devices: [`super::devices`]).

use super::cluster::ClusterRef;
use super::image;
use super::{HostResult, raise};
use crate::model::{DiskSelector, InstallDisk, Node, Role, Taint};
use crate::script::builder::{HostError, Shared};
use crate::script::options::{Options, to_ip};
use crate::validate::kube;
use rhai::{Dynamic, Engine, Map, NativeCallContext};

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
    "image_schematic",
    "machine_spec",
    "no_schematic_validate",
    "labels",
    "annotations",
    "taints",
    "cert_sans",
    "kernel_modules",
    "nameservers",
    "disable_search_domain",
    "firewall",
    "ignore_hostname",
    "override_patches",
    "filename",
];

const DISK_OPTS: &[&str] = &[
    "size", "model", "type", "serial", "wwid", "bus_path", "name", "modalias", "uuid",
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

/// A node's address: an IP, or a DNS name talosctl reaches it by (with a letter in it, so a
/// mistyped address like `10.0.0.300` stays an error).
fn node_addr(v: &Dynamic) -> Result<crate::model::NodeAddr, HostError> {
    if v.is_string() {
        let s = v.to_string();
        if crate::model::parse_ip(&s).is_none()
            && crate::validate::model::is_domain(&s)
            && s.bytes().any(|b| b.is_ascii_alphabetic())
        {
            return Ok(crate::model::NodeAddr::Name(s));
        }
    }
    to_ip(v).map(crate::model::NodeAddr::Ip)
}

fn build_node(hostname: &str, ip: &Dynamic, opts: &Options) -> Result<Node, HostError> {
    let ip = node_addr(ip)?;
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
    n.schematic = image::schematic(opts, "schematic")?;
    n.image_schematic = image::schematic(opts, "image_schematic")?;
    n.machine_spec = image::machine_spec(opts)?;
    n.no_schematic_validate = opts.bool("no_schematic_validate")?.unwrap_or(false);
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
            .map(super::extras::kernel_module_item)
            .collect::<Result<_, _>>()?,
        Some(v) => vec![super::extras::kernel_module_item(&v)?],
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
    n.disable_search_domain = opts.bool("disable_search_domain")?.unwrap_or(false);
    if let Some(m) = opts.map("firewall")? {
        n.firewall = Some(super::link::firewall_from(m).map_err(|e| e.focus("firewall"))?);
    }
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
    if let Some(span) = &node.span {
        let text = b.sources.text(span.source);
        for s in [&mut node.schematic, &mut node.image_schematic]
            .into_iter()
            .flatten()
        {
            image::locate_extensions(s, text, span);
        }
    }
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
    engine.register_get("hostname", |n: &mut NodeRef| {
        with_node(n, |n| n.hostname.clone())
    });
    // A DNS-named node (talhelper allows it) reads back as its name.
    engine.register_get("ip", |n: &mut NodeRef| {
        with_node(n, |n| match &n.ip {
            crate::model::NodeAddr::Ip(ip) => Dynamic::from(super::IpVal(*ip)),
            crate::model::NodeAddr::Name(s) => Dynamic::from(s.clone()),
        })
    });
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
