//! Certificate authorities and keys for the secrets bundle (ECDSA P-256, Ed25519, RSA-4096).
//!
//! Certificates and key encodings follow `siderolabs/crypto` `x509` as Talos v1.12 uses it:
//! ECDSA keys as SEC1 `EC PRIVATE KEY`, Ed25519 keys as PKCS#8 `ED25519 PRIVATE KEY`, RSA
//! keys as PKCS#1 `RSA PRIVATE KEY`; CAs with a random 128-bit serial, a random 20-byte
//! subject key id, `CA:TRUE`, key usage `digitalSignature, keyCertSign` and extended key
//! usage `serverAuth, clientAuth`.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, SerialNumber,
    string::PrintableString,
};
use time::{Duration, OffsetDateTime};
use x509_parser::prelude::{FromDer, X509Certificate};

/// How long a CA is valid: `secrets.CAValidityTime` = 87600h (10 years).
pub const CA_VALIDITY: Duration = Duration::hours(87_600);

/// How long the admin client certificate is valid: 365 × 24h, as `talosctl` and talhelper.
pub const ADMIN_CERT_VALIDITY: Duration = Duration::hours(365 * 24);

const PEM_CERT: &str = "CERTIFICATE";
const PEM_EC: &str = "EC PRIVATE KEY";
const PEM_ED25519: &str = "ED25519 PRIVATE KEY";
const PEM_RSA: &str = "RSA PRIVATE KEY";
const PEM_PKCS8: &str = "PRIVATE KEY";

/// PKCS#8 v1 prefix of an Ed25519 key, followed by the 32-byte seed (what Go writes).
const ED25519_PKCS8_PREFIX: &[u8] = &[
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The kind of a private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// ECDSA on P-256.
    EcdsaP256,
    /// Ed25519.
    Ed25519,
    /// RSA (any size).
    Rsa,
}

impl KeyKind {
    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::EcdsaP256 => "ECDSA P-256",
            KeyKind::Ed25519 => "Ed25519",
            KeyKind::Rsa => "RSA",
        }
    }
}

/// A PEM certificate and its PEM private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemPair {
    /// `-----BEGIN CERTIFICATE-----` text, ending in a newline.
    pub crt: String,
    /// Private key PEM text, ending in a newline.
    pub key: String,
}

/// A parsed private key.
pub enum PrivateKey {
    /// An ECDSA or Ed25519 key that can sign certificates.
    Signing(KeyKind, Box<KeyPair>),
    /// An RSA key (only the service-account key is RSA).
    Rsa(Box<rsa::PrivateKey>),
}

impl PrivateKey {
    /// The key's kind.
    pub fn kind(&self) -> KeyKind {
        match self {
            PrivateKey::Signing(k, _) => *k,
            PrivateKey::Rsa(_) => KeyKind::Rsa,
        }
    }
}

/// Why a key or certificate could not be made or read; the message is the user-facing text
/// (Talos' own wording for parse failures).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PkiError {
    /// The operating system's random source failed.
    Random(String),
    /// Generating, encoding or signing a key or certificate failed.
    Make(String),
    /// A PEM block, key or certificate does not parse.
    Parse(String),
    /// A key type or algorithm talforge does not handle.
    Unsupported(String),
}

impl PkiError {
    /// The user-facing text.
    pub fn message(&self) -> &str {
        match self {
            PkiError::Random(m)
            | PkiError::Make(m)
            | PkiError::Parse(m)
            | PkiError::Unsupported(m) => m,
        }
    }
}

impl std::fmt::Display for PkiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for PkiError {}

// An error is its message: tests compare with Talos' wording.
impl PartialEq<&str> for PkiError {
    fn eq(&self, other: &&str) -> bool {
        self.message() == *other
    }
}

/// `n` bytes from the operating system's random source.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, PkiError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| PkiError::Random(format!("cannot read random bytes: {e}")))?;
    Ok(buf)
}

