//! Talos' own behaviour, pinned per version: `gen config` ([`generate`]), the configpatcher
//! ([`patch`]), `talosctl validate` ([`validate`]) and the Go key order ([`gokeys`]).

pub mod generate;
pub mod gokeys;
pub mod patch;
pub mod validate;

pub use gokeys::{go_key_cmp, go_key_less};
