//! One SOPS value: AES-256-GCM with a 32-byte IV, written as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`.

use aes_gcm::aead::consts::U32;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

/// sops uses Go's `NewGCMWithNonceSize(aes, 32)`, not the usual 12-byte nonce.
type SopsGcm = aes_gcm::AesGcm<Aes256, U32>;

const IV_LEN: usize = 32;
const TAG_LEN: usize = 16;

/// The `type:` of an encrypted value, which tells how to turn the plaintext back into a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// A string.
    Str,
    /// An integer (`strconv.Itoa` text).
    Int,
    /// A float (`FormatFloat(v, 'f', -1, 64)` text).
    Float,
    /// A boolean (`True` / `False`).
    Bool,
    /// A timestamp (RFC 3339), sops 3.10+.
    Time,
    /// A comment line's text after the `#`.
    Comment,
    /// Raw bytes (not produced by the YAML store).
    Bytes,
}

impl ValueType {
    /// The name used in `type:`.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Str => "str",
            ValueType::Int => "int",
            ValueType::Float => "float",
            ValueType::Bool => "bool",
            ValueType::Time => "time",
            ValueType::Comment => "comment",
            ValueType::Bytes => "bytes",
        }
    }

    fn parse(s: &str) -> Option<ValueType> {
        Some(match s {
            "str" => ValueType::Str,
            "int" => ValueType::Int,
            "float" => ValueType::Float,
            "bool" => ValueType::Bool,
            "time" => ValueType::Time,
            "comment" => ValueType::Comment,
            "bytes" => ValueType::Bytes,
            _ => return None,
        })
    }
}

/// Why a value could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CipherError {
    /// Not an `ENC[AES256_GCM,…]` string (or bad base64 / IV / tag inside it).
    Malformed(String),
    /// Authentication failed: wrong data key, tampered value, or moved to another path.
    Authentication,
    /// `type:` names no known type.
    UnknownType(String),
    /// The system random number generator failed.
    Random(String),
}

impl std::fmt::Display for CipherError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CipherError::Malformed(m) => write!(f, "malformed encrypted value: {m}"),
            CipherError::Authentication => f.write_str("AES-GCM authentication failed"),
            CipherError::UnknownType(t) => write!(f, "unknown datatype `{t}`"),
            CipherError::Random(m) => write!(f, "cannot get random bytes: {m}"),
        }
    }
}

/// Encrypts `plaintext` with `key` and `aad` under a fresh random IV.
/// An empty plaintext gives an empty string, as sops writes `key: ""` unencrypted.
pub fn encrypt(
    key: &[u8; 32],
    plaintext: &[u8],
    aad: &str,
    ty: ValueType,
) -> Result<String, CipherError> {
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let mut iv = [0u8; IV_LEN];
    random_iv(&mut iv)?;
    Ok(encrypt_with_iv(key, &iv, plaintext, aad, ty))
}

/// Fills an IV from the OS generator, through a per-thread buffer: a machine config has
/// hundreds of values, and one `getrandom` call per value was a large share of a fleet run.
/// Every byte still comes from the OS and is handed out once.
fn random_iv(iv: &mut [u8; IV_LEN]) -> Result<(), CipherError> {
    use std::cell::RefCell;
    const POOL: usize = IV_LEN * 256;
    thread_local! {
        static BUF: RefCell<(Vec<u8>, usize)> = const { RefCell::new((Vec::new(), 0)) };
    }
    BUF.with(|b| {
        let mut b = b.borrow_mut();
        let (buf, used) = &mut *b;
        if buf.len() != POOL || *used + IV_LEN > POOL {
            buf.resize(POOL, 0);
            getrandom::fill(buf).map_err(|e| CipherError::Random(e.to_string()))?;
            *used = 0;
        }
        iv.copy_from_slice(&buf[*used..*used + IV_LEN]);
        // Zero what was handed out so no IV stays in memory twice.
        buf[*used..*used + IV_LEN].fill(0);
        *used += IV_LEN;
        Ok(())
    })
}

