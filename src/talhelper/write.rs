//! talhelper `talconfig.yaml` from the model, in talhelper's key order and schema.

use super::keys::{
    Key, cluster as c, cni_config, disk_selector_fields, image_factory as kf, kernel_module,
    machine_spec as ks, node as nd, node_config as nc,
};
use crate::factory::schematic;
use crate::model::{
    Cluster, Cni, ImageFactory, InstallDisk, MachineSpec, Node, Patch, PatchTarget,
};
use crate::yaml::{Map, Yaml};

/// Sets `key` in `m` (the row's name, so the writer spells keys as the reader reads them).
fn put(m: &mut Map, key: Key, v: Yaml) {
    m.insert(key.name.into(), v);
}

/// The `$schema` talhelper users point their editors at.
pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/budimanjojo/talhelper/master/pkg/config/schemas/talconfig.json";

/// `patches/<name>.yaml` reference as talhelper resolves it (relative to talconfig.yaml).
pub fn patch_ref(p: &Patch) -> String {
    format!("@./patches/{}.yaml", p.name)
}

fn patch_refs<'a>(patches: impl Iterator<Item = &'a Patch>) -> Option<Yaml> {
    let refs: Vec<String> = patches.map(patch_ref).collect();
    (!refs.is_empty()).then(|| Yaml::str_seq(refs))
}

/// Builds the talconfig.yaml document for a cluster.
pub fn talconfig(cluster: &Cluster) -> Yaml {
    let mut m = Map::new();
    put(&mut m, c::CLUSTER_NAME, Yaml::str(&cluster.name));
    put(
        &mut m,
        c::TALOS_VERSION,
        Yaml::str(cluster.talos_version.to_string()),
    );
    put(
        &mut m,
        c::KUBERNETES_VERSION,
        Yaml::str(cluster.kubernetes_version.to_string()),
    );
    put(&mut m, c::ENDPOINT, Yaml::str(&cluster.endpoint));
    if let Some(d) = &cluster.dns_domain {
        put(&mut m, c::DOMAIN, Yaml::str(d));
    }
    if cluster.allow_scheduling_on_control_planes {
        put(
            &mut m,
            c::ALLOW_SCHEDULING_ON_CONTROL_PLANES,
            Yaml::Bool(true),
        );
    }
    if !cluster.machine_cert_sans.is_empty() {
        put(
            &mut m,
            c::ADDITIONAL_MACHINE_CERT_SANS,
            Yaml::str_seq(cluster.machine_cert_sans.iter().cloned()),
        );
    }
    if !cluster.api_server_cert_sans.is_empty() {
        put(
            &mut m,
            c::ADDITIONAL_API_SERVER_CERT_SANS,
            Yaml::str_seq(cluster.api_server_cert_sans.iter().cloned()),
        );
    }
    put(
        &mut m,
        c::CLUSTER_POD_NETS,
        Yaml::str_seq(cluster.pod_nets.iter().map(ToString::to_string)),
    );
    put(
        &mut m,
        c::CLUSTER_SVC_NETS,
        Yaml::str_seq(cluster.service_nets.iter().map(ToString::to_string)),
    );
    let cni_name = |n: &str| (cni_config::NAME.name, Yaml::str(n));
    let cni = match &cluster.cni {
        Cni::Default => None,
        Cni::Flannel => Some(Yaml::from_pairs([cni_name("flannel")])),
        Cni::None => Some(Yaml::from_pairs([cni_name("none")])),
        Cni::Custom(urls) => Some(Yaml::from_pairs([
            cni_name("custom"),
            (cni_config::URLS.name, Yaml::str_seq(urls.iter().cloned())),
        ])),
    };
    if let Some(cni) = cni {
        put(&mut m, c::CNI_CONFIG, cni);
    }
    if !cluster.image_factory.is_empty() {
        put(
            &mut m,
            c::IMAGE_FACTORY,
            image_factory(&cluster.image_factory),
        );
    }
    if let Some(p) = patch_refs(
        cluster
            .patches
            .iter()
            .filter(|p| p.target == PatchTarget::All),
    ) {
        put(&mut m, c::PATCHES, p);
    }
    for (key, target) in [
        (c::CONTROL_PLANE, PatchTarget::ControlPlanes),
        (c::WORKER, PatchTarget::Workers),
    ] {
        if let Some(p) = patch_refs(cluster.patches.iter().filter(|p| p.target == target)) {
            put(&mut m, key, Yaml::from_pairs([(nc::PATCHES.name, p)]));
        }
    }
    super::write_machine::cluster_keys(cluster, &mut m);
    put(
        &mut m,
        c::NODES,
        Yaml::Seq(cluster.nodes.iter().map(|n| node_doc(cluster, n)).collect()),
    );
    // talhelper substitutes the whole file: `$` as `$$`, env values as `${NAME}` again.
    super::envref::restore(&Yaml::Map(m), &cluster.env_vars)
}

/// The `nodes:` entry of one node as talconfig.yaml holds it (also what `talforge repl`
/// shows for it).
pub fn node(cluster: &Cluster, n: &Node) -> Yaml {
    super::envref::restore(&node_doc(cluster, n), &cluster.env_vars)
}

/// The `patches/<name>.yaml` documents of a patch written from the model (talhelper
/// substitutes patch files too).
pub fn patch_documents(cluster: &Cluster, p: &Patch) -> Vec<Yaml> {
    p.documents
        .iter()
        .map(|d| super::envref::restore(d, &cluster.env_vars))
        .collect()
}

