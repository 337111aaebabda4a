//! `KubeNetworkConfigV1Alpha1.Validate` (`types/k8s/network.go`, v1.14.0-rc.1): per-node
//! mask sizes, pod and service subnet sizes, dual-stack counts.

use super::super::found::Found;
use super::super::gonet::netip_parse_prefix;
use super::super::yamlx::{int_at, scalar_text, seq_at};
use crate::talos::GoError;
use crate::yaml::Yaml;
use std::net::IpAddr;

/// `minSubnetHostBits`.
const MIN_HOST_BITS: u32 = 4;
/// `constants.MaxHostBitsForServiceSubnet`.
const MAX_SERVICE_HOST_BITS: u32 = 20;
/// `constants.PodSubnetNodeMaskMaxDiff`.
const POD_MASK_MAX_DIFF: i64 = 16;

/// A prefix as `netip.Prefix` holds it: address (as written) and bits.
#[derive(Clone, Copy)]
struct Prefix {
    addr: IpAddr,
    bits: u32,
}

impl Prefix {
    fn bit_len(self) -> u32 {
        if self.addr.is_ipv4() { 32 } else { 128 }
    }

    fn masked(self) -> IpAddr {
        match self.addr {
            IpAddr::V4(a) => {
                let m = if self.bits == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.bits)
                };
                IpAddr::V4((u32::from(a) & m).into())
            }
            IpAddr::V6(a) => {
                let m = if self.bits == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.bits)
                };
                IpAddr::V6((u128::from(a) & m).into())
            }
        }
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.bits)
    }
}

fn mask_size(v: &Yaml, key: &str, default: i64) -> i64 {
    match int_at(v, key) {
        0 => default,
        n => n,
    }
}

pub(super) fn validate(v: &Yaml, f: &mut Found) {
    let v4 = int_at(v, "nodeCIDRMaskSizeIPv4");
    let v6 = int_at(v, "nodeCIDRMaskSizeIPv6");
    let v4_ok = v4 == 0 || (1..=32).contains(&v4);
    let v6_ok = v6 == 0 || (1..=128).contains(&v6);
    if !v4_ok {
        f.err("nodeCIDRMaskSizeIPv4 must be between 1 and 32");
    }
    if !v6_ok {
        f.err("nodeCIDRMaskSizeIPv6 must be between 1 and 128");
    }
    let (mask4, mask6) = (
        mask_size(v, "nodeCIDRMaskSizeIPv4", 24),
        mask_size(v, "nodeCIDRMaskSizeIPv6", 64),
    );
    let pod_size = |p: Prefix| -> Result<(), GoError> {
        let (mask, ok) = if p.addr.is_ipv6() {
            (mask6, v6_ok)
        } else {
            (mask4, v4_ok)
        };
        if !ok {
            return Ok(());
        }
        let bits = i64::from(p.bits);
        if bits > mask {
            return Err(format!(
                "invalid subnet: {p} is smaller than the per-node pod CIDR mask size /{mask}"
            )
            .into());
        }
        if mask - bits > POD_MASK_MAX_DIFF {
            return Err(format!(
                "invalid subnet: {p} is too large for the per-node pod CIDR mask size /{mask}, the difference must be at most {POD_MASK_MAX_DIFF} bits"
            ).into());
        }
        Ok(())
    };
    let service_size = |p: Prefix| -> Result<(), GoError> {
        let host = p.bit_len() - p.bits;
        if host > MAX_SERVICE_HOST_BITS {
            return Err(format!(
                "invalid subnet: {p} is too large, it must be at least /{} (at most {MAX_SERVICE_HOST_BITS} host identifier bits)",
                p.bit_len() - MAX_SERVICE_HOST_BITS
            ).into());
        }
        Ok(())
    };
    let pods = seq_at(v, "podSubnets");
    let services = seq_at(v, "serviceSubnets");
    if let Err(e) = subnets(pods, &pod_size) {
        f.err(format!("pod subnets: {e}"));
    }
    if let Err(e) = subnets(services, &service_size) {
        f.err(format!("service subnets: {e}"));
    }
    if pods.len() != services.len() {
        f.err("the number of pod subnets must match the number of service subnets");
    }
}

/// `validateSubnets`: one or two, at most one per family, each a masked CIDR of a usable size.
fn subnets(items: &[Yaml], size: &dyn Fn(Prefix) -> Result<(), GoError>) -> Result<(), GoError> {
    if items.is_empty() {
        return Err("at least one subnet must be specified".into());
    }
    if items.len() > 2 {
        return Err("at most two subnets can be specified for dual-stack clusters".into());
    }
    let (mut n4, mut n6) = (0, 0);
    for item in items {
        let text = scalar_text(item);
        let Ok((addr, bits)) = netip_parse_prefix(&text) else {
            return Err(format!("invalid subnet: {text}").into());
        };
        let p = Prefix { addr, bits };
        if p.masked() != p.addr {
            return Err(format!("invalid subnet: {p} is not a valid CIDR").into());
        }
        if p.bit_len() - p.bits < MIN_HOST_BITS {
            return Err(format!(
                "invalid subnet: /{} is too small, it must be larger than /{}",
                p.bits,
                i64::from(p.bits) - i64::from(MIN_HOST_BITS)
            )
            .into());
        }
        size(p)?;
        if p.addr.is_ipv4() {
            n4 += 1;
        } else {
            n6 += 1;
        }
    }
    if n4 > 1 || n6 > 1 {
        return Err(
            "at most one IPv4 and one IPv6 subnet can be specified for dual-stack clusters".into(),
        );
    }
    Ok(())
}
