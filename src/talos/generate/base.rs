//! The v1alpha1 document: `generate.Input.Config` (init/controlplane/worker) for a contract,
//! plus talhelper's per-node fields (written in `v1alpha1_types.go` field order; [`super::generate`]
//! puts every key where the struct table says). From contract 1.14 on most of it moves to
//! other documents ([`super::kube`]); each field here is gated as `init.go`/`worker.go` gate it.

use super::order::go_string_map;
use super::{GenInput, legacy};
use crate::model::{Cni, DiskSelector, Role};
use crate::secrets::bundle::{Bundle, CertKey};
use crate::talos::contract::Contract;
use crate::talos::versions::images;
use crate::yaml::Yaml;

pub(super) const KUBE_PRISM_PORT: i64 = 7445;
pub(super) const EXCLUDE_FROM_LB_LABEL: &str =
    "node.kubernetes.io/exclude-from-external-load-balancers";

/// Builds a mapping from pairs, dropping `None` values (Go's `omitempty`).
fn obj<const N: usize>(pairs: [(&str, Option<Yaml>); N]) -> Yaml {
    Yaml::Map(
        pairs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect(),
    )
}

fn some_str(s: &str) -> Option<Yaml> {
    (!s.is_empty()).then(|| Yaml::str(s))
}

fn flag(on: bool) -> Option<Yaml> {
    on.then_some(Yaml::Bool(true))
}

fn strs(v: &[String]) -> Option<Yaml> {
    (!v.is_empty()).then(|| Yaml::str_seq(v.iter().cloned()))
}

pub(super) fn cert_key(c: &CertKey) -> Yaml {
    obj([
        ("crt", Some(Yaml::str(&c.crt))),
        ("key", Some(Yaml::str(&c.key))),
    ])
}

/// Workers get only the CA certificate; the key is written as `""`.
fn cert_only(c: &CertKey) -> Yaml {
    obj([
        ("crt", Some(Yaml::str(&c.crt))),
        ("key", Some(Yaml::str(""))),
    ])
}

pub(super) fn image(repo: &str, input: &GenInput) -> Option<Yaml> {
    input
        .kubernetes
        .map(|k| Yaml::str(format!("{repo}:v{}", k.bare())))
}

/// The whole v1alpha1 document.
pub(super) fn v1alpha1(input: &GenInput, secrets: &Bundle, c: Contract) -> Yaml {
    obj([
        ("version", Some(Yaml::str("v1alpha1"))),
        ("debug", Some(Yaml::Bool(false))),
        ("persist", Some(Yaml::Bool(true))),
        ("machine", Some(machine(input, secrets, c))),
        ("cluster", Some(cluster(input, secrets, c))),
    ])
}

