//! Disk, volume, file and machine-extra methods: `volume`, `user_volume`, `machine_disk`,
//! `file`, `extension_service`, `kernel_module`, `extra_manifest`, `inline_manifest`,
//! `flannel`.

use super::cluster::ClusterRef;
use super::extras::{build_extension_service, build_file, documents, valid_file_stem};
use super::node::NodeRef;
use super::{HostResult, raise};
use crate::model::{
    Cni, DiskPartition, ExtraManifest, FILESYSTEM_TYPES, FlannelOptions, InlineManifest,
    KernelModule, MachineDisk, Node, Provisioning, SYSTEM_VOLUMES, USER_VOLUME_TYPES, UserVolume,
    Volume, size_error, user_volume_name_error,
};
use crate::script::builder::HostError;
use crate::script::convert::to_yaml;
use crate::script::options::{Options, type_name};
use crate::yaml::Yaml;
use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};

const VOLUME_OPTS: &[&str] = &["disk", "min_size", "max_size", "grow", "encryption"];

const USER_VOLUME_OPTS: &[&str] = &[
    "type",
    "disk",
    "min_size",
    "max_size",
    "grow",
    "filesystem",
    "project_quota",
    "encryption",
];

type R<T> = Result<T, HostError>;

fn provisioning(o: &Options) -> R<Provisioning> {
    let size = |key: &str, percent_ok: bool| -> R<Option<String>> {
        let Some(s) = o.string(key)? else {
            return Ok(None);
        };
        match size_error(&s, percent_ok) {
            None => Ok(Some(s)),
            Some(e) => Err(HostError::new(format!("volume option `{key}`: {e}"))
                .focus(key)
                .hint("Talos reads sizes like `50GiB`, `100GB` or, for `max_size`, `80%`")),
        }
    };
    Ok(Provisioning {
        disk: o.string("disk")?,
        grow: o.bool("grow")?,
        min_size: size("min_size", false)?,
        max_size: size("max_size", true)?,
    })
}

/// `encryption`: a Talos `EncryptionSpec` map. A literal static passphrase would be written
/// to talconfig.yaml in plaintext, so it is refused.
fn encryption(o: &Options) -> R<Option<Yaml>> {
    let Some(v) = o.raw("encryption") else {
        return Ok(None);
    };
    let y = to_yaml(&v).map_err(|e| e.focus("encryption"))?;
    if !matches!(y, Yaml::Map(_)) {
        return Err(HostError::new(format!(
            "volume option `encryption` must be a map, got {}",
            type_name(&v)
        ))
        .focus("encryption"));
    }
    let keys = y.get("keys").and_then(Yaml::as_seq).unwrap_or(&[]);
    if keys
        .iter()
        .any(|k| k.get_path("static.passphrase").is_some())
    {
        return Err(HostError::new(
            "a static passphrase in a script would be written to talconfig.yaml in plaintext",
        )
        .focus("passphrase")
        .hint("use `nodeID: #{}` or `tpm: #{}` keys, or keep the passphrase in a talhelper config as `${VAR}` from talenv.sops.yaml"));
    }
    Ok(Some(y))
}

fn build_volume(name: &str, map: Map) -> R<Volume> {
    if !SYSTEM_VOLUMES.contains(&name) {
        return Err(HostError::new(format!("`{name}` is not a system volume"))
            .hint("a volume is one of `STATE`, `EPHEMERAL`, `IMAGECACHE`; declare your own with `user_volume(name, ...)`"));
    }
    let o = Options::new("volume", map, VOLUME_OPTS)?;
    Ok(Volume {
        name: name.to_string(),
        provisioning: provisioning(&o)?,
        encryption: encryption(&o)?,
        span: None,
    })
}

fn build_user_volume(name: &str, map: Map) -> R<UserVolume> {
    if let Some(e) = user_volume_name_error(name) {
        return Err(HostError::new(format!("user volume `{name}`: {e}"))
            .hint("Talos mounts it at `/var/mnt/<name>`, e.g. `longhorn`"));
    }
    let o = Options::new("user volume", map, USER_VOLUME_OPTS)?;
    let volume_type = o.choice("type", USER_VOLUME_TYPES)?;
    let provisioning = provisioning(&o)?;
    if volume_type.as_deref() != Some("directory") {
        if provisioning.disk.is_none() {
            return Err(HostError::new(format!("user volume `{name}` needs a `disk`"))
                .hint("select the disk with a CEL expression, e.g. `disk: \"system_disk\"` or `disk: \"disk.transport == 'nvme'\"`"));
        }
        if volume_type.as_deref() != Some("disk")
            && provisioning.min_size.is_none()
            && provisioning.max_size.is_none()
        {
            return Err(HostError::new(format!(
                "user volume `{name}` needs `min_size` or `max_size`"
            ))
            .hint("a partition needs a size, e.g. `min_size: \"100GiB\", grow: true`"));
        }
    }
    Ok(UserVolume {
        name: name.to_string(),
        volume_type,
        provisioning,
        filesystem: o.choice("filesystem", FILESYSTEM_TYPES)?,
        project_quota: o.bool("project_quota")?,
        encryption: encryption(&o)?,
        span: None,
    })
}

