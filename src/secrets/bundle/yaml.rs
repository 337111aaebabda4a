//! Reading and writing the bundle as YAML: strict keys, field paths in errors.

use super::{Bundle, BundleError, CertKey, REDACTED};
use crate::yaml::Yaml;
use crate::yaml::strict::{Coerce, ErrorKind, Expected, Node, StrictError, dotted};
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
        let root = Node::bare(doc);
        root.map().map_err(error)?;
        let sections: Vec<&'static str> = SCHEMA.iter().map(|(k, _)| *k).collect();
        root.check_keys(&sections).map_err(error)?;
        for (section, fields) in SCHEMA {
            if let Some(v) = root.get(section) {
                v.map().and_then(|_| v.check_keys(fields)).map_err(error)?;
            }
        }
        // Checked in document order, so the first error is the first problem in the file.
        let cluster = section(&root, "cluster")?;
        let cluster_id = required_str(&cluster, "id")?;
        let cluster_secret = required_str(&cluster, "secret")?;
        let secrets = section(&root, "secrets")?;
        let bootstrap_token = required_str(&secrets, "bootstraptoken")?;
        let aescbc = optional_str(&secrets, "aescbcencryptionsecret")?;
        let secretbox = optional_str(&secrets, "secretboxencryptionsecret")?;
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
        let trustd_token = required_str(&section(&root, "trustdinfo")?, "token")?;
        let certs = section(&root, "certs")?;
        let etcd = cert_key(&certs, "etcd")?;
        let k8s = cert_key(&certs, "k8s")?;
        let k8s_aggregator = cert_key(&certs, "k8saggregator")?;
        let sa = section(&certs, "k8sserviceaccount")?;
        sa.check_keys(&["key"]).map_err(error)?;
        let sa_key = pem_field(&sa, "key")?;
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
            os: cert_key(&certs, "os")?,
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

/// A strict reader's error in the bundle's words (`certs.os.key`, "found").
fn error(e: StrictError) -> BundleError {
    let path = e.dotted();
    let message = match e.kind {
        ErrorKind::Type {
            expected: Expected::Mapping,
            found,
        } if path.is_empty() => format!("the secrets bundle must be a mapping, found {found}"),
        ErrorKind::Type {
            expected: Expected::Mapping,
            found,
        } => format!("`{path}` must be a mapping, found {found}"),
        ErrorKind::Type { found, .. } => format!("`{path}` must be a string, found {found}"),
        ErrorKind::Unknown { nearest, .. } => match nearest {
            Some(close) => format!("unknown field `{path}` (did you mean `{close}`?)"),
            None => format!("unknown field `{path}`"),
        },
        ErrorKind::Missing => format!("`{path}` is required"),
    };
    BundleError {
        message,
        path: e.path,
    }
}

/// The mapping at `key`, required.
fn section<'a>(parent: &Node<'a>, key: &str) -> Result<Node<'a>, BundleError> {
    let n = parent.required(key).map_err(error)?;
    n.map().map_err(error)?;
    Ok(n)
}

fn optional_str(parent: &Node, key: &str) -> Result<Option<String>, BundleError> {
    match parent.get_set(key) {
        None => Ok(None),
        Some(_) => required_str(parent, key).map(Some),
    }
}

/// A non-empty string at `key` (an all-digit token reads as an integer; Go decodes any
/// scalar into a string field).
fn required_str(parent: &Node, key: &str) -> Result<String, BundleError> {
    let n = parent.required(key).map_err(error)?;
    let s = n.string(Coerce::Ints).map_err(error)?.value;
    if s.is_empty() {
        return Err(error(n.error(ErrorKind::Missing)));
    }
    Ok(s)
}

fn pem_field(parent: &Node, key: &str) -> Result<String, BundleError> {
    let s = required_str(parent, key)?;
    if s != REDACTED && STANDARD.decode(&s).is_err() {
        let path = dotted(&parent.child_path(key));
        return Err(BundleError::new(
            &path,
            format!("`{path}` is not valid base64"),
        ));
    }
    Ok(s)
}

fn cert_key(certs: &Node, key: &str) -> Result<CertKey, BundleError> {
    let m = section(certs, key)?;
    m.check_keys(&["crt", "key"]).map_err(error)?;
    Ok(CertKey {
        crt: pem_field(&m, "crt")?,
        key: pem_field(&m, "key")?,
    })
}
