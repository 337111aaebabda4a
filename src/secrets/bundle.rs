//! The Talos secrets bundle (`talosctl gen secrets` / `talhelper gensecret` format).

/// A certificate and its private key, each as standard base64 of the PEM text (bundle format).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertKey {
    /// base64(PEM certificate); empty for key-only entries.
    pub crt: String,
    /// base64(PEM private key).
    pub key: String,
}

/// Every secret a Talos cluster needs; field names follow the YAML keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bundle {
    /// `cluster.id`: base64url of 32 random bytes.
    pub cluster_id: String,
    /// `cluster.secret`: base64 of 32 random bytes.
    pub cluster_secret: String,
    /// `secrets.bootstraptoken` (`[a-z0-9]{6}.[a-z0-9]{16}`).
    pub bootstrap_token: String,
    /// `secrets.secretboxencryptionsecret` (contract > 1.2).
    pub secretbox_encryption_secret: Option<String>,
    /// `secrets.aescbcencryptionsecret` (old bundles).
    pub aescbc_encryption_secret: Option<String>,
    /// `trustdinfo.token`.
    pub trustd_token: String,
    /// `certs.etcd` (ECDSA P-256 CA).
    pub etcd: CertKey,
    /// `certs.k8s` (ECDSA P-256 CA).
    pub k8s: CertKey,
    /// `certs.k8saggregator` (ECDSA P-256 CA).
    pub k8s_aggregator: CertKey,
    /// `certs.k8sserviceaccount` (key only; RSA-4096 PKCS#1).
    pub k8s_service_account: CertKey,
    /// `certs.os` (Ed25519 Talos API CA).
    pub os: CertKey,
}

use crate::yaml::{PathSeg, Yaml};

/// A bundle field that is missing or has the wrong type; `path` is the YAML path to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleError {
    /// What is wrong, lowercase.
    pub message: String,
    /// Where in the bundle (`certs.os.key`), for pointing at the YAML span.
    pub path: Vec<PathSeg>,
}

