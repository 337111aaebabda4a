//! talconfig.yaml keys for a node's disks, volumes, files, extension services and extra
//! manifests, and the cluster's inline manifests and flannel options.

use super::keys::{
    Key, cluster as c, cni_config, config_file as cf, disk_partition as dp,
    extension_service as es, filesystem as fs, flannel as fl, inline_manifest as im,
    machine_disk as md, machine_file as mf, node as nd, node_config as nc, provisioning as pv,
    user_volume as uv, volume as vo, volume_disk_selector as vds,
};
use crate::model::{Cluster, Cni, ExtraManifest, Node, Provisioning};
use crate::yaml::{Map, Yaml};

fn put(m: &mut Map, key: Key, v: Yaml) {
    m.insert(key.name.into(), v);
}

fn put_str(m: &mut Map, key: Key, v: Option<&str>) {
    if let Some(v) = v {
        put(m, key, Yaml::str(v));
    }
}

/// Where an extra manifest is written, relative to talconfig.yaml.
pub fn manifest_ref(m: &ExtraManifest) -> String {
    format!("@./manifests/{}.yaml", m.name)
}

/// Adds the cluster-level keys (`cniConfig.flannel`, `inlineManifests`) to the top level.
pub(super) fn cluster_keys(cluster: &Cluster, m: &mut Map) {
    if cluster.cni == Cni::Flannel
        && let Some(f) = cluster.flannel.as_ref().filter(|f| f.is_set())
        && let Some(Yaml::Map(cni)) = m.get_mut(c::CNI_CONFIG.name)
    {
        let mut flannel = Map::new();
        if !f.extra_args.is_empty() {
            flannel.insert(
                fl::EXTRA_ARGS.name.into(),
                Yaml::str_seq(f.extra_args.iter().cloned()),
            );
        }
        if let Some(on) = f.kube_network_policies {
            flannel.insert(
                fl::KUBE_NETWORK_POLICIES_ENABLED.name.into(),
                Yaml::Bool(on),
            );
        }
        cni.insert(cni_config::FLANNEL.name.into(), Yaml::Map(flannel));
    }
    if !cluster.inline_manifests.is_empty() {
        let items = cluster
            .inline_manifests
            .iter()
            .map(|i| {
                Yaml::from_pairs([
                    (im::NAME.name, Yaml::str(&i.name)),
                    (im::CONTENTS.name, Yaml::str(&i.contents)),
                ])
            })
            .collect();
        put(m, c::INLINE_MANIFESTS, Yaml::Seq(items));
    }
}

fn provisioning(p: &Provisioning) -> Yaml {
    let mut m = Map::new();
    if let Some(d) = &p.disk {
        put(
            &mut m,
            pv::DISK_SELECTOR,
            Yaml::from_pairs([(vds::MATCH.name, Yaml::str(d))]),
        );
    }
    if let Some(g) = p.grow {
        put(&mut m, pv::GROW, Yaml::Bool(g));
    }
    put_str(&mut m, pv::MIN_SIZE, p.min_size.as_deref());
    put_str(&mut m, pv::MAX_SIZE, p.max_size.as_deref());
    Yaml::Map(m)
}

