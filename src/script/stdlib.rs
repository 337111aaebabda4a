//! The Rhai standard library embedded in the binary (`import "talos" as talos;`).

/// One embedded module.
#[derive(Debug, Clone, Copy)]
pub(super) struct StdlibModule {
    /// Import name.
    pub name: &'static str,
    /// Rhai source.
    pub source: &'static str,
}

/// Every embedded module, by import name.
pub(super) const STDLIB: &[StdlibModule] = &[StdlibModule {
    name: "talos",
    source: include_str!("../../stdlib/talos.rhai"),
}];

/// Looks up an embedded module.
pub(crate) fn find(name: &str) -> Option<&'static StdlibModule> {
    STDLIB.iter().find(|m| m.name == name)
}
