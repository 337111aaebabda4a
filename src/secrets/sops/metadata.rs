//! The `sops:` block: age recipients with their wrapped data key, lastmodified, MAC, rules, version.

use super::tree::Selector;
use super::{SopsError, SopsErrorKind};
use crate::yaml::strict::{Coerce, ErrorKind, Expected, Node, StrictError, dotted};
use crate::yaml::{Map, PathSeg, Yaml};
use regex::Regex;

/// The sops version whose output we write.
pub const SOPS_VERSION: &str = "3.11.0";

/// One `sops.age[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeStanza {
    /// The `age1…` recipient.
    pub recipient: String,
    /// The armored age file holding the data key.
    pub enc: String,
}

/// The metadata of a sops file, readable without any key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Metadata {
    /// `sops.age`, in file order.
    pub age: Vec<AgeStanza>,
    /// `sops.lastmodified` as written (RFC 3339, UTC).
    pub lastmodified: String,
    /// `sops.mac`, still encrypted.
    pub mac: String,
    /// `unencrypted_suffix`.
    pub unencrypted_suffix: Option<String>,
    /// `encrypted_suffix`.
    pub encrypted_suffix: Option<String>,
    /// `unencrypted_regex`.
    pub unencrypted_regex: Option<String>,
    /// `encrypted_regex`.
    pub encrypted_regex: Option<String>,
    /// `unencrypted_comment_regex` (read, not supported for decryption).
    pub unencrypted_comment_regex: Option<String>,
    /// `encrypted_comment_regex` (read, not supported for decryption).
    pub encrypted_comment_regex: Option<String>,
    /// `mac_only_encrypted`.
    pub mac_only_encrypted: bool,
    /// `sops.version` of the writer.
    pub version: String,
    /// Key types other than age present in the file (`pgp`, `kms`, …), for messages.
    pub other_keys: Vec<String>,
}

impl Metadata {
    /// The age recipients of the file, in order.
    pub fn recipients(&self) -> Vec<String> {
        self.age.iter().map(|a| a.recipient.clone()).collect()
    }

    /// The leaf selector the metadata describes.
    pub fn selector(&self) -> Result<Selector, SopsError> {
        if self.unencrypted_comment_regex.is_some() || self.encrypted_comment_regex.is_some() {
            return Err(SopsError::new(
                SopsErrorKind::Unsupported,
                "`unencrypted_comment_regex` / `encrypted_comment_regex` are not supported",
            ));
        }
        Ok(Selector {
            unencrypted_suffix: self.unencrypted_suffix.clone(),
            encrypted_suffix: self.encrypted_suffix.clone(),
            unencrypted_regex: compile(self.unencrypted_regex.as_deref(), "unencrypted_regex")?,
            encrypted_regex: compile(self.encrypted_regex.as_deref(), "encrypted_regex")?,
            mac_only_encrypted: self.mac_only_encrypted,
        })
    }

