//! Host-level network documents (`types/network/{hostname,static_host,layer2_vip,hcloud_vip,
//! dhcp4,dhcp6,time_sync}.go`).

use super::super::found::Found;
use super::super::gonet::netip_parse_addr;
use super::super::yamlx::{at, q, seq_at, str_at};
use crate::yaml::Yaml;

/// `DHCPv4Config`/`DHCPv6Config`: the DUID pairing.
pub(super) fn dhcp(v: &Yaml, f: &mut Found) {
    let duid = !str_at(v, "duidRaw").is_empty();
    let is_duid = str_at(v, "clientIdentifier").eq_ignore_ascii_case("duid");
    if duid && !is_duid {
        f.err("duidRaw can only be set if clientIdentifier is 'duid'");
    }
    if is_duid && !duid {
        f.err("duidRaw must be set if clientIdentifier is 'duid'");
    }
}

/// `Layer2VIPConfig`/`HCloudVIPConfig`.
pub(super) fn vip(kind: &str, v: &Yaml, name: &str, f: &mut Found) {
    if name.is_empty() {
        f.err("name must be specified");
    } else if let Err(err) = netip_parse_addr(name) {
        f.err(format!("name must be a valid IP address: {err}"));
    }
    if str_at(v, "link").is_empty() {
        f.err("link must be specified");
    }
    if kind == "HCloudVIPConfig" && str_at(v, "apiToken").is_empty() {
        f.err("apiToken must be specified");
    }
}

/// `HostnameConfigV1Alpha1.Validate`; v1.13 accepts an explicit `auto: off` without a
/// hostname (v1.12 asked for one whenever auto was off).
pub(super) fn hostname(v: &Yaml, minor: u32, f: &mut Found) {
    let auto = str_at(v, "auto").to_lowercase();
    let auto_off = auto.is_empty() || auto == "off";
    let host = str_at(v, "hostname");
    let unset = if minor >= 13 {
        at(v, "auto").is_none()
    } else {
        auto_off
    };
    if unset && host.is_empty() {
        f.err("either 'auto' or 'hostname' must be set");
    }
    if !auto_off && !host.is_empty() {
        f.err("'auto' and 'hostname' cannot be set at the same time");
    }
    if !auto_off && auto != "stable" {
        f.err(format!("invalid value for 'auto': {auto}"));
    }
    if !host.is_empty() {
        if host.len() > 253 {
            f.err(format!("fqdn is too long: {}", host.len()));
        }
        let label = host.split('.').next().unwrap_or("");
        if label.is_empty() || label.len() > 63 {
            f.err(format!("invalid hostname {}", q(label)));
        }
    }
}

/// `StaticHostConfigV1Alpha1.Validate`.
pub(super) fn static_host(v: &Yaml, name: &str, f: &mut Found) {
    if name.is_empty() {
        f.err("name is required");
    }
    if netip_parse_addr(name).is_err() {
        f.err("name must be a valid IP address");
    }
    if seq_at(v, "hostnames").is_empty() {
        f.err("at least one hostname is required");
    }
}

/// `TimeSyncConfigV1Alpha1.Validate`.
pub(super) fn time_sync(v: &Yaml, f: &mut Found) {
    if super::super::godur::parse(&str_at(v, "bootTimeout")).is_some_and(|n| n < 0) {
        f.err("bootTimeout cannot be negative");
    }
    if at(v, "ntp").is_some() && at(v, "ptp").is_some() {
        f.err("only one of ntp or ptp configuration can be specified");
    }
}