fn build_machine_disk(device: &str, partitions: Array) -> R<MachineDisk> {
    if !device.starts_with('/') {
        return Err(
            HostError::new(format!("machine disk `{device}` is not a device path"))
                .hint("write the device, e.g. `/dev/sdb`"),
        );
    }
    let partitions = partitions
        .into_iter()
        .map(|p| {
            let Some(m) = p.clone().try_cast::<Map>() else {
                return Err(HostError::new(format!(
                    "each partition must be a map like `#{{ mountpoint: \"/var/mnt/data\" }}`, got {}",
                    type_name(&p)
                )));
            };
            let o = Options::new("partition", m, &["mountpoint", "size"])?;
            let Some(mountpoint) = o.string("mountpoint")? else {
                return Err(HostError::new("a partition needs a `mountpoint`"));
            };
            let size = match o.raw("size") {
                None => None,
                Some(v) if v.is_int() => Some(Yaml::Int(v.as_int().unwrap_or_default())),
                Some(_) => {
                    let s = o.string("size")?.unwrap_or_default();
                    if let Some(e) = size_error(&s, false) {
                        return Err(HostError::new(format!("partition option `size`: {e}"))
                            .focus("size"));
                    }
                    Some(Yaml::str(s))
                }
            };
            Ok(DiskPartition { mountpoint, size })
        })
        .collect::<R<Vec<_>>>()?;
    Ok(MachineDisk {
        device: device.to_string(),
        partitions,
    })
}

/// Runs `f` on the node with the call's span; an error is raised at the call.
fn on_node(
    ctx: &NativeCallContext,
    n: &NodeRef,
    f: impl FnOnce(&mut Node, Option<crate::diag::Span>) -> R<()>,
) -> HostResult<NodeRef> {
    let mut b = n.shared.lock();
    let span = b.span_at(ctx.call_source(), ctx.call_position());
    let node = &mut b.fleet.clusters[n.cluster].nodes[n.node];
    if let Err(e) = f(node, span) {
        drop(b);
        return raise(ctx, e);
    }
    Ok(n.clone())
}

fn on_cluster(
    ctx: &NativeCallContext,
    c: &ClusterRef,
    f: impl FnOnce(&mut crate::model::Cluster, Option<crate::diag::Span>) -> R<()>,
) -> HostResult<ClusterRef> {
    let mut b = c.shared.lock();
    let span = b.span_at(ctx.call_source(), ctx.call_position());
    if let Err(e) = f(b.cluster(c.idx), span) {
        drop(b);
        return raise(ctx, e);
    }
    Ok(c.clone())
}

fn duplicate(what: &str, name: &str, owner: &str) -> HostError {
    HostError::new(format!("{owner} already has a {what} `{name}`"))
        .hint("Talos names each one once; set every option in one call")
}

fn node_volume(ctx: &NativeCallContext, n: &NodeRef, name: &str, map: Map) -> HostResult<NodeRef> {
    let built = build_volume(name, map);
    on_node(ctx, n, |node, span| {
        let mut v = built?;
        if node.volumes.iter().any(|o| o.name == v.name) {
            return Err(duplicate(
                "volume",
                name,
                &format!("node `{}`", node.hostname),
            ));
        }
        v.span = span;
        node.volumes.push(v);
        Ok(())
    })
}

fn node_user_volume(
    ctx: &NativeCallContext,
    n: &NodeRef,
    name: &str,
    map: Map,
) -> HostResult<NodeRef> {
    let built = build_user_volume(name, map);
    on_node(ctx, n, |node, span| {
        let mut v = built?;
        if node.user_volumes.iter().any(|o| o.name == v.name) {
            return Err(duplicate(
                "user volume",
                name,
                &format!("node `{}`", node.hostname),
            ));
        }
        v.span = span;
        node.user_volumes.push(v);
        Ok(())
    })
}

