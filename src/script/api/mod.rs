//! Host functions and types registered on the engine: `cluster()`, `node()`, IPs, CIDRs, patches.

mod cluster;
mod devices;
mod env;
mod extras;
mod image;
mod link;
mod net;
mod node;
mod patch;
mod patch_file;
mod storage;

pub(crate) use crate::script::values::{CidrVal, IpVal};
pub(crate) use cluster::Target;

use super::builder::{HostError, Shared};
use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext, Position};

/// Result type of host functions.
pub(crate) type HostResult<T> = Result<T, Box<EvalAltResult>>;

/// Wraps a [`HostError`] for Rhai at the call position.
pub(crate) fn raise<T>(ctx: &NativeCallContext, err: HostError) -> HostResult<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(err),
        ctx.call_position(),
    )))
}

/// Wraps a [`HostError`] for Rhai without a position (filled in by Rhai).
pub(crate) fn raise_nopos<T>(err: HostError) -> HostResult<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(err),
        Position::NONE,
    )))
}

/// Registers every host type and function.
pub(crate) fn register(engine: &mut Engine, shared: &Shared) {
    net::register(engine);
    cluster::register(engine, shared);
    node::register(engine, shared);
    storage::register(engine);
    devices::register(engine);
    env::register(engine, shared);
}
