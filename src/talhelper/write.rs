//! talhelper `talconfig.yaml` from the model, in talhelper's key order and schema.

use crate::model::{Bond, Cluster, Cni, InstallDisk, Interface, Node, Patch, PatchTarget, Route};
use crate::yaml::{Map, Yaml};

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
    m.insert("clusterName".into(), Yaml::str(&cluster.name));
    m.insert(
        "talosVersion".into(),
        Yaml::str(cluster.talos_version.to_string()),
    );
    m.insert(
        "kubernetesVersion".into(),
        Yaml::str(cluster.kubernetes_version.to_string()),
    );
    m.insert("endpoint".into(), Yaml::str(&cluster.endpoint));
    if let Some(d) = &cluster.dns_domain {
        m.insert("domain".into(), Yaml::str(d));
    }
    if cluster.allow_scheduling_on_control_planes {
        m.insert("allowSchedulingOnControlPlanes".into(), Yaml::Bool(true));
    }
    if !cluster.machine_cert_sans.is_empty() {
        m.insert(
            "additionalMachineCertSans".into(),
            Yaml::str_seq(cluster.machine_cert_sans.iter().cloned()),
        );
    }
    if !cluster.api_server_cert_sans.is_empty() {
        m.insert(
            "additionalApiServerCertSans".into(),
            Yaml::str_seq(cluster.api_server_cert_sans.iter().cloned()),
        );
    }
    m.insert(
        "clusterPodNets".into(),
        Yaml::str_seq(cluster.pod_nets.iter().map(ToString::to_string)),
    );
    m.insert(
        "clusterSvcNets".into(),
        Yaml::str_seq(cluster.service_nets.iter().map(ToString::to_string)),
    );
    match &cluster.cni {
        Cni::Default => {}
        Cni::Flannel => {
            m.insert(
                "cniConfig".into(),
                Yaml::from_pairs([("name", Yaml::str("flannel"))]),
            );
        }
        Cni::None => {
            m.insert(
                "cniConfig".into(),
                Yaml::from_pairs([("name", Yaml::str("none"))]),
            );
        }
        Cni::Custom(urls) => {
            m.insert(
                "cniConfig".into(),
                Yaml::from_pairs([
                    ("name", Yaml::str("custom")),
                    ("urls", Yaml::str_seq(urls.iter().cloned())),
                ]),
            );
        }
    }
    if let Some(p) = patch_refs(
        cluster
            .patches
            .iter()
            .filter(|p| p.target == PatchTarget::All),
    ) {
        m.insert("patches".into(), p);
    }
    for (key, target) in [
        ("controlPlane", PatchTarget::ControlPlanes),
        ("worker", PatchTarget::Workers),
    ] {
        if let Some(p) = patch_refs(cluster.patches.iter().filter(|p| p.target == target)) {
            m.insert(key.into(), Yaml::from_pairs([("patches", p)]));
        }
    }
    m.insert(
        "nodes".into(),
        Yaml::Seq(cluster.nodes.iter().map(|n| node(cluster, n)).collect()),
    );
    Yaml::Map(m)
}

