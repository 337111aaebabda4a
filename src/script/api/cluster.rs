//! `cluster()` and the cluster methods: `vip`, `cilium_ready`, default interfaces (and the `patch` registration; patches live in `patch.rs`).

use super::link::interface_from;
use super::node::NodeRef;
use super::patch::merge_or_push;
use super::{HostResult, raise};
use crate::model::{Cilium, Cluster, Cni, Patch, PatchSource, PatchTarget, TalosMode, Version};
use crate::script::builder::{HostError, Shared};
use crate::script::options::{Options, to_ip};
use crate::yaml::Yaml;
use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};

/// A cluster handle in a script.
#[derive(Debug, Clone)]
pub(crate) struct ClusterRef {
    pub(crate) shared: Shared,
    pub(crate) idx: usize,
}

/// Which nodes a patch targets; `all`, `control_planes` and `workers` are script constants.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    All,
    ControlPlanes,
    Workers,
}

const CLUSTER_OPTS: &[&str] = &[
    "endpoint",
    "talos",
    "kubernetes",
    "pod_nets",
    "service_nets",
    "dns_domain",
    "allow_scheduling_on_control_planes",
    "cert_sans",
    "machine_cert_sans",
    "nameservers",
    "ntp",
    "cni",
    "cni_urls",
    "age",
    "mesh",
    "talos_mode",
    "machine_spec",
    "schematic",
    "no_schematic_validate",
    "image_factory",
];

pub(crate) use crate::talos::versions::DEFAULT_TALOS;

fn version(opts: &Options, key: &str, default: &str) -> Result<Version, HostError> {
    let s = opts.string(key)?.unwrap_or_else(|| default.to_string());
    Version::parse(&s).ok_or_else(|| {
        HostError::new(format!("invalid {key} version `{s}`"))
            .focus(key)
            .hint(format!("write a version like `{default}`"))
    })
}

fn new_cluster(
    ctx: &NativeCallContext,
    shared: &Shared,
    name: &str,
    map: Map,
) -> HostResult<ClusterRef> {
    let opts = match Options::new("cluster", map, CLUSTER_OPTS) {
        Ok(o) => o,
        Err(e) => return raise(ctx, e),
    };
    let pinned = match opts.string("talos") {
        Ok(t) => t.is_some(),
        Err(e) => return raise(ctx, e),
    };
    match build_cluster(name, &opts) {
        Ok(mut c) => {
            let mut b = shared.lock();
            c.span = b.span_at(ctx.call_source(), ctx.call_position());
            if !pinned {
                b.warnings.push(unpinned_talos(&c));
            }
            b.fleet.clusters.push(c);
            Ok(ClusterRef {
                shared: shared.clone(),
                idx: b.fleet.clusters.len() - 1,
            })
        }
        Err(e) => raise(ctx, e),
    }
}

/// A cluster on the default Talos version renders differently once a newer talforge moves
/// the default, so `run` and `check` say so.
fn unpinned_talos(c: &Cluster) -> crate::diag::Diagnostic {
    crate::diag::Diagnostic::warning(format!(
        "cluster `{}` does not pin `talos:`; it gets talforge's default {DEFAULT_TALOS}, and a talforge with a newer default would change its machine configs",
        c.name
    ))
    .at_opt(c.span.clone())
    .with_hint(format!(
        "add `talos: \"{DEFAULT_TALOS}\"` to the cluster options"
    ))
}