    /// The `sops:` mapping in sops 3.11 field order (yaml.v3 struct order, `omitempty`).
    pub fn to_yaml(&self) -> Yaml {
        let mut m = Map::new();
        let age = self
            .age
            .iter()
            .map(|a| {
                Yaml::from_pairs([
                    ("recipient", Yaml::str(&a.recipient)),
                    ("enc", Yaml::str(&a.enc)),
                ])
            })
            .collect();
        m.insert("age".into(), Yaml::Seq(age));
        m.insert("lastmodified".into(), Yaml::str(&self.lastmodified));
        m.insert("mac".into(), Yaml::str(&self.mac));
        let rules = [
            ("unencrypted_suffix", &self.unencrypted_suffix),
            ("encrypted_suffix", &self.encrypted_suffix),
            ("unencrypted_regex", &self.unencrypted_regex),
            ("encrypted_regex", &self.encrypted_regex),
            ("unencrypted_comment_regex", &self.unencrypted_comment_regex),
            ("encrypted_comment_regex", &self.encrypted_comment_regex),
        ];
        for (k, v) in rules {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                m.insert(k.into(), Yaml::str(v));
            }
        }
        if self.mac_only_encrypted {
            m.insert("mac_only_encrypted".into(), Yaml::Bool(true));
        }
        m.insert("version".into(), Yaml::str(&self.version));
        Yaml::Map(m)
    }

    /// Reads the `sops:` mapping (field order and quoting do not matter, as for sops; keys
    /// it does not know are ignored, as sops ignores them).
    pub fn from_yaml(y: &Yaml) -> Result<Metadata, SopsError> {
        let sops = Node::at(y, vec![PathSeg::Key("sops".into())], None);
        sops.map().map_err(error)?;
        // An unquoted timestamp or version may come back as another scalar type.
        let text = |k: &str| -> Result<Option<String>, SopsError> {
            Ok(sops
                .opt_string(k, Coerce::Scalars)
                .map_err(error)?
                .map(|s| s.value))
        };
        if sops
            .get_set("key_groups")
            .and_then(|g| g.value().as_seq().map(|s| !s.is_empty()))
            .unwrap_or(false)
        {
            return Err(SopsError::new(
                SopsErrorKind::Unsupported,
                "the file uses several key groups (Shamir secret sharing), which talforge does not support",
            ));
        }
        let mut age = Vec::new();
        if let Some(list) = sops.get("age") {
            for item in list.items().map_err(error)? {
                let field = |k: &str| {
                    item.required(k)
                        .and_then(|n| n.string(Coerce::Strings))
                        .map(|s| s.value)
                        .map_err(|_| {
                            let path = dotted(&item.child_path(k));
                            bad(format!("`{path}` is missing or not a string"))
                        })
                };
                age.push(AgeStanza {
                    recipient: field("recipient")?.trim().to_string(),
                    enc: field("enc")?,
                });
            }
        }
        let listed = |k: &str| {
            y.get(k)
                .and_then(Yaml::as_seq)
                .is_some_and(|s| !s.is_empty())
        };
        let other_keys = ["pgp", "kms", "gcp_kms", "hckms", "azure_kv", "hc_vault"]
            .into_iter()
            .filter(|k| listed(k))
            .map(String::from)
            .collect();
        Ok(Metadata {
            age,
            lastmodified: text("lastmodified")?.unwrap_or_default(),
            mac: text("mac")?.unwrap_or_default(),
            unencrypted_suffix: text("unencrypted_suffix")?,
            encrypted_suffix: text("encrypted_suffix")?,
            unencrypted_regex: text("unencrypted_regex")?,
            encrypted_regex: text("encrypted_regex")?,
            unencrypted_comment_regex: text("unencrypted_comment_regex")?,
            encrypted_comment_regex: text("encrypted_comment_regex")?,
            mac_only_encrypted: y
                .get("mac_only_encrypted")
                .and_then(Yaml::as_bool)
                .unwrap_or(false),
            version: text("version")?.unwrap_or_default(),
            other_keys,
        })
    }
}

fn bad(message: String) -> SopsError {
    SopsError::new(SopsErrorKind::NotSops, message)
}

/// A strict reader's error in sops' words ("is a …, expected …").
fn error(e: StrictError) -> SopsError {
    let path = e.dotted();
    let (found, expected) = match e.kind {
        ErrorKind::Type { expected, found } => (
            found,
            match expected {
                Expected::Mapping => "a mapping",
                Expected::Sequence => "a list",
                _ => "a string",
            },
        ),
        // The reader only asks for types here; anything else is still not sops metadata.
        _ => return bad(format!("`{path}` is not valid sops metadata")),
    };
    bad(format!("`{path}` is a {found}, expected {expected}"))
}

/// Compiles a sops (Go RE2) regex; the `regex` crate accepts the same syntax.
pub fn compile(re: Option<&str>, what: &str) -> Result<Option<Regex>, SopsError> {
    re.filter(|r| !r.is_empty())
        .map(|r| {
            Regex::new(r).map_err(|e| {
                SopsError::new(
                    SopsErrorKind::Config,
                    format!("invalid `{what}` `{r}`: {e}"),
                )
            })
        })
        .transpose()
}

/// `time.Now().UTC().Format(time.RFC3339)`: second precision, literal `Z`.
pub fn rfc3339(now: time::OffsetDateTime) -> String {
    let t = now.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_is_utc_seconds() {
        let t = time::OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap();
        assert_eq!(rfc3339(t), "2026-11-18T11:06:40Z");
        let t = t.to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(rfc3339(t), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn field_order_matches_sops_3_11() {
        let m = Metadata {
            age: vec![AgeStanza {
                recipient: "age1x".into(),
                enc: "E\n".into(),
            }],
            lastmodified: "2026-01-01T00:00:00Z".into(),
            mac: "ENC[...]".into(),
            unencrypted_suffix: Some("_unencrypted".into()),
            version: SOPS_VERSION.into(),
            ..Metadata::default()
        };
        let y = m.to_yaml();
        let keys: Vec<_> = y.as_map().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "age",
                "lastmodified",
                "mac",
                "unencrypted_suffix",
                "version"
            ]
        );
        assert_eq!(Metadata::from_yaml(&y).unwrap(), m);
    }

    #[test]
    fn rejects_non_mappings_and_key_groups() {
        assert!(Metadata::from_yaml(&Yaml::str("x")).is_err());
        let y = Yaml::from_pairs([("key_groups", Yaml::Seq(vec![Yaml::map(), Yaml::map()]))]);
        let e = Metadata::from_yaml(&y).unwrap_err();
        assert_eq!(e.kind, SopsErrorKind::Unsupported);
    }
}
