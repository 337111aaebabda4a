//! What talhelper adds to a config for disks, volumes, files, kernel modules, extension
//! services and manifests: fields of the v1alpha1 document (its `applyNodeOverride` and
//! `GenerateConfig`) and the `ExtensionServiceConfig`, `VolumeConfig` and `UserVolumeConfig`
//! documents of its `genMultiDocs`, on every Talos version.

use super::GenInput;
use super::network::doc;
use crate::model::{
    ExtensionService, KernelModule, MachineDisk, MachineFile, Provisioning, UserVolume, Volume,
};
use crate::yaml::Yaml;

/// A `machine.kernel.modules` entry (talconfig.yaml's `kernelModules` has the same shape).
pub fn kernel_module(m: &KernelModule) -> Yaml {
    let mut out = Yaml::from_pairs([("name", Yaml::str(&m.name))]);
    if !m.parameters.is_empty()
        && let Yaml::Map(map) = &mut out
    {
        map.insert(
            "parameters".into(),
            Yaml::str_seq(m.parameters.iter().cloned()),
        );
    }
    out
}

/// A `machine.disks` entry.
pub fn machine_disk(d: &MachineDisk) -> Yaml {
    let parts: Vec<Yaml> = d
        .partitions
        .iter()
        .map(|p| {
            let mut m = crate::yaml::Map::new();
            if let Some(size) = &p.size {
                m.insert("size".into(), size.clone());
            }
            m.insert("mountpoint".into(), Yaml::str(&p.mountpoint));
            Yaml::Map(m)
        })
        .collect();
    let mut m = crate::yaml::Map::new();
    m.insert("device".into(), Yaml::str(&d.device));
    if !parts.is_empty() {
        m.insert("partitions".into(), Yaml::Seq(parts));
    }
    Yaml::Map(m)
}

/// A `machine.files` entry (`permissions` as an integer: Talos prints it in octal).
pub fn machine_file(f: &MachineFile) -> Yaml {
    Yaml::from_pairs([
        ("content", Yaml::str(&f.content)),
        ("permissions", Yaml::Int(f.permissions.into())),
        ("path", Yaml::str(&f.path)),
        ("op", Yaml::str(&f.op)),
    ])
}

/// Sets the v1alpha1 fields talhelper fills from the node and cluster: `machine.disks`,
/// `machine.files`, `cluster.inlineManifests` and the flannel options of `cluster.network.cni`
/// (the document is put in Go struct order afterwards).
pub(super) fn apply(input: &GenInput, v1alpha1: &mut Yaml) {
    let Yaml::Map(root) = v1alpha1 else {
        return;
    };
    if let Some(Yaml::Map(machine)) = root.get_mut("machine") {
        if !input.machine_disks.is_empty() {
            let disks = input.machine_disks.iter().map(machine_disk).collect();
            machine.insert("disks".into(), Yaml::Seq(disks));
        }
        if !input.machine_files.is_empty() {
            let files = input.machine_files.iter().map(machine_file).collect();
            machine.insert("files".into(), Yaml::Seq(files));
        }
    }
    if let Some(Yaml::Map(cluster)) = root.get_mut("cluster") {
        if !input.inline_manifests.is_empty() {
            let items = input
                .inline_manifests
                .iter()
                .map(|m| {
                    Yaml::from_pairs([
                        ("name", Yaml::str(&m.name)),
                        ("contents", Yaml::str(&m.contents)),
                    ])
                })
                .collect();
            cluster.insert("inlineManifests".into(), Yaml::Seq(items));
        }
        // talhelper assigns `cniConfig` as a whole before Talos 1.13, flannel options included.
        if let Some(f) = input.flannel.as_ref().filter(|f| f.is_set())
            && let Some(Yaml::Map(network)) = cluster.get_mut("network")
            && let Some(Yaml::Map(cni)) = network.get_mut("cni")
        {
            cni.insert(
                "flannel".into(),
                Yaml::from_pairs(
                    [
                        (
                            "extraArgs",
                            (!f.extra_args.is_empty())
                                .then(|| Yaml::str_seq(f.extra_args.iter().cloned())),
                        ),
                        (
                            "kubeNetworkPoliciesEnabled",
                            f.kube_network_policies.map(Yaml::Bool),
                        ),
                    ]
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k, v))),
                ),
            );
        }
    }
}

/// The documents talhelper's `genMultiDocs` adds after the firewall ones: extension
/// services, then volumes, then user volumes, each in the node's order.
pub(super) fn documents(input: &GenInput) -> Vec<Yaml> {
    let mut docs: Vec<Yaml> = input
        .extension_services
        .iter()
        .map(extension_service)
        .collect();
    docs.extend(input.volumes.iter().map(volume));
    docs.extend(input.user_volumes.iter().map(user_volume));
    docs
}

fn extension_service(s: &ExtensionService) -> Yaml {
    let files = (!s.config_files.is_empty()).then(|| {
        Yaml::Seq(
            s.config_files
                .iter()
                .map(|(content, path)| {
                    Yaml::from_pairs([
                        ("content", Yaml::str(content)),
                        ("mountPath", Yaml::str(path)),
                    ])
                })
                .collect(),
        )
    });
    let env = (!s.environment.is_empty()).then(|| Yaml::str_seq(s.environment.iter().cloned()));
    doc(
        "ExtensionServiceConfig",
        [
            ("name", Some(Yaml::str(&s.name))),
            ("configFiles", files),
            ("environment", env),
        ],
    )
}

/// `ProvisioningSpec`; `None` when empty (`omitempty` on a struct Talos reports as zero).
fn provisioning(p: &Provisioning) -> Option<Yaml> {
    if p.is_empty() {
        return None;
    }
    let mut m = crate::yaml::Map::new();
    if let Some(d) = p.disk.as_deref().filter(|d| !d.is_empty()) {
        m.insert(
            "diskSelector".into(),
            Yaml::from_pairs([("match", Yaml::str(d))]),
        );
    }
    if let Some(g) = p.grow {
        m.insert("grow".into(), Yaml::Bool(g));
    }
    for (key, v) in [("minSize", &p.min_size), ("maxSize", &p.max_size)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            m.insert(key.into(), Yaml::str(v));
        }
    }
    Some(Yaml::Map(m))
}

#[allow(clippy::ref_option)] // callers hold the model's `Option` fields
fn encryption(e: &Option<Yaml>) -> Option<Yaml> {
    e.clone()
        .filter(|e| e.as_map().is_none_or(|m| !m.is_empty()))
}

fn volume(v: &Volume) -> Yaml {
    doc(
        "VolumeConfig",
        [
            ("name", Some(Yaml::str(&v.name))),
            ("provisioning", provisioning(&v.provisioning)),
            ("encryption", encryption(&v.encryption)),
        ],
    )
}

fn user_volume(v: &UserVolume) -> Yaml {
    let mut fs = crate::yaml::Map::new();
    if let Some(t) = v.filesystem.as_deref().filter(|t| !t.is_empty()) {
        fs.insert("type".into(), Yaml::str(t));
    }
    if let Some(q) = v.project_quota {
        fs.insert("projectQuotaSupport".into(), Yaml::Bool(q));
    }
    doc(
        "UserVolumeConfig",
        [
            ("name", Some(Yaml::str(&v.name))),
            ("volumeType", v.volume_type.as_deref().map(Yaml::str)),
            ("provisioning", provisioning(&v.provisioning)),
            ("filesystem", (!fs.is_empty()).then_some(Yaml::Map(fs))),
            ("encryption", encryption(&v.encryption)),
        ],
    )
}