fn machine(input: &GenInput, secrets: &Bundle, c: Contract) -> Yaml {
    let cp = input.role == Role::ControlPlane;
    let k8s_docs = c.multidoc_kubernetes();
    let kubelet = (!k8s_docs).then(|| {
        obj([
            ("image", image(images::KUBELET, input)),
            (
                "defaultRuntimeSeccompProfileEnabled",
                flag(c.kubelet_seccomp_default()),
            ),
            (
                "disableManifestsDirectory",
                flag(c.kubelet_manifests_dir_disabled()),
            ),
        ])
    });
    let kernel = (!input.kernel_modules.is_empty()).then(|| {
        let modules = input
            .kernel_modules
            .iter()
            .map(super::kernel_module)
            .collect();
        Yaml::from_pairs([("modules", Yaml::Seq(modules))])
    });
    // From 1.14 on labels, annotations and taints are `KubeNodeConfig`'s.
    let labels = match &input.node_labels {
        _ if k8s_docs => None,
        Some(l) => (!l.is_empty()).then(|| go_string_map(l)),
        None => (cp && c.exclude_from_external_lb())
            .then(|| Yaml::from_pairs([(EXCLUDE_FROM_LB_LABEL, Yaml::str(""))])),
    };
    let string_map = |m: &Option<indexmap::IndexMap<String, String>>| {
        m.as_ref()
            .filter(|m| !m.is_empty() && !k8s_docs)
            .map(go_string_map)
    };
    let sysctls =
        (!input.sysctls.is_empty() && !c.multidoc_sysctl()).then(|| go_string_map(&input.sysctls));
    // From 1.14 on the install disk is an `UnattendedInstallConfig`; talhelper's disk
    // selector, which has no CEL form there, keeps the deprecated section Talos still reads.
    let install = (!c.unattended_install() || input.install_disk_selector.is_some())
        .then(|| install(input, c));
    let registries = (!c.multidoc_network() && !input.registry_mirrors.is_empty()).then(|| {
        let mut mirrors: Vec<&(String, Vec<String>)> = input.registry_mirrors.iter().collect();
        mirrors.sort_by(|a, b| super::order::go_key_cmp(&a.0, &b.0));
        let mirrors = mirrors.into_iter().map(|(host, endpoints)| {
            let endpoints = Yaml::str_seq(endpoints.iter().cloned());
            (host.clone(), Yaml::from_pairs([("endpoints", endpoints)]))
        });
        Yaml::from_pairs([("mirrors", Yaml::Map(mirrors.collect()))])
    });
    obj([
        ("type", Some(Yaml::str(input.role.machine_type()))),
        ("token", Some(Yaml::str(&secrets.trustd_token))),
        (
            "ca",
            Some(if cp {
                cert_key(&secrets.os)
            } else {
                cert_only(&secrets.os)
            }),
        ),
        // No `omitempty`: an empty list is written as `[]`.
        (
            "certSANs",
            Some(Yaml::str_seq(input.machine_cert_sans.iter().cloned())),
        ),
        ("kubelet", kubelet),
        ("network", legacy::legacy_network(input, c)),
        ("install", install),
        ("sysctls", sysctls),
        ("registries", registries),
        ("features", Some(features(c))),
        ("kernel", kernel),
        ("nodeLabels", labels),
        ("nodeAnnotations", string_map(&input.node_annotations)),
        ("nodeTaints", string_map(&input.node_taints)),
    ])
}

fn install(input: &GenInput, c: Contract) -> Yaml {
    obj([
        ("disk", input.install_disk.as_deref().and_then(some_str)),
        (
            "diskSelector",
            input.install_disk_selector.as_ref().map(disk_selector),
        ),
        ("extraKernelArgs", strs(&input.install_extra_kernel_args)),
        ("image", input.install_image.as_deref().and_then(some_str)),
        ("wipe", Some(Yaml::Bool(false))),
        ("grubUseUKICmdline", flag(c.grub_use_uki_cmdline())),
    ])
}

fn disk_selector(s: &DiskSelector) -> Yaml {
    let field = |v: &Option<String>| v.as_deref().and_then(some_str);
    obj([
        ("size", field(&s.size)),
        ("model", field(&s.model)),
        ("serial", field(&s.serial)),
        ("wwid", field(&s.wwid)),
        ("type", field(&s.disk_type)),
        ("busPath", field(&s.bus_path)),
        ("name", field(&s.name)),
        ("modalias", field(&s.modalias)),
        ("uuid", field(&s.uuid)),
    ])
}

fn features(c: Contract) -> Yaml {
    let shown = c.rbac_and_key_usage_shown();
    let host_dns = (c.host_dns() && !c.host_dns_multidoc()).then(|| {
        obj([
            ("enabled", Some(Yaml::Bool(true))),
            ("forwardKubeDNSToHost", flag(c.host_dns_forward_kube_dns())),
        ])
    });
    obj([
        ("rbac", flag(shown)),
        ("stableHostname", flag(c.stable_hostname())),
        (
            "apidCheckExtKeyUsage",
            flag(shown && c.apid_ext_key_usage()),
        ),
        ("diskQuotaSupport", flag(c.disk_quota())),
        (
            "kubePrism",
            (c.kube_prism() && !c.multidoc_kubernetes()).then(|| {
                Yaml::from_pairs([
                    ("enabled", Yaml::Bool(true)),
                    ("port", Yaml::Int(KUBE_PRISM_PORT)),
                ])
            }),
        ),
        ("hostDNS", host_dns),
    ])
}