fn build_cluster(name: &str, opts: &Options) -> Result<Cluster, HostError> {
    if let Some(msg) = crate::validate::model::cluster_name_error(name) {
        // The caret goes under the name when it is written as a literal in the call.
        let mut e = HostError::new(msg).hint(crate::validate::model::DNS_LABEL_HINT);
        if !name.is_empty() && !name.contains(['"', '\\', '\n']) {
            e = e.focus(format!("\"{name}\""));
        }
        return Err(e);
    }
    let Some(endpoint) = opts.string("endpoint")? else {
        return Err(
            HostError::new(format!("cluster `{name}` needs an `endpoint`"))
                .hint("add `endpoint: \"https://<vip>:6443\"` to the cluster options"),
        );
    };
    let talos = version(opts, "talos", DEFAULT_TALOS)?;
    let k8s = version(
        opts,
        "kubernetes",
        crate::talos::versions::default_kubernetes_for(talos),
    )?;
    let mut c = Cluster::new(name, endpoint, talos, k8s);
    let pods = opts.cidrs("pod_nets")?;
    if !pods.is_empty() {
        c.pod_nets = pods;
    }
    let svcs = opts.cidrs("service_nets")?;
    if !svcs.is_empty() {
        c.service_nets = svcs;
    }
    c.dns_domain = opts.string("dns_domain")?;
    c.mesh = opts.string("mesh")?;
    if let Some(m) = opts.choice("talos_mode", &TalosMode::NAMES)? {
        c.talos_mode = TalosMode::parse(&m).unwrap_or_default();
    }
    c.allow_scheduling_on_control_planes = opts
        .bool("allow_scheduling_on_control_planes")?
        .unwrap_or(false);
    c.api_server_cert_sans = opts.strings("cert_sans")?;
    c.machine_cert_sans = opts.strings("machine_cert_sans")?;
    c.nameservers = opts.ips("nameservers")?;
    c.ntp = opts.strings("ntp")?;
    c.cni = match opts
        .choice("cni", &["flannel", "none", "custom"])?
        .as_deref()
    {
        None => Cni::Default,
        Some("flannel") => Cni::Flannel,
        Some("none") => Cni::None,
        _ => {
            let urls = opts.strings("cni_urls")?;
            if urls.is_empty() {
                return Err(HostError::new("`cni: \"custom\"` needs `cni_urls`").focus("cni"));
            }
            Cni::Custom(urls)
        }
    };
    if !matches!(c.cni, Cni::Custom(_)) && !opts.strings("cni_urls")?.is_empty() {
        return Err(
            HostError::new("`cni_urls` is only used with `cni: \"custom\"`").focus("cni_urls"),
        );
    }
    c.image_factory = super::image::image_factory(opts)?;
    c.node_image_defaults.machine_spec = super::image::machine_spec(opts)?;
    c.node_image_defaults.schematic = super::image::schematic(opts, "schematic")?;
    c.node_image_defaults.no_schematic_validate =
        opts.bool("no_schematic_validate")?.unwrap_or(false);
    c.sops.age = opts.strings("age")?;
    for r in &c.sops.age {
        if !r.starts_with("age1") {
            return Err(HostError::new(format!("`{r}` is not an age recipient"))
                .focus("age")
                .hint("age public keys start with `age1`; `age-keygen -y key.txt` prints yours"));
        }
    }
    Ok(c)
}

pub(super) fn with_cluster<T>(
    ctx: &NativeCallContext,
    c: &ClusterRef,
    f: impl FnOnce(&mut crate::script::builder::Builder) -> Result<T, HostError>,
) -> HostResult<T> {
    let mut b = c.shared.lock();
    match f(&mut b) {
        Ok(v) => Ok(v),
        Err(e) => {
            drop(b);
            raise(ctx, e)
        }
    }
}

fn cilium_ready(ctx: &NativeCallContext, c: &ClusterRef, map: Map) -> HostResult<ClusterRef> {
    let opts = match Options::new("cilium", map, &["id", "name"]) {
        Ok(o) => o,
        Err(e) => return raise(ctx, e),
    };
    let id = match opts.int("id", i64::MIN, i64::MAX) {
        Ok(Some(id)) => id,
        Ok(None) => {
            return raise(
                ctx,
                HostError::new("`cilium_ready()` needs the Cilium cluster `id`")
                    .hint("add `#{ id: 1 }`; Cluster Mesh needs a unique id per cluster (1-255)"),
            );
        }
        Err(e) => return raise(ctx, e),
    };
    let name = match opts.string("name") {
        Ok(n) => n,
        Err(e) => return raise(ctx, e),
    };
    let span = c
        .shared
        .lock()
        .span_at(ctx.call_source(), ctx.call_position());
    with_cluster(ctx, c, |b| {
        let cluster = b.cluster(c.idx);
        cluster.cni = Cni::None;
        cluster.proxy_disabled = true;
        cluster.cilium = Some(Cilium {
            name: name.unwrap_or_else(|| cluster.name.clone()),
            id,
            span: span.clone(),
        });
        // What Cilium needs from Talos, as the control-plane patch the story keeps in
        // patches/controlplane.yaml: KubePrism for `k8sServiceHost: localhost:7445`, no
        // kube-proxy (Cilium replaces it), discovery for KubeSpan-free node discovery.
        let content = Yaml::from_pairs([
            (
                "cluster",
                Yaml::from_pairs([
                    (
                        "discovery",
                        Yaml::from_pairs([("enabled", Yaml::Bool(true))]),
                    ),
                    ("proxy", Yaml::from_pairs([("disabled", Yaml::Bool(true))])),
                ]),
            ),
            (
                "machine",
                Yaml::from_pairs([(
                    "features",
                    Yaml::from_pairs([(
                        "kubePrism",
                        Yaml::from_pairs([
                            ("enabled", Yaml::Bool(true)),
                            ("port", Yaml::Int(7445)),
                        ]),
                    )]),
                )]),
            ),
        ]);
        merge_or_push(
            cluster,
            Patch {
                name: "controlplane".into(),
                target: PatchTarget::ControlPlanes,
                documents: vec![content],
                text: None,
                source: PatchSource::Inline,
                span,
                template: None,
            },
        )
    })?;
    Ok(c.clone())
}

