//! Reading talhelper's `talconfig.yaml` into the model (for `genconfig` and `import`).

mod envsubst;
mod read;
pub mod write;

pub use envsubst::{DEFAULT_ENV_FILES, Env, load_env_files, parse_env};
pub use read::{Talconfig, read_talconfig};
