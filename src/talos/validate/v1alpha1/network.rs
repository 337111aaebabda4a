//! The legacy `machine.network` checks: `interfaces` (devices, bonds, bridges, VLANs,
//! WireGuard, addressing, routes) and KubeSpan.

use super::super::gonet::{
    self, address_contains_port, is_subnet_or_address, parse_cidr, parse_ip, validate_ip_or_cidr,
};
use super::super::nethelpers;
use super::super::yamlx::{at, bool_at, int_at, q, seq_at, str_at, strs_at};
use crate::talos::GoError;
use crate::yaml::Yaml;

/// KubeSpan's link MTU, when enabled (`0` is the default 1420).
pub(super) fn kubespan_mtu(m: &Yaml, e: &mut Vec<String>) {
    if bool_at(m, "network.kubespan.enabled") == Some(true) {
        let mtu = match int_at(m, "network.kubespan.mtu") {
            0 => 1420,
            n => n,
        };
        if mtu < 1280 {
            e.push("kubespan link MTU must be at least 1280".into());
        }
    }
}

/// What KubeSpan needs from the cluster section, and its filters (v1.13 fixed the
/// "filer" typo and checks the excluded advertised networks).
pub(super) fn kubespan(c: &Yaml, m: &Yaml, minor: u32, e: &mut Vec<String>) {
    if bool_at(m, "network.kubespan.enabled") != Some(true) {
        return;
    }
    // v1.14 checks discovery and the cluster identity on the whole config.
    if minor < 14 {
        if bool_at(c, "cluster.discovery.enabled") != Some(true) {
            e.push(
                ".cluster.discovery should be enabled when .machine.network.kubespan is enabled"
                    .into(),
            );
        }
        if str_at(c, "cluster.id").is_empty() {
            e.push(".cluster.id should be set when .machine.network.kubespan is enabled".into());
        }
        if str_at(c, "cluster.secret").is_empty() {
            e.push(
                ".cluster.secret should be set when .machine.network.kubespan is enabled".into(),
            );
        }
    }
    for cidr in strs_at(m, "network.kubespan.filters.endpoints") {
        let cidr = cidr.strip_prefix('!').unwrap_or(&cidr);
        if !is_subnet_or_address(cidr) {
            let filter = if minor >= 13 { "filter" } else { "filer" };
            e.push(format!(
                "KubeSpan endpoint {filter} is not valid: {}",
                q(cidr)
            ));
        }
    }
    for cidr in strs_at(m, "network.kubespan.filters.excludeAdvertisedNetworks") {
        if super::super::gonet::netip_parse_prefix(&cidr).is_err() {
            e.push(format!(
                "KubeSpan exclude advertised networks filter is not valid: {}",
                q(&cidr)
            ));
        }
    }
}

/// The legacy `machine.network.interfaces` checks (both passes).
pub(super) fn legacy_network(m: &Yaml, w: &mut Vec<String>, e: &mut Vec<String>) {
    let devices = seq_at(m, "network.interfaces");
    let mut secondary: Vec<(String, String)> = Vec::new();
    for d in devices {
        let iface = str_at(d, "interface");
        let bond = at(d, "bond");
        let bridge = at(d, "bridge");
        if bond.is_some() && bridge.is_some() {
            e.push(format!(
                "interface has both bridge and bond sections set {}: config sections are mutually exclusive",
                q(&iface)
            ));
        }
        let mut members = Vec::new();
        if let Some(b) = bond {
            members = strs_at(b, "interfaces");
            if !members.is_empty() && !seq_at(b, "deviceSelectors").is_empty() {
                e.push(format!(
                    "interface {} has both interfaces and selectors set: config sections are mutually exclusive",
                    q(&iface)
                ));
            }
        }
        if let Some(b) = bridge {
            members = strs_at(b, "interfaces");
        }
        for member in members {
            match secondary.iter_mut().find(|(k, _)| *k == member) {
                Some((_, other)) => {
                    if *other != iface {
                        e.push(format!(
                            "interface {} is declared as part of two separate links: {} and {}",
                            q(&member),
                            q(other),
                            q(&iface)
                        ));
                    }
                    other.clone_from(&iface);
                }
                None => secondary.push((member, iface.clone())),
            }
        }
    }
    for d in devices {
        if bool_at(d, "ignore") == Some(true) {
            continue;
        }
        check_device_interface(d, e);
        check_device_addressing(d, &secondary, w, e);
        check_device_routes(d, e);
    }
}

