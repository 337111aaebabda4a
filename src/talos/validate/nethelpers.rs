//! Talos' `nethelpers` enums that the config decodes from text, with their accepted values
//! (shared by the decoder's type check and the legacy bond checks' `*ByName` lookups).

pub(super) use crate::model::{BOND_MODES, BOND_XMIT_HASH_POLICIES};

/// `LACPRate`.
pub(super) const LACP_RATES: &[&str] = &["slow", "fast"];
/// `ARPValidate`.
pub(super) const ARP_VALIDATE: &[&str] = &[
    "none",
    "active",
    "backup",
    "all",
    "filter",
    "filter-active",
    "filter-backup",
];
/// `ARPAllTargets`.
pub(super) const ARP_ALL_TARGETS: &[&str] = &["any", "all"];
/// `PrimaryReselect`.
pub(super) const PRIMARY_RESELECT: &[&str] = &["always", "better", "failure"];
/// `FailOverMAC`.
pub(super) const FAIL_OVER_MAC: &[&str] = &["none", "active", "follow"];
/// `ADSelect`.
pub(super) const AD_SELECT: &[&str] = &["stable", "bandwidth", "count"];

/// The accepted values of a `nethelpers.*` Go type decoded from text.
pub(super) fn values(go_type: &str) -> Option<&'static [&'static str]> {
    Some(match go_type {
        "nethelpers.BondMode" => BOND_MODES,
        "nethelpers.BondXmitHashPolicy" => BOND_XMIT_HASH_POLICIES,
        "nethelpers.LACPRate" => LACP_RATES,
        "nethelpers.ARPValidate" => ARP_VALIDATE,
        "nethelpers.ARPAllTargets" => ARP_ALL_TARGETS,
        "nethelpers.PrimaryReselect" => PRIMARY_RESELECT,
        "nethelpers.FailOverMAC" => FAIL_OVER_MAC,
        "nethelpers.ADSelect" => AD_SELECT,
        "nethelpers.ADLACPActive" => &["off", "on"],
        "nethelpers.AutoHostnameKind" => &["off", "talos-addr", "stable"],
        "nethelpers.ClientIdentifier" => &["none", "mac", "duid"],
        "nethelpers.VLANProtocol" => &["802.1q", "802.1ad"],
        _ => return None,
    })
}
