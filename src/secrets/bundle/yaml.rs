//! Reading and writing the bundle as YAML: strict keys, field paths in errors.

use super::{Bundle, BundleError, CertKey, REDACTED};
use crate::yaml::{Map, Yaml};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The top-level sections and their fields, in `talosctl gen secrets` order.
const SCHEMA: &[(&str, &[&str])] = &[
    ("cluster", &["id", "secret"]),
    (
        "secrets",
        &[
            "bootstraptoken",
            "aescbcencryptionsecret",
            "secretboxencryptionsecret",
        ],
    ),
    ("trustdinfo", &["token"]),
    (
        "certs",
        &["etcd", "k8s", "k8saggregator", "k8sserviceaccount", "os"],
    ),
];

impl Bundle {
    /// Reads a bundle document. Unknown fields are errors, as in talhelper's strict decode;
    /// `crt`/`key` values must be base64 (or the redaction marker `******`).
    pub fn from_yaml(doc: &Yaml) -> Result<Bundle, BundleError> {
        let root = mapping(doc, "")?;
        let sections: Vec<&str> = SCHEMA.iter().map(|(k, _)| *k).collect();
        check_known(root, "", &sections)?;
        for (section, fields) in SCHEMA {
            if let Some(v) = root.get(*section) {
                check_known(mapping(v, section)?, section, fields)?;
            }
        }
        // Checked in document order, so the first error is the first problem in the file.
        let cluster = section(root, "cluster")?;
        let cluster_id = required_str(cluster, "cluster.id")?;
        let cluster_secret = required_str(cluster, "cluster.secret")?;
        let secrets = section(root, "secrets")?;
        let bootstrap_token = required_str(secrets, "secrets.bootstraptoken")?;
        let aescbc = optional_str(secrets, "secrets.aescbcencryptionsecret")?;
        let secretbox = optional_str(secrets, "secrets.secretboxencryptionsecret")?;
        const ONE_OF: &str =
            "[`secrets.secretboxencryptionsecret`, `secrets.aescbcencryptionsecret`]";
        match (&secretbox, &aescbc) {
            (None, None) => {
                return Err(BundleError::new(
                    "secrets",
                    format!("one of {ONE_OF} is required"),
                ));
            }
            (Some(_), Some(_)) => {
                return Err(BundleError::new(
                    "secrets.aescbcencryptionsecret",
                    format!("only one of {ONE_OF} is allowed"),
                ));
            }
            _ => {}
        }
        let trustd_token = required_str(section(root, "trustdinfo")?, "trustdinfo.token")?;
        let certs = section(root, "certs")?;
        let etcd = cert_key(certs, "certs.etcd")?;
        let k8s = cert_key(certs, "certs.k8s")?;
        let k8s_aggregator = cert_key(certs, "certs.k8saggregator")?;
        let sa_path = "certs.k8sserviceaccount";
        let sa = mapping(required(certs, sa_path)?, sa_path)?;
        check_known(sa, sa_path, &["key"])?;
        let sa_key = pem_field(sa, "certs.k8sserviceaccount.key")?;
        Ok(Bundle {
            cluster_id,
            cluster_secret,
            bootstrap_token,
            secretbox_encryption_secret: secretbox,
            aescbc_encryption_secret: aescbc,
            trustd_token,
            etcd,
            k8s,
            k8s_aggregator,
            k8s_service_account: CertKey {
                crt: String::new(),
                key: sa_key,
            },
            os: cert_key(certs, "certs.os")?,
        })
    }

