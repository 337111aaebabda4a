//! The documents Talos v1.14 added (v1.14.0-rc.1): the `Kube*Config` family ([`docs`],
//! [`network`]), their conflicts with the deprecated v1alpha1 sections ([`conflicts`]) and
//! the PEM checks of their certificates ([`pem`]).

mod conflicts;
mod docs;
mod network;
mod pem;

pub(super) use conflicts::conflict;
pub(super) use docs::validate;