impl BundleError {
    /// The path as `a.b.c`.
    pub fn dotted(&self) -> String {
        self.path
            .iter()
            .map(|s| match s {
                PathSeg::Key(k) => k.clone(),
                PathSeg::Index(i) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

fn field(doc: &Yaml, path: &[&str], required: bool) -> Result<Option<String>, BundleError> {
    let segs = || {
        path.iter()
            .map(|s| PathSeg::Key((*s).to_string()))
            .collect()
    };
    let mut cur = doc;
    for (i, key) in path.iter().enumerate() {
        match cur.as_map() {
            Some(m) => match m.get(*key) {
                Some(v) => cur = v,
                None if required => {
                    return Err(BundleError {
                        message: format!("secrets bundle has no `{}`", path[..=i].join(".")),
                        path: segs(),
                    });
                }
                None => return Ok(None),
            },
            None => {
                return Err(BundleError {
                    message: format!("`{}` must be a mapping", path[..i].join(".")),
                    path: path[..i]
                        .iter()
                        .map(|s| PathSeg::Key((*s).into()))
                        .collect(),
                });
            }
        }
    }
    match cur {
        Yaml::Str(s) => Ok(Some(s.clone())),
        Yaml::Null if !required => Ok(None),
        _ => Err(BundleError {
            message: format!("`{}` must be a string", path.join(".")),
            path: segs(),
        }),
    }
}

fn req(doc: &Yaml, path: &[&str]) -> Result<String, BundleError> {
    Ok(field(doc, path, true)?.unwrap_or_default())
}

impl Bundle {
    /// Reads a bundle in the `talosctl gen secrets` layout.
    pub fn from_yaml(doc: &Yaml) -> Result<Bundle, BundleError> {
        let cert = |name: &str| -> Result<CertKey, BundleError> {
            Ok(CertKey {
                crt: req(doc, &["certs", name, "crt"])?,
                key: req(doc, &["certs", name, "key"])?,
            })
        };
        let secretbox = field(doc, &["secrets", "secretboxencryptionsecret"], false)?;
        let aescbc = field(doc, &["secrets", "aescbcencryptionsecret"], false)?;
        if secretbox.is_none() && aescbc.is_none() {
            return Err(BundleError {
                message: "secrets bundle has neither `secrets.secretboxencryptionsecret` nor `secrets.aescbcencryptionsecret`".into(),
                path: vec![PathSeg::Key("secrets".into())],
            });
        }
        Ok(Bundle {
            cluster_id: req(doc, &["cluster", "id"])?,
            cluster_secret: req(doc, &["cluster", "secret"])?,
            bootstrap_token: req(doc, &["secrets", "bootstraptoken"])?,
            secretbox_encryption_secret: secretbox,
            aescbc_encryption_secret: aescbc,
            trustd_token: req(doc, &["trustdinfo", "token"])?,
            etcd: cert("etcd")?,
            k8s: cert("k8s")?,
            k8s_aggregator: cert("k8saggregator")?,
            k8s_service_account: CertKey {
                crt: String::new(),
                key: req(doc, &["certs", "k8sserviceaccount", "key"])?,
            },
            os: cert("os")?,
        })
    }

    /// The bundle as YAML, in the field order `talosctl gen secrets` writes.
    pub fn to_yaml(&self) -> Yaml {
        let ck = |c: &CertKey| {
            Yaml::from_pairs([("crt", Yaml::str(&c.crt)), ("key", Yaml::str(&c.key))])
        };
        let mut secrets = vec![("bootstraptoken", Yaml::str(&self.bootstrap_token))];
        if let Some(s) = &self.secretbox_encryption_secret {
            secrets.push(("secretboxencryptionsecret", Yaml::str(s)));
        }
        if let Some(s) = &self.aescbc_encryption_secret {
            secrets.push(("aescbcencryptionsecret", Yaml::str(s)));
        }
        Yaml::from_pairs([
            (
                "cluster",
                Yaml::from_pairs([
                    ("id", Yaml::str(&self.cluster_id)),
                    ("secret", Yaml::str(&self.cluster_secret)),
                ]),
            ),
            ("secrets", Yaml::from_pairs(secrets)),
            (
                "trustdinfo",
                Yaml::from_pairs([("token", Yaml::str(&self.trustd_token))]),
            ),
            (
                "certs",
                Yaml::from_pairs([
                    ("etcd", ck(&self.etcd)),
                    ("k8s", ck(&self.k8s)),
                    ("k8saggregator", ck(&self.k8s_aggregator)),
                    (
                        "k8sserviceaccount",
                        Yaml::from_pairs([("key", Yaml::str(&self.k8s_service_account.key))]),
                    ),
                    ("os", ck(&self.os)),
                ]),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Bundle {
        let c = |s: &str| CertKey {
            crt: format!("{s}-crt"),
            key: format!("{s}-key"),
        };
        Bundle {
            cluster_id: "id".into(),
            cluster_secret: "secret".into(),
            bootstrap_token: "abcdef.0123456789abcdef".into(),
            secretbox_encryption_secret: Some("box".into()),
            aescbc_encryption_secret: None,
            trustd_token: "ghijkl.0123456789abcdef".into(),
            etcd: c("etcd"),
            k8s: c("k8s"),
            k8s_aggregator: c("agg"),
            k8s_service_account: CertKey {
                crt: String::new(),
                key: "sa-key".into(),
            },
            os: c("os"),
        }
    }

    #[test]
    fn round_trips_in_talos_order() {
        let b = sample();
        let y = b.to_yaml();
        let keys: Vec<&String> = y.as_map().unwrap().keys().collect();
        assert_eq!(keys, ["cluster", "secrets", "trustdinfo", "certs"]);
        assert_eq!(Bundle::from_yaml(&y).unwrap(), b);
    }

    #[test]
    fn missing_field_names_its_path() {
        let mut y = sample().to_yaml();
        let certs = y.as_map_mut().unwrap().get_mut("certs").unwrap();
        certs
            .as_map_mut()
            .unwrap()
            .get_mut("os")
            .unwrap()
            .as_map_mut()
            .unwrap()
            .shift_remove("key");
        let e = Bundle::from_yaml(&y).unwrap_err();
        assert_eq!(e.dotted(), "certs.os.key");
        assert_eq!(e.message, "secrets bundle has no `certs.os.key`");
    }
}