fn cluster(input: &GenInput, secrets: &Bundle, c: Contract) -> Yaml {
    let legacy_k8s = !c.multidoc_kubernetes();
    let identity = !c.discovery_multidoc();
    let cp = input.role == Role::ControlPlane;
    let control_plane = legacy_k8s.then(|| {
        obj([
            ("endpoint", Some(Yaml::str(&input.endpoint))),
            (
                "localAPIServerPort",
                input
                    .local_api_server_port
                    .filter(|_| cp)
                    .map(|p| Yaml::Int(p.into())),
            ),
        ])
    });
    // talhelper copies an old bundle's AES-CBC secret into every node (issue #81), up to 1.13.
    let aescbc = secrets.aescbc_encryption_secret.as_deref().unwrap_or("");
    let aescbc = if legacy_k8s { aescbc } else { "" };
    let when = |on: bool, v: &str| some_str(v).filter(|_| on);
    if !cp {
        return obj([
            ("id", when(identity, &secrets.cluster_id)),
            ("secret", when(identity, &secrets.cluster_secret)),
            ("controlPlane", control_plane),
            (
                "clusterName",
                when(
                    c.cluster_name_for_workers() && legacy_k8s,
                    &input.cluster_name,
                ),
            ),
            ("network", legacy_k8s.then(|| cluster_network(input))),
            ("token", some_str(&secrets.bootstrap_token)),
            ("aescbcEncryptionSecret", some_str(aescbc)),
            ("ca", legacy_k8s.then(|| cert_only(&secrets.k8s))),
            ("discovery", identity.then(|| discovery(c))),
            ("extraManifests", extra_manifests(input, c)),
        ]);
    }
    // Old contracts have no secretbox; talhelper adds an old bundle's AES-CBC secret to it.
    let secretbox = secrets.secretbox_encryption_secret.as_deref().unwrap_or("");
    let secretbox = if c.secretbox() && legacy_k8s {
        secretbox
    } else {
        ""
    };
    let component = |repo: &str| legacy_k8s.then(|| obj([("image", image(repo, input))]));
    obj([
        ("id", when(identity, &secrets.cluster_id)),
        ("secret", when(identity, &secrets.cluster_secret)),
        ("controlPlane", control_plane),
        ("clusterName", when(identity, &input.cluster_name)),
        ("network", legacy_k8s.then(|| cluster_network(input))),
        ("token", some_str(&secrets.bootstrap_token)),
        ("aescbcEncryptionSecret", some_str(aescbc)),
        ("secretboxEncryptionSecret", some_str(secretbox)),
        ("ca", legacy_k8s.then(|| cert_key(&secrets.k8s))),
        (
            "aggregatorCA",
            legacy_k8s.then(|| cert_key(&secrets.k8s_aggregator)),
        ),
        (
            "serviceAccount",
            legacy_k8s
                .then(|| Yaml::from_pairs([("key", Yaml::str(&secrets.k8s_service_account.key))])),
        ),
        ("apiServer", legacy_k8s.then(|| api_server(input, c))),
        ("controllerManager", component(images::CONTROLLER_MANAGER)),
        ("proxy", component(images::PROXY)),
        ("scheduler", component(images::SCHEDULER)),
        ("discovery", identity.then(|| discovery(c))),
        (
            "etcd",
            Some(Yaml::from_pairs([("ca", cert_key(&secrets.etcd))])),
        ),
        (
            c.allow_scheduling_on_control_planes_key(),
            flag(input.allow_scheduling_on_control_planes && legacy_k8s),
        ),
        ("extraManifests", extra_manifests(input, c)),
    ])
}

/// From 1.14 on talhelper puts a custom CNI's URLs in `cluster.extraManifests` (before, the
/// whole `cniConfig` goes to `cluster.network.cni`).
fn extra_manifests(input: &GenInput, c: Contract) -> Option<Yaml> {
    match &input.cni {
        Cni::Custom(urls) if c.multidoc_kubernetes() => strs(urls),
        _ => None,
    }
}

fn cluster_network(input: &GenInput) -> Yaml {
    let custom = input
        .cni_custom_url
        .as_ref()
        .filter(|_| input.cni == Cni::Default);
    let cni = match custom {
        Some(url) => self::cni(&Cni::Custom(vec![url.clone()])),
        None => self::cni(&input.cni),
    };
    obj([
        ("cni", cni),
        (
            "dnsDomain",
            Some(Yaml::str(
                input.dns_domain.as_deref().unwrap_or("cluster.local"),
            )),
        ),
        (
            "podSubnets",
            Some(Yaml::str_seq(input.pod_subnets.iter().cloned())),
        ),
        (
            "serviceSubnets",
            Some(Yaml::str_seq(input.service_subnets.iter().cloned())),
        ),
    ])
}

