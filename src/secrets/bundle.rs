//! The Talos secrets bundle (`talosctl gen secrets` / `talhelper gensecret` format).

use super::pki::{self, KeyKind, PemPair, PkiError, PrivateKey};
use crate::diag::{Diagnostic, SourceId, Span};
use crate::model::Version;
use crate::yaml::{ParsedDoc, PathSeg};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use std::fmt;
use std::ops::Range;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

/// The value Talos writes instead of a redacted key; kept verbatim, never decoded.
pub use crate::diag::REDACTED;

/// A certificate and its private key, each as standard base64 of the PEM text (bundle format).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertKey {
    /// base64(PEM certificate); empty for key-only entries.
    pub crt: String,
    /// base64(PEM private key).
    pub key: String,
}

impl CertKey {
    /// Encodes PEM texts the way the bundle stores them.
    pub fn from_pem(p: &PemPair) -> CertKey {
        CertKey {
            crt: STANDARD.encode(&p.crt),
            key: STANDARD.encode(&p.key),
        }
    }

    /// The certificate and key as PEM text.
    pub fn to_pem(&self) -> Result<PemPair, PkiError> {
        Ok(PemPair {
            crt: decode_pem(&self.crt)?,
            key: decode_pem(&self.key)?,
        })
    }
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

/// A missing or malformed field of a bundle; `path` is the YAML path to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleError {
    /// What is wrong, lowercase, naming the field in backticks.
    pub message: String,
    /// Where in the bundle (`certs.os.key`); empty for the document itself. A missing field
    /// has no span of its own: look up the nearest existing parent.
    pub path: Vec<PathSeg>,
}

impl BundleError {
    pub(super) fn new(dotted: &str, message: impl Into<String>) -> Self {
        BundleError {
            message: message.into(),
            path: dotted
                .split('.')
                .filter(|s| !s.is_empty())
                .map(|s| PathSeg::Key(s.to_string()))
                .collect(),
        }
    }

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

    /// Byte span to point at in the parsed bundle: the field's key, or for a missing field
    /// the key of its nearest existing parent (the whole document at worst).
    pub fn span(&self, doc: &ParsedDoc) -> Option<Range<usize>> {
        (0..=self.path.len())
            .rev()
            .find_map(|n| doc.key_span(&self.path[..n]))
    }

