//! `Validate` of the runtime documents (`types/runtime`, `types/runtime/extensions`): the
//! environment, event sink, kmsg log, watchdog and extension service configs; [`oom`].

mod oom;

use super::found::Found;
use super::godur;
use super::gonet::url_parse;
use super::yamlx::{at, q, seq_at, str_at};
use crate::talos::GoError;
use crate::yaml::Yaml;

/// The findings of a runtime document's `Validate`, `None` for other kinds.
pub(super) fn validate(kind: &str, v: &Yaml) -> Option<Found> {
    let mut f = Found::default();
    let first = match kind {
        "EnvironmentConfig" => {
            environment(v, &mut f);
            Ok(())
        }
        "EventSinkConfig" => split_host_port(&str_at(v, "endpoint"))
            .map_err(|e| format!("event sink endpoint: {e}").into()),
        "KmsgLogConfig" => kmsg_log(v),
        "WatchdogTimerConfig" => watchdog(v),
        "ExtensionServiceConfig" => extension_service(v),
        "OOMConfig" => {
            oom::validate(v, &mut f);
            Ok(())
        }
        _ => return None,
    };
    if let Err(e) = first {
        f.err(e);
    }
    Some(f)
}

/// `EnvironmentV1Alpha1.Validate`: POSIX.1 variable names.
fn environment(v: &Yaml, f: &mut Found) {
    let Some(Yaml::Map(vars)) = at(v, "variables") else {
        return;
    };
    for key in vars.keys() {
        let mut chars = key.chars();
        let valid = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            f.err(format!("invalid environment variable name: {}", q(key)));
        }
    }
}

/// Go's `net.SplitHostPort` error text (`address X: missing port in address`).
fn split_host_port(addr: &str) -> Result<(), GoError> {
    let fail = |why: &str| {
        Err(GoError(if addr.is_empty() {
            why.to_string()
        } else {
            format!("address {addr}: {why}")
        }))
    };
    let Some(colon) = addr.rfind(':') else {
        return fail("missing port in address");
    };
    if addr.starts_with('[') {
        let Some(end) = addr.find(']') else {
            return fail("missing ']' in address");
        };
        if end + 1 == addr.len() {
            return fail("missing port in address");
        }
        if end + 1 != colon {
            return fail(if addr[end + 1..].contains(':') {
                "too many colons in address"
            } else {
                "missing port in address"
            });
        }
        if addr[1..end].contains('[') || addr[end + 1..].contains(']') {
            return fail("unexpected '[' in address");
        }
        return Ok(());
    }
    if addr[..colon].contains(':') {
        return fail("too many colons in address");
    }
    if addr.contains('[') {
        return fail("unexpected '[' in address");
    }
    if addr.contains(']') {
        return fail("unexpected ']' in address");
    }
    Ok(())
}

/// `KmsgLogV1Alpha1.Validate`: a `tcp://` or `udp://` URL with a port and no path.
fn kmsg_log(v: &Yaml) -> Result<(), GoError> {
    if str_at(v, "name").is_empty() {
        return Err("name is required".into());
    }
    let raw = str_at(v, "url");
    let Ok(u) = url_parse(&raw, false)
        .map_err(|_| ())
        .and_then(|u| if raw.is_empty() { Err(()) } else { Ok(u) })
    else {
        return Err("url is required".into());
    };
    if u.scheme != "tcp" && u.scheme != "udp" {
        return Err("url scheme must be tcp:// or udp://".into());
    }
    if !matches!(u.path.as_str(), "" | "/") {
        return Err("url path must be empty".into());
    }
    if u.port().is_empty() {
        return Err("url port is required".into());
    }
    Ok(())
}

/// `WatchdogTimerV1Alpha1.Validate` (`MinWatchdogTimeout` is 10s).
fn watchdog(v: &Yaml) -> Result<(), GoError> {
    if str_at(v, "device").is_empty() {
        return Err("watchdog device: empty value".into());
    }
    let timeout = godur::parse(&str_at(v, "timeout")).unwrap_or(0);
    if timeout != 0 && timeout < 10_000_000_000 {
        return Err("watchdog timeout: minimum value is 10s".into());
    }
    Ok(())
}

/// `ServiceConfigV1Alpha1.Validate` (extension services): files or environment.
fn extension_service(v: &Yaml) -> Result<(), GoError> {
    let name = str_at(v, "name");
    if name.is_empty() {
        return Err("name is required".into());
    }
    let files = seq_at(v, "configFiles");
    if files.is_empty() && seq_at(v, "environment").is_empty() {
        return Err(format!("no config files found for extension {}", q(&name)).into());
    }
    for file in files {
        if str_at(file, "content").is_empty() {
            return Err(format!("extension content is required for extension {}", q(&name)).into());
        }
        if str_at(file, "mountPath").is_empty() {
            return Err(format!(
                "extension mount path is required for extension {}",
                q(&name)
            )
            .into());
        }
    }
    Ok(())
}
