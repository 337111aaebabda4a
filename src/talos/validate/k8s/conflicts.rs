//! `V1Alpha1ConflictValidate` of the documents Talos v1.14 added (v1.14.0-rc.1): each refuses
//! the deprecated v1alpha1 section it replaces. A section is set when its key holds a
//! value (Go: a non-nil pointer).

use super::super::yamlx::{at, non_empty, str_at};
use crate::yaml::Yaml;

/// The conflict of a v1.14 document with the v1alpha1 document, if any (`None` too for
/// kinds this module does not know).
pub(in crate::talos::validate) fn conflict(kind: &str, doc: &Yaml, cfg: &Yaml) -> Option<String> {
    let set = |path: &str| at(cfg, path).is_some();
    let first = |checks: &[(&str, &str)]| {
        checks
            .iter()
            .find(|(path, _)| set(path))
            .map(|(_, msg)| (*msg).to_string())
    };
    match kind {
        "DiscoveryIdentityConfig" => (!str_at(cfg, "cluster.id").is_empty()
            || !str_at(cfg, "cluster.secret").is_empty())
        .then(|| "cluster identity is already configured in .cluster.id/.cluster.secret of the v1alpha1 config".into()),
        "DiscoveryServiceConfig" => first(&[("cluster.discovery", "discovery service is already configured in .cluster.discovery of the v1alpha1 config")]),
        "CRIBaseRuntimeSpecConfig" => first(&[("machine.baseRuntimeSpecOverrides", "base runtime spec overrides are already set in v1alpha1 config")]),
        "ImageCacheConfig" => first(&[("machine.features.imageCache", "image cache config is already set in v1alpha1 config")]),
        "KubeAdmissionControlConfig" | "KubeAuthorizerConfig" => non_empty(cfg, "cluster.apiServer.admissionControl")
            .then(|| "admission control plugin config is already set in v1alpha1 config".into()),
        "KubeAggregatorCAConfig" => first(&[("cluster.aggregatorCA", "kube-apiserver aggregator CA is already set in v1alpha1 config (.cluster.aggregatorCA), please remove it and use the new KubeAggregatorCAConfig document instead")]),
        "KubeAPIServerConfig" => {
            let port = at(cfg, "cluster.controlPlane.localAPIServerPort")
                .is_some_and(|p| super::super::yamlx::scalar_text(p) != "0");
            first(&[("cluster.apiServer", "kube-apiserver config is already set in v1alpha1 config (.cluster.apiServer)")])
                .or_else(|| port.then(|| "kube-apiserver API port is already set in v1alpha1 config (.cluster.controlPlane.localAPIServerPort)".into()))
        }
        "KubeAPIServerCAConfig" => first(&[("cluster.ca", "kube-apiserver CA is already set in v1alpha1 config (.cluster.ca)")]),
        "KubeAuditPolicyConfig" => non_empty(cfg, "cluster.apiServer.auditPolicy")
            .then(|| "audit policy config is already set in v1alpha1 config".into()),
        "KubeClusterConfig" => {
            if !str_at(cfg, "cluster.clusterName").is_empty() {
                return Some("cluster name is already set in the v1alpha1 config (.cluster.clusterName). Please remove it and use only the new KubeClusterConfig document to avoid conflicts".into());
            }
            first(&[("cluster.controlPlane.endpoint", "cluster endpoint is already set in the v1alpha1 config (.cluster.controlPlane.endpoint). Please remove it and use only the new KubeClusterConfig document to avoid conflicts")])
        }
        "KubeControllerManagerConfig" => first(&[
            ("cluster.controllerManager", "kube-controller-manager config is already set in v1alpha1 config (.cluster.controllerManager)"),
            ("machine.controlPlane.controllerManager", "kube-controller-manager config is already set in v1alpha1 config (.machine.controlplane.controllerManager)"),
        ]),
        "KubeCoreDNSConfig" => first(&[("cluster.coreDNS", "CoreDNS config is already set in v1alpha1 config (.cluster.coreDNS)")]),
        "KubeCredentialProviderConfig" => first(&[("machine.kubelet", "cannot use KubeCredentialProviderConfig with legacy kubelet configuration (.machine.kubelet)")]),
        "KubeEtcdEncryptionConfig" => (!str_at(cfg, "cluster.secretboxEncryptionSecret").is_empty()
            || !str_at(cfg, "cluster.aescbcEncryptionSecret").is_empty())
        .then(|| "etcd encryption config is already set in v1alpha1 config".into()),
        "KubeFlannelCNIConfig" => first(&[("cluster.network", "cluster network config in v1alpha1 config (.machine.cluster.network) can't be used with KubeFlannelCNIConfig document, please remove it to avoid conflicts")]),
        "KubeletConfig" => first(&[("machine.kubelet", "kubelet config is already set in v1alpha1 config (.machine.kubelet)")]),
        "KubePrismConfig" => first(&[("machine.features.kubePrism", "KubePrism config in v1alpha1 config (.machine.features.kubePrism) can't be used with KubePrismConfig document, please remove it to avoid conflicts")]),
        "KubeNetworkConfig" => first(&[("cluster.network", "cluster network config is already set in the v1alpha1 config (.machine.cluster.network). Please remove it and use only the new KubeNetworkConfig document to avoid conflicts")]),
        "KubeNodeConfig" => first(&[
            ("cluster.allowSchedulingOnControlPlanes", ".cluster.allowSchedulingOnControlPlanes is already set in v1alpha1 config"),
            ("cluster.allowSchedulingOnMasters", ".cluster.allowSchedulingOnMasters is already set in v1alpha1 config"),
            ("machine.kubelet.skipNodeRegistration", ".machine.kubelet.skipNodeRegistration is already set in v1alpha1 config"),
            ("machine.kubelet.registerWithFQDN", ".machine.kubelet.registerWithFQDN is already set in v1alpha1 config"),
            ("machine.kubelet.nodeIP", ".machine.kubelet.nodeIP is already set in v1alpha1 config"),
            ("machine.nodeLabels", ".machine.nodeLabels is already set in v1alpha1 config"),
            ("machine.nodeAnnotations", ".machine.nodeAnnotations is already set in v1alpha1 config"),
            ("machine.nodeTaints", ".machine.nodeTaints is already set in v1alpha1 config"),
        ]),
        "KubeProxyConfig" => first(&[("cluster.proxy", "cluster proxy config in v1alpha1 config (.machine.cluster.proxy) can't be used with KubeProxyConfig document, please remove it to avoid conflicts")]),
        "KubeSchedulerConfig" => first(&[
            ("cluster.scheduler", "kube-scheduler config is already set in v1alpha1 config (.cluster.scheduler)"),
            ("machine.controlPlane.scheduler", "kube-scheduler config is already set in v1alpha1 config (.machine.controlplane.scheduler)"),
        ]),
        "KubeServiceAccountConfig" => first(&[("cluster.serviceAccount", "service account is already set in v1alpha1 config (.cluster.serviceAccount)")]),
        "KubeTalosAPIAccessConfig" => first(&[("machine.features.kubernetesTalosAPIAccess", ".machine.features.kubernetesTalosAPIAccess is already set in v1alpha1 config")]),
        "UnattendedInstallConfig" => first(&[("machine.install", "UnattendedInstallConfig config is incompatible with v1alpha1 config (.machine.install)")]),
        "ResolverConfig" => {
            let host_dns = at(doc, "hostDNS").and_then(Yaml::as_map).is_some_and(|m| {
                m.values().any(|v| !matches!(v, Yaml::Null))
            });
            (host_dns && set("machine.features.hostDNS"))
                .then(|| ".machine.features.hostDNS is already set in v1alpha1 config".into())
        }
        _ => None,
    }
}
