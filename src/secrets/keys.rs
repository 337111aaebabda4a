//! Age identities for decryption: `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, the sops default keys file.

use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One place sops (and talforge) looks for age identities, and what was found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE=/path` or the default file's path.
    pub place: String,
    /// `unset`, `not found`, `2 keys`, or the error reading it.
    pub outcome: String,
}

/// The age identities available for decryption, and where they were looked for.
#[derive(Clone, Default)]
pub struct Identities {
    keys: Vec<age::x25519::Identity>,
    /// Every place that was looked at, in order.
    pub looked_at: Vec<Lookup>,
}

#[allow(clippy::missing_fields_in_debug)] // the identities are secret: Debug shows only how many there are
impl std::fmt::Debug for Identities {
    // Never print secret keys, only their public halves.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identities")
            .field("recipients", &self.recipients())
            .field("looked_at", &self.looked_at)
            .finish()
    }
}

impl Identities {
    /// Collects identities from all sops locations (not first-wins, as sops 3.10+):
    /// `SOPS_AGE_KEY` (one or more keys, one per line), `SOPS_AGE_KEY_FILE`, and
    /// `$XDG_CONFIG_HOME/sops/age/keys.txt` (default `~/.config/sops/age/keys.txt`).
    pub fn discover() -> Identities {
        Identities::from_env(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// [`Identities::discover`] with an injected environment (for tests).
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Identities {
        let mut ids = Identities::default();
        match env("SOPS_AGE_KEY") {
            Some(text) => ids.add_text(&text, "SOPS_AGE_KEY".into()),
            None => ids.note("SOPS_AGE_KEY", "unset"),
        }
        match env("SOPS_AGE_KEY_FILE") {
            Some(path) => ids.add_file(Path::new(&path), format!("SOPS_AGE_KEY_FILE={path}"), true),
            None => ids.note("SOPS_AGE_KEY_FILE", "unset"),
        }
        match default_keys_file(&env) {
            Some(p) => {
                let place = p.display().to_string();
                ids.add_file(&p, place, false);
            }
            None => ids.note(
                "sops/age/keys.txt",
                "neither XDG_CONFIG_HOME nor HOME is set",
            ),
        }
        ids
    }

    /// Identities from identity-file text (`AGE-SECRET-KEY-1…` lines; `#` and blank lines skipped).
    pub fn from_text(text: &str, place: &str) -> Identities {
        let mut ids = Identities::default();
        ids.add_text(text, place.into());
        ids
    }

    fn note(&mut self, place: &str, outcome: &str) {
        self.looked_at.push(Lookup {
            place: place.into(),
            outcome: outcome.into(),
        });
    }

    fn add_file(&mut self, path: &Path, place: String, must_exist: bool) {
        match std::fs::read_to_string(path) {
            Ok(text) => self.add_text(&text, place),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                self.note(&place, "not found");
            }
            Err(e) => self.note(&place, &format!("cannot read: {e}")),
        }
    }

    fn add_text(&mut self, text: &str, place: String) {
        let mut found = 0;
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with("AGE-PLUGIN-") {
                bad.push(format!(
                    "line {}: age plugin identities are not supported",
                    i + 1
                ));
                continue;
            }
            match age::x25519::Identity::from_str(line) {
                Ok(id) => {
                    self.keys.push(id);
                    found += 1;
                }
                // Never echo the line: it may be a mangled secret key.
                Err(_) => bad.push(format!("line {} is not an age identity", i + 1)),
            }
        }
        let mut outcome = match found {
            0 => "no keys".to_string(),
            1 => "1 key".to_string(),
            n => format!("{n} keys"),
        };
        if !bad.is_empty() {
            outcome.push_str(&format!(" ({})", bad.join(", ")));
        }
        self.note(&place, &outcome);
    }

    /// Whether no identity was found anywhere.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The public keys (`age1…`) of the identities, in discovery order.
    pub fn recipients(&self) -> Vec<String> {
        self.keys
            .iter()
            .map(|k| k.to_public().to_string())
            .collect()
    }

    /// The identities, for `age::Decryptor::decrypt`.
    pub fn iter(&self) -> impl Iterator<Item = &dyn age::Identity> {
        self.keys.iter().map(|k| k as &dyn age::Identity)
    }

    /// `SOPS_AGE_KEY (unset), SOPS_AGE_KEY_FILE (unset), /home/u/.config/sops/age/keys.txt (not found)`.
    pub fn describe(&self) -> String {
        self.looked_at
            .iter()
            .map(|l| format!("{} ({})", l.place, l.outcome))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What to do when the right key is missing.
    pub fn hint(&self) -> String {
        let default = self
            .looked_at
            .last()
            .map_or("~/.config/sops/age/keys.txt", |l| l.place.as_str());
        format!(
            "set SOPS_AGE_KEY_FILE to the age key file of one of the recipients, or SOPS_AGE_KEY to the key itself, or put the key in {default}"
        )
    }
}