/// A bootstrap-style token `[a-z0-9]{6}.[a-z0-9]{16}`, unbiased as Talos' `genToken`.
pub fn token() -> Result<String, PkiError> {
    Ok(format!("{}.{}", token_part(6)?, token_part(16)?))
}

fn token_part(len: usize) -> Result<String, PkiError> {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes(len * 2)? {
            // 252 = 7 × 36: rejecting larger bytes keeps every character equally likely.
            if b < 252 && out.len() < len {
                out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// A new self-signed CA with `O=<organization>` (no subject when `None`), valid for
/// [`CA_VALIDITY`] from `now`.
pub fn new_ca(
    kind: KeyKind,
    organization: Option<&str>,
    now: OffsetDateTime,
) -> Result<PemPair, PkiError> {
    let (key, key_pem) = match kind {
        KeyKind::EcdsaP256 => new_ecdsa_key()?,
        KeyKind::Ed25519 => new_ed25519_key()?,
        KeyKind::Rsa => {
            return Err(PkiError::Unsupported(
                "RSA certificate authorities are not supported".into(),
            ));
        }
    };
    let mut p = CertificateParams::default();
    p.serial_number = Some(serial()?);
    p.distinguished_name = organization_dn(organization.into_iter());
    let now = whole_seconds(now);
    p.not_before = now;
    p.not_after = now + CA_VALIDITY;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyCertSign,
    ];
    p.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    p.key_identifier_method = KeyIdMethod::PreSpecified(random_bytes(20)?);
    let cert = p
        .self_signed(&key)
        .map_err(|e| PkiError::Make(format!("cannot create CA certificate: {e}")))?;
    Ok(PemPair {
        crt: cert.pem(),
        key: key_pem,
    })
}

/// What a client certificate says about its holder (`x509.NewKeyPair` options).
#[derive(Debug, Clone, Copy)]
pub struct ClientSubject<'a> {
    /// `CN`, if any.
    pub common_name: Option<&'a str>,
    /// `O` values (Talos roles such as `os:admin`, or Kubernetes groups).
    pub organizations: &'a [&'a str],
    /// `keyEncipherment` besides `digitalSignature` (Kubernetes client certificates).
    pub key_encipherment: bool,
    /// How far `notBefore` lies before `now` (Talos allows 10 s of clock skew for
    /// Kubernetes certificates).
    pub backdate: Duration,
}

/// A client certificate for `organizations` (Talos roles such as `os:admin`), signed by the
/// CA; its key type follows the CA's, as in `x509.NewKeyPair`.
pub fn issue_client_cert(
    ca: &PemPair,
    organizations: &[&str],
    now: OffsetDateTime,
    validity: Duration,
) -> Result<PemPair, PkiError> {
    let subject = ClientSubject {
        common_name: None,
        organizations,
        key_encipherment: false,
        backdate: Duration::ZERO,
    };
    issue_client_cert_for(ca, &subject, now, validity)
}

/// A client certificate for `subject`, signed by the CA, valid from `now - backdate` until
/// `now + validity`; its key type follows the CA's, as in `x509.NewKeyPair`.
pub fn issue_client_cert_for(
    ca: &PemPair,
    subject: &ClientSubject<'_>,
    now: OffsetDateTime,
    validity: Duration,
) -> Result<PemPair, PkiError> {
    let ca_key = match parse_private_key(&ca.key)? {
        PrivateKey::Signing(kind, key) => (kind, key),
        PrivateKey::Rsa(_) => {
            return Err(PkiError::Unsupported(
                "signing with an RSA CA is not supported".into(),
            ));
        }
    };
    let (key, key_pem) = match ca_key.0 {
        KeyKind::Ed25519 => new_ed25519_key()?,
        _ => new_ecdsa_key()?,
    };
    let issuer = Issuer::from_ca_cert_pem(&ca.crt, *ca_key.1)
        .map_err(|e| PkiError::Make(format!("cannot read CA certificate: {e}")))?;
    let mut p = CertificateParams::default();
    p.serial_number = Some(serial()?);
    p.distinguished_name = organization_dn(subject.organizations.iter().copied());
    if let Some(cn) = subject.common_name {
        // Go's pkix.Name puts O before CN in the RDN sequence.
        p.distinguished_name.push(DnType::CommonName, dn_value(cn));
    }
    let now = whole_seconds(now);
    p.not_before = now - subject.backdate;
    p.not_after = now + validity;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if subject.key_encipherment {
        p.key_usages.push(KeyUsagePurpose::KeyEncipherment);
    }
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    // Go sets the authority key id from the CA's subject key id; clients chain-build with it.
    p.use_authority_key_identifier_extension = true;
    let cert = p
        .signed_by(&key, &issuer)
        .map_err(|e| PkiError::Make(format!("cannot sign client certificate: {e}")))?;
    Ok(PemPair {
        crt: cert.pem(),
        key: key_pem,
    })
}

