//! Upstream files round-trip byte for byte through parse → emit.

use super::*;
use crate::testutil::oracle_text;
use crate::yaml::parse_documents;

/// Upstream files written by Go encoders come back byte for byte from parse → emit.
#[test]
fn upstream_files_round_trip_byte_for_byte() {
    let mut files = vec![
        "talos-examples/gen-v1.12-base-controlplane.yaml".to_string(),
        "talos-examples/gen-v1.12-base-worker.yaml".to_string(),
    ];
    for n in crate::testutil::NETWORK_EXAMPLES {
        files.push(format!("talos-examples/network/{n}.yaml"));
    }
    for f in files {
        let Some(text) = oracle_text(&f) else { return };
        let docs: Vec<Yaml> = parse_documents(&text)
            .unwrap_or_else(|e| panic!("{f}: {e:?}"))
            .into_iter()
            .map(|d| d.value)
            .collect();
        let out = emit_documents(&docs, &EmitOptions { indent: 4 });
        assert_eq!(out, text, "{f}");
    }
}