/// Encrypts with a given IV (deterministic; for tests and for re-using an IV of an unchanged value).
pub fn encrypt_with_iv(
    key: &[u8; 32],
    iv: &[u8; IV_LEN],
    plaintext: &[u8],
    aad: &str,
    ty: ValueType,
) -> String {
    let gcm = SopsGcm::new(key.into());
    let sealed = gcm
        .encrypt(
            iv.into(),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        // AES-GCM only fails for inputs beyond 64 GiB, which a YAML value never reaches.
        .expect("AES-GCM encryption of a small value");
    let (data, tag) = sealed.split_at(sealed.len() - TAG_LEN);
    format!(
        "ENC[AES256_GCM,data:{},iv:{},tag:{},type:{}]",
        B64.encode(data),
        B64.encode(iv),
        B64.encode(tag),
        ty.name()
    )
}

/// Whether a string looks like an encrypted value (starts with `ENC[AES256_GCM,`).
pub fn is_encrypted(s: &str) -> bool {
    s.starts_with("ENC[AES256_GCM,")
}

/// Decrypts an `ENC[…]` string; an empty string decrypts to an empty string value.
pub fn decrypt(
    key: &[u8; 32],
    value: &str,
    aad: &str,
) -> Result<(Vec<u8>, ValueType), CipherError> {
    if value.is_empty() {
        return Ok((Vec::new(), ValueType::Str));
    }
    let parts = Parts::parse(value)?;
    let ty = ValueType::parse(parts.ty).ok_or_else(|| CipherError::UnknownType(parts.ty.into()))?;
    let data = decode(parts.data, "data")?;
    let iv = decode(parts.iv, "iv")?;
    let tag = decode(parts.tag, "tag")?;
    let iv: [u8; IV_LEN] = iv.try_into().map_err(|v: Vec<u8>| {
        CipherError::Malformed(format!("iv is {} bytes, sops writes {IV_LEN}", v.len()))
    })?;
    if tag.len() != TAG_LEN {
        return Err(CipherError::Malformed(format!(
            "tag is {} bytes, expected {TAG_LEN}",
            tag.len()
        )));
    }
    let mut sealed = data;
    sealed.extend_from_slice(&tag);
    let gcm = SopsGcm::new(key.into());
    let plain = gcm
        .decrypt(
            (&iv).into(),
            Payload {
                msg: &sealed,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| CipherError::Authentication)?;
    Ok((plain, ty))
}

fn decode(s: &str, what: &str) -> Result<Vec<u8>, CipherError> {
    B64.decode(s)
        .map_err(|e| CipherError::Malformed(format!("{what} is not base64: {e}")))
}

/// The four fields of `ENC[AES256_GCM,data:D,iv:I,tag:T,type:Y]`.
struct Parts<'a> {
    data: &'a str,
    iv: &'a str,
    tag: &'a str,
    ty: &'a str,
}

impl<'a> Parts<'a> {
    /// Splits like sops' regex `^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]`
    /// (base64 never contains `,`, so splitting on the field names is exact).
    fn parse(s: &'a str) -> Result<Parts<'a>, CipherError> {
        let bad =
            || CipherError::Malformed("expected `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`".into());
        let inner = s
            .strip_prefix("ENC[AES256_GCM,data:")
            .and_then(|r| r.strip_suffix(']'))
            .ok_or_else(bad)?;
        let (data, rest) = inner.split_once(",iv:").ok_or_else(bad)?;
        let (iv, rest) = rest.split_once(",tag:").ok_or_else(bad)?;
        let (tag, ty) = rest.split_once(",type:").ok_or_else(bad)?;
        Ok(Parts { data, iv, tag, ty })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    #[test]
    fn round_trip_and_layout() {
        let enc = encrypt(&KEY, b"demo", "cluster:name:", ValueType::Str).unwrap();
        assert!(enc.starts_with("ENC[AES256_GCM,data:"), "{enc}");
        assert!(enc.ends_with(",type:str]"));
        let (pt, ty) = decrypt(&KEY, &enc, "cluster:name:").unwrap();
        assert_eq!((pt.as_slice(), ty), (&b"demo"[..], ValueType::Str));
        // 32-byte IV → 44 base64 chars; 16-byte tag → 24.
        let iv = enc.split(",iv:").nth(1).unwrap().split(',').next().unwrap();
        assert_eq!(iv.len(), 44);
    }

    #[test]
    fn wrong_aad_or_key_fails_authentication() {
        let enc = encrypt(&KEY, b"x", "a:", ValueType::Int).unwrap();
        assert_eq!(decrypt(&KEY, &enc, "b:"), Err(CipherError::Authentication));
        assert_eq!(
            decrypt(&[8; 32], &enc, "a:"),
            Err(CipherError::Authentication)
        );
    }

    #[test]
    fn empty_values_stay_empty() {
        assert_eq!(encrypt(&KEY, b"", "a:", ValueType::Str).unwrap(), "");
        assert_eq!(decrypt(&KEY, "", "a:").unwrap(), (vec![], ValueType::Str));
    }

    #[test]
    fn malformed_and_unknown_type() {
        assert!(matches!(
            decrypt(&KEY, "ENC[nope]", "a:"),
            Err(CipherError::Malformed(_))
        ));
        let enc = encrypt(&KEY, b"x", "a:", ValueType::Str).unwrap();
        let odd = enc.replace("type:str", "type:blob");
        assert_eq!(
            decrypt(&KEY, &odd, "a:"),
            Err(CipherError::UnknownType("blob".into()))
        );
    }

    #[test]
    fn deterministic_with_fixed_iv() {
        let a = encrypt_with_iv(&KEY, &[1; 32], b"v", "k:", ValueType::Str);
        let b = encrypt_with_iv(&KEY, &[1; 32], b"v", "k:", ValueType::Str);
        assert_eq!(a, b);
    }
}
