//! The `.sops.yaml` rules of a run: the creation rules it wants at the repository root (added
//! when missing, never clobbered) and the recipients each encrypted file gets from them.

use super::Problem;
use crate::diag::Diagnostic;
use crate::diag::IntoDiagnostic;
use crate::fs::OutFile;
use crate::model::Cluster;
use crate::secrets::rules::{self, SopsConfig};
use crate::secrets::sops::EncryptOptions;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The rules as they will be after this run: the root `.sops.yaml` this run writes (in
/// memory) and any nearer ones on disk.
#[derive(Debug, Clone)]
pub(crate) struct SopsRules {
    root: PathBuf,
    root_cfg: Option<Arc<SopsConfig>>,
    /// The `.sops.yaml` found for each directory asked about: every config of a cluster lives
    /// in one directory, so the walk up and the reading happen once per run, not per node.
    nearest: Arc<Mutex<HashMap<PathBuf, Nearest>>>,
}

type Nearest = Result<Option<Arc<SopsConfig>>, rules::RulesError>;

impl SopsRules {
    /// Reads `.sops.yaml` at `root` and adds the rules the clusters need; returns the rules
    /// and the file to write when its text changes.
    pub(crate) fn ensure(
        clusters: &[Cluster],
        base: &Path,
        root: &Path,
    ) -> Result<(SopsRules, Option<OutFile>), Problem> {
        let sops_path = root.join(rules::CONFIG_NAME);
        let existing = super::existing(&sops_path)?;
        let wanted = wanted_rules(clusters, base, root);
        let (text, file) = match rules::try_ensure_rules(existing.as_deref(), &wanted) {
            Ok(Some(text)) => (
                text.clone(),
                Some(OutFile::new(sops_path.clone(), text, 0o644)),
            ),
            Ok(None) => (existing.unwrap_or_default(), None),
            Err(e) => return Err(e.into_problem()),
        };
        let rules = SopsRules {
            root: root.to_path_buf(),
            root_cfg: rules::parse(&text, &sops_path).ok().map(Arc::new),
            nearest: Arc::default(),
        };
        Ok((rules, file))
    }

    /// Recipients and sops options for an output file, from the nearest `.sops.yaml`.
    pub(crate) fn for_file(&self, file: &Path) -> Result<(Vec<String>, EncryptOptions), Problem> {
        let cfg = self.nearest(file).map_err(IntoDiagnostic::into_problem)?;
        let Some(cfg) = cfg else {
            return Err(Diagnostic::error(format!(
                "no `.sops.yaml` applies to `{}`",
                file.display()
            ))
            .with_hint("set `age: \"age1...\"` in `cluster()` so talforge adds the creation rules")
            .into());
        };
        cfg.options_for(file).map_err(IntoDiagnostic::into_problem)
    }

    /// The `.sops.yaml` that applies to `file`: the nearest one walking up, where the root
    /// one is the in-memory text this run writes.
    fn nearest(&self, file: &Path) -> Nearest {
        let dir = file.parent().unwrap_or(Path::new("."));
        let cache = |m: &Mutex<HashMap<PathBuf, Nearest>>| {
            m.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(dir)
                .cloned()
        };
        if let Some(found) = cache(&self.nearest) {
            return found;
        }
        let found = self.walk_up(dir);
        self.nearest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(dir.to_path_buf(), found.clone());
        found
    }

    fn walk_up(&self, dir: &Path) -> Nearest {
        for d in dir.ancestors() {
            if d == self.root {
                return Ok(self.root_cfg.clone());
            }
            let p = d.join(rules::CONFIG_NAME);
            if p.is_file() {
                return rules::load(&p).map(|c| Some(Arc::new(c)));
            }
        }
        Ok(self.root_cfg.clone())
    }
}

/// The creation rules every run wants: the talsecret rule and one for the encrypted configs
/// under the output base, for every recipient the scripts name.
fn wanted_rules(clusters: &[Cluster], base: &Path, root: &Path) -> Vec<(String, String)> {
    let mut recipients: Vec<String> = Vec::new();
    for c in clusters {
        for r in &c.sops.age {
            if !recipients.contains(r) {
                recipients.push(r.clone());
            }
        }
    }
    if recipients.is_empty() {
        return Vec::new();
    }
    let rel = base
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let configs = if rel.is_empty() {
        r"[^/]+/talos/clusterconfig/.*\.sops\.yaml$".to_string()
    } else {
        format!(
            r"{}/.*/talos/clusterconfig/.*\.sops\.yaml$",
            regex::escape(&rel)
        )
    };
    let age = recipients.join(",");
    vec![
        (r".*talsecret\.sops\.yaml$".to_string(), age.clone()),
        (configs, age),
    ]
}
