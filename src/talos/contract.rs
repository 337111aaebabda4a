//! Talos' version contract: which generated defaults a target Talos version gets.

use super::versions;
use crate::model::Version;

/// A Talos version reduced to what `generate` compares: `major.minor`.
///
/// Each predicate mirrors one of `pkg/machinery/config/contract.go` (v1.14.0-rc.1); "gt(x)" is
/// Talos' `contract.Greater(1.x)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Contract(Version);

/// A Talos version older than every contract: no machine config can be made for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedVersion {
    /// The version asked for.
    pub talos: Version,
    /// The oldest supported minor of v1.
    pub oldest: u32,
}

impl std::fmt::Display for UnsupportedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "talos version `{}` is not supported (machine configs need v1.{} or later)",
            self.talos, self.oldest
        )
    }
}

impl std::error::Error for UnsupportedVersion {}

// An error is its message: tests compare with the text users read.
impl PartialEq<&str> for UnsupportedVersion {
    fn eq(&self, other: &&str) -> bool {
        let text = self.to_string();
        text == *other
    }
}

impl Contract {
    /// The contract for a target Talos version: its own minor's, or for a pre-release or
    /// newer minor without one the nearest older contract talforge has
    /// ([`versions::contract_minor`]; the caller warns). Minors older than the oldest one
    /// with goldens ([`versions::oldest_with_configs`]) are refused.
    pub(crate) fn new(talos: Version) -> Result<Contract, UnsupportedVersion> {
        let Some(minor) = versions::contract_minor(talos) else {
            return Err(UnsupportedVersion {
                talos,
                oldest: versions::oldest_with_configs(),
            });
        };
        Ok(Contract(Version::new(1, minor, 0)))
    }

    /// The contract's minor (`1.<minor>`).
    pub(crate) fn minor(self) -> u32 {
        self.0.minor
    }

    fn gt(self, minor: u32) -> bool {
        self.0.greater(1, minor)
    }

    pub(crate) fn multidoc_network(self) -> bool {
        self.gt(11)
    }
    pub(crate) fn stable_hostname(self) -> bool {
        self.gt(1) && !self.multidoc_network()
    }
    pub(crate) fn rbac_and_key_usage_shown(self) -> bool {
        !self.gt(11)
    }
    pub(crate) fn apid_ext_key_usage(self) -> bool {
        self.gt(2)
    }
    pub(crate) fn disk_quota(self) -> bool {
        self.gt(4)
    }
    pub(crate) fn kube_prism(self) -> bool {
        self.gt(5)
    }
    pub(crate) fn host_dns(self) -> bool {
        self.gt(6)
    }
    pub(crate) fn host_dns_forward_kube_dns(self) -> bool {
        self.gt(7)
    }
    pub(crate) fn kubelet_seccomp_default(self) -> bool {
        self.gt(1)
    }
    pub(crate) fn kubelet_manifests_dir_disabled(self) -> bool {
        self.gt(2)
    }
    pub(crate) fn exclude_from_external_lb(self) -> bool {
        self.gt(7)
    }
    pub(crate) fn cluster_name_for_workers(self) -> bool {
        self.gt(7)
    }
    pub(crate) fn secretbox(self) -> bool {
        self.gt(2)
    }
    pub(crate) fn pod_security_admission(self) -> bool {
        self.gt(0)
    }
    pub(crate) fn audit_policy(self) -> bool {
        self.gt(2)
    }
    pub(crate) fn hide_disable_psp(self) -> bool {
        self.gt(11)
    }
    pub(crate) fn sans_from_endpoint(self) -> bool {
        !self.gt(11)
    }
    pub(crate) fn grub_use_uki_cmdline(self) -> bool {
        self.gt(11)
    }
    /// `KubeSpanMultidocConfig`: KubeSpan is its own document, and `machine.network` is no
    /// longer written empty for compatibility.
    pub(crate) fn kubespan_multidoc(self) -> bool {
        self.gt(12)
    }
    /// `MultidocKubernetesConfigSupported`: Kubernetes is configured by the `Kube*Config`
    /// documents; the v1alpha1 document keeps only the machine identity, the cluster token
    /// and etcd.
    pub(crate) fn multidoc_kubernetes(self) -> bool {
        self.gt(13)
    }
    /// `HostDNSMultidocConfig`: host DNS is `ResolverConfig.hostDNS`.
    pub(crate) fn host_dns_multidoc(self) -> bool {
        self.gt(13)
    }
    /// `DiscoveryServiceMultidocConfig` and `DiscoveryIdentityMultidocConfig`.
    pub(crate) fn discovery_multidoc(self) -> bool {
        self.gt(13)
    }
    /// `UnattendedInstallConfig`: the install disk is an `UnattendedInstallConfig` document.
    pub(crate) fn unattended_install(self) -> bool {
        self.gt(13)
    }
    /// `MultidocSysctlConfigSupported`: sysctls are a `SysctlConfig` document.
    pub(crate) fn multidoc_sysctl(self) -> bool {
        self.gt(13)
    }
    /// `FilesystemTrimEnabledByDefault` (with the secure `EPHEMERAL` mount).
    pub(crate) fn filesystem_trim_default(self) -> bool {
        self.gt(13)
    }
    /// `WorkloadIsolationEnabledByDefault`: a `SecurityProfileConfig` document.
    pub(crate) fn workload_isolation_default(self) -> bool {
        self.gt(13)
    }
    pub(crate) fn allow_scheduling_on_control_planes_key(self) -> &'static str {
        if self.gt(1) {
            "allowSchedulingOnControlPlanes"
        } else {
            "allowSchedulingOnMasters"
        }
    }
    pub(crate) fn discovery_kubernetes_disabled(self) -> bool {
        self.gt(1)
    }
}
