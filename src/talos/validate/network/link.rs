//! Link documents (`types/network/{link,bond,bridge,dummy,vlan,vrf}.go`): their own rules and
//! `CommonLinkConfig.Validate` (addresses and routes).

use super::super::found::Found;
use super::super::gonet::{netip_parse_addr, netip_parse_prefix};
use super::super::yamlx::{at, int_at, scalar_text, seq_at, str_at};
use crate::yaml::Yaml;

/// `BondConfigV1Alpha1.Validate` (the 802.3ad timer warnings are new in v1.13).
pub(super) fn bond(v: &Yaml, minor: u32, f: &mut Found) {
    if seq_at(v, "links").is_empty() {
        f.err("at least one link must be specified");
    }
    match at(v, "bondMode") {
        None => f.err("bond mode must be specified"),
        Some(m) if minor >= 13 && scalar_text(m) == "802.3ad" => {
            for (key, what) in [
                ("miimon", "miimon"),
                ("updelay", "updelay"),
                ("downdelay", "downdelay"),
            ] {
                if at(v, key).is_none() {
                    f.warnings
                        .push(format!("{what} was not specified for 802.3ad bond"));
                }
            }
        }
        Some(_) => {}
    }
    common(v, f);
}

/// `VLANConfigV1Alpha1.Validate`.
pub(super) fn vlan(v: &Yaml, f: &mut Found) {
    let id = int_at(v, "vlanID");
    if id == 0 || id > 4094 {
        f.err("vlanID must be specified and between 1 and 4094");
    }
    if str_at(v, "parent").is_empty() {
        f.err("parent must be specified");
    }
    if let Some(m) = at(v, "vlanMode")
        && !["802.1q", "802.1ad"].contains(&scalar_text(m).to_lowercase().as_str())
    {
        f.err("vlanMode must be either '802.1q' or '802.1ad'");
    }
    common(v, f);
}

/// `VRFConfigV1Alpha1.Validate` (v1.13): the reserved routing tables are refused.
pub(super) fn vrf(v: &Yaml, f: &mut Found) {
    let table = routing_table(at(v, "table"));
    if ["unspec", "default", "main", "local"].contains(&table.as_str()) {
        f.err(format!("cannot create vrf with reserved table {table}"));
    }
    common(v, f);
}

/// `nethelpers.RoutingTable.String()` of a decoded table (a name or a number).
pub(super) fn routing_table(t: Option<&Yaml>) -> String {
    match t.map(scalar_text).as_deref() {
        None | Some("" | "0") => "unspec".into(),
        Some("253") => "default".into(),
        Some("254") => "main".into(),
        Some("255") => "local".into(),
        Some(other) => other.to_string(),
    }
}

/// `CommonLinkConfig.Validate`: addresses and routes (values already decoded, so they parse).
pub(super) fn common(v: &Yaml, f: &mut Found) {
    for (i, a) in seq_at(v, "addresses").iter().enumerate() {
        let s = str_at(a, "address");
        match netip_parse_prefix(&s) {
            _ if s.is_empty() => f.err(format!("address {i} must be specified")),
            Err(_) => f.err(format!("address {i} must be a valid IP prefix")),
            Ok((ip, _)) if ip.is_unspecified() => {
                f.err(format!("address {i} must be a valid IP address"));
            }
            Ok(_) => {}
        }
    }
    for (i, r) in seq_at(v, "routes").iter().enumerate() {
        let dst = str_at(r, "destination");
        if !dst.is_empty() && netip_parse_prefix(&dst).is_ok_and(|(ip, _)| ip.is_unspecified()) {
            f.err(format!("route {i} destination must be a valid IP prefix"));
        }
        for field in ["gateway", "source"] {
            let s = str_at(r, field);
            if !s.is_empty() && netip_parse_addr(&s).is_ok_and(|ip| ip.is_unspecified()) {
                f.err(format!("route {i} {field} must be a valid IP address"));
            }
        }
    }
}
