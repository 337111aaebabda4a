//! Reading talhelper's `talconfig.yaml` into the model (for `genconfig` and `import`).

mod envsubst;
mod import;
mod read;

pub use envsubst::{DEFAULT_ENV_FILES, Env, load_env_files, parse_env};
pub use import::script_for;
pub use read::{Talconfig, read_talconfig};
