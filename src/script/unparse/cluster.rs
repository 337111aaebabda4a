//! The `cluster(name, #{...})` options and the `c.patch(...)` calls `import` writes.

use super::lit::{
    block_map, cidr_list, inline_map, relative, rhai_lit, rhai_str, rhai_value, str_list,
};
use crate::model::{Cluster, Cni, Patch, PatchSource, PatchTarget};
use crate::talhelper::keys::{self, Key, cluster as kc, image_factory as kf};
use std::net::IpAddr;
use std::path::Path;

pub(super) fn cluster_options(c: &Cluster) -> String {
    let mut o: Vec<(String, String)> = vec![
        (opt(kc::ENDPOINT), rhai_str(&c.endpoint)),
        (
            opt(kc::TALOS_VERSION),
            rhai_str(&c.talos_version.to_string()),
        ),
        (
            opt(kc::KUBERNETES_VERSION),
            rhai_str(&c.kubernetes_version.to_string()),
        ),
    ];
    let defaults = Cluster::new("", "", c.talos_version, c.kubernetes_version);
    if c.pod_nets != defaults.pod_nets {
        o.push((opt(kc::CLUSTER_POD_NETS), cidr_list(&c.pod_nets)));
    }
    if c.service_nets != defaults.service_nets {
        o.push((opt(kc::CLUSTER_SVC_NETS), cidr_list(&c.service_nets)));
    }
    if let Some(d) = &c.dns_domain {
        o.push((opt(kc::DOMAIN), rhai_str(d)));
    }
    if c.allow_scheduling_on_control_planes {
        o.push((opt(kc::ALLOW_SCHEDULING_ON_CONTROL_PLANES), "true".into()));
    }
    push_strs(
        &mut o,
        kc::ADDITIONAL_API_SERVER_CERT_SANS,
        &c.api_server_cert_sans,
    );
    push_strs(
        &mut o,
        kc::ADDITIONAL_MACHINE_CERT_SANS,
        &c.machine_cert_sans,
    );
    // Cluster-wide nameservers, NTP servers and age recipients have no talhelper key.
    push_ips(&mut o, "nameservers", &c.nameservers);
    if !c.ntp.is_empty() {
        o.push(("ntp".into(), str_list(c.ntp.iter().map(String::as_str))));
    }
    let cni = opt(keys::cni_config::NAME);
    match &c.cni {
        Cni::Default => {}
        Cni::Flannel => o.push((cni, rhai_str("flannel"))),
        Cni::None => o.push((cni, rhai_str("none"))),
        Cni::Custom(urls) => {
            o.push((cni, rhai_str("custom")));
            push_strs(&mut o, keys::cni_config::URLS, urls);
        }
    }
    if !c.sops.age.is_empty() {
        o.push(("age".into(), rhai_str(&c.sops.age.join(","))));
    }
    if c.talos_mode != defaults.talos_mode {
        o.push(("talos_mode".into(), rhai_str(c.talos_mode.as_str())));
    }
    let f = &c.image_factory;
    let factory: Vec<(String, String)> = [
        (kf::REGISTRY_URL, &f.registry_url),
        (kf::SCHEMATIC_ENDPOINT, &f.schematic_endpoint),
        (kf::PROTOCOL, &f.protocol),
        (kf::INSTALLER_URL_TMPL, &f.installer_url_tmpl),
        (kf::ISO_URL_TMPL, &f.image_url_tmpl),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (opt(k), rhai_str(v))))
    .collect();
    if !factory.is_empty() {
        o.push((opt(kc::IMAGE_FACTORY), inline_map(&factory)));
    }
    block_map(&o, "")
}

/// The script option that says what talhelper's `k` says (its name when it has none; the
/// table's tests make sure every key written here has one).
pub(super) fn opt(k: Key) -> String {
    k.script.unwrap_or(k.name).to_string()
}

pub(super) fn push_strs(o: &mut Vec<(String, String)>, key: Key, v: &[String]) {
    if !v.is_empty() {
        o.push((opt(key), str_list(v.iter().map(String::as_str))));
    }
}

pub(super) fn push_ips(o: &mut Vec<(String, String)>, key: &str, v: &[IpAddr]) {
    if !v.is_empty() {
        let s: Vec<String> = v.iter().map(ToString::to_string).collect();
        o.push((key.into(), str_list(s.iter().map(String::as_str))));
    }
}

/// Distinct names for the patches (each becomes `patches/<name>.yaml`): files of the same
/// stem, or one file used for several targets, get the target after their stem.
pub(super) fn patch_names(patches: &[Patch]) -> Vec<String> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    let mut taken: Vec<String> = Vec::new();
    for p in patches {
        let base = clean(&p.name);
        let base = if base.is_empty() {
            "patch".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        if taken.contains(&name) {
            let suffix = match &p.target {
                PatchTarget::All => "all".to_string(),
                PatchTarget::ControlPlanes => "controlplane".to_string(),
                PatchTarget::Workers => "worker".to_string(),
                PatchTarget::Node(h) => clean(h),
            };
            name = format!("{base}-{suffix}");
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}-{suffix}-{n}");
                n += 1;
            }
        }
        taken.push(name);
    }
    taken
}

pub(super) fn patch_call(p: &Patch, name: &str, script_dir: &Path) -> String {
    let target = match &p.target {
        PatchTarget::All => "all".to_string(),
        PatchTarget::ControlPlanes => "control_planes".to_string(),
        PatchTarget::Workers => "workers".to_string(),
        PatchTarget::Node(h) => rhai_str(h),
    };
    let content = match &p.source {
        PatchSource::File(f) => rhai_lit(&relative(f, script_dir).to_string_lossy()),
        // One map, a list of JSON6902 operations, or a list of documents.
        PatchSource::Inline => match p.documents.as_slice() {
            [one] => rhai_value(one),
            docs => format!(
                "[{}]",
                docs.iter().map(rhai_value).collect::<Vec<_>>().join(", ")
            ),
        },
    };
    format!("c.patch({target}, {}, {content});", rhai_lit(name))
}