    /// The bundle as YAML, keys in `talosctl gen secrets` order.
    pub fn to_yaml(&self) -> Yaml {
        let s = |v: &str| Yaml::str(v);
        let pair = |c: &CertKey| Yaml::from_pairs([("crt", s(&c.crt)), ("key", s(&c.key))]);
        let mut secrets = vec![("bootstraptoken", s(&self.bootstrap_token))];
        if let Some(v) = &self.aescbc_encryption_secret {
            secrets.push(("aescbcencryptionsecret", s(v)));
        }
        if let Some(v) = &self.secretbox_encryption_secret {
            secrets.push(("secretboxencryptionsecret", s(v)));
        }
        Yaml::from_pairs([
            (
                "cluster",
                Yaml::from_pairs([
                    ("id", s(&self.cluster_id)),
                    ("secret", s(&self.cluster_secret)),
                ]),
            ),
            ("secrets", Yaml::from_pairs(secrets)),
            (
                "trustdinfo",
                Yaml::from_pairs([("token", s(&self.trustd_token))]),
            ),
            (
                "certs",
                Yaml::from_pairs([
                    ("etcd", pair(&self.etcd)),
                    ("k8s", pair(&self.k8s)),
                    ("k8saggregator", pair(&self.k8s_aggregator)),
                    (
                        "k8sserviceaccount",
                        Yaml::from_pairs([("key", s(&self.k8s_service_account.key))]),
                    ),
                    ("os", pair(&self.os)),
                ]),
            ),
        ])
    }
}

fn mapping<'a>(v: &'a Yaml, path: &str) -> Result<&'a Map, BundleError> {
    v.as_map().ok_or_else(|| {
        let what = if path.is_empty() {
            "the secrets bundle".to_string()
        } else {
            format!("`{path}`")
        };
        BundleError::new(
            path,
            format!("{what} must be a mapping, found {}", v.type_name()),
        )
    })
}

fn check_known(m: &Map, path: &str, known: &[&str]) -> Result<(), BundleError> {
    for key in m.keys() {
        if !known.contains(&key.as_str()) {
            let full = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let mut msg = format!("unknown field `{full}`");
            if let Some(close) = crate::diag::closest(key, known.iter().copied()) {
                msg.push_str(&format!(" (did you mean `{close}`?)"));
            }
            return Err(BundleError::new(&full, msg));
        }
    }
    Ok(())
}

fn last(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn required<'a>(m: &'a Map, path: &str) -> Result<&'a Yaml, BundleError> {
    match m.get(last(path)) {
        None | Some(Yaml::Null) => Err(BundleError::new(path, format!("`{path}` is required"))),
        Some(v) => Ok(v),
    }
}

fn section<'a>(root: &'a Map, name: &str) -> Result<&'a Map, BundleError> {
    mapping(required(root, name)?, name)
}

fn optional_str(m: &Map, path: &str) -> Result<Option<String>, BundleError> {
    match m.get(last(path)) {
        None | Some(Yaml::Null) => Ok(None),
        Some(_) => required_str(m, path).map(Some),
    }
}

fn required_str(m: &Map, path: &str) -> Result<String, BundleError> {
    let s = match required(m, path)? {
        Yaml::Str(s) => s.clone(),
        // An all-digit token reads as an integer; Go decodes any scalar into a string field.
        Yaml::Int(i) => i.to_string(),
        other => {
            return Err(BundleError::new(
                path,
                format!("`{path}` must be a string, found {}", other.type_name()),
            ));
        }
    };
    if s.is_empty() {
        return Err(BundleError::new(path, format!("`{path}` is required")));
    }
    Ok(s)
}

fn pem_field(m: &Map, path: &str) -> Result<String, BundleError> {
    let s = required_str(m, path)?;
    if s != REDACTED && STANDARD.decode(&s).is_err() {
        return Err(BundleError::new(
            path,
            format!("`{path}` is not valid base64"),
        ));
    }
    Ok(s)
}

fn cert_key(certs: &Map, path: &str) -> Result<CertKey, BundleError> {
    let m = mapping(required(certs, path)?, path)?;
    check_known(m, path, &["crt", "key"])?;
    Ok(CertKey {
        crt: pem_field(m, &format!("{path}.crt"))?,
        key: pem_field(m, &format!("{path}.key"))?,
    })
}
