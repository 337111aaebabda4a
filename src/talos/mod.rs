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

/// Starts building the newest stable edition's schema index and struct table (and the
/// official extension lists) on a thread of their own, so they are ready when the first
/// config renders: they cost as much as evaluating a small script, which runs meanwhile on
/// one core while the other would idle. Whoever needs a table first waits for it (the
/// `OnceLock`s), so nothing depends on this having finished.
pub fn warm_up() {
    let spawned = std::thread::Builder::new()
        .name("warm-up".into())
        .spawn(|| {
            let e = edition::Edition::for_version(None);
            schema::warm(e);
            types::warm(e);
            crate::factory::extensions::warm();
        });
    // Without a thread the tables are built where they are first needed, as before.
    drop(spawned);
}
