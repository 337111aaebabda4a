//! The documents `gen config` writes after v1alpha1 from contract 1.14 on (`init.go`,
//! `worker.go`, `kubernetes.go`, `block.go`, `security_profile.go` of v1.14.0-rc.1), in its
//! order: discovery, install, host DNS, sysctls, the `EPHEMERAL` volume and trim, workload
//! isolation, registries, the hostname, then the `Kube*Config` documents.
//!
//! Certificates and keys are written PEM-decoded (`meta.CertificateAndKey`), the secrets
//! bundle's base64 turned back into the PEM text.

use super::base::{
    EXCLUDE_FROM_LB_LABEL, KUBE_PRISM_PORT, api_server_sans, audit_policy, image, pod_security,
};
use super::network::doc;
use super::order::go_string_map;
use super::{GenInput, network};
use crate::model::{Cni, Role};
use crate::secrets::bundle::Bundle;
use crate::talos::contract::Contract;
use crate::talos::versions::images;
use crate::yaml::Yaml;
use indexmap::IndexMap;

const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";
const DISCOVERY_ENDPOINT: &str = "https://discovery.talos.dev/";
/// `constants.DefaultFilesystemTrimInterval` (a week) as Go prints a `time.Duration`.
const TRIM_INTERVAL: &str = "168h0m0s";

/// The PEM text of a bundle value (base64 of the PEM, as `secrets.yaml` holds it); a value
/// that is not base64 is written as it is.
fn pem(b64: &str) -> Yaml {
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    Yaml::str(decoded.unwrap_or_else(|| b64.to_string()))
}

fn cert_and_key(crt: &str, key: &str) -> Yaml {
    Yaml::from_pairs([("cert", pem(crt)), ("key", pem(key))])
}

/// Go's `%q` of a plain string (what `disk.dev_path == %q` writes).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// gen config's documents before the network ones (`HostnameConfig`).
pub(super) fn leading_documents(input: &GenInput, secrets: &Bundle, c: Contract) -> Vec<Yaml> {
    let mut docs = Vec::new();
    if c.discovery_multidoc() {
        docs.push(doc(
            "DiscoveryServiceConfig",
            [
                ("name", Some(Yaml::str("default"))),
                ("endpoint", Some(Yaml::str(DISCOVERY_ENDPOINT))),
            ],
        ));
        docs.push(doc(
            "DiscoveryIdentityConfig",
            [
                ("clusterID", Some(Yaml::str(&secrets.cluster_id))),
                ("clusterSecret", Some(Yaml::str(&secrets.cluster_secret))),
            ],
        ));
    }
    if c.unattended_install()
        && let Some(disk) = input.install_disk.as_deref().filter(|d| !d.is_empty())
    {
        let image = input.install_image.as_deref().filter(|i| !i.is_empty());
        let installer =
            image.map_or_else(Yaml::map, |i| Yaml::from_pairs([("image", Yaml::str(i))]));
        let selector = format!("disk.dev_path == {}", go_quote(disk));
        docs.push(doc(
            "UnattendedInstallConfig",
            [
                ("installer", Some(installer)),
                (
                    "provisioning",
                    Some(Yaml::from_pairs([
                        (
                            "diskSelector",
                            Yaml::from_pairs([("match", Yaml::str(selector))]),
                        ),
                        ("wipe", Yaml::Bool(false)),
                    ])),
                ),
            ],
        ));
    }
    if c.host_dns() && c.host_dns_multidoc() {
        let host_dns = Yaml::from_pairs([
            ("enabled", Yaml::Bool(true)),
            (
                "forwardKubeDNSToHost",
                Yaml::Bool(c.host_dns_forward_kube_dns()),
            ),
        ]);
        docs.push(doc("ResolverConfig", [("hostDNS", Some(host_dns))]));
    }
    if c.multidoc_sysctl() && !input.sysctls.is_empty() {
        docs.push(doc(
            "SysctlConfig",
            [("params", Some(go_string_map(&input.sysctls)))],
        ));
    }
    if c.filesystem_trim_default() {
        docs.push(doc(
            "VolumeConfig",
            [
                ("name", Some(Yaml::str("EPHEMERAL"))),
                (
                    "mount",
                    Some(Yaml::from_pairs([("secure", Yaml::Bool(true))])),
                ),
            ],
        ));
        docs.push(doc(
            "FilesystemTrimConfig",
            [("interval", Some(Yaml::str(TRIM_INTERVAL)))],
        ));
    }
    if c.workload_isolation_default() {
        docs.push(doc(
            "SecurityProfileConfig",
            [("workloadIsolation", Some(Yaml::Bool(true)))],
        ));
    }
    if c.multidoc_network() {
        docs.extend(registry_mirrors(input));
    }
    docs
}

