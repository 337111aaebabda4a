//! The documents Talos v1.14 added (v1.14.0-rc.1): the `Kube*Config` family, discovery,
//! unattended install and the runtime documents `gen config` writes; their `Validate`
//! rules and their conflicts with the deprecated v1alpha1 sections ([`conflicts`]).

mod conflicts;

pub(super) use conflicts::conflict;
