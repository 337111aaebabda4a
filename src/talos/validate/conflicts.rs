//! `container.New`: one v1alpha1 document, no two documents with the same `Kind/name`,
//! and link kinds that may not share a name (`conflicting documents: …`).

use super::decode::Doc;
use crate::talos::GoError;
use std::collections::{HashMap, HashSet};

/// Link kinds that conflict pairwise on the same name (`network/link.go`
/// `conflictingLinkKinds`: VRF from v1.13, veth from v1.14; a config of an older Talos has
/// no such documents).
const LINK_KINDS: &[&str] = &[
    "BondConfig",
    "BridgeConfig",
    "DummyLinkConfig",
    "LinkConfig",
    "VethConfig",
    "VLANConfig",
    "VRFConfig",
    "WireguardConfig",
];

fn conflicts_with(kind: &str) -> Vec<&'static str> {
    if LINK_KINDS.contains(&kind) {
        return LINK_KINDS.iter().copied().filter(|k| *k != kind).collect();
    }
    match kind {
        "Layer2VIPConfig" => vec!["HCloudVIPConfig"],
        "HCloudVIPConfig" => vec!["Layer2VIPConfig"],
        // block/user_volume_config.go, existing_volume_config.go
        "UserVolumeConfig" => vec!["ExistingVolumeConfig"],
        "ExistingVolumeConfig" => vec!["UserVolumeConfig"],
        _ => Vec::new(),
    }
}

/// Builds the container's view of the documents, failing like Talos on the first problem.
pub(super) fn check(docs: &[Doc]) -> Result<(), GoError> {
    let mut have_v1 = false;
    // Sets, not lists: a config of n documents must not cost n² comparisons.
    let mut seen: HashSet<String> = HashSet::new();
    // Document id → the latest earlier document it would conflict with.
    let mut conflicting: HashMap<String, GoError> = HashMap::new();
    for d in docs {
        if d.is_v1alpha1() {
            if have_v1 {
                return Err("duplicate v1alpha1.Config".into());
            }
            have_v1 = true;
            continue;
        }
        let id = d.container_id();
        if seen.contains(&id) {
            return Err(format!("duplicate document: {id}").into());
        }
        seen.insert(id.clone());
        if let Some(other) = conflicting.get(&id) {
            return Err(format!("conflicting documents: {other} and {id}").into());
        }
        for kind in conflicts_with(&d.kind) {
            let cid = format!("{kind}/{}", d.name.as_deref().unwrap_or(""));
            if seen.contains(&cid) {
                return Err(format!("conflicting documents: {cid} and {id}").into());
            }
            conflicting.insert(cid, GoError(id.clone()));
        }
    }
    Ok(())
}
