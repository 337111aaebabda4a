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
