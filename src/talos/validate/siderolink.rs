//! `SideroLinkConfig` (`types/siderolink/siderolink.go`): the Omni API URL.

use super::found::Found;
use super::gonet::url_parse;
use super::yamlx::str_at;
use crate::yaml::Yaml;

/// The findings of `SideroLinkConfig`'s `Validate`, `None` for other kinds.
pub(super) fn validate(kind: &str, v: &Yaml) -> Option<Found> {
    if kind != "SideroLinkConfig" {
        return None;
    }
    let mut f = Found::default();
    let raw = str_at(v, "apiUrl");
    match url_parse(&raw, false) {
        _ if raw.is_empty() => f.err("apiUrl is required"),
        Err(_) => f.err("apiUrl is required"),
        Ok(u) if u.scheme != "https" && u.scheme != "grpc" => {
            f.err("apiUrl scheme must be https:// or grpc://");
        }
        Ok(u) if !matches!(u.path.as_str(), "" | "/") => f.err("apiUrl path must be empty"),
        Ok(_) => {}
    }
    Some(f)
}
