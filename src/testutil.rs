//! Test helpers: locating the upstream oracle files in `../shared/oracle`.

use std::path::PathBuf;

/// Path of an oracle file under `../shared/oracle/`, or `None` (test should skip) when the
/// oracle is missing. With `TALFORGE_REQUIRE_ORACLE=1` a missing oracle panics instead.
pub(crate) fn oracle(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/oracle")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var("TALFORGE_REQUIRE_ORACLE").as_deref() != Ok("1"),
        "oracle file {} is missing and TALFORGE_REQUIRE_ORACLE=1",
        p.display()
    );
    eprintln!("skipping: oracle file {} is missing", p.display());
    None
}

/// Reads an oracle file as text (see [`oracle`]).
pub(crate) fn oracle_text(rel: &str) -> Option<String> {
    oracle(rel).map(|p| std::fs::read_to_string(&p).expect("oracle file is readable"))
}

/// The network document examples under `talos-examples/network/` (file stems).
pub(crate) const NETWORK_EXAMPLES: &[&str] = &[
    "bondconfig",
    "bridgeconfig",
    "dhcpv4config",
    "hostnameconfig",
    "layer2vipconfig",
    "linkaliasconfig",
    "linkconfig",
    "resolverconfig",
    "timesyncconfig",
    "vlanconfig",
];