/// sops' `os.UserConfigDir()/sops/age/keys.txt` on Linux.
fn default_keys_file(env: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("sops").join("age").join("keys.txt"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn key() -> (String, String) {
        let id = age::x25519::Identity::generate();
        (
            id.to_string().expose_secret().to_string(),
            id.to_public().to_string(),
        )
    }

    #[test]
    fn collects_from_every_location() {
        let dir = tempfile::tempdir().unwrap();
        let (k1, p1) = key();
        let (k2, p2) = key();
        let (k3, p3) = key();
        let (k4, p4) = key();
        let file = dir.path().join("k.txt");
        std::fs::write(&file, format!("# created: now\n# public key: {p3}\n{k3}\n")).unwrap();
        let cfg = dir.path().join("cfg");
        std::fs::create_dir_all(cfg.join("sops/age")).unwrap();
        std::fs::write(cfg.join("sops/age/keys.txt"), format!("{k4}\n")).unwrap();
        let env: HashMap<&str, String> = [
            ("SOPS_AGE_KEY", format!("{k1}\n\n{k2}\n")),
            ("SOPS_AGE_KEY_FILE", file.display().to_string()),
            ("XDG_CONFIG_HOME", cfg.display().to_string()),
        ]
        .into();
        let ids = Identities::from_env(|k| env.get(k).cloned());
        assert_eq!(ids.recipients(), [p1, p2, p3, p4]);
        assert!(
            ids.describe()
                .starts_with("SOPS_AGE_KEY (2 keys), SOPS_AGE_KEY_FILE="),
            "{}",
            ids.describe()
        );
    }

    #[test]
    fn reports_what_was_looked_at() {
        let env: HashMap<&str, String> = [("HOME", "/nonexistent-home".to_string())].into();
        let ids = Identities::from_env(|k| env.get(k).cloned());
        assert!(ids.is_empty());
        assert_eq!(
            ids.describe(),
            "SOPS_AGE_KEY (unset), SOPS_AGE_KEY_FILE (unset), /nonexistent-home/.config/sops/age/keys.txt (not found)"
        );
        assert!(ids.hint().contains("SOPS_AGE_KEY_FILE"));
    }

    #[test]
    fn missing_key_file_and_garbage_are_reported_without_echoing() {
        let env: HashMap<&str, String> = [
            ("SOPS_AGE_KEY", "AGE-SECRET-KEY-1NOTAKEY".to_string()),
            ("SOPS_AGE_KEY_FILE", "/nonexistent/keys.txt".to_string()),
        ]
        .into();
        let ids = Identities::from_env(|k| env.get(k).cloned());
        let d = ids.describe();
        assert!(
            d.contains("SOPS_AGE_KEY (no keys (line 1 is not an age identity))"),
            "{d}"
        );
        assert!(
            d.contains("SOPS_AGE_KEY_FILE=/nonexistent/keys.txt (cannot read"),
            "{d}"
        );
        assert!(!d.contains("NOTAKEY"));
        assert!(!format!("{ids:?}").contains("AGE-SECRET"));
    }
}
