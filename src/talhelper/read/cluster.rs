//! The top level of talconfig.yaml: names, versions, networks, `cniConfig`, role sections and nodes.

use super::Reader;
use crate::diag::{Diagnostic, Span};
use crate::model::{Cluster, Cni, PatchTarget, Role, Version};
use crate::talhelper::keys::{Key, cluster as k, cni_config, node, node_config};
use crate::talos::versions;
use crate::yaml::Yaml;
use crate::yaml::strict::Node;

/// talhelper v3.1.16's `LatestTalosVersion` (pkg/config/defaults.go): the Talos version of a
/// talconfig without `talosVersion` (`GetTalosVersion`), not talforge's own default.
pub(super) const TALHELPER_DEFAULT_TALOS: &str = "v1.13.8";

/// The Talos minors talhelper v3.1.16 accepts (`supportedMajorMinor` in
/// checkSupportedTalosVersion, pkg/config/validator.go): any other is an error.
const TALHELPER_MINORS: [(u32, u32); 13] = [
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (1, 9),
    (1, 10),
    (1, 11),
    (1, 12),
    (1, 13),
    (1, 14),
];

/// Reads the cluster; `None` when a required key is missing or invalid (the reason is in
/// the reader's diagnostics, with every other problem of the file).
pub(super) fn read(r: &mut Reader, root: &Node) -> Option<Cluster> {
    r.check_keys(root, &[k::ALL]);
    let mut name = required(r, root, k::CLUSTER_NAME);
    if let Some(msg) = name
        .as_deref()
        .and_then(crate::validate::model::cluster_name_error)
    {
        // The name becomes file names (`<clusterName>-<hostname>.yaml`) and, in an imported
        // script, directories: a path in it must not reach outside the output directory.
        let d = r
            .error_at(root, k::CLUSTER_NAME, msg)
            .with_hint(crate::validate::model::DNS_LABEL_HINT);
        r.push(d);
        name = None;
    }
    let endpoint = required(r, root, k::ENDPOINT);
    let (talos, k8s) = versions_of(r, root);
    // Without a required value the cluster is still read through, so every problem of the
    // file shows in one run (as talhelper's validator lists them); it is then refused.
    let complete = name.is_some() && endpoint.is_some() && k8s.is_some();
    let mut c = Cluster::new(
        name.unwrap_or_default(),
        endpoint.unwrap_or_default(),
        talos,
        k8s.unwrap_or(Version::new(0, 0, 0)),
    );
    c.span = Some(Span::new(r.src, 0..0));
    c.dns_domain = r.opt_string(root, k::DOMAIN);
    if let Some(d) = c
        .dns_domain
        .as_deref()
        .filter(|d| !crate::validate::model::is_domain(d))
    {
        // talhelper's `checkDomain`.
        let e = r.error_at(root, k::DOMAIN, format!("\"{d}\" is not a valid domain"));
        r.push(e);
    }
    c.allow_scheduling_on_control_planes = r
        .bool(root, k::ALLOW_SCHEDULING_ON_CONTROL_PLANES)
        .unwrap_or(false)
        || r.bool(root, k::ALLOW_SCHEDULING_ON_MASTERS)
            .unwrap_or(false);
    c.machine_cert_sans = r.strings(root, k::ADDITIONAL_MACHINE_CERT_SANS);
    c.api_server_cert_sans = r.strings(root, k::ADDITIONAL_API_SERVER_CERT_SANS);
    let pods = r.cidrs(root, k::CLUSTER_POD_NETS);
    if !pods.is_empty() {
        c.pod_nets = pods;
    }
    let svcs = r.cidrs(root, k::CLUSTER_SVC_NETS);
    if !svcs.is_empty() {
        c.service_nets = svcs;
    }
    if let Some(cni) = root.get(k::CNI_CONFIG.name) {
        c.cni = read_cni(r, &cni);
        if let Some(f) = cni.get_set(cni_config::FLANNEL.name) {
            c.flannel = Some(super::machine::flannel(r, &f));
        }
        if r.talhelper_checks {
            check_cni(r, root, &cni, &c);
        }
    }
    c.image_factory = super::image::image_factory(r, root, k::IMAGE_FACTORY);
    c.inline_manifests = super::machine::inline_manifests(r, root);
    let mut patches = Vec::new();
    // talhelper applies role patches, then node patches, then the global ones; the model
    // keeps targets and the renderer orders them.
    let roles = [
        (
            k::CONTROL_PLANE,
            PatchTarget::ControlPlanes,
            Role::ControlPlane,
        ),
        (k::WORKER, PatchTarget::Workers, Role::Worker),
    ];
    let mut role_sections = Vec::new();
    for (key, target, role) in &roles {
        if let Some(sec) = root.get(key.name) {
            r.check_keys(&sec, &[node_config::ALL]);
            r.patches(&sec, node_config::PATCHES, target, &mut patches);
            role_sections.push((*role, sec));
        }
    }
    r.patches(root, k::PATCHES, &PatchTarget::All, &mut patches);
    let nodes = root.get(k::NODES.name);
    match nodes.as_ref().map(Node::items) {
        Some(Ok(items)) if !items.is_empty() => {
            for item in &items {
                r.check_keys(item, &[node::ALL, node_config::ALL]);
                if let Some(n) = super::node::read(r, item, &role_sections, &mut patches) {
                    c.nodes.push(n);
                }
            }
        }
        _ => {
            let span = r.span(r.doc.key_span(&root.child_path(k::NODES.name)));
            r.push(Diagnostic::error("\"nodes\" is required to be not empty").at_opt(span));
        }
    }
    c.patches = patches;
    complete.then_some(c)
}