fn node_doc(cluster: &Cluster, n: &Node) -> Yaml {
    let mut m = Map::new();
    put(&mut m, nd::HOSTNAME, Yaml::str(&n.hostname));
    put(&mut m, nd::IP_ADDRESS, Yaml::str(n.ip.to_string()));
    put(&mut m, nd::CONTROL_PLANE, Yaml::Bool(n.is_control_plane()));
    match &n.install {
        Some(InstallDisk::Path(p)) => put(&mut m, nd::INSTALL_DISK, Yaml::str(p)),
        Some(InstallDisk::Selector(s)) => {
            let mut sel = Map::new();
            for (k, v) in disk_selector_fields(s) {
                if let Some(v) = v {
                    put(&mut sel, k, Yaml::str(v));
                }
            }
            put(&mut m, nd::INSTALL_DISK_SELECTOR, Yaml::Map(sel));
        }
        None => {}
    }
    if let Some(img) = &n.image {
        put(&mut m, nc::TALOS_IMAGE_URL, Yaml::str(img));
    }
    if let Some(s) = &n.schematic {
        put(&mut m, nc::SCHEMATIC, schematic::canonical(s));
    }
    if let Some(s) = &n.image_schematic {
        put(&mut m, nc::IMAGE_SCHEMATIC, schematic::canonical(s));
    }
    if !n.machine_spec.is_empty() {
        put(&mut m, nc::MACHINE_SPEC, machine_spec(&n.machine_spec));
    }
    if n.no_schematic_validate {
        put(&mut m, nc::NO_SCHEMATIC_VALIDATE, Yaml::Bool(true));
    }
    if !n.cert_sans.is_empty() {
        put(
            &mut m,
            nc::CERT_SANS,
            Yaml::str_seq(n.cert_sans.iter().cloned()),
        );
    }
    if !n.labels.is_empty() {
        put(&mut m, nc::NODE_LABELS, string_map(&n.labels));
    }
    if !n.annotations.is_empty() {
        put(&mut m, nc::NODE_ANNOTATIONS, string_map(&n.annotations));
    }
    if !n.taints.is_empty() {
        put(
            &mut m,
            nc::NODE_TAINTS,
            Yaml::Map(
                n.taints
                    .iter()
                    .map(|t| {
                        (
                            t.key.clone(),
                            Yaml::str(format!("{}:{}", t.value, t.effect)),
                        )
                    })
                    .collect(),
            ),
        );
    }
    if !n.kernel_modules.is_empty() {
        put(
            &mut m,
            nc::KERNEL_MODULES,
            Yaml::Seq(
                n.kernel_modules
                    .iter()
                    .map(|m| {
                        let mut e =
                            Yaml::from_pairs([(kernel_module::NAME.name, Yaml::str(&m.name))]);
                        if !m.parameters.is_empty()
                            && let Yaml::Map(map) = &mut e
                        {
                            map.insert(
                                kernel_module::PARAMETERS.name.into(),
                                Yaml::str_seq(m.parameters.iter().cloned()),
                            );
                        }
                        e
                    })
                    .collect(),
            ),
        );
    }
    if !n.nameservers.is_empty() {
        put(
            &mut m,
            nc::NAMESERVERS,
            Yaml::str_seq(n.nameservers.iter().map(ToString::to_string)),
        );
    }
    if !n.interfaces.is_empty() {
        put(
            &mut m,
            nc::NETWORK_INTERFACES,
            super::netwrite::interfaces(n),
        );
    }
    if n.disable_search_domain {
        put(&mut m, nc::DISABLE_SEARCH_DOMAIN, Yaml::Bool(true));
    }
    if let Some(f) = &n.firewall {
        put(&mut m, nc::INGRESS_FIREWALL, super::netwrite::firewall(f));
    }
    super::write_machine::node_keys(n, &mut m);
    if let Some(p) = patch_refs(
        cluster
            .patches
            .iter()
            .filter(|p| p.target == PatchTarget::Node(n.hostname.clone())),
    ) {
        put(&mut m, nc::PATCHES, p);
    }
    Yaml::Map(m)
}

fn string_map(m: &indexmap::IndexMap<String, String>) -> Yaml {
    Yaml::Map(m.iter().map(|(k, v)| (k.clone(), Yaml::str(v))).collect())
}

/// `machineSpec` in talhelper's field order, unset fields left out.
fn machine_spec(s: &MachineSpec) -> Yaml {
    let mut m = Map::new();
    let strs = [
        (ks::MODE, &s.mode),
        (ks::ARCH, &s.arch),
        (ks::BOOT_METHOD, &s.boot_method),
        (ks::IMAGE_SUFFIX, &s.image_suffix),
    ];
    for (k, v) in &strs[..2] {
        if let Some(v) = v {
            put(&mut m, *k, Yaml::str(v));
        }
    }
    if s.secureboot {
        put(&mut m, ks::SECUREBOOT, Yaml::Bool(true));
    }
    if s.use_uki {
        put(&mut m, ks::USE_UKI, Yaml::Bool(true));
    }
    for (k, v) in &strs[2..] {
        if let Some(v) = v {
            put(&mut m, *k, Yaml::str(v));
        }
    }
    Yaml::Map(m)
}

/// `imageFactory` in talhelper's field order, unset fields left out.
fn image_factory(f: &ImageFactory) -> Yaml {
    let mut m = Map::new();
    for (k, v) in [
        (kf::REGISTRY_URL, &f.registry_url),
        (kf::SCHEMATIC_ENDPOINT, &f.schematic_endpoint),
        (kf::PROTOCOL, &f.protocol),
        (kf::INSTALLER_URL_TMPL, &f.installer_url_tmpl),
        (kf::ISO_URL_TMPL, &f.image_url_tmpl),
    ] {
        if let Some(v) = v {
            put(&mut m, k, Yaml::str(v));
        }
    }
    Yaml::Map(m)
}