/// `RegistryMirrorConfig` documents (multi-doc network contracts), sorted by name as
/// `generateRegistryConfigs` sorts them.
fn registry_mirrors(input: &GenInput) -> Vec<Yaml> {
    let mut mirrors: Vec<&(String, Vec<String>)> = input.registry_mirrors.iter().collect();
    mirrors.sort_by(|a, b| a.0.cmp(&b.0));
    mirrors
        .into_iter()
        .map(|(host, endpoints)| {
            let urls = endpoints
                .iter()
                .map(|e| Yaml::from_pairs([("url", Yaml::str(e))]))
                .collect();
            doc(
                "RegistryMirrorConfig",
                [
                    ("name", Some(Yaml::str(host))),
                    ("endpoints", Some(Yaml::Seq(urls))),
                ],
            )
        })
        .collect()
}

/// `generateKubernetesUniversalConfigs` and, on control planes,
/// `generateKubernetesControlplaneConfigs`, with talhelper's node labels, annotations and
/// taints in `KubeNodeConfig` and its CNI choice.
pub(super) fn kubernetes_documents(input: &GenInput, secrets: &Bundle, c: Contract) -> Vec<Yaml> {
    let cp = input.role == Role::ControlPlane;
    let mut docs = vec![
        doc(
            "KubeClusterConfig",
            [
                ("clusterName", Some(Yaml::str(&input.cluster_name))),
                ("endpoint", Some(Yaml::str(&input.endpoint))),
            ],
        ),
        node_config(input, c),
        doc(
            "KubeletConfig",
            [
                ("image", image(images::KUBELET, input)),
                ("config", Some(Yaml::map())),
                (
                    "defaultRuntimeSeccompProfileEnabled",
                    Some(Yaml::Bool(true)),
                ),
            ],
        ),
        doc(
            "KubeNetworkConfig",
            [
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
            ],
        ),
        if cp {
            doc(
                "KubeAPIServerCAConfig",
                [(
                    "issuingCA",
                    Some(cert_and_key(&secrets.k8s.crt, &secrets.k8s.key)),
                )],
            )
        } else {
            doc(
                "KubeAPIServerCAConfig",
                [("acceptedCAs", Some(Yaml::Seq(vec![pem(&secrets.k8s.crt)])))],
            )
        },
        doc(
            "KubePrismConfig",
            [("port", Some(Yaml::Int(KUBE_PRISM_PORT)))],
        ),
    ];
    if cp {
        docs.extend(control_plane_documents(input, secrets, c));
    }
    docs
}

