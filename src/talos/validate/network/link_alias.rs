//! `LinkAliasConfig` (`types/network/link_alias.go`): a CEL link selector, and (v1.13) an
//! alias pattern `name%d` numbering every matching link.

use super::super::found::Found;
use super::super::yamlx::{q, str_at};
use crate::talos::cel::{self, Env};
use crate::yaml::Yaml;

/// `LinkAliasConfigV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml, name: &str, minor: u32, f: &mut Found) {
    if name.is_empty() {
        f.err("name must be specified");
    } else if minor >= 13 && name.contains('%') {
        let (prefix, suffix) = name.split_once('%').unwrap_or((name, ""));
        if suffix != "d" || prefix.is_empty() {
            f.err(format!(
                "name {} contains an invalid format verb, use %d suffix",
                q(name)
            ));
        }
    }
    let selector = str_at(v, "selector.match");
    if selector.is_empty() {
        f.err("link selector is required");
    } else if let Err(e) = cel::check_bool(&selector, Env::LinkLocator) {
        f.err(format!("link selector is invalid: {e}"));
    }
}