/// Adds a node's machine keys to its `nodes:` entry.
pub(super) fn node_keys(n: &Node, m: &mut Map) {
    if n.ignore_hostname {
        put(m, nd::IGNORE_HOSTNAME, Yaml::Bool(true));
    }
    if n.override_patches {
        put(m, nd::OVERRIDE_PATCHES, Yaml::Bool(true));
    }
    if !n.machine_disks.is_empty() {
        put(m, nc::MACHINE_DISKS, machine_disks(n));
    }
    if !n.files.is_empty() {
        let files = n
            .files
            .iter()
            .map(|f| {
                Yaml::from_pairs([
                    (mf::CONTENT.name, Yaml::str(&f.content)),
                    (mf::PERMISSIONS.name, Yaml::Int(f.permissions.into())),
                    (mf::PATH.name, Yaml::str(&f.path)),
                    (mf::OP.name, Yaml::str(&f.op)),
                ])
            })
            .collect();
        put(m, nc::MACHINE_FILES, Yaml::Seq(files));
    }
    if !n.extra_manifests.is_empty() {
        put(
            m,
            nc::EXTRA_MANIFESTS,
            Yaml::str_seq(n.extra_manifests.iter().map(manifest_ref)),
        );
    }
    if !n.extension_services.is_empty() {
        put(m, nc::EXTENSION_SERVICES, extension_services(n));
    }
    if !n.volumes.is_empty() {
        let items = n
            .volumes
            .iter()
            .map(|v| {
                let mut e = Map::new();
                put(&mut e, vo::NAME, Yaml::str(&v.name));
                if !v.provisioning.is_empty() {
                    put(&mut e, vo::PROVISIONING, provisioning(&v.provisioning));
                }
                if let Some(enc) = &v.encryption {
                    put(&mut e, vo::ENCRYPTION, enc.clone());
                }
                Yaml::Map(e)
            })
            .collect();
        put(m, nc::VOLUMES, Yaml::Seq(items));
    }
    if !n.user_volumes.is_empty() {
        let items = n
            .user_volumes
            .iter()
            .map(|v| {
                let mut e = Map::new();
                put(&mut e, uv::NAME, Yaml::str(&v.name));
                put_str(&mut e, uv::VOLUME_TYPE, v.volume_type.as_deref());
                if !v.provisioning.is_empty() {
                    put(&mut e, uv::PROVISIONING, provisioning(&v.provisioning));
                }
                let mut f = Map::new();
                put_str(&mut f, fs::TYPE, v.filesystem.as_deref());
                if let Some(q) = v.project_quota {
                    put(&mut f, fs::PROJECT_QUOTA_SUPPORT, Yaml::Bool(q));
                }
                if !f.is_empty() {
                    put(&mut e, uv::FILESYSTEM, Yaml::Map(f));
                }
                if let Some(enc) = &v.encryption {
                    put(&mut e, uv::ENCRYPTION, enc.clone());
                }
                Yaml::Map(e)
            })
            .collect();
        put(m, nc::USER_VOLUMES, Yaml::Seq(items));
    }
    if let Some(t) = &n.filename_template {
        put(m, nc::FILENAME_TMPL, Yaml::str(t));
    }
}

fn machine_disks(n: &Node) -> Yaml {
    Yaml::Seq(
        n.machine_disks
            .iter()
            .map(|d| {
                let mut e = Map::new();
                put(&mut e, md::DEVICE, Yaml::str(&d.device));
                let parts = d
                    .partitions
                    .iter()
                    .map(|p| {
                        let mut pm = Map::new();
                        if let Some(s) = &p.size {
                            put(&mut pm, dp::SIZE, s.clone());
                        }
                        put(&mut pm, dp::MOUNTPOINT, Yaml::str(&p.mountpoint));
                        Yaml::Map(pm)
                    })
                    .collect::<Vec<_>>();
                if !parts.is_empty() {
                    put(&mut e, md::PARTITIONS, Yaml::Seq(parts));
                }
                Yaml::Map(e)
            })
            .collect(),
    )
}

fn extension_services(n: &Node) -> Yaml {
    Yaml::Seq(
        n.extension_services
            .iter()
            .map(|s| {
                let mut e = Map::new();
                put(&mut e, es::NAME, Yaml::str(&s.name));
                if !s.config_files.is_empty() {
                    let files = s
                        .config_files
                        .iter()
                        .map(|(content, path)| {
                            Yaml::from_pairs([
                                (cf::CONTENT.name, Yaml::str(content)),
                                (cf::MOUNT_PATH.name, Yaml::str(path)),
                            ])
                        })
                        .collect();
                    put(&mut e, es::CONFIG_FILES, Yaml::Seq(files));
                }
                if !s.environment.is_empty() {
                    put(
                        &mut e,
                        es::ENVIRONMENT,
                        Yaml::str_seq(s.environment.iter().cloned()),
                    );
                }
                Yaml::Map(e)
            })
            .collect(),
    )
}