fn check_device_interface(d: &Yaml, e: &mut Vec<String>) {
    let iface = str_at(d, "interface");
    let selector = at(d, "deviceSelector");
    const BOTH: &str = "[networking.os.device.interface], [networking.os.device.deviceSelector]";
    if iface.is_empty() && selector.is_none() {
        e.push(format!("{BOTH}: required either config section to be set"));
    } else if !iface.is_empty() && selector.is_some() {
        e.push(format!("{BOTH}: config sections are mutually exclusive"));
    }
    if let Some(sel) = selector {
        let empty = [
            "busPath",
            "hardwareAddr",
            "permanentAddr",
            "pciID",
            "driver",
        ]
        .iter()
        .all(|f| str_at(sel, f).is_empty())
            && at(sel, "physical").is_none();
        if empty {
            e.push("[networking.os.device.deviceSelector]: config section should contain at least one field".into());
        }
    }
    if let Some(b) = at(d, "bond") {
        check_bond(b, e);
    }
    if let Some(wg) = at(d, "wireguard") {
        check_wireguard(wg, e);
    }
    if at(d, "vlans").is_some() {
        for v in seq_at(d, "vlans") {
            let id = int_at(v, "vlanId");
            let cidr = str_at(v, "cidr");
            let addrs = strs_at(v, "addresses");
            if !addrs.is_empty() && !cidr.is_empty() {
                e.push(format!(
                    "[networking.os.device.vlan] {iface}.{id}: vlan can't have both .cidr and .addresses set"
                ));
            }
            if !cidr.is_empty()
                && let Err(err) = validate_ip_or_cidr(&cidr)
            {
                e.push(format!(
                    "[networking.os.device.vlan.CIDR] {iface}.{id}: {err}"
                ));
            }
            for a in &addrs {
                if let Err(err) = validate_ip_or_cidr(a) {
                    e.push(format!(
                        "[networking.os.device.vlan.addresses] {iface}.{id}: {err}"
                    ));
                }
            }
        }
    }
}

/// One of the `nethelpers.*ByName` lookups: `""` is the default value.
fn by_name(v: &str, allowed: &[&str], err: &str, e: &mut Vec<String>) {
    if !v.is_empty() && !allowed.contains(&v) {
        e.push(format!("{err} {v}"));
    }
}

/// `Bond` checks: the `nethelpers` names, then the options each mode allows.
fn check_bond(b: &Yaml, e: &mut Vec<String>) {
    let raw_mode = str_at(b, "mode");
    by_name(&raw_mode, nethelpers::BOND_MODES, "invalid bond type", e);
    // an unknown mode leaves the zero value, balance-rr
    let mode = if nethelpers::BOND_MODES.contains(&raw_mode.as_str()) && !raw_mode.is_empty() {
        raw_mode.clone()
    } else {
        "balance-rr".to_string()
    };
    for (field, allowed, err) in [
        (
            "xmitHashPolicy",
            nethelpers::BOND_XMIT_HASH_POLICIES,
            "invalid xmit hash policy",
        ),
        ("lacpRate", nethelpers::LACP_RATES, "invalid lacp rate"),
        (
            "arpValidate",
            nethelpers::ARP_VALIDATE,
            "invalid arp_validate mode",
        ),
        (
            "arpAllTargets",
            nethelpers::ARP_ALL_TARGETS,
            "invalid arp_all_targets mode",
        ),
        (
            "primaryReselect",
            nethelpers::PRIMARY_RESELECT,
            "invalid primary_reselect mode",
        ),
        (
            "failOverMac",
            nethelpers::FAIL_OVER_MAC,
            "invalid fail_over_mac value",
        ),
        ("adSelect", nethelpers::AD_SELECT, "invalid ad_select mode"),
    ] {
        by_name(&str_at(b, field), allowed, err, e);
    }
    check_bond_delays(b, e);
    check_bond_mode_options(b, &mode, e);
}

/// `upDelay`/`downDelay` against `miiMon`.
fn check_bond_delays(b: &Yaml, e: &mut Vec<String>) {
    let (mii, up, down) = (
        int_at(b, "miimon"),
        int_at(b, "updelay"),
        int_at(b, "downdelay"),
    );
    if mii == 0 {
        if up != 0 {
            e.push("bond.upDelay can't be set if miiMon is zero".into());
        }
        if down != 0 {
            e.push("bond.downDelay can't be set if miiMon is zero".into());
        }
    } else {
        if up % mii != 0 {
            e.push("bond.upDelay should be a multiple of miiMon".into());
        }
        if down % mii != 0 {
            e.push("bond.downDelay should be a multiple of miiMon".into());
        }
    }
}

