//! Talos v1.14's whole-config checks (`container.validateContainer`, v1.14.0-rc.1): what only
//! makes sense across documents — container mode's host DNS, DNS protocols, discovery and
//! its identity, KubeSpan, etcd encryption, control-plane-only documents.

use super::Mode;
use super::decode::Doc;
use super::yamlx::{at, bool_at, seq_at, str_at};
use crate::yaml::Yaml;

/// `ControlplaneOnlyConfig` kinds: Talos refuses them on other machines.
const CONTROL_PLANE_ONLY: &[&str] = &[
    "KubeAdmissionControlConfig",
    "KubeAggregatorCAConfig",
    "KubeAPIServerConfig",
    "KubeAuditPolicyConfig",
    "KubeAuthenticationConfig",
    "KubeAuthorizerConfig",
    "KubeControllerManagerConfig",
    "KubeCoreDNSConfig",
    "KubeEtcdEncryptionConfig",
    "KubeFlannelCNIConfig",
    "KubeProxyConfig",
    "KubeSchedulerConfig",
    "KubeServiceAccountConfig",
    "KubeTalosAPIAccessConfig",
];

fn first<'a>(docs: &'a [Doc], kind: &str) -> Option<&'a Yaml> {
    docs.iter().find(|d| d.kind == kind).map(|d| d.value)
}

/// `NetworkHostDNSConfig`: a `ResolverConfig` with host DNS enabled, else v1alpha1's
/// `machine.features.hostDNS`. `(enabled, forwardKubeDNSToHost)`.
fn host_dns(docs: &[Doc], v1: Option<&Yaml>) -> Option<(bool, bool)> {
    let own = first(docs, "ResolverConfig")
        .filter(|r| bool_at(r, "hostDNS.enabled") == Some(true))
        .map(|r| {
            (
                true,
                bool_at(r, "hostDNS.forwardKubeDNSToHost") == Some(true),
            )
        });
    own.or_else(|| {
        let h = at(v1?, "machine.features.hostDNS")?;
        Some((
            bool_at(h, "enabled") == Some(true),
            bool_at(h, "forwardKubeDNSToHost") == Some(true),
        ))
    })
}

/// `DiscoveryServiceConfigs` is not empty: v1alpha1's enabled service registry, else a
/// `DiscoveryServiceConfig` document.
fn discovery(docs: &[Doc], v1: Option<&Yaml>) -> bool {
    let legacy = v1
        .and_then(|c| at(c, "cluster.discovery"))
        .is_some_and(|d| {
            bool_at(d, "enabled") == Some(true)
                && bool_at(d, "registries.service.disabled") != Some(true)
        });
    legacy || first(docs, "DiscoveryServiceConfig").is_some()
}

/// `DiscoveryIdentityConfig`: v1alpha1's `cluster.id`/`cluster.secret` when either is set,
/// else the document. `(id, secret)`.
fn identity(docs: &[Doc], v1: Option<&Yaml>) -> Option<(String, String)> {
    if let Some(c) = v1.and_then(|c| at(c, "cluster")) {
        let (id, secret) = (str_at(c, "id"), str_at(c, "secret"));
        if !id.is_empty() || !secret.is_empty() {
            return Some((id, secret));
        }
    }
    let d = first(docs, "DiscoveryIdentityConfig")?;
    Some((str_at(d, "clusterID"), str_at(d, "clusterSecret")))
}

/// `NetworkKubeSpanConfig().Enabled()`: the `KubeSpanConfig` document, else v1alpha1's.
fn kubespan_enabled(docs: &[Doc], v1: Option<&Yaml>) -> bool {
    match first(docs, "KubeSpanConfig") {
        Some(k) => bool_at(k, "enabled") == Some(true),
        None => v1.is_some_and(|c| bool_at(c, "machine.network.kubespan.enabled") == Some(true)),
    }
}

/// `K8sAPIServerCAConfig() != nil`: the document, or v1alpha1's `cluster.ca`/`acceptedCAs`.
fn api_server_ca(docs: &[Doc], v1: Option<&Yaml>) -> bool {
    first(docs, "KubeAPIServerCAConfig").is_some()
        || v1.is_some_and(|c| {
            at(c, "cluster.ca").is_some() || at(c, "cluster.acceptedCAs").is_some()
        })
}

/// The whole-config errors, in Talos' order.
pub(super) fn validate(docs: &[Doc], mode: Mode) -> Vec<String> {
    let mut e = Vec::new();
    let v1 = docs.iter().find(|d| d.is_v1alpha1()).map(|d| d.value);
    let dns = host_dns(docs, v1);
    if mode == Mode::Container {
        match dns {
            None => e.push("hostDNS config is required in container mode".to_string()),
            Some((enabled, forward)) => {
                if !enabled {
                    e.push("hostDNS must be enabled in container mode".into());
                }
                if !forward {
                    e.push("forwardKubeDNSToHost must be enabled in container mode".into());
                }
            }
        }
    }
    // `NetworkResolverConfig`: the first `ResolverConfig`, else v1alpha1 (plain nameservers).
    let protocols = first(docs, "ResolverConfig").is_some_and(|r| {
        seq_at(r, "nameservers")
            .iter()
            .any(|ns| !str_at(ns, "protocol").is_empty())
    });
    if protocols && !dns.is_some_and(|(enabled, _)| enabled) {
        e.push("hostDNS must be enabled when using non-default DNS protocols".into());
    }
    if discovery(docs, v1) {
        let id = identity(docs, v1);
        if id.as_ref().is_none_or(|(id, _)| id.is_empty()) {
            e.push("cluster ID (.cluster.id or DiscoveryIdentityConfig) should be set when cluster discovery (DiscoveryServiceConfig) is enabled".into());
        }
        if id.as_ref().is_none_or(|(_, s)| s.is_empty()) {
            e.push("cluster secret (.cluster.secret or DiscoveryIdentityConfig) should be set when cluster discovery (DiscoveryServiceConfig) is enabled".into());
        }
    }
    if kubespan_enabled(docs, v1) && !discovery(docs, v1) {
        e.push("KubeSpan requires cluster discovery to be enabled".into());
    }
    let machine_type = v1.map(|c| str_at(c, "machine.type")).unwrap_or_default();
    let control_plane = matches!(machine_type.as_str(), "init" | "controlplane");
    if control_plane && api_server_ca(docs, v1) {
        let legacy = v1.is_some_and(|c| {
            !str_at(c, "cluster.secretboxEncryptionSecret").is_empty()
                || !str_at(c, "cluster.aescbcEncryptionSecret").is_empty()
        });
        if !legacy && first(docs, "KubeEtcdEncryptionConfig").is_none() {
            e.push(
                "etcd encryption config is required for control plane machines running kube-apiserver"
                    .into(),
            );
        }
    }
    let mut only: Vec<&str> = docs
        .iter()
        .map(|d| d.kind.as_str())
        .filter(|k| CONTROL_PLANE_ONLY.contains(k))
        .collect();
    if !only.is_empty() && !control_plane {
        only.sort_unstable();
        only.dedup();
        e.push(format!(
            "the following document kinds are only allowed on control plane machines: [{}]",
            only.join(" ")
        ));
    }
    e
}