    /// The error as a diagnostic pointing into the bundle file `source`.
    pub fn to_diagnostic(&self, doc: &ParsedDoc, source: SourceId) -> Diagnostic {
        Diagnostic::error(&self.message).at_opt(self.span(doc).map(|r| Span::new(source, r)))
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BundleError {}

impl Bundle {
    /// A fresh bundle for a Talos version contract, dated now.
    pub fn generate(contract: &Version) -> Result<Bundle, PkiError> {
        Bundle::generate_at(contract, OffsetDateTime::now_utc())
    }

    /// A fresh bundle whose CAs start at `now`: what `talosctl gen secrets` makes for the
    /// contract (secretbox and an RSA-4096 service-account key for new contracts, aescbc and
    /// ECDSA for old ones).
    pub fn generate_at(contract: &Version, now: OffsetDateTime) -> Result<Bundle, PkiError> {
        let b64 = |n| pki::random_bytes(n).map(|b| STANDARD.encode(b));
        let encryption = b64(32)?;
        let (secretbox, aescbc) = if contract.greater(1, 2) {
            (Some(encryption), None)
        } else {
            (None, Some(encryption))
        };
        let service_account_key = if contract.greater(1, 6) {
            pki::new_rsa_key_pem(4096)?
        } else {
            pki::new_ecdsa_key_pem()?
        };
        let ca = |kind, org| pki::new_ca(kind, org, now).map(|p| CertKey::from_pem(&p));
        Ok(Bundle {
            cluster_id: URL_SAFE.encode(pki::random_bytes(32)?),
            cluster_secret: b64(32)?,
            bootstrap_token: pki::token()?,
            secretbox_encryption_secret: secretbox,
            aescbc_encryption_secret: aescbc,
            trustd_token: pki::token()?,
            etcd: ca(KeyKind::EcdsaP256, Some("etcd"))?,
            k8s: ca(KeyKind::EcdsaP256, Some("kubernetes"))?,
            // Upstream passes CommonName("front-proxy"), which the CA builder ignores.
            k8s_aggregator: ca(KeyKind::EcdsaP256, None)?,
            k8s_service_account: CertKey {
                crt: String::new(),
                key: STANDARD.encode(service_account_key),
            },
            os: ca(KeyKind::Ed25519, Some("talos"))?,
        })
    }

    /// A bundle of fixed placeholders: configs rendered with it carry everything but the
    /// secrets (the run fingerprints and validates those; the REPL shows them).
    pub fn placeholder() -> Bundle {
        // Well-formed values (token shapes, base64) so the configs also pass validation.
        let ck = |n: &str| CertKey {
            crt: STANDARD.encode(format!("redacted {n} certificate")),
            key: STANDARD.encode(format!("redacted {n} key")),
        };
        let zeros = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_string();
        Bundle {
            cluster_id: zeros.clone(),
            cluster_secret: zeros.clone(),
            bootstrap_token: "redact.edredactedredact".into(),
            secretbox_encryption_secret: Some(zeros),
            aescbc_encryption_secret: None,
            trustd_token: "redact.edredactedredact".into(),
            etcd: ck("etcd"),
            k8s: ck("k8s"),
            k8s_aggregator: ck("k8saggregator"),
            k8s_service_account: CertKey {
                crt: String::new(),
                key: STANDARD.encode("redacted service account key"),
            },
            os: ck("os"),
        }
    }

    /// A stable identifier of the bundle's content: sha256 over its canonical YAML, prefixed
    /// so it cannot be mistaken for a file digest. Re-encrypting the bundle keeps it; any
    /// other bundle changes it. The inputs are 256-bit random secrets, so the hash reveals
    /// nothing about them and may be committed.
    pub fn fingerprint(&self) -> String {
        use sha2::Digest as _;
        let text =
            crate::yaml::emit_documents(&[self.to_yaml()], &crate::yaml::EmitOptions { indent: 2 });
        let sum = sha2::Sha256::digest(format!("talforge secrets bundle\n{text}").as_bytes());
        let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
        format!("bundle-sha256:{hex}")
    }

    /// Checks the cryptographic content: every certificate parses and is a CA, each key
    /// parses, has the expected type and belongs to its certificate, the bootstrap token has
    /// the Kubernetes format. One message per problem; empty when the bundle is usable.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let token = regex::Regex::new(r"^[a-z0-9]{6}\.[a-z0-9]{16}$").expect("valid regex");
        if !token.is_match(&self.bootstrap_token) {
            problems
                .push("`secrets.bootstraptoken` must match `[a-z0-9]{6}.[a-z0-9]{16}`".to_string());
        }
        // kubeadm-imported Kubernetes CAs may be RSA; talforge signs only with the OS CA.
        let k8s_kinds = [KeyKind::EcdsaP256, KeyKind::Rsa];
        for (path, ck, kinds) in [
            ("certs.etcd", &self.etcd, &k8s_kinds[..]),
            ("certs.k8s", &self.k8s, &k8s_kinds[..]),
            ("certs.k8saggregator", &self.k8s_aggregator, &k8s_kinds[..]),
            (
                "certs.os",
                &self.os,
                &[KeyKind::Ed25519, KeyKind::EcdsaP256][..],
            ),
        ] {
            if let Err(e) = check_ca(path, ck, kinds) {
                problems.push(e.message);
            }
        }
        let sa = "certs.k8sserviceaccount.key";
        match load_key(sa, &self.k8s_service_account.key) {
            Ok(k) if matches!(k.kind(), KeyKind::Rsa | KeyKind::EcdsaP256) => {}
            Ok(k) => problems.push(format!(
                "`{sa}` is {}, expected RSA or ECDSA P-256",
                k.kind().name()
            )),
            Err(e) => problems.push(e.message),
        }
        problems
    }
}

/// The problems of one CA (`path` is its dotted path in the bundle).
fn check_ca(path: &str, ck: &CertKey, kinds: &[KeyKind]) -> Result<(), BundleError> {
    let crt_path = format!("{path}.crt");
    let invalid =
        |e: &dyn fmt::Display| BundleError::new(&crt_path, format!("`{crt_path}` is invalid: {e}"));
    let crt_pem = decode_pem(&ck.crt).map_err(|e| invalid(&e))?;
    let der = pki::cert_der(&crt_pem).map_err(|e| invalid(&e))?;
    let (_, cert) = X509Certificate::from_der(&der).map_err(|e| invalid(&e))?;
    if !cert.is_ca() {
        return Err(BundleError::new(
            &crt_path,
            format!("`{crt_path}` is not a CA certificate"),
        ));
    }
    let key = load_key(&format!("{path}.key"), &ck.key)?;
    if !kinds.contains(&key.kind()) {
        let names: Vec<_> = kinds.iter().map(|k| k.name()).collect();
        return Err(BundleError::new(
            &format!("{path}.key"),
            format!(
                "`{path}.key` is {}, expected {}",
                key.kind().name(),
                names.join(" or ")
            ),
        ));
    }
    let matches = pki::key_matches_cert(&key, &der).map_err(|e| invalid(&e))?;
    if pki::cert_key_kind(&cert) != Some(key.kind()) || !matches {
        return Err(BundleError::new(
            &format!("{path}.key"),
            format!("`{path}.key` does not belong to `{crt_path}`"),
        ));
    }
    Ok(())
}

fn load_key(path: &str, b64: &str) -> Result<PrivateKey, BundleError> {
    let invalid = |e: PkiError| BundleError::new(path, format!("`{path}` is invalid: {e}"));
    let pem = decode_pem(b64).map_err(invalid)?;
    pki::parse_private_key(&pem).map_err(invalid)
}

/// base64 → PEM text.
fn decode_pem(b64: &str) -> Result<String, PkiError> {
    if b64 == REDACTED {
        return Err(PkiError::Parse("value is redacted".into()));
    }
    let bytes = STANDARD
        .decode(b64)
        .map_err(|_| PkiError::Parse("not valid base64".into()))?;
    String::from_utf8(bytes).map_err(|_| PkiError::Parse("not PEM text".into()))
}

mod yaml;

#[cfg(test)]
mod tests;
