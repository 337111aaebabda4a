//! Generated files nothing makes any more: of a node or patch the script dropped, or of a
//! cluster its script no longer declares. Only files a state file records, never the
//! secrets bundle.

use super::render::Rendered;
use super::state::{STATE_FILE, State};
use crate::script::Evaluated;
use std::path::{Component, Path, PathBuf};

/// The files `old` records under `dir` that exist (the caller drops what the run writes).
pub(super) fn of_cluster(dir: &Path, old: &State) -> Vec<PathBuf> {
    old.files
        .iter()
        .cloned()
        .chain(old.configs.keys().map(|k| format!("clusterconfig/{k}")))
        .filter_map(|rel| recorded(dir, &rel))
        .collect()
}

/// A recorded path under `dir`, when it is plain (no `..`, not absolute: a hand-edited
/// state file cannot point elsewhere), is not the bundle, and is a file on disk.
fn recorded(dir: &Path, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    if !p.components().all(|c| matches!(c, Component::Normal(_)))
        || p.file_name()? == super::secrets::TALSECRET
    {
        return None;
    }
    let full = dir.join(p);
    full.symlink_metadata()
        .is_ok_and(|m| m.is_file())
        .then_some(full)
}

/// Clusters under the run's output base whose state names one of the run's scripts but
/// which that script no longer declares: their generated files (the bundle is kept, and
/// the operator told so).
pub(super) fn of_removed_clusters(
    rendered: &Rendered,
    loaded: &Evaluated,
) -> (Vec<PathBuf>, Vec<String>) {
    let scripts: Vec<&str> = rendered
        .clusters
        .iter()
        .map(|c| c.script.as_str())
        .collect();
    let names: Vec<&str> = loaded
        .fleet
        .clusters
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let (mut removed, mut notices) = (Vec::new(), Vec::new());
    let Ok(rd) = std::fs::read_dir(&rendered.layout.base) else {
        return (removed, notices);
    };
    let mut dirs: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for d in dirs {
        let name = d
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let dir = d.join("talos");
        let state_path = dir.join("clusterconfig").join(STATE_FILE);
        if names.contains(&name.as_str()) || !state_path.is_file() {
            continue;
        }
        let state = State::read(&state_path);
        if state.script.is_empty() || !scripts.contains(&state.script.as_str()) {
            continue;
        }
        let mut files = of_cluster(&dir, &state);
        for extra in [
            "clusterconfig/talosconfig",
            &format!("clusterconfig/{STATE_FILE}"),
        ] {
            files.extend(recorded(&dir, extra));
        }
        let bundle = dir.join(super::secrets::TALSECRET);
        let mut note = format!(
            "cluster `{name}` is no longer declared by `{}`: its generated files are removed",
            state.script
        );
        if bundle.exists() {
            note.push_str(&format!(
                "; its secrets bundle `{}` is kept (remove it yourself once the cluster is gone for good)",
                crate::fs::shown(&bundle)
            ));
        }
        notices.push(note);
        removed.extend(files);
    }
    (removed, notices)
}
