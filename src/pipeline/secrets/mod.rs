//! The secrets going into `seal` (and `expose`): load `talsecret.sops.yaml` (or
//! `--secret-file`), or create it once; refuse to replace the secrets that existing configs
//! were made from. Problems in a bundle point at its lines, never quote its values.

use super::Problem;
use super::rules::SopsRules;
use super::state::State;
use crate::diag::Diagnostic;
use crate::diag::IntoDiagnostic;
use crate::fs::OutFile;
use crate::model::Cluster;
use crate::secrets::bundle::Bundle;
use crate::secrets::keys::Identities;
use crate::secrets::sops;
use crate::yaml::Yaml;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

mod file;
pub(crate) use file::read_bundle;
use file::{Checked, read, read_bundle_checked, unreadable_bundle};

/// The file name talhelper and talforge keep a cluster's secrets bundle in.
pub const TALSECRET: &str = "talsecret.sops.yaml";

/// What a run knows about a cluster's secrets.
#[derive(Debug, Clone, Default)]
pub(crate) struct Secrets {
    /// The bundle, when it could be read (or was just created).
    pub bundle: Option<Bundle>,
    /// sha256 of the bundle file's bytes as this run leaves it: a replaced bundle makes every
    /// config stale.
    pub digest: String,
    /// [`Bundle::fingerprint`] of the bundle; `None` when it could not be read.
    pub fingerprint: Option<String>,
    /// A `talsecret.sops.yaml` to write: a new bundle (created, never an overwrite) or the
    /// same content encrypted for the recipients its rule names now.
    pub create: Option<OutFile>,
    /// Why the bundle could not be read: no matching age identity.
    pub locked: Option<Diagnostic>,
    /// Things the operator must hear about even when all goes well (new secrets accepted,
    /// the bundle re-encrypted).
    pub notices: Vec<String>,
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
}

/// Lowercase hex sha256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How secrets are found for a run.
#[derive(Clone, Copy)]
pub(crate) struct LoadCtx<'a> {
    /// `--secret-file`.
    pub secret_file: Option<&'a Path>,
    /// Identities for decryption.
    pub ids: &'a Identities,
    /// SOPS `lastmodified`.
    pub now: OffsetDateTime,
    /// `--check` / `check`: report a missing bundle instead of generating it.
    pub check: bool,
    /// `--new-secrets`: a missing bundle may be created, and a different one accepted, even
    /// though the configs on disk were made from another.
    pub new_secrets: bool,
    /// The `.sops.yaml` rules: the bundle's recipients.
    pub rules: &'a SopsRules,
}

/// What is at the bundle's path.
enum OnDisk {
    Missing,
    /// A symbolic link whose target does not exist.
    Dangling(PathBuf),
    /// A file of zero bytes or only white space.
    Empty,
    Text(String),
}

fn on_disk(path: &Path) -> Result<OnDisk, Problem> {
    let cannot = |e: &std::io::Error| {
        Problem::from(Diagnostic::error(format!(
            "cannot read `{}`: {}",
            crate::fs::shown(path),
            crate::diag::io_cause(e)
        )))
    };
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
        Err(e) => return Err(cannot(&e)),
        Ok(m) if m.file_type().is_symlink() && !path.exists() => {
            return Ok(OnDisk::Dangling(
                std::fs::read_link(path).unwrap_or_default(),
            ));
        }
        Ok(_) => {}
    }
    match std::fs::read_to_string(path) {
        Ok(t) if t.trim().is_empty() => Ok(OnDisk::Empty),
        Ok(t) => Ok(OnDisk::Text(t)),
        Err(e) => Err(cannot(&e)),
    }
}

/// What on disk shows that the cluster already has secrets: the state file's record, the
/// encrypted configs, the talosconfig. Empty on a cluster's first run.
fn made_from(dir: &Path, state: &State) -> Vec<String> {
    let cc = dir.join("clusterconfig");
    let mut evidence = Vec::new();
    if state.records_secrets() {
        let id = if state.bundle.is_empty() {
            format!("file sha256 {}", short(&state.talsecret))
        } else {
            short(&state.bundle).to_string()
        };
        evidence.push(format!(
            "`{}` records the bundle they were made from ({id})",
            super::state::STATE_FILE
        ));
    }
    let configs = std::fs::read_dir(&cc).map_or(0, |rd| {
        rd.flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".sops.yaml"))
            .count()
    });
    if configs > 0 {
        evidence.push(format!(
            "{configs} encrypted machine config{} exist{}",
            crate::diag::plural(configs),
            if configs == 1 { "s" } else { "" }
        ));
    }
    if cc.join("talosconfig").exists() {
        evidence.push("the talosconfig exists".to_string());
    }
    evidence
}

