//! The v1.14.0-rc.1 part of the ledger of Talos' validation tests (see `count`).

use super::count::{Entry, k8s_conflicts, table};
use super::{k8s, test_validate};

/// Talos v1.14.0-rc.1 (`types/k8s`, the documents new in 1.14, and `TestValidate`).
pub(super) const V1_14_0_RC_1: &[Entry] = &[
    (
        "k8s/admission_control_test.go TestKubeAdmissionControlConfigValidate",
        2,
        || table("KubeAdmissionControlConfig", 14, k8s::ADMISSION),
    ),
    (
        "k8s/admission_control_test.go TestKubeAdmissionControlConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeAdmissionControlConfig"),
    ),
    (
        "k8s/aggregator_ca_test.go TestKubeAggregatorCAConfigValidate",
        4,
        || k8s::check_certificates("KubeAggregatorCAConfig"),
    ),
    (
        "k8s/aggregator_ca_test.go TestKubeAggregatorCAConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeAggregatorCAConfig"),
    ),
    (
        "k8s/apiserver_ca_test.go TestKubeAPIServerCAConfigValidate",
        4,
        || k8s::check_certificates("KubeAPIServerCAConfig"),
    ),
    (
        "k8s/apiserver_ca_test.go TestKubeAPIServerCAConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeAPIServerCAConfig"),
    ),
    (
        "k8s/apiserver_test.go TestKubeAPIServerConfigValidate",
        7,
        || table("KubeAPIServerConfig", 14, k8s::APISERVER),
    ),
    (
        "k8s/apiserver_test.go TestKubeAPIServerConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeAPIServerConfig"),
    ),
    (
        "k8s/audit_policy_test.go TestKubeAuditPolicyConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeAuditPolicyConfig"),
    ),
    (
        "k8s/authorization_test.go TestKubeAuthorizerConfigValidate",
        6,
        || table("KubeAuthorizerConfig", 14, k8s::AUTHORIZER),
    ),
    (
        "k8s/authorization_test.go TestKubeAuthorizerConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeAuthorizerConfig"),
    ),
    (
        "k8s/cluster_test.go TestKubeClusterConfigValidate",
        5,
        || table("KubeClusterConfig", 14, k8s::CLUSTER),
    ),
    (
        "k8s/cluster_test.go TestKubeClusterConfigV1Alpha1ConflictValidate",
        4,
        || k8s_conflicts("KubeClusterConfig"),
    ),
    (
        "k8s/controller_manager_test.go TestKubeControllerManagerConfigValidate",
        7,
        || table("KubeControllerManagerConfig", 14, k8s::CONTROLLER_MANAGER),
    ),
    (
        "k8s/controller_manager_test.go TestKubeControllerManagerConfigV1Alpha1Validate",
        3,
        || k8s_conflicts("KubeControllerManagerConfig"),
    ),
    (
        "k8s/coredns_test.go TestKubeCoreDNSConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeCoreDNSConfig"),
    ),
    (
        "k8s/credential_provider_test.go TestKubeCredentialProviderConfigV1Alpha1ConflictValidate",
        3,
        || k8s_conflicts("KubeCredentialProviderConfig"),
    ),
    (
        "k8s/etcd_encryption_test.go TestKubeEtcdEncryptionConfigValidate",
        2,
        || table("KubeEtcdEncryptionConfig", 14, k8s::ETCD_ENCRYPTION),
    ),
    (
        "k8s/etcd_encryption_test.go TestKubeEtcdEncryptionConfigV1Alpha1Validate",
        3,
        || k8s_conflicts("KubeEtcdEncryptionConfig"),
    ),
    (
        "k8s/external_manifest_test.go TestKubeExternalManifestConfigValidate",
        4,
        || table("KubeExternalManifestConfig", 14, k8s::EXTERNAL_MANIFEST),
    ),
    (
        "k8s/flannel_test.go TestKubeFlannelCNIConfigValidate",
        3,
        || table("KubeFlannelCNIConfig", 14, k8s::FLANNEL),
    ),
    (
        "k8s/flannel_test.go TestKubeFlannelCNIConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeFlannelCNIConfig"),
    ),
    (
        "k8s/inline_manifest_test.go TestKubeInlineManifestConfigValidate",
        3,
        || table("KubeInlineManifestConfig", 14, k8s::INLINE_MANIFEST),
    ),
    ("k8s/kubelet_test.go TestKubeletConfigValidate", 4, || {
        table("KubeletConfig", 14, k8s::KUBELET)
    }),
    (
        "k8s/kubelet_test.go TestKubeletConfigV1Alpha1ConflictValidate",
        3,
        || k8s_conflicts("KubeletConfig"),
    ),
    (
        "k8s/kubeprism_test.go TestKubePrismConfigValidate",
        6,
        || table("KubePrismConfig", 14, k8s::PRISM),
    ),
    (
        "k8s/kubeprism_test.go TestKubePrismConfigV1Alpha1ConflictValidate",
        4,
        || k8s_conflicts("KubePrismConfig"),
    ),
    (
        "k8s/network_test.go TestKubeNetworkConfigValidate",
        23,
        || table("KubeNetworkConfig", 14, k8s::NETWORK),
    ),
    (
        "k8s/network_test.go TestKubeNetworkConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeNetworkConfig"),
    ),
    ("k8s/node_test.go TestKubeNodeConfigValidate", 4, || {
        table("KubeNodeConfig", 14, k8s::NODE)
    }),
    (
        "k8s/node_test.go TestKubeNodeConfigV1Alpha1ConflictValidate",
        9,
        || k8s_conflicts("KubeNodeConfig"),
    ),
    ("k8s/proxy_test.go TestKubeProxyConfigValidate", 10, || {
        table("KubeProxyConfig", 14, k8s::PROXY)
    }),
    (
        "k8s/proxy_test.go TestKubeProxyConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeProxyConfig"),
    ),
    (
        "k8s/scheduler_test.go TestKubeSchedulerConfigValidate",
        7,
        || table("KubeSchedulerConfig", 14, k8s::SCHEDULER),
    ),
    (
        "k8s/scheduler_test.go TestKubeSchedulerConfigV1Alpha1Validate",
        3,
        || k8s_conflicts("KubeSchedulerConfig"),
    ),
    (
        "k8s/service_account_test.go TestKubeServiceAccountConfigValidate",
        4,
        || k8s::check_certificates("KubeServiceAccountConfig"),
    ),
    (
        "k8s/service_account_test.go TestKubeServiceAccountConfigV1Alpha1Validate",
        2,
        || k8s_conflicts("KubeServiceAccountConfig"),
    ),
    (
        "k8s/static_pod_test.go TestKubeStaticPodConfigValidate",
        3,
        || table("KubeStaticPodConfig", 14, k8s::STATIC_POD),
    ),
    (
        "k8s/talos_api_access_test.go TestKubeTalosAPIAccessConfigValidate",
        5,
        || table("KubeTalosAPIAccessConfig", 14, k8s::API_ACCESS),
    ),
    (
        "k8s/talos_api_access_test.go TestKubeTalosAPIAccessConfigV1Alpha1ConflictValidate",
        4,
        || k8s_conflicts("KubeTalosAPIAccessConfig"),
    ),
    (
        "v1alpha1/v1alpha1_validation_test.go TestValidate",
        64,
        || test_validate::check(test_validate::V1_14_0_RC_1, 14),
    ),
];
