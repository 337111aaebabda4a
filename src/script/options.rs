//! Checked option maps: unknown keys with "did you mean", typed getters with clear messages.

use super::builder::HostError;
use crate::diag::closest;
use crate::model::{Cidr, parse_ip};
use rhai::{Dynamic, Map};
use std::net::IpAddr;

/// An option map being read; every key must be one of `allowed`.
pub(crate) struct Options {
    what: &'static str,
    map: Map,
}

type R<T> = Result<T, HostError>;

impl Options {
    /// Checks the keys of `map` against `allowed` (`what` names the map in messages, e.g.
    /// `node`).
    pub(crate) fn new(what: &'static str, map: Map, allowed: &[&str]) -> R<Options> {
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let mut err =
                    HostError::new(format!("unknown {what} option `{key}`")).focus(key.as_str());
                err = match closest(key, allowed.iter().copied()) {
                    Some(c) => err.hint(format!("did you mean `{c}`?")),
                    None => err.hint(format!("valid options: {}", quoted_list(allowed))),
                };
                return Err(err);
            }
        }
        Ok(Options { what, map })
    }

    fn get(&self, key: &str) -> Option<&Dynamic> {
        self.map.get(key).filter(|v| !v.is_unit())
    }

    fn type_err(&self, key: &str, expected: &str, got: &Dynamic) -> HostError {
        HostError::new(format!(
            "{} option `{key}` must be {expected}, got {}",
            self.what,
            type_name(got)
        ))
        .focus(key)
    }

    pub(crate) fn bool(&self, key: &str) -> R<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .map_err(|_| self.type_err(key, "a boolean", v)),
        }
    }

    pub(crate) fn string(&self, key: &str) -> R<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) if v.is_string() => Ok(Some(v.to_string())),
            Some(v) => Err(self.type_err(key, "a string", v)),
        }
    }

    /// A string that must be one of `choices`.
    pub(crate) fn choice(&self, key: &str, choices: &[&str]) -> R<Option<String>> {
        let Some(s) = self.string(key)? else {
            return Ok(None);
        };
        if choices.contains(&s.as_str()) {
            return Ok(Some(s));
        }
        let mut err =
            HostError::new(format!("invalid {} `{key}` value `{s}`", self.what)).focus(key);
        err = match closest(&s, choices.iter().copied()) {
            Some(c) => err.hint(format!("did you mean `{c}`?")),
            None => err.hint(format!("expected one of {}", quoted_list(choices))),
        };
        Err(err)
    }

    /// An integer in `min..=max`.
    pub(crate) fn int(&self, key: &str, min: i64, max: i64) -> R<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => {
                let i = v
                    .as_int()
                    .map_err(|_| self.type_err(key, "an integer", v))?;
                if !(min..=max).contains(&i) {
                    return Err(HostError::new(format!(
                        "{} option `{key}` is {i}, outside {min}..={max}",
                        self.what
                    ))
                    .focus(key));
                }
                Ok(Some(i))
            }
        }
    }

    /// An unsigned 32-bit integer.
    pub(crate) fn u32(&self, key: &str) -> R<Option<u32>> {
        Ok(self.int(key, 0, i64::from(u32::MAX))?.map(|i| i as u32))
    }

    /// A list of strings (a single string is accepted as a one-element list).
    pub(crate) fn strings(&self, key: &str) -> R<Vec<String>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(v) if v.is_string() => Ok(vec![v.to_string()]),
            Some(v) if v.is_array() => {
                let arr = v.clone().into_array().unwrap_or_default();
                arr.iter()
                    .map(|item| {
                        if item.is_string()
                            || item.is::<super::api::IpVal>()
                            || item.is::<super::api::CidrVal>()
                        {
                            Ok(item.to_string())
                        } else {
                            Err(self.type_err(key, "a list of strings", item))
                        }
                    })
                    .collect()
            }
            Some(v) => Err(self.type_err(key, "a list of strings", v)),
        }
    }

    /// An IP address given as `ip(...)` or a string.
    pub(crate) fn ip(&self, key: &str) -> R<Option<IpAddr>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => to_ip(v).map(Some).map_err(|e| e.focus(key)),
        }
    }

    /// A list of IP addresses.
    pub(crate) fn ips(&self, key: &str) -> R<Vec<IpAddr>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(v) if v.is_array() => v
                .clone()
                .into_array()
                .unwrap_or_default()
                .iter()
                .map(|i| to_ip(i).map_err(|e| e.focus(key)))
                .collect(),
            Some(v) => Ok(vec![to_ip(v).map_err(|e| e.focus(key))?]),
        }
    }

    /// A list of CIDRs (`cidr(...)` values or strings).
    pub(crate) fn cidrs(&self, key: &str) -> R<Vec<Cidr>> {
        self.strings(key)?
            .iter()
            .map(|s| {
                Cidr::parse(s).ok_or_else(|| {
                    HostError::new(format!("invalid CIDR `{s}` in `{key}`"))
                        .focus(key)
                        .hint("write an address with a prefix length, e.g. `10.42.0.0/16`")
                })
            })
            .collect()
    }

    /// A nested map.
    pub(crate) fn map(&self, key: &str) -> R<Option<Map>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) if v.is_map() => Ok(v.clone().try_cast::<Map>()),
            Some(v) => Err(self.type_err(key, "a map", v)),
        }
    }

    /// A raw value.
    pub(crate) fn raw(&self, key: &str) -> Option<Dynamic> {
        self.get(key).cloned()
    }
}

/// An IP from `ip(...)` or a string.
pub(crate) fn to_ip(v: &Dynamic) -> R<IpAddr> {
    if let Some(ip) = v.clone().try_cast::<super::api::IpVal>() {
        return Ok(ip.0);
    }
    if v.is_string() {
        let s = v.to_string();
        return parse_ip(&s).ok_or_else(|| {
            HostError::new(format!("invalid IP address `{s}`"))
                .hint("write an IPv4 or IPv6 address, e.g. `10.25.11.11`")
        });
    }
    Err(HostError::new(format!(
        "expected an IP address, got {}",
        type_name(v)
    )))
}

/// Rhai-facing type name of a value.
pub(crate) fn type_name(v: &Dynamic) -> String {
    if v.is::<super::api::IpVal>() {
        return "an IP".into();
    }
    if v.is::<super::api::CidrVal>() {
        return "a CIDR".into();
    }
    let t = v.type_name();
    match t {
        "i64" => "an integer".into(),
        "f64" => "a float".into(),
        "bool" => "a boolean".into(),
        "string" | "ImmutableString" => "a string".into(),
        "array" => "an array".into(),
        "map" => "a map".into(),
        "()" => "nothing".into(),
        other => format!("`{}`", other.rsplit("::").next().unwrap_or(other)),
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
