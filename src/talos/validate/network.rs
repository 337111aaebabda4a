//! `Validate` of the multi-document kinds (`types/network`, `types/cri`) and their
//! `V1Alpha1ConflictValidate` cross-checks against the legacy document.

use super::decode::Doc;
use super::gonet::{netip_parse_addr, netip_parse_prefix, url_parse};
use super::yamlx::{at, bool_at, int_at, seq_at, str_at, strs_at};
use crate::yaml::Yaml;
use std::net::IpAddr;

/// The errors of one document's `Validate` (joined with newlines by the caller, as
/// `errors.Join` prints them). Kinds without checks give none.
pub(super) fn validate_doc(d: &Doc) -> Vec<String> {
    let v = &d.value;
    let mut e = Vec::new();
    let name = str_at(v, "name");
    let need_name = |e: &mut Vec<String>| {
        if name.is_empty() {
            e.push("name must be specified".to_string());
        }
    };
    match d.kind.as_str() {
        "LinkConfig" | "BridgeConfig" | "DummyLinkConfig" => {
            need_name(&mut e);
            common_link(v, &mut e);
        }
        "BondConfig" => {
            need_name(&mut e);
            bond(v, &mut e);
        }
        "VLANConfig" => {
            need_name(&mut e);
            vlan(v, &mut e);
        }
        "WireguardConfig" => {
            need_name(&mut e);
            wireguard(v, &mut e);
        }
        "DHCPv4Config" | "DHCPv6Config" => {
            need_name(&mut e);
            dhcp(v, &mut e);
        }
        "Layer2VIPConfig" | "HCloudVIPConfig" => vip(&d.kind, v, &name, &mut e),
        "HostnameConfig" => hostname(v, &mut e),
        "VolumeConfig" => e.extend(super::block::volume_config(v)),
        "UserVolumeConfig" => e.extend(super::block::user_volume_config(v)),
        "ExtensionServiceConfig" => e.extend(super::block::extension_service_config(v)),
        "LinkAliasConfig" => {
            need_name(&mut e);
            if str_at(v, "selector.match").is_empty() {
                e.push("link selector is required".into());
            }
        }
        "TimeSyncConfig" => time_sync(v, &mut e),
        "StaticHostConfig" => static_host(v, &name, &mut e),
        "RegistryMirrorConfig" => {
            need_name(&mut e);
            registry_mirror(v, &mut e);
        }
        _ => {}
    }
    e
}

fn bond(v: &Yaml, e: &mut Vec<String>) {
    if seq_at(v, "links").is_empty() {
        e.push("at least one link must be specified".into());
    }
    if at(v, "bondMode").is_none() {
        e.push("bond mode must be specified".into());
    }
    common_link(v, e);
}

fn vlan(v: &Yaml, e: &mut Vec<String>) {
    let id = int_at(v, "vlanID");
    if id == 0 || id > 4094 {
        e.push("vlanID must be specified and between 1 and 4094".into());
    }
    if str_at(v, "parent").is_empty() {
        e.push("parent must be specified".into());
    }
    if let Some(m) = at(v, "vlanMode")
        && !["802.1q", "802.1ad"].contains(&super::yamlx::scalar_text(m).to_lowercase().as_str())
    {
        e.push("vlanMode must be either '802.1q' or '802.1ad'".into());
    }
    common_link(v, e);
}

fn wireguard(v: &Yaml, e: &mut Vec<String>) {
    let key = str_at(v, "privateKey");
    if key.is_empty() {
        e.push("wireguard private key must be specified".into());
    } else if let Err(err) = wg_key(&key) {
        e.push(format!("wireguard private key is invalid: {err}"));
    }
    let port = int_at(v, "listenPort");
    if !(0..=65535).contains(&port) {
        e.push("wireguard listen port must be between 0 and 65535".into());
    }
    for (i, peer) in seq_at(v, "peers").iter().enumerate() {
        let pk = str_at(peer, "publicKey");
        if pk.is_empty() {
            e.push(format!(
                "wireguard peer public key must be specified (peer index {i})"
            ));
        } else if let Err(err) = wg_key(&pk) {
            e.push(format!(
                "wireguard peer public key is invalid (peer index {i}): {err}"
            ));
        }
        let psk = str_at(peer, "presharedKey");
        if !psk.is_empty()
            && let Err(err) = wg_key(&psk)
        {
            e.push(format!(
                "wireguard peer preshared key is invalid (peer index {i}): {err}"
            ));
        }
        if str_at(peer, "persistentKeepaliveInterval").starts_with('-') {
            e.push(format!(
                "wireguard peer persistent keepalive interval cannot be negative (peer index {i})"
            ));
        }
    }
    common_link(v, e);
}

fn dhcp(v: &Yaml, e: &mut Vec<String>) {
    let duid = !str_at(v, "duidRaw").is_empty();
    let is_duid = str_at(v, "clientIdentifier").eq_ignore_ascii_case("duid");
    if duid && !is_duid {
        e.push("duidRaw can only be set if clientIdentifier is 'duid'".into());
    }
    if is_duid && !duid {
        e.push("duidRaw must be set if clientIdentifier is 'duid'".into());
    }
}