fn set_vip(ctx: &NativeCallContext, c: &ClusterRef, ip: Dynamic) -> HostResult<ClusterRef> {
    let ip = match to_ip(&ip) {
        Ok(ip) => ip,
        Err(e) => return raise(ctx, e),
    };
    with_cluster(ctx, c, |b| {
        b.cluster(c.idx).vip = Some(ip);
        Ok(())
    })?;
    Ok(c.clone())
}

fn default_interface(
    ctx: &NativeCallContext,
    c: &ClusterRef,
    name: &str,
    links: Option<Array>,
    map: Map,
) -> HostResult<ClusterRef> {
    let span = c
        .shared
        .lock()
        .span_at(ctx.call_source(), ctx.call_position());
    let iface = match interface_from(name, links, map) {
        Ok(mut i) => {
            i.span = span;
            i
        }
        Err(e) => return raise(ctx, e),
    };
    with_cluster(ctx, c, |b| {
        let cl = b.cluster(c.idx);
        if cl.default_interfaces.iter().any(|i| i.same_device(&iface)) {
            return Err(HostError::new(format!(
                "cluster `{}` already has a default interface `{}`",
                cl.name,
                iface.label()
            )));
        }
        cl.default_interfaces.push(iface);
        Ok(())
    })?;
    Ok(c.clone())
}

pub(super) fn register(engine: &mut Engine, shared: &Shared) {
    engine.register_type_with_name::<ClusterRef>("Cluster");
    engine.register_type_with_name::<Target>("Target");
    let s = shared.clone();
    engine.register_fn(
        "cluster",
        move |ctx: NativeCallContext, name: &str, opts: Map| new_cluster(&ctx, &s, name, opts),
    );
    let s = shared.clone();
    engine.register_fn("cluster", move |ctx: NativeCallContext, name: &str| {
        new_cluster(&ctx, &s, name, Map::new())
    });
    engine.register_fn(
        "patch",
        |ctx: NativeCallContext,
         c: &mut ClusterRef,
         target: Dynamic,
         name: &str,
         content: Dynamic| { super::patch::add_patch(&ctx, c, target, name, content) },
    );
    engine.register_fn(
        "cilium_ready",
        |ctx: NativeCallContext, c: &mut ClusterRef, opts: Map| cilium_ready(&ctx, c, opts),
    );
    engine.register_fn(
        "vip",
        |ctx: NativeCallContext, c: &mut ClusterRef, ip: Dynamic| set_vip(&ctx, c, ip),
    );
    engine.register_fn(
        "bond",
        |ctx: NativeCallContext, c: &mut ClusterRef, name: &str, links: Array, opts: Map| {
            default_interface(&ctx, c, name, Some(links), opts)
        },
    );
    engine.register_fn(
        "interface",
        |ctx: NativeCallContext, c: &mut ClusterRef, name: &str, opts: Map| {
            default_interface(&ctx, c, name, None, opts)
        },
    );
    engine.register_get("name", |c: &mut ClusterRef| {
        c.shared.lock().fleet.clusters[c.idx].name.clone()
    });
    engine.register_get("endpoint", |c: &mut ClusterRef| {
        c.shared.lock().fleet.clusters[c.idx].endpoint.clone()
    });
    engine.register_get("nodes", |c: &mut ClusterRef| {
        let n = c.shared.lock().fleet.clusters[c.idx].nodes.len();
        (0..n)
            .map(|i| {
                Dynamic::from(NodeRef {
                    shared: c.shared.clone(),
                    cluster: c.idx,
                    node: i,
                })
            })
            .collect::<Array>()
    });
    engine.register_fn("to_string", |c: &mut ClusterRef| {
        format!(
            "cluster(\"{}\")",
            c.shared.lock().fleet.clusters[c.idx].name
        )
    });
    // The REPL prints a value with `to_debug`: a handle shows what it stands for.
    engine.register_fn("to_debug", |c: &mut ClusterRef| {
        crate::script::values::cluster_table(&c.shared.lock().fleet.clusters[c.idx])
    });
}
