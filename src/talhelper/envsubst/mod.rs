//! `${VAR}` substitution as talhelper v3.1.16 does it: on the text, before YAML parsing, with
//! a8m/envsubst's syntax (`$$`, `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:=d}`, `${V=d}`,
//! `${V:+a}`, `${V+a}`) in strict mode, from the environment and the talenv files.
//!
//! No maintained Rust crate has a8m's grammar and its strict mode (`shellexpand` and
//! `envsubst` lack `$$` and the `+` forms), so [`lex`] ports the library itself.

mod lex;
#[cfg(test)]
mod tests;

pub use lex::SubstError;

use crate::diag::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Variables for substitution: process environment overlaid by env files (files win, as in
/// talhelper, which `setenv`s each file's values). A variable from an encrypted env file
/// (`talenv.sops.yaml`) is secret: it may reach the machine configs, never a tracked file.
#[derive(Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
    secret: BTreeSet<String>,
}

#[allow(clippy::missing_fields_in_debug)] // values may be secret: Debug shows names only
impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .field("secret", &self.secret)
            .finish()
    }
}

impl lex::Lookup for Env {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
}

/// A text after substitution, with the way back to the original's offsets.
#[derive(Debug, Clone, Default)]
pub struct Substituted {
    out: lex::Output,
    /// Whether anything changed (no `$` in the input: the text is the input).
    identity: bool,
}

impl Substituted {
    /// The substituted text.
    pub fn text(&self) -> &str {
        &self.out.text
    }

    /// The variables whose values went into the text, in order of first use.
    pub fn used(&self) -> &[String] {
        &self.out.used
    }

    /// A range of the substituted text as a range of the original (a variable's value maps
    /// to its whole `${...}`).
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        if self.identity {
            return r;
        }
        self.out.input_range(&r)
    }
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars().collect(),
            secret: BTreeSet::new(),
        }
    }

    /// An environment from explicit pairs (tests).
    pub fn from_pairs<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Env {
        Env {
            vars: pairs.into_iter().collect(),
            secret: BTreeSet::new(),
        }
    }

    /// Sets a variable (no longer secret if it was).
    pub fn set(&mut self, k: impl Into<String>, v: impl Into<String>) {
        let k = k.into();
        self.secret.remove(&k);
        self.vars.insert(k, v.into());
    }

    /// Sets a secret variable (from an encrypted env file).
    pub fn set_secret(&mut self, k: impl Into<String>, v: impl Into<String>) {
        let k = k.into();
        self.secret.insert(k.clone());
        self.vars.insert(k, v.into());
    }

    /// Looks a variable up.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.vars.get(k).map(String::as_str)
    }

    /// Whether a variable came from an encrypted env file.
    pub fn is_secret(&self, k: &str) -> bool {
        self.secret.contains(k)
    }

    /// The secret variables and their values.
    pub fn secrets(&self) -> impl Iterator<Item = (&str, &str)> {
        self.secret
            .iter()
            .filter_map(|k| Some((k.as_str(), self.get(k)?)))
    }

    /// Registers the secret values in `sources` as a masked text, so no report repeats one
    /// (a message quoting a bad value shows `******`).
    pub fn mask_secrets(&self, sources: &mut crate::diag::Sources) {
        let mut text = String::new();
        let mut ranges = Vec::new();
        for (_, v) in self.secrets().filter(|(_, v)| !v.is_empty()) {
            ranges.push(text.len()..text.len() + v.len());
            text.push_str(v);
            text.push('\n');
        }
        if !ranges.is_empty() {
            sources.add_masked("<secret env values>", text, ranges);
        }
    }

    /// Every variable, by name.
    pub fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Substitutes `s` (a8m's `StringRestricted(s, true, true)`): the first failure as its
    /// message and byte offset in `s`.
    pub fn substitute(&self, s: &str) -> Result<String, (String, usize)> {
        self.substitute_text(s)
            .map(|o| o.out.text)
            .map_err(|mut e| {
                let first = e.remove(0);
                (first.message, first.range.start)
            })
    }

    /// Substitutes a whole text, every failed variable reported with its range.
    pub fn substitute_text(&self, s: &str) -> Result<Substituted, Vec<SubstError>> {
        if !s.contains('$') {
            return Ok(Substituted {
                out: lex::Output {
                    text: s.to_string(),
                    ..lex::Output::default()
                },
                identity: true,
            });
        }
        Ok(Substituted {
            out: lex::substitute(s, self)?,
            identity: false,
        })
    }

    /// talhelper's `SubstituteEnvFromByte`: the YAML text's comments are dropped (blanked, so
    /// offsets stay), then the text is substituted. A `${VAR}` in a comment is never read.
    /// YAML that does not parse is an error before any substitution, as in talhelper.
    pub fn substitute_yaml(&self, s: &str) -> Result<Substituted, Vec<SubstError>> {
        if !s.contains('$') {
            return self.substitute_text(s);
        }
        let comments = crate::yaml::comment_ranges(s).map_err(|e| {
            vec![SubstError {
                message: e.message,
                range: e.span,
                yaml: true,
            }]
        })?;
        let mut blanked = s.to_string();
        for r in comments.iter().rev() {
            blanked.replace_range(r.clone(), &" ".repeat(r.len()));
        }
        self.substitute_text(&blanked)
    }
}

