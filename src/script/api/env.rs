//! `env(name)`: a value from the environment or the talenv files beside the script, kept a
//! reference (`${NAME}`) in every tracked file `run` writes.

use super::{HostResult, raise};
use crate::model::{EnvVar, record_env_var};
use crate::script::builder::{HostError, Shared};
use rhai::{Engine, NativeCallContext};

/// The value of `name`, recorded as read; `None` when it is unset or empty (talhelper's
/// strict substitution refuses both).
fn lookup(ctx: &NativeCallContext, shared: &Shared, name: &str) -> HostResult<Option<String>> {
    let mut b = shared.lock();
    let env = match b.env() {
        Ok(e) => e,
        Err(e) => return raise(ctx, e),
    };
    let Some(value) = env.get(name).filter(|v| !v.is_empty()).map(str::to_string) else {
        return Ok(None);
    };
    let secret = env.is_secret(name);
    record_env_var(
        &mut b.env_used,
        EnvVar {
            name: name.to_string(),
            value: value.clone(),
            secret,
        },
    );
    Ok(Some(value))
}

fn env(ctx: &NativeCallContext, shared: &Shared, name: &str) -> HostResult<String> {
    if let Some(v) = lookup(ctx, shared, name)? {
        return Ok(v);
    }
    let set_but_empty = shared.lock().env().ok().and_then(|e| e.get(name)).is_some();
    raise(
        ctx,
        HostError::new(if set_but_empty {
            format!("environment variable `{name}` is set but empty")
        } else {
            format!("environment variable `{name}` is not set")
        })
        .hint(format!(
            "set it in the environment or in `talenv.yaml` / `talenv.sops.yaml` beside the script, or give a default: `env(\"{name}\", \"...\")`"
        )),
    )
}

pub(super) fn register(engine: &mut Engine, shared: &Shared) {
    let s = shared.clone();
    engine.register_fn("env", move |ctx: NativeCallContext, name: &str| {
        env(&ctx, &s, name)
    });
    let s = shared.clone();
    engine.register_fn(
        "env",
        move |ctx: NativeCallContext, name: &str, default: &str| -> HostResult<String> {
            Ok(lookup(&ctx, &s, name)?.unwrap_or_else(|| default.to_string()))
        },
    );
}