/// A new RSA private key as PKCS#1 PEM (`RSA PRIVATE KEY`).
pub fn new_rsa_key_pem(bits: usize) -> Result<String, PkiError> {
    use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
    let mut rng = getrandom::rand_core::UnwrapErr(getrandom::SysRng);
    let key = rsa::PrivateKey::new(&mut rng, bits)
        .map_err(|e| PkiError::Make(format!("cannot generate RSA key: {e}")))?;
    let pem = key
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| PkiError::Make(format!("cannot encode RSA key: {e}")))?;
    Ok(pem.to_string())
}

/// A new ECDSA P-256 key as SEC1 PEM (`EC PRIVATE KEY`), for the service-account key of
/// old contracts.
pub fn new_ecdsa_key_pem() -> Result<String, PkiError> {
    new_ecdsa_key().map(|(_, pem)| pem)
}

fn new_ecdsa_key() -> Result<(KeyPair, String), PkiError> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|e| PkiError::Make(format!("cannot generate ECDSA key: {e}")))?;
    let sec1 = ec_pkcs8_to_sec1(key.serialized_der())
        .ok_or_else(|| PkiError::Make("cannot encode ECDSA key as SEC1".into()))?;
    Ok((key, pem_text(PEM_EC, sec1)))
}

fn new_ed25519_key() -> Result<(KeyPair, String), PkiError> {
    let mut der = ED25519_PKCS8_PREFIX.to_vec();
    der.extend(random_bytes(32)?);
    let key = KeyPair::try_from(der.as_slice())
        .map_err(|e| PkiError::Make(format!("cannot create Ed25519 key: {e}")))?;
    Ok((key, pem_text(PEM_ED25519, der)))
}

/// Parses a private key PEM as Talos accepts it: `EC PRIVATE KEY`, `ED25519 PRIVATE KEY`,
/// `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`.
pub fn parse_private_key(pem_text: &str) -> Result<PrivateKey, PkiError> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let block =
        pem::parse(pem_text).map_err(|_| PkiError::Parse("failed to parse PEM block".into()))?;
    let der = block.contents();
    match block.tag() {
        PEM_EC => {
            let pkcs8 = ec_sec1_to_pkcs8(der)
                .ok_or_else(|| PkiError::Parse("failed to parse ECDSA key".into()))?;
            signing_key(&pkcs8)
        }
        PEM_ED25519 => match signing_key(der)? {
            k @ PrivateKey::Signing(KeyKind::Ed25519, _) => Ok(k),
            _ => Err(PkiError::Parse(
                "failed parsing Ed25519 key, got wrong key type".into(),
            )),
        },
        PEM_RSA => rsa::PrivateKey::from_pkcs1_der(der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| PkiError::Parse(format!("failed to parse RSA key: {e}"))),
        PEM_PKCS8 => match rsa::PrivateKey::from_pkcs8_der(der) {
            Ok(k) => Ok(PrivateKey::Rsa(Box::new(k))),
            Err(_) => signing_key(der),
        },
        other => Err(PkiError::Unsupported(format!(
            "unsupported key type \"{other}\""
        ))),
    }
}