/// `KubeNodeConfig`: gen config's role label, load-balancer exclusion and taint, with
/// talhelper's node labels, annotations and taints on top (key by key: the role label and
/// taint are config from 1.14 on, no longer added by Talos at runtime).
fn node_config(input: &GenInput, c: Contract) -> Yaml {
    let cp = input.role == Role::ControlPlane;
    let mut labels = IndexMap::new();
    if cp {
        labels.insert(CONTROL_PLANE_LABEL.to_string(), String::new());
        if c.exclude_from_external_lb() {
            labels.insert(EXCLUDE_FROM_LB_LABEL.to_string(), String::new());
        }
    }
    let mut taints = IndexMap::new();
    if cp && !input.allow_scheduling_on_control_planes {
        taints.insert(CONTROL_PLANE_LABEL.to_string(), "NoSchedule".to_string());
    }
    let overlay = |base: &mut IndexMap<String, String>,
                   extra: &Option<IndexMap<String, String>>| {
        for (k, v) in extra.iter().flatten() {
            base.insert(k.clone(), v.clone());
        }
    };
    overlay(&mut labels, &input.node_labels);
    overlay(&mut taints, &input.node_taints);
    let mut annotations = IndexMap::new();
    overlay(&mut annotations, &input.node_annotations);
    let map = |m: &IndexMap<String, String>| (!m.is_empty()).then(|| go_string_map(m));
    doc(
        "KubeNodeConfig",
        [
            ("nodeIP", Some(Yaml::map())),
            ("labels", map(&labels)),
            ("annotations", map(&annotations)),
            ("taints", map(&taints)),
        ],
    )
}

fn control_plane_documents(input: &GenInput, secrets: &Bundle, c: Contract) -> Vec<Yaml> {
    let authorizer = |name: &str, ty: &str| {
        doc(
            "KubeAuthorizerConfig",
            [
                ("name", Some(Yaml::str(name))),
                ("type", Some(Yaml::str(ty))),
            ],
        )
    };
    let sans = api_server_sans(input, c);
    let mut docs = vec![
        doc(
            "KubeAggregatorCAConfig",
            [(
                "issuingCA",
                Some(cert_and_key(
                    &secrets.k8s_aggregator.crt,
                    &secrets.k8s_aggregator.key,
                )),
            )],
        ),
        {
            let plugin = pod_security();
            doc(
                "KubeAdmissionControlConfig",
                [
                    ("name", plugin.get("name").cloned()),
                    ("configuration", plugin.get("configuration").cloned()),
                ],
            )
        },
        doc(
            "KubeAuditPolicyConfig",
            [("configuration", Some(audit_policy()))],
        ),
        doc(
            "KubeAuthenticationConfig",
            [("configuration", Some(authentication()))],
        ),
        authorizer("node", "Node"),
        authorizer("rbac", "RBAC"),
        doc(
            "KubeEtcdEncryptionConfig",
            [("config", Some(etcd_encryption(secrets)))],
        ),
        doc(
            "KubeServiceAccountConfig",
            [(
                "issuer",
                Some(Yaml::from_pairs([
                    ("privateKey", pem(&secrets.k8s_service_account.key)),
                    ("issuerURL", Yaml::str(&input.endpoint)),
                ])),
            )],
        ),
        doc(
            "KubeAPIServerConfig",
            [
                ("image", image(images::API_SERVER, input)),
                (
                    "apiPort",
                    input.local_api_server_port.map(|p| Yaml::Int(p.into())),
                ),
                (
                    "certExtraSANs",
                    (!sans.is_empty()).then(|| Yaml::str_seq(sans)),
                ),
            ],
        ),
        doc(
            "KubeControllerManagerConfig",
            [("image", image(images::CONTROLLER_MANAGER, input))],
        ),
        doc(
            "KubeSchedulerConfig",
            [
                ("image", image(images::SCHEDULER, input)),
                ("config", Some(Yaml::map())),
            ],
        ),
        doc(
            "KubeProxyConfig",
            [
                ("image", image(images::PROXY, input)),
                ("config", Some(Yaml::map())),
            ],
        ),
    ];
    let custom_url = input.cni_custom_url.as_deref();
    if custom_url.is_none() && input.cni == Cni::Default {
        docs.push(flannel(&[], None));
    }
    docs.push(doc(
        "KubeCoreDNSConfig",
        [("enabled", Some(Yaml::Bool(true)))],
    ));
    if let Some(url) = custom_url {
        docs.push(doc(
            "KubeExternalManifestConfig",
            [
                ("name", Some(Yaml::str("custom-cni"))),
                ("url", Some(Yaml::str(url))),
            ],
        ));
    }
    // talhelper (`GenerateConfig`, multi-doc Kubernetes) drops gen config's flannel document
    // for any `cniConfig` and appends its own for `flannel`, with the flanneld arguments (on
    // control planes: Talos allows the document nowhere else).
    if input.cni == Cni::Flannel {
        let args = input.flannel.as_ref().map(|f| f.extra_args.as_slice());
        let policies = input.flannel.as_ref().and_then(|f| f.kube_network_policies);
        docs.push(flannel(args.unwrap_or_default(), policies));
    }
    docs
}