fn short(digest: &str) -> &str {
    let end = digest.len().min(digest.find(':').map_or(0, |i| i + 1) + 16);
    &digest[..end]
}

/// The ways out when the bundle the configs were made from is not there.
fn restore_hint(path: &Path) -> String {
    format!(
        "restore it from git (`git checkout -- {}`) or a backup, or pass `--secret-file FILE` with a copy of it; \
         only to give the cluster new secrets knowingly, run again with `--new-secrets`",
        crate::fs::shown(path)
    )
}

/// Loads the bundle for `cluster` (talsecret under `dir`, or `secret_file`), or plans a new one
/// (`check` plans nothing: a missing bundle is reported, not generated). `state` is what the
/// last run recorded; a bundle that is missing or different from it is an error unless
/// `--new-secrets`.
pub(crate) fn load_or_create(
    cluster: &Cluster,
    dir: &Path,
    state: &State,
    ctx: &LoadCtx<'_>,
) -> Result<Secrets, Problem> {
    if let Some(f) = ctx.secret_file {
        let text = read(f)?;
        let bundle = read_bundle(f, &text, ctx.ids)?;
        let mut s = Secrets {
            digest: hex_sha256(text.as_bytes()),
            fingerprint: Some(bundle.fingerprint()),
            bundle: Some(bundle),
            ..Secrets::default()
        };
        check_same_bundle(f, &mut s, dir, state, ctx)?;
        return Ok(s);
    }
    let path = dir.join(TALSECRET);
    match on_disk(&path)? {
        OnDisk::Text(text) => load_existing(&path, text, dir, state, ctx),
        OnDisk::Dangling(target) => Err(Diagnostic::error(format!(
            "the secrets bundle `{}` is a symbolic link to `{}`, which does not exist",
            crate::fs::shown(&path),
            target.display()
        ))
        .with_hint(format!(
            "restore `{}`, or replace the link with the bundle file",
            target.display()
        ))
        .into()),
        state_of @ (OnDisk::Missing | OnDisk::Empty) => {
            let empty = matches!(state_of, OnDisk::Empty);
            let evidence = made_from(dir, state);
            if !evidence.is_empty() && !ctx.new_secrets {
                let what = if empty { "is empty" } else { "is missing" };
                return Err(Diagnostic::error(format!(
                    "the secrets bundle `{}` {what}, but this cluster's machine configs were made from one",
                    crate::fs::shown(&path)
                ))
                .with_note(evidence.join("; "))
                .with_note("a new bundle means new CAs and tokens: the running nodes would reject the configs and the talosconfig made from it")
                .with_hint(restore_hint(&path))
                .into());
            }
            if ctx.check {
                return Ok(Secrets::default());
            }
            let bundle = Bundle::generate(&cluster.talos_version).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot generate secrets for `{}`: {e}",
                    cluster.name
                ))
            })?;
            let (recipients, options) = ctx.rules.for_file(&path)?;
            let content = sops::encrypt(&bundle.to_yaml(), &recipients, &options, ctx.now)
                .map_err(IntoDiagnostic::into_problem)?;
            let mut notices = Vec::new();
            if !evidence.is_empty() {
                notices.push(format!(
                    "new secrets for cluster `{}` (--new-secrets): `{}` is a new bundle ({}); it replaces the one the existing configs were made from ({}), and every machine config and the talosconfig are made again from it",
                    cluster.name,
                    crate::fs::shown(&path),
                    short(&bundle.fingerprint()),
                    evidence.join("; ")
                ));
            }
            let file = if empty {
                // Written over only because `--new-secrets` said so: the file holds nothing.
                OutFile::new(path, content, 0o600)
            } else {
                OutFile::create_only(path, content, 0o600)
            };
            Ok(Secrets {
                digest: hex_sha256(file.content.as_bytes()),
                fingerprint: Some(bundle.fingerprint()),
                bundle: Some(bundle),
                create: Some(file),
                notices,
                ..Secrets::default()
            })
        }
    }
}