fn vip(kind: &str, v: &Yaml, name: &str, e: &mut Vec<String>) {
    if name.is_empty() {
        e.push("name must be specified".into());
    } else if let Err(err) = netip_parse_addr(name) {
        e.push(format!("name must be a valid IP address: {err}"));
    }
    if str_at(v, "link").is_empty() {
        e.push("link must be specified".into());
    }
    if kind == "HCloudVIPConfig" && str_at(v, "apiToken").is_empty() {
        e.push("apiToken must be specified".into());
    }
}

fn time_sync(v: &Yaml, e: &mut Vec<String>) {
    let bt = str_at(v, "bootTimeout");
    if bt.starts_with('-') && bt.chars().any(|c| ('1'..='9').contains(&c)) {
        e.push("bootTimeout cannot be negative".into());
    }
    if at(v, "ntp").is_some() && at(v, "ptp").is_some() {
        e.push("only one of ntp or ptp configuration can be specified".into());
    }
}

fn static_host(v: &Yaml, name: &str, e: &mut Vec<String>) {
    if name.is_empty() {
        e.push("name is required".into());
    }
    if netip_parse_addr(name).is_err() {
        e.push("name must be a valid IP address".into());
    }
    if seq_at(v, "hostnames").is_empty() {
        e.push("at least one hostname is required".into());
    }
}

fn registry_mirror(v: &Yaml, e: &mut Vec<String>) {
    for (i, ep) in seq_at(v, "endpoints").iter().enumerate() {
        let url = str_at(ep, "url");
        if url.is_empty() {
            e.push(format!("endpoints[{i}].url must be specified"));
        } else if let Ok(u) = url_parse(&url, false)
            && u.scheme != "http"
            && u.scheme != "https"
        {
            e.push(format!(
                "endpoints[{i}].url has unsupported scheme: {}",
                super::yamlx::q(&u.scheme)
            ));
        }
    }
}

fn wg_key(key: &str) -> Result<(), String> {
    let raw = super::gonet::go_base64(key)?;
    if raw.len() != 32 {
        return Err("invalid wireguard key length".into());
    }
    Ok(())
}

fn unspecified(ip: IpAddr) -> bool {
    ip.is_unspecified()
}

/// `CommonLinkConfig.Validate`: addresses and routes (values already decoded, so they parse).
fn common_link(v: &Yaml, e: &mut Vec<String>) {
    for (i, a) in seq_at(v, "addresses").iter().enumerate() {
        let s = str_at(a, "address");
        match netip_parse_prefix(&s) {
            _ if s.is_empty() => e.push(format!("address {i} must be specified")),
            Err(_) => e.push(format!("address {i} must be a valid IP prefix")),
            Ok((ip, _)) if unspecified(ip) => {
                e.push(format!("address {i} must be a valid IP address"))
            }
            Ok(_) => {}
        }
    }
    for (i, r) in seq_at(v, "routes").iter().enumerate() {
        let dst = str_at(r, "destination");
        if !dst.is_empty() && netip_parse_prefix(&dst).is_ok_and(|(ip, _)| unspecified(ip)) {
            e.push(format!("route {i} destination must be a valid IP prefix"));
        }
        for (field, what) in [("gateway", "gateway"), ("source", "source")] {
            let s = str_at(r, field);
            if !s.is_empty() && netip_parse_addr(&s).is_ok_and(unspecified) {
                e.push(format!("route {i} {what} must be a valid IP address"));
            }
        }
    }
}

fn hostname(v: &Yaml, e: &mut Vec<String>) {
    let auto = str_at(v, "auto").to_lowercase();
    let auto_off = auto.is_empty() || auto == "off";
    let host = str_at(v, "hostname");
    if auto_off && host.is_empty() {
        e.push("either 'auto' or 'hostname' must be set".into());
    }
    if !auto_off && !host.is_empty() {
        e.push("'auto' and 'hostname' cannot be set at the same time".into());
    }
    if !auto_off && auto != "stable" {
        e.push(format!("invalid value for 'auto': {auto}"));
    }
    if !host.is_empty() {
        if host.len() > 253 {
            e.push(format!("fqdn is too long: {}", host.len()));
        }
        let label = host.split('.').next().unwrap_or("");
        if label.is_empty() || label.len() > 63 {
            e.push(format!("invalid hostname {}", super::yamlx::q(label)));
        }
    }
}

/// `V1Alpha1ConflictValidate` of hostname, resolver and time-sync documents.
pub(super) fn conflict_validate(d: &Doc, cfg: &Yaml) -> Option<String> {
    let net = at(cfg, "machine.network");
    match d.kind.as_str() {
        "VolumeConfig" => super::block::volume_conflict(&d.value, cfg),
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