fn signing_key(pkcs8: &[u8]) -> Result<PrivateKey, PkiError> {
    let key =
        KeyPair::try_from(pkcs8).map_err(|_| PkiError::Parse("failed to parse key".into()))?;
    let kind = if key.algorithm() == &rcgen::PKCS_ED25519 {
        KeyKind::Ed25519
    } else if key.algorithm() == &rcgen::PKCS_ECDSA_P256_SHA256 {
        KeyKind::EcdsaP256
    } else {
        return Err(PkiError::Unsupported("unsupported key algorithm".into()));
    };
    Ok(PrivateKey::Signing(kind, Box::new(key)))
}

/// The DER of a `CERTIFICATE` PEM block.
pub fn cert_der(pem_text: &str) -> Result<Vec<u8>, PkiError> {
    let block =
        pem::parse(pem_text).map_err(|_| PkiError::Parse("failed to parse PEM block".into()))?;
    if block.tag() != PEM_CERT {
        return Err(PkiError::Parse(format!(
            "expected a CERTIFICATE PEM block, found \"{}\"",
            block.tag()
        )));
    }
    let der = block.into_contents();
    X509Certificate::from_der(&der)
        .map_err(|e| PkiError::Parse(format!("failed to parse certificate: {e}")))?;
    Ok(der)
}

/// Checks that `key` is the private key of the certificate `cert_der`.
pub fn key_matches_cert(key: &PrivateKey, cert_der: &[u8]) -> Result<bool, PkiError> {
    use rcgen::PublicKeyData;
    let (_, cert) = X509Certificate::from_der(cert_der)
        .map_err(|e| PkiError::Parse(format!("failed to parse certificate: {e}")))?;
    Ok(match key {
        PrivateKey::Signing(_, k) => {
            cert.public_key().subject_public_key.data.as_ref() == k.der_bytes()
        }
        PrivateKey::Rsa(k) => {
            use rsa::pkcs8::EncodePublicKey;
            k.to_public_key()
                .to_public_key_der()
                .is_ok_and(|spki| spki.as_bytes() == cert.public_key().raw)
        }
    })
}

/// The kind of the public key in a certificate, if talforge knows it.
pub fn cert_key_kind(cert: &X509Certificate<'_>) -> Option<KeyKind> {
    use x509_parser::public_key::PublicKey as Pk;
    match cert.public_key().parsed().ok()? {
        Pk::EC(p) if p.key_size() == 256 => Some(KeyKind::EcdsaP256),
        Pk::RSA(_) => Some(KeyKind::Rsa),
        _ if cert.public_key().algorithm.algorithm.to_id_string() == "1.3.101.112" => {
            Some(KeyKind::Ed25519)
        }
        _ => None,
    }
}

fn organization_dn<'a>(orgs: impl Iterator<Item = &'a str>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    for o in orgs {
        dn.push(DnType::OrganizationName, dn_value(o));
    }
    dn
}

/// Go's asn1 writes PrintableString when the text allows it, else UTF8String.
fn dn_value(s: &str) -> DnValue {
    PrintableString::try_from(s).map_or_else(
        |_| DnValue::Utf8String(s.to_string()),
        DnValue::PrintableString,
    )
}

/// A random positive serial below 2^128, as `x509.NewSerialNumber`.
fn serial() -> Result<SerialNumber, PkiError> {
    let mut bytes = random_bytes(16)?;
    // DER integers are minimal: drop leading zero bytes (keep one for zero itself).
    while bytes.len() > 1 && bytes[0] == 0 {
        bytes.remove(0);
    }
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    Ok(SerialNumber::from_slice(&bytes))
}

fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

fn pem_text(tag: &str, der: Vec<u8>) -> String {
    let cfg = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    pem::encode_config(&pem::Pem::new(tag, der), cfg)
}

mod der;

use der::{ec_pkcs8_to_sec1, ec_sec1_to_pkcs8};

#[cfg(test)]
mod tests;
