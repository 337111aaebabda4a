//! talhelper `talconfig.yaml` from the model, in talhelper's key order and schema.

use super::keys::{
    Key, bond as b, cluster as c, cni_config, disk_selector_fields, interface as ifc,
    kernel_module, node as nd, node_config as nc, route as rt, vip,
};
use crate::model::{Bond, Cluster, Cni, InstallDisk, Interface, Node, Patch, PatchTarget, Route};
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
        Yaml::Seq(cluster.nodes.iter().map(|n| node(cluster, n)).collect()),
    );
    Yaml::Map(m)
}

/// The `nodes:` entry of one node (also what `talforge repl` shows for it).
pub fn node(cluster: &Cluster, n: &Node) -> Yaml {
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
        put(&mut m, nc::SCHEMATIC, s.clone());
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
            Yaml::Seq(n.interfaces.iter().map(interface).collect()),
        );
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

fn interface(i: &Interface) -> Yaml {
    let mut m = Map::new();
    put(&mut m, ifc::INTERFACE, Yaml::str(&i.name));
    if !i.addresses.is_empty() {
        put(
            &mut m,
            ifc::ADDRESSES,
            Yaml::str_seq(i.addresses.iter().map(ToString::to_string)),
        );
    }
    if !i.routes.is_empty() {
        put(
            &mut m,
            ifc::ROUTES,
            Yaml::Seq(i.routes.iter().map(route).collect()),
        );
    }
    if let Some(b) = &i.bond {
        put(&mut m, ifc::BOND, bond(b));
    }
    if let Some(mtu) = i.mtu {
        put(&mut m, ifc::MTU, Yaml::Int(mtu.into()));
    }
    if i.dhcp {
        put(&mut m, ifc::DHCP, Yaml::Bool(true));
    }
    if let Some(v) = i.vip {
        put(
            &mut m,
            ifc::VIP,
            Yaml::from_pairs([(vip::IP.name, Yaml::str(v.to_string()))]),
        );
    }
    Yaml::Map(m)
}

fn route(r: &Route) -> Yaml {
    let mut m = Map::new();
    put(
        &mut m,
        rt::NETWORK,
        Yaml::str(
            r.network
                .map_or_else(|| "0.0.0.0/0".to_string(), |n| n.to_string()),
        ),
    );
    if let Some(g) = r.gateway {
        put(&mut m, rt::GATEWAY, Yaml::str(g.to_string()));
    }
    if let Some(s) = r.source {
        put(&mut m, rt::SOURCE, Yaml::str(s.to_string()));
    }
    if let Some(x) = r.metric {
        put(&mut m, rt::METRIC, Yaml::Int(x.into()));
    }
    if let Some(x) = r.mtu {
        put(&mut m, rt::MTU, Yaml::Int(x.into()));
    }
    Yaml::Map(m)
}

fn bond(bd: &Bond) -> Yaml {
    let mut m = Map::new();
    put(
        &mut m,
        b::INTERFACES,
        Yaml::str_seq(bd.links.iter().cloned()),
    );
    for (k, v) in [
        (b::MODE, &bd.mode),
        (b::XMIT_HASH_POLICY, &bd.xmit_hash_policy),
        (b::LACP_RATE, &bd.lacp_rate),
        (b::AD_SELECT, &bd.ad_select),
    ] {
        if let Some(v) = v {
            put(&mut m, k, Yaml::str(v));
        }
    }
    for (k, v) in [
        (b::MIIMON, bd.miimon),
        (b::UPDELAY, bd.updelay),
        (b::DOWNDELAY, bd.downdelay),
        (b::MIN_LINKS, bd.min_links),
    ] {
        if let Some(v) = v {
            put(&mut m, k, Yaml::Int(v.into()));
        }
    }
    Yaml::Map(m)
}
