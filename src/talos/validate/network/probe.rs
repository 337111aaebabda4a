//! `TCPProbeConfig` (`types/network/tcp_probe.go`, new in v1.13).

use super::super::found::Found;
use super::super::godur;
use super::super::yamlx::{int_at, str_at};
use crate::yaml::Yaml;

/// `TCPProbeConfigV1Alpha1.Validate` and `CommonProbeConfig.Validate`.
pub(super) fn tcp(v: &Yaml, name: &str, f: &mut Found) {
    if name.is_empty() {
        f.err("probe name is required");
    }
    if str_at(v, "endpoint").is_empty() {
        f.err("TCP probe endpoint is required");
    }
    let negative = |key: &str| godur::parse(&str_at(v, key)).filter(|n| *n < 0);
    if let Some(n) = negative("timeout") {
        f.err(format!(
            "TCP probe timeout cannot be negative: {}",
            godur::format(n)
        ));
    }
    if let Some(n) = negative("interval") {
        f.err(format!(
            "probe interval cannot be negative: {}",
            godur::format(n)
        ));
    }
    let threshold = int_at(v, "failureThreshold");
    if threshold < 0 {
        f.err(format!(
            "probe failure threshold cannot be negative: {threshold}"
        ));
    }
}
