//! A `nodes[]` entry, merged with its role's `controlPlane`/`worker` section as talhelper merges them.

use super::Reader;
use crate::model::{
    DiskSelector, InstallDisk, Node, NodeAddr, Patch, PatchTarget, Role, Taint, parse_ip,
};
use crate::talhelper::keys::{disk_selector as ds, kernel_module, node as k, node_config as nc};
use crate::yaml::strict;

/// Reads one node; `roles` are the role sections present. `None` when it has no usable
/// hostname or address (the reason is in the reader's diagnostics).
pub(super) fn read(
    r: &mut Reader,
    item: &strict::Node,
    roles: &[(Role, strict::Node)],
    patches: &mut Vec<Patch>,
) -> Option<Node> {
    let (hostname, ip, complete) = identity(r, item);
    let role = if r.bool(item, k::CONTROL_PLANE).unwrap_or(false) {
        Role::ControlPlane
    } else {
        Role::Worker
    };
    let mut n = Node::new(&hostname, ip, role);
    n.span = r.span(item.span());
    n.install = install(r, item);
    let role_sec = roles.iter().find(|(ro, _)| *ro == role).map(|(_, s)| s);
    // A node's own non-empty value wins whole; otherwise its role's (talhelper's merge).
    // `pick` gives the mapping to read the key from.
    let pick = |key: &str| -> Option<strict::Node> {
        if item.get_set(key).is_some() {
            Some(item.clone())
        } else {
            role_sec.filter(|sec| sec.get(key).is_some()).cloned()
        }
    };
    if let Some(from) = pick(nc::NODE_LABELS.name) {
        n.labels = r.string_map(&from, nc::NODE_LABELS);
        check_kube(r, &from, nc::NODE_LABELS, Kube::Label, &n.labels);
    }
    if let Some(from) = pick(nc::NODE_ANNOTATIONS.name) {
        n.annotations = r.string_map(&from, nc::NODE_ANNOTATIONS);
        check_kube(
            r,
            &from,
            nc::NODE_ANNOTATIONS,
            Kube::Annotation,
            &n.annotations,
        );
    }
    if let Some(from) = pick(nc::NODE_TAINTS.name) {
        let taints = r.string_map(&from, nc::NODE_TAINTS);
        check_kube(r, &from, nc::NODE_TAINTS, Kube::Taint, &taints);
        n.taints = taints
            .into_iter()
            .map(|(key, val)| {
                let (value, effect) = val.rsplit_once(':').unwrap_or(("", val.as_str()));
                Taint {
                    key,
                    value: value.to_string(),
                    effect: effect.to_string(),
                }
            })
            .collect();
    }
    if let Some(from) = pick(nc::KERNEL_MODULES.name)
        && let Some(list) = from.get(nc::KERNEL_MODULES.name)
    {
        // A list that is not one, and entries without a `name`, are skipped (as before the
        // table; issue 15 reads `parameters` too).
        for m in list.items().unwrap_or_default() {
            if let Some(name) = r.opt_string(&m, kernel_module::NAME) {
                n.kernel_modules.push(crate::model::KernelModule {
                    name,
                    parameters: r.strings(&m, kernel_module::PARAMETERS),
                });
            }
        }
    }
    if let Some(from) = pick(nc::NAMESERVERS.name) {
        n.nameservers = r
            .strings(&from, nc::NAMESERVERS)
            .iter()
            .filter_map(|s| parse_ip(s))
            .collect();
    }
    if let Some(from) = pick(nc::NETWORK_INTERFACES.name) {
        n.interfaces = super::network::interfaces(r, &from);
        super::network::check_devices(r, &from);
    }
    if let Some(from) = pick(nc::DISABLE_SEARCH_DOMAIN.name) {
        n.disable_search_domain = r.bool(&from, nc::DISABLE_SEARCH_DOMAIN).unwrap_or(false);
    }
    if let Some(from) = pick(nc::INGRESS_FIREWALL.name)
        && let Some(f) = from.get(nc::INGRESS_FIREWALL.name)
    {
        n.firewall = Some(super::network::firewall(r, &f));
    }
    if let Some(from) = pick(nc::TALOS_IMAGE_URL.name) {
        n.image = r.opt_string(&from, nc::TALOS_IMAGE_URL);
        if n.image.as_deref().is_some_and(|i| !image_is_name_only(i)) {
            let d = r
                .error_at(&from, nc::TALOS_IMAGE_URL, "`talosImageURL` should not contain a version or digest")
                .with_hint("talhelper appends `:<talosVersion>` itself: write the image name only, e.g. `factory.talos.dev/installer/<schematic id>`");
            r.push(d);
        }
    }
    if let Some(from) = pick(nc::SCHEMATIC.name) {
        n.schematic = super::image::schematic(r, &from, nc::SCHEMATIC);
    }
    if let Some(from) = pick(nc::IMAGE_SCHEMATIC.name) {
        n.image_schematic = super::image::schematic(r, &from, nc::IMAGE_SCHEMATIC);
    }
    if let Some(from) = pick(nc::MACHINE_SPEC.name) {
        n.machine_spec = super::image::machine_spec(r, &from, nc::MACHINE_SPEC);
    }
    if let Some(from) = pick(nc::NO_SCHEMATIC_VALIDATE.name) {
        n.no_schematic_validate = r.bool(&from, nc::NO_SCHEMATIC_VALIDATE).unwrap_or(false);
    }
    n.cert_sans = r.strings(item, nc::CERT_SANS);
    // `overrideMachineCertSANs`: the node's own, when it has any, replace its role's.
    let override_sans = r.bool(item, k::OVERRIDE_MACHINE_CERT_SANS).unwrap_or(false);
    if let Some(sec) = role_sec
        && (!override_sans || n.cert_sans.is_empty())
    {
        n.cert_sans.extend(r.strings(sec, nc::CERT_SANS));
    }
    super::machine::read(r, &mut n, item, role_sec);
    r.patches(
        item,
        nc::PATCHES,
        &PatchTarget::Node(hostname.clone()),
        patches,
    );
    complete.then_some(n)
}

