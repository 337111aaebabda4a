//! `Validate` of v1.14's `Kube*Config` documents (`types/k8s/*.go`, v1.14.0-rc.1), as
//! `talosctl validate` runs them: local, so image tags are not checked against the Talos
//! version (`validation.WithLocal`).

use super::super::found::Found;
use super::super::gonet::{is_subnet_or_address, validate_endpoint_uri};
use super::super::v1alpha1::labels;
use super::super::yamlx::{at, int_at, non_empty, q, str_at, strs_at};
use super::pem::{assert_valid_pem, certificate_and_key, load_key};
use crate::yaml::Yaml;

/// Talos API roles (`role.All`).
const ROLES: &[&str] = &[
    "os:admin",
    "os:operator",
    "os:reader",
    "os:etcd:backup",
    "os:impersonator",
];

/// kubelet configuration fields Talos sets itself (`kubelet.ProtectedConfigurationFields`).
const KUBELET_PROTECTED: &[&str] = &[
    "apiVersion",
    "authentication",
    "authorization",
    "cgroupRoot",
    "kind",
    "kubeletCgroups",
    "port",
    "protectKernelDefaults",
    "resolvConf",
    "rotateCertificates",
    "systemCgroups",
    "staticPodPath",
    "seccompDefault",
];

/// `k8s.ResourcesConfig.Validate`: only `cpu` and `memory`, the first other key reported.
fn resources(v: &Yaml, f: &mut Found) {
    for section in ["resources.requests", "resources.limits"] {
        if let Some(m) = at(v, section).and_then(Yaml::as_map) {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            if let Some(k) = keys.into_iter().find(|k| *k != "cpu" && *k != "memory") {
                f.err(format!("unsupported pod resource {}", q(k)));
                return;
            }
        }
    }
}

/// An `enabled: false` component is not validated further.
fn disabled(v: &Yaml) -> bool {
    matches!(v.get("enabled"), Some(Yaml::Bool(false)))
}

fn image_required(v: &Yaml, what: &str, key: &str, f: &mut Found) {
    if str_at(v, key).is_empty() {
        f.err(format!("{what} image cannot be empty"));
    }
}

fn accepted_cas(v: &Yaml, f: &mut Found) {
    for (idx, ca) in strs_at(v, "acceptedCAs").iter().enumerate() {
        if let Err(e) = assert_valid_pem(ca, &["CERTIFICATE"]) {
            f.err(format!("accepted CA #{idx}: {e}"));
        }
    }
}

/// A DNS-1123 subdomain name of a manifest or static pod.
fn dns_name(v: &Yaml, what: &str, f: &mut Found) {
    let name = str_at(v, "name");
    if name.is_empty() {
        f.err(format!("{what} name is required"));
    } else if let Err(e) = labels::dns1123_subdomain(&name) {
        f.err(format!("{what} name is invalid: {e}"));
    }
}

/// The findings of a v1.14 Kubernetes document's `Validate`, `None` for other kinds.
pub(in crate::talos::validate) fn validate(kind: &str, v: &Yaml) -> Option<Found> {
    let mut f = Found::default();
    match kind {
        "KubeAdmissionControlConfig" => {
            if str_at(v, "name").is_empty() {
                f.err("admission control plugin name is required");
            }
        }
        "KubeAggregatorCAConfig" => {
            match certificate_and_key(v, "issuingCA") {
                None => f.err("issuing CA is not set"),
                Some(Err(e)) => f.err(format!("issuing CA: {e}")),
                Some(Ok(())) => {}
            }
            accepted_cas(v, &mut f);
        }
        "KubeAPIServerCAConfig" => {
            if let Some(Err(e)) = certificate_and_key(v, "issuingCA") {
                f.err(format!("issuing CA: {e}"));
            }
            accepted_cas(v, &mut f);
        }
        "KubeAPIServerConfig" => api_server(v, &mut f),
        "KubeAuthorizerConfig" => authorizer(v, &mut f),
        "KubeClusterConfig" => cluster(v, &mut f),
        "KubeControllerManagerConfig" if !disabled(v) => {
            image_required(v, "kube-controller-manager", "image", &mut f);
            resources(v, &mut f);
        }
        "KubeSchedulerConfig" if !disabled(v) => {
            image_required(v, "scheduler", "image", &mut f);
            resources(v, &mut f);
        }
        "KubeProxyConfig" if !disabled(v) => proxy(v, &mut f),
        "KubeEtcdEncryptionConfig" => {
            if !non_empty(v, "config") {
                f.err("etcd encryption config is required");
            }
        }
        "KubeExternalManifestConfig" => external_manifest(v, &mut f),
        "KubeInlineManifestConfig" => dns_name(v, "manifest", &mut f),
        "KubeStaticPodConfig" => {
            dns_name(v, "static pod", &mut f);
            if !non_empty(v, "pod") {
                f.err("static pod spec is required");
            }
        }
        "KubeFlannelCNIConfig" => {
            if str_at(v, "backendType").is_empty() {
                f.err("flannel backend type must be specified");
            }
            resources(v, &mut f);
        }
        "KubeletConfig" => {
            image_required(v, "kubelet", "image", &mut f);
            for field in KUBELET_PROTECTED {
                if at(v, "config").and_then(|c| c.get(field)).is_some() {
                    f.err(format!(
                        "kubelet configuration field {} can't be overridden",
                        q(field)
                    ));
                }
            }
        }
        "KubePrismConfig" => {
            let port = int_at(v, "port");
            if port <= 0 || port > 65535 {
                f.err(format!("invalid port {port}: must be in range 1-65535"));
            }
        }
        "KubeNetworkConfig" => super::network::validate(v, &mut f),
        "KubeNodeConfig" => node(v, &mut f),
        "KubeServiceAccountConfig" => service_account(v, &mut f),
        "KubeTalosAPIAccessConfig" => {
            for r in strs_at(v, "allowedRoles") {
                if !ROLES.contains(&r.as_str()) {
                    f.err(format!("invalid role {} in .allowedRoles", q(&r)));
                }
            }
        }
        "KubeControllerManagerConfig"
        | "KubeSchedulerConfig"
        | "KubeProxyConfig"
        | "KubeAuditPolicyConfig"
        | "KubeAuthenticationConfig"
        | "KubeCoreDNSConfig"
        | "KubeCredentialProviderConfig" => {}
        _ => return None,
    }
    Some(f)
}

