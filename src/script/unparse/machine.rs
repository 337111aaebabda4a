//! `import` for disks, volumes, files, kernel modules, extension services and manifests:
//! the node options and method calls, and the cluster calls, that say them in a script.

use super::lit::{file_ref, inline_map, rhai_str, rhai_value, str_list};
use crate::model::{Cluster, Cni, KernelModule, Node, Provisioning};
use crate::yaml::Yaml;

/// Node options (`kernel_modules`, `ignore_hostname`, `override_patches`, `filename`).
pub(super) fn node_options(n: &Node) -> Vec<(String, String)> {
    let mut o = Vec::new();
    if !n.kernel_modules.is_empty() {
        let items: Vec<String> = n.kernel_modules.iter().map(kernel_module).collect();
        o.push(("kernel_modules".into(), format!("[{}]", items.join(", "))));
    }
    if n.ignore_hostname {
        o.push(("ignore_hostname".into(), "true".into()));
    }
    if n.override_patches {
        o.push(("override_patches".into(), "true".into()));
    }
    if let Some(t) = &n.filename_template {
        o.push(("filename".into(), rhai_str(t)));
    }
    o
}

fn kernel_module(m: &KernelModule) -> String {
    if m.parameters.is_empty() {
        return rhai_str(&m.name);
    }
    inline_map(&[
        ("name".into(), rhai_str(&m.name)),
        (
            "parameters".into(),
            str_list(m.parameters.iter().map(String::as_str)),
        ),
    ])
}

fn provisioning(p: &Provisioning, o: &mut Vec<(String, String)>) {
    if let Some(d) = &p.disk {
        o.push(("disk".into(), rhai_str(d)));
    }
    if let Some(v) = &p.min_size {
        o.push(("min_size".into(), rhai_str(v)));
    }
    if let Some(v) = &p.max_size {
        o.push(("max_size".into(), rhai_str(v)));
    }
    if let Some(g) = p.grow {
        o.push(("grow".into(), g.to_string()));
    }
}

/// The node method calls after `c.node(...)`, without the `n.` (in the order talhelper
/// writes the documents).
pub(super) fn node_calls(n: &Node) -> Vec<String> {
    let mut calls = Vec::new();
    for s in &n.extension_services {
        let mut o = Vec::new();
        if !s.config_files.is_empty() {
            let files: Vec<String> = s
                .config_files
                .iter()
                .map(|(c, p)| {
                    inline_map(&[
                        ("content".into(), rhai_str(c)),
                        ("mount_path".into(), rhai_str(p)),
                    ])
                })
                .collect();
            o.push(("config_files".into(), format!("[{}]", files.join(", "))));
        }
        if !s.environment.is_empty() {
            o.push((
                "environment".into(),
                str_list(s.environment.iter().map(String::as_str)),
            ));
        }
        calls.push(format!(
            "extension_service({}, {})",
            rhai_str(&s.name),
            inline_map(&o)
        ));
    }
    for v in &n.volumes {
        let mut o = Vec::new();
        provisioning(&v.provisioning, &mut o);
        if let Some(e) = &v.encryption {
            o.push(("encryption".into(), rhai_value(e)));
        }
        calls.push(format!("volume({}, {})", rhai_str(&v.name), inline_map(&o)));
    }
    for v in &n.user_volumes {
        let mut o = Vec::new();
        if let Some(t) = &v.volume_type {
            o.push(("type".into(), rhai_str(t)));
        }
        provisioning(&v.provisioning, &mut o);
        if let Some(f) = &v.filesystem {
            o.push(("filesystem".into(), rhai_str(f)));
        }
        if let Some(q) = v.project_quota {
            o.push(("project_quota".into(), q.to_string()));
        }
        if let Some(e) = &v.encryption {
            o.push(("encryption".into(), rhai_value(e)));
        }
        calls.push(format!(
            "user_volume({}, {})",
            rhai_str(&v.name),
            inline_map(&o)
        ));
    }
    for d in &n.machine_disks {
        let parts: Vec<String> = d
            .partitions
            .iter()
            .map(|p| {
                let mut o = vec![("mountpoint".into(), rhai_str(&p.mountpoint))];
                if let Some(s) = &p.size {
                    o.push(("size".into(), rhai_value(s)));
                }
                inline_map(&o)
            })
            .collect();
        calls.push(format!(
            "machine_disk({}, [{}])",
            rhai_str(&d.device),
            parts.join(", ")
        ));
    }
    for f in &n.files {
        calls.push(format!(
            "file({}, {})",
            rhai_str(&f.path),
            inline_map(&[
                ("content".into(), rhai_str(&f.content)),
                ("permissions".into(), format!("0o{:o}", f.permissions)),
                ("op".into(), rhai_str(&f.op)),
            ])
        ));
    }
    for m in &n.extra_manifests {
        // A file is named again: its documents keep their key order (Rhai maps sort theirs).
        let content = match &m.file {
            Some(f) => file_ref(f),
            None => rhai_value(&Yaml::Seq(m.documents.clone())),
        };
        calls.push(format!("extra_manifest({}, {content})", rhai_str(&m.name)));
    }
    calls
}

/// Cluster method calls after `cluster(...)`, without the `c.`.
pub(super) fn cluster_calls(c: &Cluster) -> Vec<String> {
    let mut calls = Vec::new();
    if c.cni == Cni::Flannel
        && let Some(f) = &c.flannel
    {
        let policies = f
            .kube_network_policies
            .map(|on| format!(", kube_network_policies: {on}"))
            .unwrap_or_default();
        calls.push(format!(
            "flannel(#{{ extra_args: {}{policies} }})",
            str_list(f.extra_args.iter().map(String::as_str))
        ));
    }
    for m in &c.inline_manifests {
        calls.push(format!(
            "inline_manifest({}, {})",
            rhai_str(&m.name),
            rhai_str(&m.contents)
        ));
    }
    calls
}

/// Copies `a`'s spans onto `x`, so two nodes that differ only in where they were declared
/// compare equal (the importer folds such nodes into a loop).
pub(super) fn align_spans(x: &mut Node, a: &Node) {
    for (i, j) in x.volumes.iter_mut().zip(&a.volumes) {
        i.span.clone_from(&j.span);
    }
    for (i, j) in x.user_volumes.iter_mut().zip(&a.user_volumes) {
        i.span.clone_from(&j.span);
    }
    for (i, j) in x.extension_services.iter_mut().zip(&a.extension_services) {
        i.span.clone_from(&j.span);
    }
    for (i, j) in x.extra_manifests.iter_mut().zip(&a.extra_manifests) {
        i.span.clone_from(&j.span);
    }
}