/// The node's `hostname` and first address; `false` when either is missing or unusable
/// (the reason is in the reader's diagnostics, the values are then placeholders).
fn identity(r: &mut Reader, item: &strict::Node) -> (String, NodeAddr, bool) {
    let hostname = r.opt_string(item, k::HOSTNAME);
    let ip_raw = r.opt_string(item, k::IP_ADDRESS);
    // talhelper's `checkNodeRequiredCfg` names every missing key at once; the rest of the
    // node is still read so its own problems show in the same run.
    let mut missing: Vec<&str> = [(&hostname, "`hostname`"), (&ip_raw, "`ipAddress`")]
        .into_iter()
        .filter(|(v, _)| v.is_none())
        .map(|(_, k)| k)
        .collect();
    let complete = missing.is_empty();
    if !complete {
        if item.get(k::INSTALL_DISK.name).is_none()
            && item.get(k::INSTALL_DISK_SELECTOR.name).is_none()
        {
            missing.push("`installDisk` (or `installDiskSelector`)");
        }
        let list = match missing.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        let d = r.error(item, format!("a node needs {list}"));
        r.push(d);
    }
    let hostname = hostname.unwrap_or_default();
    let ip_raw = ip_raw.unwrap_or_default();
    // talhelper allows a comma-separated list; the first address is the node's own.
    let first = ip_raw.split(',').next().unwrap_or("").trim().to_string();
    // talhelper accepts a DNS name too (`isDomainOrIP`): talosctl reaches the node by it.
    let addr = match parse_ip(&first) {
        Some(ip) => Some(NodeAddr::Ip(ip)),
        None if crate::validate::model::is_domain(&first) => Some(NodeAddr::Name(first.clone())),
        None => None,
    };
    let complete = complete && addr.is_some();
    if addr.is_none() && !ip_raw.is_empty() {
        let d = r.error_at(
            item,
            k::IP_ADDRESS,
            format!("\"{ip_raw}\" is not a valid domain or IP address"),
        );
        r.push(d);
    }
    let ip = addr.unwrap_or(NodeAddr::Name(String::new()));
    (hostname, ip, complete)
}