/// `KubeFlannelCNIConfig` in its Go field order (`kubeNetworkPoliciesEnabled` last, a
/// pointer: written when set, `false` too).
fn flannel(extra_args: &[String], kube_network_policies: Option<bool>) -> Yaml {
    doc(
        "KubeFlannelCNIConfig",
        [
            ("backendType", Some(Yaml::str("vxlan"))),
            ("backendPort", Some(Yaml::Int(4789))),
            (
                "extraArgs",
                (!extra_args.is_empty()).then(|| Yaml::str_seq(extra_args.iter().cloned())),
            ),
            (
                "kubeNetworkPoliciesEnabled",
                kube_network_policies.map(Yaml::Bool),
            ),
        ],
    )
}

/// `k8s.DefaultAuthenticationConfig`: anonymous access to the health endpoints only.
fn authentication() -> Yaml {
    let path = |p: &str| Yaml::from_pairs([("path", Yaml::str(p))]);
    Yaml::from_pairs([
        (
            "anonymous",
            Yaml::from_pairs([
                (
                    "conditions",
                    Yaml::Seq(vec![path("/livez"), path("/readyz"), path("/healthz")]),
                ),
                ("enabled", Yaml::Bool(true)),
            ]),
        ),
        ("jwt", Yaml::Seq(Vec::new())),
    ])
}

/// The etcd encryption providers, named and ordered as the pre-1.14 API server manifest
/// had them so that secrets written before stay readable. Upstream lists the AES-CBC key
/// under `secretbox` too (`kubernetes.go`, v1.14.0-rc.1); talforge writes what Talos writes.
fn etcd_encryption(secrets: &Bundle) -> Yaml {
    let provider = |name: &str, secret: &str| {
        let key = Yaml::from_pairs([("name", Yaml::str(name)), ("secret", Yaml::str(secret))]);
        Yaml::from_pairs([(
            "secretbox",
            Yaml::from_pairs([("keys", Yaml::Seq(vec![key]))]),
        )])
    };
    let mut providers = Vec::new();
    if let Some(s) = secrets
        .secretbox_encryption_secret
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        providers.push(provider("key2", s));
    }
    if let Some(s) = secrets
        .aescbc_encryption_secret
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        providers.push(provider("key1", s));
    }
    Yaml::from_pairs([(
        "resources",
        Yaml::Seq(vec![Yaml::from_pairs([
            ("providers", Yaml::Seq(providers)),
            ("resources", Yaml::str_seq(["secrets"])),
        ])]),
    )])
}

/// The documents talhelper's `genMultiDocs` patch adds or merges, for the 1.14 layout:
/// the hostname and resolver merge into gen config's, the rest come after it.
pub(super) fn talhelper_documents(input: &GenInput) -> Vec<Yaml> {
    let mut docs = Vec::new();
    if input.hostname.as_deref().is_some_and(|h| !h.is_empty()) {
        docs.push(network::hostname_config(input.hostname.as_deref()));
    }
    docs.extend(network::resolver_config(input));
    if let Some(fw) = &input.firewall {
        docs.extend(super::firewall::documents(fw));
    }
    docs.extend(super::storage::documents(input));
    docs.extend(network::link_documents(&input.interfaces));
    docs
}
