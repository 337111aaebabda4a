//! Talos' own behaviour, pinned per version.
//!
//! - [`versions`]: the Talos minors talforge supports and what each pins (Kubernetes range,
//!   defaults); [`contract`]: the version contract's feature gates (`contract.go`).
//! - [`edition`]: which release's schema and struct table a config is read with;
//!   [`types`]: the Go struct table (field order, tags, types); [`schema`]: the
//!   JSON-schema loader; [`gokeys`]: the Go map key order; [`marshal`]: how Talos marshals
//!   a document by its Go types; [`goview`]: a config under its Go field names, as
//!   talhelper's templates read it.
//! - [`generate`] (`talosctl gen config` + talhelper), [`patch`] (configpatcher) and
//!   [`validate`] (`talosctl validate`) build on those.

pub(crate) mod cel;
pub(crate) mod contract;
pub(crate) mod edition;
mod goerror;
pub use contract::UnsupportedVersion;
pub use goerror::GoError;
pub mod generate;
pub mod gokeys;
pub mod goview;
pub(crate) mod marshal;
pub mod patch;
pub(crate) mod schema;
mod schema_fixes;
pub(crate) mod types;
pub mod validate;
pub mod versions;

pub use gokeys::go_key_cmp;
