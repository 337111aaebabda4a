//! The ledger of Talos' validation tests: every upstream `Validate` test function of
//! `pkg/machinery/config/types/` at the tags talforge's contracts come from, how many cases
//! it has upstream, and the ported table that replays them. One test runs them all, checks
//! that each table holds exactly upstream's cases and that every one gives Talos' exact
//! message, and prints the count (`cargo test --lib upstream::count -- --nocapture`).
//!
//! Upstream counts are the `name:` entries of each test function's table, as
//! `scripts/talos-test-tables.py count GITDIR TAG` prints them (`TestPortRange/Validate` is a
//! subtest that script does not list: 5 cases). Beyond `types/`: `container_test.go` (the
//! duplicate/conflict assertions, one per `EqualError`/`NoError`) and the `TestDecoder` cases
//! on Talos' own kinds (its other 14 register mock kinds; not counted).

use super::count_v1_14::V1_14_0_RC_1;
use super::{Case, Conflict, block, check_conflicts, check_for, cri, k8s, network, runtime};
use super::{container_v13, test_validate, v1alpha1};

/// (Go test file and function, its upstream case count, the ported check: (cases, failures)).
pub(super) type Entry = (&'static str, usize, fn() -> (usize, Vec<String>));

pub(super) fn table(kind: &str, minor: u32, cases: &[Case]) -> (usize, Vec<String>) {
    (cases.len(), check_for(kind, minor, cases))
}

fn conflicts(kind: &str, cases: &[Conflict]) -> (usize, Vec<String>) {
    (cases.len(), check_conflicts(kind, cases))
}

/// The ported conflict table of a Kubernetes document kind.
pub(super) fn k8s_conflicts(kind: &str) -> (usize, Vec<String>) {
    let (_, cases) = k8s::CONFLICTS
        .iter()
        .find(|(k, _)| *k == kind)
        .unwrap_or_else(|| panic!("no conflict table for {kind}"));
    conflicts(kind, cases)
}

/// Talos v1.13.9 (`types/{block,cri,network,runtime,security,siderolink,v1alpha1}`).
const V1_13_9: &[Entry] = &[
    (
        "block/existing_volume_config_test.go TestExistingVolumeConfigValidate",
        4,
        || table("ExistingVolumeConfig", 13, block::EXISTING_VOLUME),
    ),
    (
        "block/external_volume_config_test.go TestExternalVolumeConfigValidate",
        6,
        || table("ExternalVolumeConfig", 13, block::EXTERNAL_VOLUME),
    ),
    (
        "block/raw_volume_config_test.go TestRawVolumeConfigValidate",
        10,
        || table("RawVolumeConfig", 13, block::RAW_AND_SWAP),
    ),
    (
        "block/swap_volume_config_test.go TestSwapVolumeConfigValidate",
        10,
        || table("SwapVolumeConfig", 13, block::RAW_AND_SWAP),
    ),
    (
        "block/user_volume_config_test.go TestUserVolumeConfigValidate",
        20,
        || table("UserVolumeConfig", 13, block::USER_VOLUME),
    ),
    (
        "block/volume_config_test.go TestVolumeConfigValidate",
        10,
        || table("VolumeConfig", 13, block::VOLUME),
    ),
    (
        "block/zswap_config_test.go TestZswapVolumeConfigValidate",
        3,
        || table("ZswapConfig", 13, block::ZSWAP),
    ),
    (
        "cri/registry_auth_test.go TestRegistryAuthConfigValidate",
        3,
        || table("RegistryAuthConfig", 13, cri::AUTH),
    ),
    (
        "cri/registry_mirror_test.go TestRegistryMirrorConfigValidate",
        5,
        || table("RegistryMirrorConfig", 13, cri::MIRROR),
    ),
    (
        "cri/registry_tls_test.go TestRegistryTLSConfigValidate",
        3,
        cri::check_tls,
    ),
    (
        "network/blackhole_route_test.go TestBlackholeRouteConfigValidate",
        3,
        || table("BlackholeRouteConfig", 13, network::BLACKHOLE_ROUTE),
    ),
    ("network/bond_test.go TestBondValidate", 4, || {
        table("BondConfig", 13, network::BOND)
    }),
    ("network/bridge_test.go TestBridgeValidate", 3, || {
        table("BridgeConfig", 13, network::BRIDGE)
    }),
    ("network/dhcp4_test.go TestDHCPv4ConfigValidate", 4, || {
        table("DHCPv4Config", 13, network::DHCP)
    }),
    ("network/dhcp6_test.go TestDHCPv6ConfigValidate", 4, || {
        table("DHCPv6Config", 13, network::DHCP)
    }),
    ("network/ethernet_test.go TestEthernetValidate", 2, || {
        table("EthernetConfig", 13, network::ETHERNET)
    }),
    (
        "network/hcloud_vip_test.go TestHCloudVIPValidate",
        4,
        || table("HCloudVIPConfig", 13, network::HCLOUD_VIP),
    ),
    (
        "network/hostname_test.go TestHostnameConfigValidate",
        10,
        || table("HostnameConfig", 13, network::HOSTNAME),
    ),
    (
        "network/hostname_test.go TestHostnameV1Alpha1Validate",
        3,
        || conflicts("HostnameConfig", network::HOSTNAME_CONFLICTS),
    ),
    (
        "network/kubespan_test.go TestKubeSpanConfigValidate",
        7,
        || table("KubeSpanConfig", 13, network::KUBESPAN),
    ),
    (
        "network/kubespan_test.go TestKubeSpanConfigConflictValidate",
        2,
        || conflicts("KubeSpanConfig", network::KUBESPAN_CONFLICTS),
    ),
    (
        "network/layer2_vip_test.go TestLayer2VIPValidate",
        4,
        || table("Layer2VIPConfig", 13, network::LAYER2_VIP),
    ),
    (
        "network/link_alias_test.go TestLinkAliasValidate",
        8,
        || table("LinkAliasConfig", 13, network::LINK_ALIAS),
    ),
    ("network/link_test.go TestLinkValidate", 3, || {
        table("LinkConfig", 13, network::LINK)
    }),
    (
        "network/port_range_test.go TestPortRange/Validate",
        5,
        || table("NetworkRuleConfig", 13, network::PORT_RANGES),
    ),
    (
        "network/resolver_test.go TestResolverV1Alpha1Validate",
        4,
        || conflicts("ResolverConfig", network::RESOLVER_CONFLICTS),
    ),
    (
        "network/routing_rule_test.go TestRoutingRuleConfigValidate",
        11,
        || table("RoutingRuleConfig", 13, network::ROUTING_RULE),
    ),
    (
        "network/rule_config_test.go TestRuleConfigValidate",
        5,
        || table("NetworkRuleConfig", 13, network::RULE),
    ),
    (
        "network/static_host_test.go TestHostConfigValidate",
        4,
        || table("StaticHostConfig", 13, network::STATIC_HOST),
    ),
    (
        "network/tcp_probe_test.go TestTCPProbeConfigValidate",
        5,
        || table("TCPProbeConfig", 13, network::TCP_PROBE),
    ),
    ("network/time_sync_test.go TestTimeSyncValidate", 4, || {
        table("TimeSyncConfig", 13, network::TIME_SYNC)
    }),
    (
        "network/time_sync_test.go TestTimeSyncV1Alpha1Validate",
        4,
        || conflicts("TimeSyncConfig", network::TIME_SYNC_CONFLICTS),
    ),
    ("network/vlan_test.go TestVLANValidate", 5, || {
        table("VLANConfig", 13, network::VLAN)
    }),
    ("network/vrf_test.go TestVRFValidate", 6, || {
        table("VRFConfig", 13, network::VRF)
    }),
    ("network/wireguard_test.go TestWireguardValidate", 5, || {
        table("WireguardConfig", 13, network::WIREGUARD)
    }),
    (
        "runtime/environment_test.go TestEnvironmentValidate",
        5,
        || table("EnvironmentConfig", 13, runtime::ENVIRONMENT),
    ),
    (
        "runtime/event_sink_test.go TestEventSinkValidate",
        3,
        || table("EventSinkConfig", 13, runtime::EVENT_SINK),
    ),
    ("runtime/kmsg_log_test.go TestKmsgLogValidate", 7, || {
        table("KmsgLogConfig", 13, runtime::KMSG_LOG)
    }),
    ("runtime/oom_test.go TestOOMValidate", 2, || {
        table("OOMConfig", 13, runtime::OOM)
    }),
    (
        "runtime/watchdog_timer_test.go TestWatchdogTimerValidate",
        4,
        || table("WatchdogTimerConfig", 13, runtime::WATCHDOG),
    ),
    (
        "security/image_verification_test.go TestImageVerificationConfigValidate",
        11,
        || table("ImageVerificationConfig", 13, runtime::IMAGE_VERIFICATION),
    ),
    ("siderolink/siderolink_test.go TestValidate", 4, || {
        table("SideroLinkConfig", 13, runtime::SIDEROLINK)
    }),
    (
        "v1alpha1/v1alpha1_validation_test.go TestValidate",
        64,
        || test_validate::check(test_validate::V1_13_9, 13),
    ),
    ("../container/container_test.go TestNewDuplicate", 2, || {
        container_v13::check("TestNewDuplicate")
    }),
    ("../container/container_test.go TestNewConflict", 3, || {
        container_v13::check("TestNewConflict")
    }),
    ("../container/container_test.go TestValidate", 7, || {
        container_v13::check("TestValidate")
    }),
    (
        "../container/container_test.go TestCrossValidateEncryption",
        5,
        || container_v13::check("TestCrossValidateEncryption"),
    ),
    (
        "../configloader/internal/decoder/decoder_test.go TestDecoder",
        4,
        container_v13::check_decoder,
    ),
    (
        "v1alpha1/v1alpha1_validation_test.go TestValidateCNI",
        16,
        v1alpha1::check_cni,
    ),
];

/// Why the on-machine cases are not replayed.
const ON_MACHINE: &str = "on-machine validation (no `validation.WithLocal()`); talosctl validate always passes WithLocal, and so does talforge";

/// Upstream validation cases talforge does not replay: (tag, test, cases, why).
const NOT_PORTED: &[(&str, &str, usize, &str)] = &[
    (
        "v1.13.9",
        "v1alpha1/v1alpha1_validation_test.go TestRuntimeValidate",
        4,
        "RuntimeValidate runs on the node against its state (talosctl validate does not call it); talforge's offline counterpart is the Kubernetes-range warning",
    ),
    (
        "v1.14.0-rc.1",
        "k8s/apiserver_test.go TestKubeAPIServerConfigValidate",
        2,
        ON_MACHINE,
    ),
    (
        "v1.14.0-rc.1",
        "k8s/controller_manager_test.go TestKubeControllerManagerConfigValidate",
        2,
        ON_MACHINE,
    ),
    (
        "v1.14.0-rc.1",
        "k8s/kubelet_test.go TestKubeletConfigValidate",
        1,
        ON_MACHINE,
    ),
    (
        "v1.14.0-rc.1",
        "k8s/proxy_test.go TestKubeProxyConfigValidate",
        2,
        ON_MACHINE,
    ),
    (
        "v1.14.0-rc.1",
        "k8s/scheduler_test.go TestKubeSchedulerConfigValidate",
        2,
        ON_MACHINE,
    ),
];

/// How many of a test's upstream cases are deliberately not replayed.
fn excluded(tag: &str, test: &str) -> usize {
    NOT_PORTED
        .iter()
        .filter(|(t, name, _, _)| *t == tag && *name == test)
        .map(|(_, _, n, _)| n)
        .sum()
}

/// Runs a ledger: (upstream cases, ported cases, cases that differ, problems).
fn audit(tag: &str, entries: &[Entry]) -> (usize, usize, usize, Vec<String>) {
    let (mut upstream, mut ported, mut differ, mut problems) = (0, 0, 0, Vec::new());
    for (test, want, check) in entries {
        let (n, failed) = check();
        upstream += want;
        ported += n;
        differ += failed.len();
        let skipped = excluded(tag, test);
        if n + skipped != *want {
            problems.push(format!(
                "{tag} {test}: {n} cases ported and {skipped} not, upstream has {want}"
            ));
        }
        problems.extend(failed.into_iter().map(|f| format!("{tag} {test}: {f}")));
    }
    (upstream, ported, differ, problems)
}

#[test]
fn every_upstream_validation_case_is_ported_with_talos_exact_message() {
    let mut problems = Vec::new();
    for (tag, entries) in [("v1.13.9", V1_13_9), ("v1.14.0-rc.1", V1_14_0_RC_1)] {
        let (listed, ported, differ, p) = audit(tag, entries);
        // Tests without a ported table (their cases are all in NOT_PORTED).
        let unlisted: usize = NOT_PORTED
            .iter()
            .filter(|e| e.0 == tag && !entries.iter().any(|x| x.0 == e.1))
            .map(|e| e.2)
            .sum();
        let skipped: usize = NOT_PORTED.iter().filter(|e| e.0 == tag).map(|e| e.2).sum();
        eprintln!(
            "Talos {tag}: {} upstream validation cases; {ported} ported, {} exact; {skipped} not ported",
            listed + unlisted,
            ported.saturating_sub(differ)
        );
        problems.extend(p);
    }
    for (tag, test, n, why) in NOT_PORTED {
        eprintln!("  not ported: {tag} {test} ({n}): {why}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
