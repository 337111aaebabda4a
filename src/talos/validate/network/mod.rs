//! `Validate` of the network documents (`types/network`) and their
//! `V1Alpha1ConflictValidate` cross-checks against the legacy document.
//!
//! By group: [`link`] (link, bond, bridge, dummy, VLAN, VRF, ethernet), [`wireguard`],
//! [`host`] (hostname, static hosts, VIPs, DHCP, time sync), [`routing`] (blackhole routes,
//! routing rules), [`link_alias`], [`kubespan`], [`probe`], [`firewall`].

mod firewall;
mod host;
mod kubespan;
mod link;
mod link_alias;
mod probe;
mod routing;
mod wireguard;

use super::decode::Doc;
use super::found::Found;
use super::gonet::netip_parse_addr;
use super::yamlx::{at, bool_at, seq_at, str_at, strs_at};
use crate::yaml::Yaml;

/// The findings of a network document's `Validate`, `None` for other kinds. `minor` is the
/// Talos minor version whose rules apply (v1.13 added bond warnings and alias patterns).
pub(super) fn validate(kind: &str, v: &Yaml, minor: u32) -> Option<Found> {
    let name = str_at(v, "name");
    let mut f = Found::default();
    let named = |f: &mut Found| {
        if name.is_empty() {
            f.err("name must be specified");
        }
    };
    match kind {
        "LinkConfig" | "BridgeConfig" | "DummyLinkConfig" => {
            named(&mut f);
            link::common(v, &mut f);
        }
        "BondConfig" => {
            named(&mut f);
            link::bond(v, minor, &mut f);
        }
        "VLANConfig" => {
            named(&mut f);
            link::vlan(v, &mut f);
        }
        "VRFConfig" => {
            named(&mut f);
            link::vrf(v, &mut f);
        }
        "EthernetConfig" if name.is_empty() => f.err("name is required"),
        "WireguardConfig" => {
            named(&mut f);
            wireguard::validate(v, &mut f);
        }
        "DHCPv4Config" | "DHCPv6Config" => {
            named(&mut f);
            host::dhcp(v, &mut f);
        }
        "Layer2VIPConfig" | "HCloudVIPConfig" => host::vip(kind, v, &name, &mut f),
        "HostnameConfig" => host::hostname(v, minor, &mut f),
        "StaticHostConfig" => host::static_host(v, &name, &mut f),
        "TimeSyncConfig" => host::time_sync(v, &mut f),
        "LinkAliasConfig" => link_alias::validate(v, &name, minor, &mut f),
        "BlackholeRouteConfig" => routing::blackhole(&name, &mut f),
        "RoutingRuleConfig" => routing::rule(v, &name, &mut f),
        "KubeSpanConfig" => kubespan::validate(v, &mut f),
        "TCPProbeConfig" => probe::tcp(v, &name, &mut f),
        "NetworkRuleConfig" => firewall::rule(v, &name, &mut f),
        _ => return None,
    }
    Some(f)
}

/// `V1Alpha1ConflictValidate` of hostname, resolver and time-sync documents.
pub(super) fn conflict_validate(d: &Doc, cfg: &Yaml) -> Option<String> {
    let net = at(cfg, "machine.network");
    match d.kind.as_str() {
        "VolumeConfig" => super::block::volume_conflict(d.value, cfg),
        "KubeSpanConfig" => at(cfg, "machine.network.kubespan").map(|_| {
            "kubespan is already configured in v1alpha1 machine.network.kubespan".to_string()
        }),
        "HostnameConfig" => {
            if net.is_some_and(|n| !str_at(n, "hostname").is_empty()) {
                return Some("static hostname is already set in v1alpha1 config".into());
            }
            if bool_at(cfg, "machine.features.stableHostname") == Some(true) {
                return Some("stable hostname is already set in v1alpha1 config".into());
            }
            None
        }
        "ResolverConfig" => {
            let n = net?;
            if matches!(at(n, "searchDomains"), Some(Yaml::Seq(_))) {
                return Some(
                    ".machine.network.searchDomains is already set in v1alpha1 config".into(),
                );
            }
            if strs_at(n, "nameservers")
                .iter()
                .any(|s| netip_parse_addr(s).is_ok())
            {
                return Some(
                    ".machine.network.nameservers is already set in v1alpha1 config".into(),
                );
            }
            if bool_at(n, "disableSearchDomain") == Some(true) {
                return Some(
                    ".machine.network.disableSearchDomain is already set in v1alpha1 config".into(),
                );
            }
            None
        }
        "TimeSyncConfig" => {
            let t = at(cfg, "machine.time")?;
            if bool_at(t, "disabled") == Some(true) {
                return Some(
                    "time sync cannot be disabled in both v1alpha1 and new-style configuration"
                        .into(),
                );
            }
            if !seq_at(t, "servers").is_empty() {
                return Some(
                    "time servers cannot be specified in both v1alpha1 and new-style configuration"
                        .into(),
                );
            }
            let bt = str_at(t, "bootTimeout");
            if bt.chars().any(|c| ('1'..='9').contains(&c)) {
                return Some(
                    "boot timeout cannot be specified in both v1alpha1 and new-style configuration"
                        .into(),
                );
            }
            None
        }
        _ => None,
    }
}
