//! `:render` and `:diff`: the files a run would write, compared with the disk; encrypted
//! files compare decrypted, and secrets are never printed (YAML goes through
//! `secrets::redact` on both sides, so neither changed nor context lines show one).

use super::{diff, view};
use crate::diag::Diagnostic;
use crate::diag::plural;
use crate::fs::{self, Change};
use crate::pipeline::Plan;
use crate::secrets::keys::Identities;
use crate::secrets::redact::redact;
use crate::secrets::sops;
use std::path::Path;

/// A path as the user sees it: relative to the working directory when under it.
fn shown(p: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = fs::absolute(p);
    abs.strip_prefix(&cwd)
        .map_or_else(|_| p.display().to_string(), |x| x.display().to_string())
}

fn change(f: &fs::OutFile) -> Result<Change, Diagnostic> {
    fs::change_of(f).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read `{}`: {}",
            f.path.display(),
            crate::diag::io_cause(&e)
        ))
    })
}

pub(super) fn render_table(plan: &Plan) -> Result<String, Diagnostic> {
    let mut rows = Vec::new();
    let mut changed = 0;
    for f in &plan.files {
        let c = change(f)?;
        if c != Change::Unchanged {
            changed += 1;
        }
        rows.push((c.word(), f.content.len().to_string(), shown(&f.path)));
    }
    // What check mode could not render: no secrets yet, or no age key to read them.
    for p in &plan.stale {
        rows.push((
            "stale",
            "-".into(),
            format!("{} ({})", shown(p), stale_reason(p)),
        ));
    }
    for p in &plan.unverified {
        rows.push((
            "kept",
            "-".into(),
            format!("{} (inputs unchanged; no age key to compare)", shown(p)),
        ));
    }
    let size_w = rows.iter().map(|r| r.1.len()).max().unwrap_or(1);
    let mut out = String::new();
    for (word, size, path) in rows {
        out.push_str(&format!("{word:<9}  {size:>size_w$} B  {path}\n"));
    }
    out.push_str(&format!(
        "{} file{}, {changed} would change{}\n",
        plan.files.len(),
        plural(plan.files.len()),
        if plan.stale.is_empty() {
            String::new()
        } else {
            format!(", {} stale without the age key", plan.stale.len())
        }
    ));
    Ok(out)
}

/// Why a planned file could not be rendered in the REPL's check-mode plan.
fn stale_reason(p: &Path) -> &'static str {
    if p.file_name()
        .is_some_and(|n| n == crate::pipeline::secrets::TALSECRET)
    {
        "no secrets bundle yet: `talforge run` creates it"
    } else {
        "needs the secrets bundle and your age key to render"
    }
}

/// The node's own files (named `<cluster>-<hostname>`) plus its cluster's talconfig.yaml,
/// which holds the node's entry.
fn node_files<'a>(plan: &'a Plan, node: &str) -> Result<Vec<&'a fs::OutFile>, Diagnostic> {
    let (cluster, n) = view::find_node(&plan.evaluated.fleet, node)?;
    let tag = format!("{}-{}", cluster.name, n.hostname);
    let cluster_dir = Path::new(&cluster.name).join("talos");
    Ok(plan
        .files
        .iter()
        .filter(|f| {
            let name = f.path.file_name().map(|s| s.to_string_lossy().into_owned());
            // `lab-lab-1.sops.yaml`, not `lab-lab-10.sops.yaml`.
            let own = name
                .as_deref()
                .and_then(|s| s.strip_prefix(&tag))
                .is_some_and(|rest| rest.starts_with('.'));
            let talconfig = name.as_deref() == Some("talconfig.yaml")
                && f.path.parent().is_some_and(|p| p.ends_with(&cluster_dir));
            own || talconfig
        })
        .collect())
}