/// What a node map holds, for Kubernetes' rules.
#[derive(Clone, Copy)]
enum Kube {
    Label,
    Annotation,
    Taint,
}

/// talhelper's `checkNodeLabels`/`checkNodeAnnotations`/`checkNodeTaints` (Talos'
/// `labels.Validate*`): each entry at its line. Templated values are skipped, as talhelper
/// skips them: they are only known once rendered. `values` are the entries as read (with
/// `${VAR}`s substituted); the YAML gives their places.
fn check_kube(
    r: &mut Reader,
    from: &strict::Node,
    key: crate::talhelper::keys::Key,
    kind: Kube,
    values: &indexmap::IndexMap<String, String>,
) {
    use crate::validate::kube::{key_error, taint_error, value_error};
    let Some(map) = from.get(key.name) else {
        return;
    };
    let Ok(entries) = map.entries() else {
        return;
    };
    for (k, v) in entries {
        let Some(value) = values.get(k).cloned() else {
            continue;
        };
        if crate::gotemplate::is_template(&value) && !matches!(kind, Kube::Taint) {
            continue;
        }
        let problem = match kind {
            Kube::Label => key_error(k)
                .map(|e| (true, e))
                .or_else(|| value_error(&value).map(|e| (false, e))),
            Kube::Annotation => key_error(k).map(|e| (true, e)),
            Kube::Taint => {
                let (val, effect) = value.rsplit_once(':').unwrap_or(("", value.as_str()));
                taint_error(k, val, effect).map(|e| (false, e))
            }
        };
        if let Some((at_key, e)) = problem {
            let what = match kind {
                Kube::Label => "node label",
                Kube::Annotation => "node annotation",
                Kube::Taint => "node taint",
            };
            let span = if at_key { v.key_span() } else { v.span() };
            let d = crate::diag::Diagnostic::error(format!("invalid {what} `{k}`: {e}"))
                .at_opt(r.span(span));
            r.push(d);
        }
    }
}

/// `installDisk`, else `installDiskSelector`.
fn install(r: &mut Reader, item: &strict::Node) -> Option<InstallDisk> {
    if let Some(d) = r.opt_string(item, k::INSTALL_DISK) {
        return Some(InstallDisk::Path(d));
    }
    let sel = item.get(k::INSTALL_DISK_SELECTOR.name)?;
    r.check_keys(&sel, &[ds::ALL]);
    Some(InstallDisk::Selector(DiskSelector {
        size: r.opt_string(&sel, ds::SIZE),
        model: r.opt_string(&sel, ds::MODEL),
        disk_type: r.opt_string(&sel, ds::TYPE),
        serial: r.opt_string(&sel, ds::SERIAL),
        wwid: r.opt_string(&sel, ds::WWID),
        bus_path: r.opt_string(&sel, ds::BUS_PATH),
        name: r.opt_string(&sel, ds::NAME),
        modalias: r.opt_string(&sel, ds::MODALIAS),
        uuid: r.opt_string(&sel, ds::UUID),
    }))
}

/// Whether an image reference is a name without tag or digest, as talhelper's
/// `checkNodeTalosImageURL` requires (`reference.IsNameOnly`, pkg/config/validator.go@v3.1.16):
/// no `@digest`, and no `:` after the last `/` (a `:` before it is a registry port).
fn image_is_name_only(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    !image.contains('@') && !last.contains(':')
}