/// talhelper's default env files, looked up next to talconfig.yaml.
pub const DEFAULT_ENV_FILES: &[&str] = &[
    "talenv.yaml",
    "talenv.sops.yaml",
    "talenv.yml",
    "talenv.sops.yml",
];

/// Whether an env file is one talhelper decrypts (and talforge treats as secret).
pub fn is_encrypted_env_file(f: &Path) -> bool {
    f.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(".sops."))
}

/// Whether a YAML text is SOPS-encrypted (its first document has a `sops:` mapping), as
/// talhelper decides before decrypting a file.
pub fn is_sops(text: &str) -> bool {
    crate::secrets::sops::metadata(text).is_ok()
}

/// Reads env files into `env` (missing ones are skipped): `KEY: value` / `KEY=value` lines,
/// a SOPS-encrypted file decrypted in memory with `ids` (discovered when `None`). Values of
/// an encrypted file, or of one named `*.sops.*`, are secret. Unlike talhelper, a line that
/// does not parse is an error (talhelper swallows it, issue #1459).
pub fn load_env_files(
    env: &mut Env,
    files: &[PathBuf],
    ids: Option<&crate::secrets::keys::Identities>,
) -> Result<(), Diagnostic> {
    let mut found = None;
    for f in files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(Diagnostic::error(format!(
                    "cannot read env file `{}`: {}",
                    f.display(),
                    crate::diag::io_cause(&e)
                )));
            }
        };
        let encrypted = is_sops(&text);
        let plain = if encrypted {
            let ids = match ids {
                Some(i) => i,
                None => found.get_or_insert_with(crate::secrets::keys::Identities::discover),
            };
            crate::secrets::sops::decrypt_to_text(&text, ids).map_err(|e| {
                let mut d = e.to_diagnostic(None);
                d.message = format!("cannot decrypt env file `{}`: {}", f.display(), d.message);
                d
            })?
        } else {
            text
        };
        parse_env(env, &plain, f, encrypted || is_encrypted_env_file(f))
            .map_err(|e| Diagnostic::error(e.to_string()))?;
    }
    Ok(())
}

/// Reads `KEY: value` lines of an env file's text (godotenv's format, as talhelper reads
/// it; e.g. a decrypted `talenv.sops.yaml`, whose values are then `secret`). A `#` after a
/// blank ends an unquoted value.
pub fn parse_env(env: &mut Env, text: &str, file: &Path, secret: bool) -> Result<(), EnvLineError> {
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t == "---" {
            continue;
        }
        let t = t.strip_prefix("export ").unwrap_or(t);
        let Some((k, v)) = t
            .split_once(": ")
            .or_else(|| t.split_once('='))
            .or_else(|| t.strip_suffix(':').map(|k| (k, "")))
        else {
            // Never quote the line: it may hold a secret.
            return Err(EnvLineError {
                file: file.to_path_buf(),
                line: n + 1,
            });
        };
        let v = v.trim();
        let v = if let Some(q) = v.strip_prefix('"').and_then(|x| x.rsplit_once('"')) {
            q.0.to_string()
        } else if let Some(q) = v.strip_prefix('\'').and_then(|x| x.rsplit_once('\'')) {
            q.0.to_string()
        } else {
            let cut = v.find(" #").or_else(|| v.find("\t#")).unwrap_or(v.len());
            v[..cut].trim_end().to_string()
        };
        if secret {
            env.set_secret(k.trim(), v);
        } else {
            env.set(k.trim(), v);
        }
    }
    Ok(())
}

/// A line of an env file that is not `KEY: value` (the line itself is never quoted: it may
/// hold a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvLineError {
    /// The env file.
    pub file: PathBuf,
    /// The line, counted from 1.
    pub line: usize,
}

impl std::fmt::Display for EnvLineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: cannot parse this line; write `KEY: value`",
            self.file.display(),
            self.line
        )
    }
}

impl std::error::Error for EnvLineError {}
