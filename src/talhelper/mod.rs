//! talhelper's `talconfig.yaml` as one codec: the key vocabulary, the reader (for `genconfig` and `import`) and the writer.
//!
//! How to add a talhelper key: add its row to its section in `keys/` (`nodes.rs`, `network.rs`, `machine.rs`) (name, kind, support,
//! the script option that says the same, notes); read it in that section's file under
//! `read/` through the row's constant (`r.opt_string(&item, interface::MTU)`), write it in
//! `write.rs` through the same constant, and, when the script language has the option,
//! let `script/unparse.rs` write it from the row's `script` name. A key that is read but not
//! yet modelled stays [`keys::Support::Unsupported`]: an error at its line saying so.

pub mod envref;
mod envsubst;
pub mod keys;
mod netwrite;
mod read;
pub mod write;
pub mod write_machine;

pub use netwrite::secret_var;

pub use envsubst::{
    DEFAULT_ENV_FILES, Env, EnvLineError, SubstError, Substituted, is_encrypted_env_file, is_sops,
    load_env_files, parse_env,
};
pub use read::{Talconfig, file_template, read_talconfig, read_with_keys, unrendered};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod upstream;
