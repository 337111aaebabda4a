//! `WireguardConfig` (`types/network/wireguard.go`): keys, port and peers.

use super::super::found::Found;
use super::super::yamlx::{int_at, seq_at, str_at};
use crate::yaml::Yaml;

/// `WireguardConfigV1Alpha1.Validate` (after the name check).
pub(super) fn validate(v: &Yaml, f: &mut Found) {
    let key = str_at(v, "privateKey");
    if key.is_empty() {
        f.err("wireguard private key must be specified");
    } else if let Err(err) = wg_key(&key) {
        f.err(format!("wireguard private key is invalid: {err}"));
    }
    let port = int_at(v, "listenPort");
    if !(0..=65535).contains(&port) {
        f.err("wireguard listen port must be between 0 and 65535");
    }
    for (i, peer) in seq_at(v, "peers").iter().enumerate() {
        let pk = str_at(peer, "publicKey");
        if pk.is_empty() {
            f.err(format!(
                "wireguard peer public key must be specified (peer index {i})"
            ));
        } else if let Err(err) = wg_key(&pk) {
            f.err(format!(
                "wireguard peer public key is invalid (peer index {i}): {err}"
            ));
        }
        let psk = str_at(peer, "presharedKey");
        if !psk.is_empty()
            && let Err(err) = wg_key(&psk)
        {
            f.err(format!(
                "wireguard peer preshared key is invalid (peer index {i}): {err}"
            ));
        }
        if str_at(peer, "persistentKeepaliveInterval").starts_with('-') {
            f.err(format!(
                "wireguard peer persistent keepalive interval cannot be negative (peer index {i})"
            ));
        }
    }
    super::link::common(v, f);
}

fn wg_key(key: &str) -> Result<(), crate::talos::GoError> {
    let raw = super::super::gonet::go_base64(key)?;
    if raw.len() != 32 {
        return Err("invalid wireguard key length".into());
    }
    Ok(())
}