/// The `nodes:` entry of one node (also what `talforge repl` shows for it).
pub fn node(cluster: &Cluster, n: &Node) -> Yaml {
    let mut m = Map::new();
    m.insert("hostname".into(), Yaml::str(&n.hostname));
    m.insert("ipAddress".into(), Yaml::str(n.ip.to_string()));
    m.insert("controlPlane".into(), Yaml::Bool(n.is_control_plane()));
    match &n.install {
        Some(InstallDisk::Path(p)) => {
            m.insert("installDisk".into(), Yaml::str(p));
        }
        Some(InstallDisk::Selector(s)) => {
            let mut sel = Map::new();
            for (k, _, v) in s.fields() {
                if let Some(v) = v {
                    sel.insert(k.into(), Yaml::str(v));
                }
            }
            m.insert("installDiskSelector".into(), Yaml::Map(sel));
        }
        None => {}
    }
    if let Some(img) = &n.image {
        m.insert("talosImageURL".into(), Yaml::str(img));
    }
    if let Some(s) = &n.schematic {
        m.insert("schematic".into(), s.clone());
    }
    if !n.cert_sans.is_empty() {
        m.insert(
            "certSANs".into(),
            Yaml::str_seq(n.cert_sans.iter().cloned()),
        );
    }
    if !n.labels.is_empty() {
        m.insert("nodeLabels".into(), string_map(&n.labels));
    }
    if !n.annotations.is_empty() {
        m.insert("nodeAnnotations".into(), string_map(&n.annotations));
    }
    if !n.taints.is_empty() {
        m.insert(
            "nodeTaints".into(),
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
        m.insert(
            "kernelModules".into(),
            Yaml::Seq(
                n.kernel_modules
                    .iter()
                    .map(crate::talos::generate::kernel_module)
                    .collect(),
            ),
        );
    }
    if !n.nameservers.is_empty() {
        m.insert(
            "nameservers".into(),
            Yaml::str_seq(n.nameservers.iter().map(ToString::to_string)),
        );
    }
    if !n.interfaces.is_empty() {
        m.insert(
            "networkInterfaces".into(),
            Yaml::Seq(n.interfaces.iter().map(interface).collect()),
        );
    }
    if let Some(p) = patch_refs(
        cluster
            .patches
            .iter()
            .filter(|p| p.target == PatchTarget::Node(n.hostname.clone())),
    ) {
        m.insert("patches".into(), p);
    }
    Yaml::Map(m)
}

fn string_map(m: &indexmap::IndexMap<String, String>) -> Yaml {
    Yaml::Map(m.iter().map(|(k, v)| (k.clone(), Yaml::str(v))).collect())
}

fn interface(i: &Interface) -> Yaml {
    let mut m = Map::new();
    m.insert("interface".into(), Yaml::str(&i.name));
    if !i.addresses.is_empty() {
        m.insert(
            "addresses".into(),
            Yaml::str_seq(i.addresses.iter().map(ToString::to_string)),
        );
    }
    if !i.routes.is_empty() {
        m.insert(
            "routes".into(),
            Yaml::Seq(i.routes.iter().map(route).collect()),
        );
    }
    if let Some(b) = &i.bond {
        m.insert("bond".into(), bond(b));
    }
    if let Some(mtu) = i.mtu {
        m.insert("mtu".into(), Yaml::Int(mtu.into()));
    }
    if i.dhcp {
        m.insert("dhcp".into(), Yaml::Bool(true));
    }
    if let Some(vip) = i.vip {
        m.insert(
            "vip".into(),
            Yaml::from_pairs([("ip", Yaml::str(vip.to_string()))]),
        );
    }
    Yaml::Map(m)
}

fn route(r: &Route) -> Yaml {
    let mut m = Map::new();
    m.insert(
        "network".into(),
        Yaml::str(
            r.network
                .map_or_else(|| "0.0.0.0/0".to_string(), |n| n.to_string()),
        ),
    );
    if let Some(g) = r.gateway {
        m.insert("gateway".into(), Yaml::str(g.to_string()));
    }
    if let Some(s) = r.source {
        m.insert("source".into(), Yaml::str(s.to_string()));
    }
    if let Some(x) = r.metric {
        m.insert("metric".into(), Yaml::Int(x.into()));
    }
    if let Some(x) = r.mtu {
        m.insert("mtu".into(), Yaml::Int(x.into()));
    }
    Yaml::Map(m)
}

fn bond(b: &Bond) -> Yaml {
    let mut m = Map::new();
    m.insert("interfaces".into(), Yaml::str_seq(b.links.iter().cloned()));
    for (k, v) in [
        ("mode", &b.mode),
        ("xmitHashPolicy", &b.xmit_hash_policy),
        ("lacpRate", &b.lacp_rate),
        ("adSelect", &b.ad_select),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), Yaml::str(v));
        }
    }
    for (k, v) in [
        ("miimon", b.miimon),
        ("updelay", b.updelay),
        ("downdelay", b.downdelay),
        ("minLinks", b.min_links),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), Yaml::Int(v.into()));
        }
    }
    Yaml::Map(m)
}