fn register_node(engine: &mut Engine) {
    engine.register_fn(
        "volume",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, opts: Map| {
            node_volume(&ctx, n, name, opts)
        },
    );
    engine.register_fn(
        "user_volume",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, opts: Map| {
            node_user_volume(&ctx, n, name, opts)
        },
    );
    engine.register_fn(
        "machine_disk",
        |ctx: NativeCallContext, n: &mut NodeRef, device: &str, partitions: Array| {
            let built = build_machine_disk(device, partitions);
            on_node(&ctx, n, |node, _| {
                node.machine_disks.push(built?);
                Ok(())
            })
        },
    );
    engine.register_fn(
        "file",
        |ctx: NativeCallContext, n: &mut NodeRef, path: &str, opts: Map| {
            let built = build_file(path, opts);
            on_node(&ctx, n, |node, _| {
                node.files.push(built?);
                Ok(())
            })
        },
    );
    engine.register_fn(
        "extension_service",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, opts: Map| {
            let built = build_extension_service(name, opts);
            on_node(&ctx, n, |node, span| {
                let mut s = built?;
                s.span = span;
                node.extension_services.push(s);
                Ok(())
            })
        },
    );
    let module = |ctx: NativeCallContext, n: &mut NodeRef, name: &str, params: Array| {
        let params: R<Vec<String>> = params
            .iter()
            .map(|p| {
                if p.is_string() {
                    Ok(p.to_string())
                } else {
                    Err(HostError::new(format!(
                        "kernel module parameters are strings like `\"enable_guc=3\"`, got {}",
                        type_name(p)
                    )))
                }
            })
            .collect();
        on_node(&ctx, n, |node, _| {
            let parameters = params?;
            match node.kernel_modules.iter_mut().find(|m| m.name == name) {
                Some(m) => m.parameters.extend(parameters),
                None => node.kernel_modules.push(KernelModule {
                    name: name.to_string(),
                    parameters,
                }),
            }
            Ok(())
        })
    };
    engine.register_fn("kernel_module", module);
    engine.register_fn(
        "kernel_module",
        move |ctx: NativeCallContext, n: &mut NodeRef, name: &str| {
            module(ctx, n, name, Array::new())
        },
    );
    engine.register_fn(
        "extra_manifest",
        |ctx: NativeCallContext, n: &mut NodeRef, name: &str, content: Dynamic| {
            let loaded = valid_file_stem(name).and_then(|()| {
                let mut b = n.shared.lock();
                let file = content
                    .is_string()
                    .then(|| b.script_dir.join(content.to_string()));
                documents(&mut b, &content).map(|(d, t)| (d, t, file))
            });
            on_node(&ctx, n, |node, span| {
                let (documents, text, file) = loaded?;
                if node.extra_manifests.iter().any(|m| m.name == name) {
                    return Err(duplicate(
                        "manifest",
                        name,
                        &format!("node `{}`", node.hostname),
                    ));
                }
                node.extra_manifests.push(ExtraManifest {
                    name: name.to_string(),
                    documents,
                    text,
                    file,
                    span,
                });
                Ok(())
            })
        },
    );
}

fn register_cluster(engine: &mut Engine) {
    engine.register_fn(
        "volume",
        |ctx: NativeCallContext, c: &mut ClusterRef, name: &str, opts: Map| {
            let built = build_volume(name, opts);
            on_cluster(&ctx, c, |cl, span| {
                let mut v = built?;
                if cl.default_volumes.iter().any(|o| o.name == v.name) {
                    return Err(duplicate("volume", name, &format!("cluster `{}`", cl.name)));
                }
                v.span = span;
                cl.default_volumes.push(v);
                Ok(())
            })
        },
    );
    engine.register_fn(
        "user_volume",
        |ctx: NativeCallContext, c: &mut ClusterRef, name: &str, opts: Map| {
            let built = build_user_volume(name, opts);
            on_cluster(&ctx, c, |cl, span| {
                let mut v = built?;
                if cl.default_user_volumes.iter().any(|o| o.name == v.name) {
                    return Err(duplicate(
                        "user volume",
                        name,
                        &format!("cluster `{}`", cl.name),
                    ));
                }
                v.span = span;
                cl.default_user_volumes.push(v);
                Ok(())
            })
        },
    );
    engine.register_fn(
        "inline_manifest",
        |ctx: NativeCallContext, c: &mut ClusterRef, name: &str, contents: Dynamic| {
            let text = if contents.is_string() {
                Ok(contents.to_string())
            } else {
                to_yaml(&contents).map(|y| {
                    let docs = match y {
                        Yaml::Seq(items) => items,
                        other => vec![other],
                    };
                    crate::yaml::emit_documents(&docs, &crate::yaml::EmitOptions { indent: 2 })
                })
            };
            on_cluster(&ctx, c, |cl, _| {
                let contents = text?;
                if name.is_empty() {
                    return Err(HostError::new("an inline manifest needs a name"));
                }
                if cl.inline_manifests.iter().any(|m| m.name == name) {
                    return Err(duplicate(
                        "inline manifest",
                        name,
                        &format!("cluster `{}`", cl.name),
                    ));
                }
                cl.inline_manifests.push(InlineManifest {
                    name: name.to_string(),
                    contents,
                });
                Ok(())
            })
        },
    );
    engine.register_fn(
        "flannel",
        |ctx: NativeCallContext, c: &mut ClusterRef, opts: Map| {
            let parsed = Options::new("flannel", opts, &["extra_args", "kube_network_policies"])
                .and_then(|o| Ok((o.strings("extra_args")?, o.bool("kube_network_policies")?)));
            on_cluster(&ctx, c, |cl, _| {
                let (extra_args, kube_network_policies) = parsed?;
                if !matches!(cl.cni, Cni::Default | Cni::Flannel) {
                    return Err(HostError::new(format!(
                        "cluster `{}` does not use flannel",
                        cl.name
                    ))
                    .hint("`flannel(...)` sets the flannel CNI; drop the `cni` option or `cilium_ready()`"));
                }
                cl.cni = Cni::Flannel;
                cl.flannel = Some(FlannelOptions {
                    extra_args,
                    kube_network_policies,
                });
                Ok(())
            })
        },
    );
}

/// Registers the node and cluster methods of this module.
pub(super) fn register(engine: &mut Engine) {
    register_node(engine);
    register_cluster(engine);
}