fn discovery(c: Contract) -> Yaml {
    obj([
        ("enabled", Some(Yaml::Bool(true))),
        (
            "registries",
            Some(Yaml::from_pairs([
                (
                    "kubernetes",
                    obj([("disabled", flag(c.discovery_kubernetes_disabled()))]),
                ),
                ("service", Yaml::map()),
            ])),
        ),
    ])
}

/// `GetAPIServerSANs`: the endpoint's host (up to 1.11), then the additional names.
pub(super) fn api_server_sans(input: &GenInput, c: Contract) -> Vec<String> {
    let mut sans = Vec::new();
    if c.sans_from_endpoint()
        && let Some(host) = endpoint_host(&input.endpoint)
    {
        sans.push(host);
    }
    sans.extend(input.api_server_cert_sans.iter().cloned());
    sans
}

fn api_server(input: &GenInput, c: Contract) -> Yaml {
    let sans = api_server_sans(input, c);
    obj([
        ("image", image(images::API_SERVER, input)),
        ("certSANs", strs(&sans)),
        ("disablePodSecurityPolicy", flag(!c.hide_disable_psp())),
        (
            "admissionControl",
            c.pod_security_admission()
                .then(|| Yaml::Seq(vec![pod_security()])),
        ),
        ("auditPolicy", c.audit_policy().then(audit_policy)),
    ])
}

/// `cluster.network.cni` as talhelper sets it from `cniConfig`.
fn cni(cni: &Cni) -> Option<Yaml> {
    let name = |n: &str| Yaml::from_pairs([("name", Yaml::str(n))]);
    match cni {
        Cni::Default => None,
        Cni::Flannel => Some(name("flannel")),
        Cni::None => Some(name("none")),
        Cni::Custom(urls) => Some(Yaml::from_pairs([
            ("name", Yaml::str("custom")),
            ("urls", Yaml::str_seq(urls.iter().cloned())),
        ])),
    }
}

/// The PodSecurity admission plugin gen config adds (an unstructured map: keys sorted).
pub(super) fn pod_security() -> Yaml {
    let defaults = Yaml::from_pairs([
        ("audit", Yaml::str("restricted")),
        ("audit-version", Yaml::str("latest")),
        ("enforce", Yaml::str("baseline")),
        ("enforce-version", Yaml::str("latest")),
        ("warn", Yaml::str("restricted")),
        ("warn-version", Yaml::str("latest")),
    ]);
    let exemptions = Yaml::from_pairs([
        ("namespaces", Yaml::str_seq(["kube-system"])),
        ("runtimeClasses", Yaml::Seq(Vec::new())),
        ("usernames", Yaml::Seq(Vec::new())),
    ]);
    Yaml::from_pairs([
        ("name", Yaml::str("PodSecurity")),
        (
            "configuration",
            Yaml::from_pairs([
                (
                    "apiVersion",
                    Yaml::str("pod-security.admission.config.k8s.io/v1alpha1"),
                ),
                ("defaults", defaults),
                ("exemptions", exemptions),
                ("kind", Yaml::str("PodSecurityConfiguration")),
            ]),
        ),
    ])
}

/// Talos' default API server audit policy.
pub(super) fn audit_policy() -> Yaml {
    Yaml::from_pairs([
        ("apiVersion", Yaml::str("audit.k8s.io/v1")),
        ("kind", Yaml::str("Policy")),
        (
            "rules",
            Yaml::Seq(vec![Yaml::from_pairs([("level", Yaml::str("Metadata"))])]),
        ),
    ])
}

/// Go's `url.Hostname()` of the endpoint (brackets of an IPv6 host removed).
fn endpoint_host(endpoint: &str) -> Option<String> {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = hostport.strip_prefix('[') {
        return v6.split(']').next().map(str::to_string);
    }
    Some(
        hostport
            .rsplit_once(':')
            .map_or(hostport, |(h, _)| h)
            .to_string(),
    )
}
