//! The script's own value types: `ip()` and `cidr()` values, registered with Rhai in `api::net`.

use crate::model::Cidr;
use std::fmt;
use std::net::IpAddr;

/// An IP address value in a script (`ip("10.25.11.10") + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct IpVal(pub(crate) IpAddr);

/// A CIDR value in a script (`cidr("10.25.11.0/24").host(11)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CidrVal(pub(crate) Cidr);

impl fmt::Display for IpVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for CidrVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