/// `cniConfig`.
fn read_cni(r: &mut Reader, cni: &Node) -> Cni {
    r.check_keys(cni, &[cni_config::ALL]);
    match r.opt_string(cni, cni_config::NAME).as_deref() {
        Some("none") => Cni::None,
        Some("flannel") => Cni::Flannel,
        Some("custom") => Cni::Custom(r.strings(cni, cni_config::URLS)),
        Some(other) => {
            let d = r.error_at(
                cni,
                cni_config::NAME,
                format!(
                    "cni name should be one of [\"flannel\", \"custom\", \"none\"], got `{other}`"
                ),
            );
            r.push(d);
            Cni::Default
        }
        None => Cni::Default,
    }
}

/// talhelper's `checkCNIConfig` (pkg/config/validator.go@v3.1.16): Talos' `ValidateCNI`
/// (v1alpha1_validation.go) on `cniConfig`, its warning an error too; at `cniConfig`.
fn check_cni(r: &mut Reader, root: &Node, cni: &Node, c: &Cluster) {
    let name = r.opt_string(cni, cni_config::NAME).unwrap_or_default();
    let urls = !r.strings(cni, cni_config::URLS).is_empty();
    let args = c.flannel.as_ref().is_some_and(|f| !f.extra_args.is_empty());
    let policies = c
        .flannel
        .as_ref()
        .is_some_and(|f| f.kube_network_policies == Some(true));
    let mut msgs = Vec::new();
    match name.as_str() {
        "flannel" | "none" | "custom" => {
            if urls && name != "custom" {
                msgs.push(format!("\"urls\" field should be empty for \"{name}\" CNI"));
            }
            if !urls && name == "custom" {
                msgs.push("\"urls\" field should not be empty for \"custom\" CNI".to_string());
            }
            if args && name != "flannel" {
                msgs.push(format!(
                    "\"flanneldExtraArgs\" field should be empty for \"{name}\" CNI"
                ));
            }
            if policies && name != "flannel" {
                msgs.push(format!(
                    "\"flannelKubeNetworkPoliciesEnabled\" should not be enabled for \"{name}\" CNI"
                ));
            }
        }
        // An unknown name is already an error at `name`; none at all is Talos' same error.
        "" => {
            msgs.push("cni name should be one of [\"flannel\", \"custom\", \"none\"]".to_string());
        }
        _ => {}
    }
    for msg in msgs {
        let d = r.error_at(root, k::CNI_CONFIG, format!("`cniConfig`: {msg}"));
        r.push(d);
    }
}