/// The options only some bond modes take (and the ones Talos doesn't support at all).
fn check_bond_mode_options(b: &Yaml, mode: &str, e: &mut Vec<String>) {
    if !seq_at(b, "arpIPTarget").is_empty() {
        e.push("bond.arpIPTarget is not supported".into());
    }
    let ad = mode == "802.3ad";
    let alb_tlb = mode == "balance-alb" || mode == "balance-tlb";
    if !str_at(b, "lacpRate").is_empty() && !ad {
        e.push("bond.lacpRate is only available in 802.3ad mode".into());
    }
    if !str_at(b, "adActorSystem").is_empty() {
        e.push("bond.adActorSystem is not supported".into());
    }
    if (ad || alb_tlb) && !str_at(b, "arpValidate").is_empty() {
        e.push(format!("bond.arpValidate is not available in {mode} mode"));
    }
    if !(mode == "active-backup" || alb_tlb || str_at(b, "primary").is_empty()) {
        e.push(format!("bond.primary is not available in {mode} mode"));
    }
    if (ad || alb_tlb) && int_at(b, "arpInterval") > 0 {
        e.push(format!("bond.arpInterval is not available in {mode} mode"));
    }
    if mode != "balance-rr" && int_at(b, "packetsPerSlave") > 1 {
        e.push(format!(
            "bond.packetsPerSlave is not available in {mode} mode"
        ));
    }
    if !alb_tlb && int_at(b, "tlbDynamicLb") > 0 {
        e.push(format!(
            "bond.tlbDynamicTLB is not available in {mode} mode"
        ));
    }
    if !ad && int_at(b, "adActorSysPrio") > 0 {
        e.push("bond.adActorSysPrio is only available in 802.3ad mode".into());
    }
    if !ad && int_at(b, "adUserPortKey") > 0 {
        e.push("bond.adUserPortKey is only available in 802.3ad mode".into());
    }
}

/// Talos' wireguard key check: base64 of exactly 32 bytes.
fn wg_key(key: &str) -> Result<(), GoError> {
    let raw = gonet::go_base64(key)?;
    if raw.len() != 32 {
        return Err(format!("wrong key {} length: {}", q(key), raw.len()).into());
    }
    Ok(())
}

fn check_wireguard(wg: &Yaml, e: &mut Vec<String>) {
    if let Err(err) = wg_key(&str_at(wg, "privateKey")) {
        e.push(format!("private key is invalid: {err}"));
    }
    for peer in seq_at(wg, "peers") {
        if let Err(err) = wg_key(&str_at(peer, "publicKey")) {
            e.push(format!("public key invalid: {err}"));
        }
        let ep = str_at(peer, "endpoint");
        if !ep.is_empty() && !address_contains_port(&ep) {
            e.push(format!("peer endpoint {} is invalid", q(&ep)));
        }
        for ip in strs_at(peer, "allowedIPs") {
            if let Err(err) = parse_cidr(&ip) {
                e.push(format!("peer allowed IP {} is invalid: {err}", q(&ip)));
            }
        }
    }
}

fn check_device_addressing(
    d: &Yaml,
    secondary: &[(String, String)],
    w: &mut Vec<String>,
    e: &mut Vec<String>,
) {
    let iface = str_at(d, "interface");
    let cidr = str_at(d, "cidr");
    let addrs = strs_at(d, "addresses");
    let vip = at(d, "vip");
    if secondary.iter().any(|(k, _)| *k == iface)
        && (bool_at(d, "dhcp") == Some(true)
            || !cidr.is_empty()
            || !addrs.is_empty()
            || vip.is_some())
    {
        e.push(format!(
            "[networking.os.device] {}: bonded/bridged interface shouldn't have any addressing methods configured",
            q(&iface)
        ));
    }
    if !addrs.is_empty() && !cidr.is_empty() {
        e.push(format!(
            "[networking.os.device] {}: interface can't have both .cidr and .addresses set",
            q(&iface)
        ));
    }
    if !cidr.is_empty() {
        if let Err(err) = validate_ip_or_cidr(&cidr) {
            e.push(format!("[networking.os.device.CIDR] {}: {err}", q(&iface)));
        }
        w.push(format!(
            "{}: machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses",
            q(&iface)
        ));
    }
    for a in &addrs {
        if let Err(err) = validate_ip_or_cidr(a) {
            e.push(format!(
                "[networking.os.device.addresses] {}: {err}",
                q(&iface)
            ));
        }
    }
    if let Some(v) = vip {
        let ip = str_at(v, "ip");
        if parse_ip(&ip).is_none() {
            e.push(format!(
                "[networking.os.device.vip] failed to parse {} as IP address",
                q(&ip)
            ));
        }
    }
}

fn check_device_routes(d: &Yaml, e: &mut Vec<String>) {
    for (i, r) in seq_at(d, "routes").iter().enumerate() {
        let (net, gw, src) = (
            str_at(r, "network"),
            str_at(r, "gateway"),
            str_at(r, "source"),
        );
        if !net.is_empty() && parse_cidr(&net).is_err() {
            e.push(format!(
                "[networking.os.device.route[{i}].network] {}: invalid network address",
                q(&net)
            ));
        }
        if !gw.is_empty() && parse_ip(&gw).is_none() {
            e.push(format!(
                "[networking.os.device.route[{i}].gateway] {}: invalid network address",
                q(&gw)
            ));
        }
        if gw.is_empty() && net.is_empty() {
            e.push(format!(
                "[networking.os.device.route[{i}]]: either network or gateway should be set"
            ));
        }
        if !src.is_empty() && parse_ip(&src).is_none() {
            e.push(format!(
                "[networking.os.device.route[{i}].source] {}: invalid network address",
                q(&src)
            ));
        }
    }
}