/// An existing `talsecret.sops.yaml`: decrypt it when a key is there, check it is the bundle
/// the configs were made from, and re-encrypt it when its rule names other recipients.
fn load_existing(
    path: &Path,
    text: String,
    dir: &Path,
    state: &State,
    ctx: &LoadCtx<'_>,
) -> Result<Secrets, Problem> {
    let digest = hex_sha256(text.as_bytes());
    let meta = match sops::metadata_quick(&text) {
        Ok(m) => m,
        Err(e) => return Err(unreadable_bundle(path, &text, &e)),
    };
    let recipients: Vec<String> = meta.age.iter().map(|a| a.recipient.clone()).collect();
    let (wanted, options) = ctx.rules.for_file(path)?;
    let rule_changed = !same_set(&recipients, &wanted);
    let ours = ctx.ids.recipients();
    if !recipients.iter().any(|r| ours.contains(r)) {
        let d = Diagnostic::error(format!(
            "cannot read `{}`: no age identity for its recipients",
            crate::fs::shown(path)
        ))
        .with_note(format!(
            "the file is encrypted for {}",
            recipients.join(", ")
        ))
        .with_note(format!(
            "looked for age identities in: {}",
            ctx.ids.describe()
        ))
        .with_hint(ctx.ids.hint());
        let mut warnings = Vec::new();
        if rule_changed {
            warnings.push(recipients_warning(path, &recipients, &wanted));
        }
        return Ok(Secrets {
            digest,
            locked: Some(d),
            warnings,
            ..Secrets::default()
        });
    }
    // The very file the last run made every config from was checked then (RSA keys cost a
    // modular inverse each to check, a hundred clusters a noticeable part of a re-run).
    let checked = if state.talsecret == digest {
        Checked::Before
    } else {
        Checked::Now
    };
    let bundle = read_bundle_checked(path, &text, ctx.ids, checked)?;
    let mut s = Secrets {
        digest,
        fingerprint: Some(bundle.fingerprint()),
        bundle: Some(bundle),
        ..Secrets::default()
    };
    check_same_bundle(path, &mut s, dir, state, ctx)?;
    if rule_changed {
        // The same content for the recipients the rule names now; nothing else changes.
        let plain = sops::decrypt(&text, ctx.ids).map_err(IntoDiagnostic::into_problem)?;
        let content = sops::encrypt(&plain, &wanted, &options, ctx.now)
            .map_err(IntoDiagnostic::into_problem)?;
        s.notices.push(format!(
            "re-encrypting `{}` for the recipients its `.sops.yaml` rule names now ({}; it was for {}); its content is unchanged",
            crate::fs::shown(path),
            wanted.join(", "),
            recipients.join(", ")
        ));
        s.digest = hex_sha256(content.as_bytes());
        s.create = Some(OutFile::new(path.to_path_buf(), content, 0o600));
    }
    Ok(s)
}

/// Refuses a readable bundle that is not the one the configs on disk were made from, unless
/// `--new-secrets` (then says what it replaces).
fn check_same_bundle(
    path: &Path,
    s: &mut Secrets,
    dir: &Path,
    state: &State,
    ctx: &LoadCtx<'_>,
) -> Result<(), Problem> {
    let (Some(bundle), Some(fp)) = (&s.bundle, &s.fingerprint) else {
        return Ok(());
    };
    let made_with = if state.bundle.is_empty() {
        // A state file from before fingerprints: the configs themselves tell.
        config_os_ca(dir, ctx.ids)
            .filter(|crt| *crt != bundle.os.crt)
            .map(|_| "its OS CA differs from the one in the existing machine configs".to_string())
    } else {
        (state.bundle != *fp).then(|| {
            format!(
                "`{}` records {}, this bundle is {}",
                super::state::STATE_FILE,
                short(&state.bundle),
                short(fp)
            )
        })
    };
    let Some(why) = made_with else {
        return Ok(());
    };
    if ctx.new_secrets {
        s.notices.push(format!(
            "new secrets (--new-secrets): `{}` is not the bundle the existing configs were made from ({why}); every machine config and the talosconfig are made again from it",
            crate::fs::shown(path)
        ));
        return Ok(());
    }
    Err(Diagnostic::error(format!(
        "`{}` is not the secrets bundle this cluster's machine configs were made from",
        crate::fs::shown(path)
    ))
    .with_note(why)
    .with_note("using it would give every node new CAs and tokens: the running nodes would reject the configs and the talosconfig")
    .with_hint(restore_hint(path))
    .into())
}

/// `machine.ca.crt` of the first encrypted config that decrypts.
fn config_os_ca(dir: &Path, ids: &Identities) -> Option<String> {
    let cc = dir.join("clusterconfig");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&cc)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".sops.yaml"))
        .collect();
    files.sort();
    files.iter().find_map(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        let docs = sops::decrypt_documents(&text, ids).ok()?;
        docs.iter()
            .find_map(|d| d.get_path("machine.ca.crt").and_then(Yaml::as_str))
            .map(str::to_string)
    })
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a: Vec<&String> = a.iter().collect();
    let mut b: Vec<&String> = b.iter().collect();
    a.sort();
    a.dedup();
    b.sort();
    b.dedup();
    a == b
}

fn recipients_warning(path: &Path, have: &[String], want: &[String]) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{}` is encrypted for {}, but its `.sops.yaml` rule names {}: the new recipients cannot read the cluster's secrets",
        crate::fs::shown(path),
        have.join(", "),
        want.join(", ")
    ))
    .with_hint("run again with an age key of the old recipients (SOPS_AGE_KEY_FILE) and talforge re-encrypts it")
}