fn cluster(v: &Yaml, f: &mut Found) {
    if str_at(v, "clusterName").is_empty() {
        f.err("clusterName must be specified");
    }
    let endpoint = str_at(v, "endpoint");
    if endpoint.is_empty() {
        f.err("endpoint must be specified");
    } else if let Err(e) = validate_endpoint_uri(&endpoint) {
        f.err(format!("cluster endpoint is invalid: {e}"));
    }
}

fn external_manifest(v: &Yaml, f: &mut Found) {
    dns_name(v, "manifest", f);
    let url = str_at(v, "url");
    if url.is_empty() {
        f.err("manifest URL is required");
    } else {
        let scheme = url.split_once(':').map_or("", |(s, _)| s);
        if scheme != "http" && scheme != "https" {
            f.err(format!(
                "manifest URL scheme must be http or https: {}",
                q(scheme)
            ));
        }
    }
}

fn service_account(v: &Yaml, f: &mut Found) {
    let key = str_at(v, "issuer.privateKey");
    if key.is_empty() {
        f.err("service issuer private key is required");
    } else if let Err(e) = load_key(&key) {
        f.err(format!("service issuer private key is invalid: {e}"));
    }
    if str_at(v, "issuer.issuerURL").is_empty() {
        f.err("service issuer URL is required");
    }
}

fn api_server(v: &Yaml, f: &mut Found) {
    image_required(v, "kube-apiserver", "image", f);
    // `validateArgs`: the denied prefixes sorted, then the arguments as Go ranges a map
    // (talforge: in key order, which Talos' own cases with one argument per prefix share).
    const DENIED: &[(&str, &str)] = &[
        ("anonymous-auth", "use KubeAuthenticationConfig"),
        ("authentication-config", "use KubeAuthenticationConfig"),
        ("authorization-config", "use KubeAuthorizationConfig"),
        ("authorization-mode", "use KubeAuthorizationConfig"),
        ("authorization-webhook-", "use KubeAuthorizationConfig"),
        ("oidc-", "use KubeAuthenticationConfig"),
    ];
    let args: Vec<&String> = at(v, "extraArgs")
        .and_then(Yaml::as_map)
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    for (prefix, hint) in DENIED {
        for arg in args.iter().filter(|a| a.starts_with(prefix)) {
            f.err(format!(
                "kube-apiserver extra argument {} is not allowed: {hint}",
                q(arg)
            ));
        }
    }
    resources(v, f);
}

fn authorizer(v: &Yaml, f: &mut Found) {
    const TYPES: &[&str] = &["Node", "RBAC", "Webhook"];
    let ty = str_at(v, "type");
    if str_at(v, "name").is_empty() {
        f.err("authorizer name is required");
    }
    if ty.is_empty() {
        f.err("authorizer type is required");
    }
    if !TYPES.contains(&ty.as_str()) {
        f.err(format!(
            "authorizer type {ty} is not allowed, allowed types are [{}]",
            TYPES.join(" ")
        ));
    }
    let webhook = non_empty(v, "webhook");
    if ty == "Webhook" && !webhook {
        f.err("authorizer webhook configuration is required for Webhook authorizer type");
    }
    if ty != "Webhook" && webhook {
        f.warnings.push(
            "authorizer webhook configuration is not allowed non-Webhook authorizer types".into(),
        );
    }
}

fn proxy(v: &Yaml, f: &mut Found) {
    image_required(v, "proxy", "image", f);
    match str_at(v, "mode").as_str() {
        "" | "nftables" => {}
        m @ ("iptables" | "ipvs") => f.warnings.push(format!(
            "proxy mode {} is not recommended, please switch to nftables if possible",
            q(m)
        )),
        m => f.err(format!(
            "invalid proxy mode {}: supported modes are iptables, ipvs and nftables",
            q(m)
        )),
    }
    if non_empty(v, "extraArgs") {
        f.warnings.push(
            "extra arguments for kube-proxy may not work as expected, please use configuration instead"
                .into(),
        );
    }
    resources(v, f);
}

fn node(v: &Yaml, f: &mut Found) {
    for cidr in strs_at(v, "nodeIP.validSubnets") {
        let cidr = cidr.strip_prefix('!').unwrap_or(&cidr);
        if !is_subnet_or_address(cidr) {
            f.err(format!("nodeIP subnet is not valid: {}", q(cidr)));
        }
    }
    let mut report = |what: &str, errs: Vec<crate::talos::GoError>| {
        if !errs.is_empty() {
            let errs: Vec<String> = errs.into_iter().map(|e| e.0).collect();
            f.err(format!(
                "invalid node {what}: {}",
                super::super::output::multierror(&errs)
            ));
        }
    };
    report("labels", labels::validate(at(v, "labels")));
    report(
        "annotations",
        labels::validate_annotations(at(v, "annotations")),
    );
    report("taints", labels::validate_taints(at(v, "taints")));
}
