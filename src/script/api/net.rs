//! `ip()` and `cidr()` values with arithmetic and membership, so scripts loop over addresses.

use super::{HostResult, raise_nopos};
use crate::model::{Cidr, ip_add, parse_ip};
use crate::script::builder::HostError;
use crate::script::values::{CidrVal, IpVal};
use rhai::Engine;

fn parse_ip_arg(s: &str) -> HostResult<IpVal> {
    match parse_ip(s) {
        Some(ip) => Ok(IpVal(ip)),
        None => raise_nopos(
            HostError::new(format!("invalid IP address `{s}`"))
                .hint("write an IPv4 or IPv6 address, e.g. `ip(\"10.25.11.10\")`"),
        ),
    }
}

fn parse_cidr_arg(s: &str) -> HostResult<CidrVal> {
    match Cidr::parse(s) {
        Some(c) => Ok(CidrVal(c)),
        None => raise_nopos(
            HostError::new(format!("invalid CIDR `{s}`"))
                .hint("write an address with a prefix length, e.g. `cidr(\"10.25.11.0/24\")`"),
        ),
    }
}

fn add(ip: IpVal, n: i64) -> HostResult<IpVal> {
    match ip_add(ip.0, i128::from(n)) {
        Some(v) => Ok(IpVal(v)),
        None => raise_nopos(HostError::new(format!(
            "`{} + {n}` is outside the address range",
            ip.0
        ))),
    }
}

fn host(c: CidrVal, n: i64) -> HostResult<IpVal> {
    let out = u128::try_from(n).ok().and_then(|n| c.0.host(n));
    match out {
        Some(ip) => Ok(IpVal(ip)),
        None => raise_nopos(
            HostError::new(format!("host {n} is outside `{}`", c.0)).hint(format!(
                "`{}` has hosts 0..{}",
                c.0,
                c.0.size().saturating_sub(1)
            )),
        ),
    }
}

pub(super) fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<IpVal>("IP")
        .register_fn("ip", |s: &str| parse_ip_arg(s))
        .register_fn("ip", |ip: IpVal| ip)
        .register_fn("+", add)
        .register_fn("+", |n: i64, ip: IpVal| add(ip, n))
        .register_fn("-", |ip: IpVal, n: i64| add(ip, -n))
        .register_fn("==", |a: IpVal, b: IpVal| a == b)
        .register_fn("!=", |a: IpVal, b: IpVal| a != b)
        .register_fn("<", |a: IpVal, b: IpVal| a.0 < b.0)
        .register_fn(">", |a: IpVal, b: IpVal| a.0 > b.0)
        .register_fn("to_string", |ip: &mut IpVal| ip.to_string())
        .register_fn("to_debug", |ip: &mut IpVal| format!("ip(\"{ip}\")"))
        .register_fn("+", |s: &str, ip: IpVal| format!("{s}{ip}"))
        .register_fn("+", |ip: IpVal, s: &str| format!("{ip}{s}"))
        .register_get("is_ipv4", |ip: &mut IpVal| ip.0.is_ipv4())
        .register_type_with_name::<CidrVal>("CIDR")
        .register_fn("cidr", |s: &str| parse_cidr_arg(s))
        .register_fn("host", host)
        .register_fn("contains", |c: CidrVal, ip: IpVal| c.0.contains(ip.0))
        .register_fn("contains", |c: CidrVal, s: &str| {
            parse_ip_arg(s).map(|ip| c.0.contains(ip.0))
        })
        .register_fn("overlaps", |a: CidrVal, b: CidrVal| a.0.overlaps(&b.0))
        .register_get("network", |c: &mut CidrVal| IpVal(c.0.network()))
        .register_get("prefix", |c: &mut CidrVal| i64::from(c.0.prefix))
        .register_fn("==", |a: CidrVal, b: CidrVal| a == b)
        .register_fn("to_string", |c: &mut CidrVal| c.to_string())
        .register_fn("to_debug", |c: &mut CidrVal| format!("cidr(\"{c}\")"))
        .register_fn("+", |s: &str, c: CidrVal| format!("{s}{c}"))
        .register_fn("+", |c: CidrVal, s: &str| format!("{c}{s}"));
}