pub(super) fn diff_files(
    plan: &Plan,
    node: Option<&str>,
    ids: &Identities,
) -> Result<String, Diagnostic> {
    let files: Vec<&fs::OutFile> = match node {
        Some(n) => node_files(plan, n)?,
        None => plan.files.iter().collect(),
    };
    let mut out = String::new();
    for f in &files {
        let name = shown(&f.path);
        let old = match change(f)? {
            Change::Unchanged => continue,
            Change::Created => None,
            Change::Modified => Some(std::fs::read_to_string(&f.path).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot read `{name}`: {}",
                    crate::diag::io_cause(&e)
                ))
            })?),
        };
        if sops::metadata(&f.content).is_ok() {
            out.push_str(&diff_encrypted(f, &name, old.as_deref(), ids));
            continue;
        }
        // Owner-only plaintext (talosconfig holds the admin key): say that it changes, not how.
        // No group or other permission bits (the low six).
        if f.mode.trailing_zeros() >= 6 {
            let word = if old.is_some() { "modified" } else { "created" };
            out.push_str(&format!(
                "secret file {name} would be {word} (its content is not shown)\n"
            ));
            continue;
        }
        let old_name = if old.is_some() {
            side("a", &name)
        } else {
            "/dev/null".into()
        };
        // A patch may carry a credential: YAML is redacted like every view.
        let shown = |t: &str| {
            if is_yaml(&f.path) {
                redact(t)
            } else {
                t.to_string()
            }
        };
        out.push_str(&redacted_diff(
            &name,
            old.as_deref().map(shown).as_deref(),
            &shown(&f.content),
            old.as_deref().is_some_and(|o| o != f.content),
            &old_name,
            &side("b", &name),
        ));
    }
    let stale: Vec<&std::path::PathBuf> = match node {
        Some(n) => {
            let (c, h) = view::find_node(&plan.evaluated.fleet, n)?;
            let tag = format!("{}-{}.", c.name, h.hostname);
            plan.stale
                .iter()
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|f| f.to_string_lossy().starts_with(&tag))
                })
                .collect()
        }
        None => plan.stale.iter().collect(),
    };
    for p in stale {
        out.push_str(&format!("stale: {} ({})\n", shown(p), stale_reason(p)));
    }
    if out.is_empty() {
        out = format!(
            "no changes in {} file{}\n",
            files.len(),
            plural(files.len())
        );
    }
    Ok(out)
}

/// The diff of two redacted texts; when an existing file changes only in secret values
/// (`changed`, but equal once redacted) it says so instead of showing nothing.
fn redacted_diff(
    name: &str,
    old: Option<&str>,
    new: &str,
    changed: bool,
    old_name: &str,
    new_name: &str,
) -> String {
    let d = diff::unified(old.unwrap_or(""), new, old_name, new_name);
    if d.is_empty() && changed {
        format!("{name} would change only in secret values (not shown)\n")
    } else {
        d
    }
}

fn is_yaml(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// `a/path` as in git; an absolute path (outside the working directory) keeps its slash.
fn side(prefix: &str, name: &str) -> String {
    if name.starts_with('/') {
        format!("{prefix}{name}")
    } else {
        format!("{prefix}/{name}")
    }
}

/// A SOPS file compares by its decrypted content, which needs the operator's age key. The
/// secrets bundle itself is never printed.
fn diff_encrypted(f: &fs::OutFile, name: &str, old: Option<&str>, ids: &Identities) -> String {
    let word = if old.is_some() { "modified" } else { "created" };
    if f.path
        .file_name()
        .is_some_and(|n| n == crate::pipeline::secrets::TALSECRET)
    {
        return format!("secrets bundle {name} would be {word} (its content is not shown)\n");
    }
    let decrypt = |t: &str| sops::decrypt_to_text(t, ids).ok();
    let new = decrypt(&f.content);
    let old_plain = match old {
        Some(t) => decrypt(t).map(Some),
        None => Some(None),
    };
    match (old_plain, new) {
        (Some(o), Some(n)) => {
            let old_name = if o.is_some() {
                format!("{} (decrypted)", side("a", name))
            } else {
                "/dev/null".into()
            };
            if o.as_deref() == Some(n.as_str()) {
                return format!("{name} would be re-encrypted; its content is unchanged\n");
            }
            redacted_diff(
                name,
                o.as_deref().map(redact).as_deref(),
                &redact(&n),
                o.is_some(),
                &old_name,
                &format!("{} (decrypted)", side("b", name)),
            )
        }
        _ => format!(
            "encrypted {name} would be {word}; set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY to a recipient's key to see how\n"
        ),
    }
}