/// A required top-level string: absent is talhelper's "required to be not empty".
fn required(r: &mut Reader, root: &Node, key: Key) -> Option<String> {
    let s = r.opt_string(root, key);
    if s.is_none() && root.get(key.name).is_none() {
        r.push(
            Diagnostic::error(format!("\"{}\" is required to be not empty", key.name))
                .at(Span::new(r.src, 0..0)),
        );
    }
    s
}

/// `talosVersion` and `kubernetesVersion` (`None` when the latter is missing or not a
/// version), checked as talhelper's validator checks them.
fn versions_of(r: &mut Reader, root: &Node) -> (Version, Option<Version>) {
    let talos = version(r, root, k::TALOS_VERSION, TALHELPER_DEFAULT_TALOS);
    // A pre-release or a release talforge has no contract for renders with the nearest
    // contract, with a warning (talhelper's checkSupportedTalosVersion warns the same way:
    // "might not be compatible", pkg/config/validator.go@v3.1.16).
    if root.get(k::TALOS_VERSION.name).is_some() {
        if r.talhelper_checks && !TALHELPER_MINORS.contains(&talos.minor_pair()) {
            // checkSupportedTalosVersion's error for a minor outside its list.
            let d = r
                .error_at(
                    root,
                    k::TALOS_VERSION,
                    format!("\"{talos}\" is not a supported Talos version"),
                )
                .with_hint("talhelper v3.1.16 supports Talos v1.2 to v1.14");
            r.push(d);
        } else if let Some(msg) = versions::talos_version_warning(talos) {
            let mut d = r.error_at(root, k::TALOS_VERSION, msg);
            d.severity = crate::diag::Severity::Warning;
            r.push(d);
        }
    }
    let k8s_raw = float_text(r, root, k::KUBERNETES_VERSION)
        .or_else(|| required(r, root, k::KUBERNETES_VERSION));
    let k8s = k8s_raw.as_deref().and_then(Version::parse);
    // talhelper's checkSupportedK8sVersion (pkg/config/validator.go@v3.1.16): Talos'
    // `SupportedWith` refusing the pair is an error that stops genconfig, not a warning.
    if let Some(msg) = k8s
        .filter(|_| r.talhelper_checks)
        .and_then(|v| versions::kubernetes_support_error(talos, v))
    {
        let d = r
            .error_at(root, k::KUBERNETES_VERSION, msg)
            .with_hint(versions::kubernetes_support_hint(talos));
        r.push(d);
    }
    if k8s_raw.is_some() && k8s.is_none() {
        let d = r.error_at(
            root,
            k::KUBERNETES_VERSION,
            "`kubernetesVersion` is not a version",
        );
        r.push(d);
    }
    (talos, k8s)
}

/// A version as written. YAML reads an unquoted `1.10` as the float 1.1, but talhelper
/// decodes the field into a Go string, which yaml.v3 fills with the scalar's text (`1.10`):
/// so the text is taken from the source, not from the float. `None` for any other value.
fn float_text(r: &Reader, root: &Node, key: Key) -> Option<String> {
    let n = root.get(key.name)?;
    if !matches!(n.value(), Yaml::Float(_)) {
        return None;
    }
    let text = r.parsed_text(n.span()?)?;
    Some(text.trim().to_string())
}

fn version(r: &mut Reader, root: &Node, key: Key, default: &str) -> Version {
    let s = float_text(r, root, key)
        .or_else(|| r.opt_string(root, key))
        .unwrap_or_else(|| default.to_string());
    Version::parse(&s).unwrap_or_else(|| {
        let d = r.error_at(root, key, format!("\"{s}\" is not a valid version"));
        r.push(d);
        Version::parse(default).unwrap_or_else(versions::default_talos)
    })
}
