//! The 32-byte data key: generated at random, wrapped for each age recipient as an armored age file.

use super::{SopsError, SopsErrorKind};
use crate::secrets::keys::Identities;
use age::armor::{ArmoredReader, ArmoredWriter, Format};
use std::io::{Read, Write};
use std::str::FromStr;

/// A fresh random data key.
pub fn generate() -> Result<[u8; 32], SopsError> {
    let mut k = [0u8; 32];
    getrandom::fill(&mut k).map_err(|e| {
        SopsError::new(
            SopsErrorKind::Encrypt,
            format!("cannot get random bytes: {e}"),
        )
    })?;
    Ok(k)
}

/// Parses an `age1…` recipient (sops trims surrounding whitespace).
pub fn parse_recipient(r: &str) -> Result<age::x25519::Recipient, SopsError> {
    let r = r.trim();
    age::x25519::Recipient::from_str(r).map_err(|e| {
        let why = if r.starts_with("ssh-") {
            "ssh recipients are not supported, use an `age1…` key".to_string()
        } else {
            e.to_string()
        };
        SopsError::new(
            SopsErrorKind::Config,
            format!("invalid age recipient `{r}`: {why}"),
        )
    })
}

/// Encrypts the data key to one recipient: an ASCII-armored age file ending with a newline.
pub fn wrap(key: &[u8; 32], recipient: &str) -> Result<String, SopsError> {
    let r = parse_recipient(recipient)?;
    let err = |e: &dyn std::fmt::Display| {
        SopsError::new(
            SopsErrorKind::Encrypt,
            format!("age encryption failed: {e}"),
        )
    };
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        .map_err(|e| err(&e))?;
    let mut out = Vec::new();
    let armor = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).map_err(|e| err(&e))?;
    let mut w = enc.wrap_output(armor).map_err(|e| err(&e))?;
    w.write_all(key).map_err(|e| err(&e))?;
    w.finish()
        .and_then(ArmoredWriter::finish)
        .map_err(|e| err(&e))?;
    String::from_utf8(out).map_err(|e| err(&e))
}

/// Decrypts one `enc` value with any of the identities; `Ok(None)` when none of them fits.
pub fn unwrap(enc: &str, ids: &Identities) -> Result<Option<[u8; 32]>, SopsError> {
    let bad = |e: &dyn std::fmt::Display| {
        SopsError::new(
            SopsErrorKind::Tampered,
            format!("the age-encrypted data key is damaged: {e}"),
        )
    };
    let dec = age::Decryptor::new(ArmoredReader::new(enc.as_bytes())).map_err(|e| bad(&e))?;
    let mut reader = match dec.decrypt(ids.iter()) {
        Ok(r) => r,
        Err(age::DecryptError::NoMatchingKeys) => return Ok(None),
        Err(e) => return Err(bad(&e)),
    };
    let mut key = Vec::new();
    reader.read_to_end(&mut key).map_err(|e| bad(&e))?;
    let key: [u8; 32] = key
        .try_into()
        .map_err(|k: Vec<u8>| bad(&format!("{} bytes instead of 32", k.len())))?;
    Ok(Some(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    #[test]
    fn wrap_unwrap_armored() {
        let id = age::x25519::Identity::generate();
        let ids = Identities::from_text(id.to_string().expose_secret(), "test");
        let key = [9u8; 32];
        let enc = wrap(&key, &format!(" {} ", id.to_public())).unwrap();
        assert!(
            enc.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"),
            "{enc}"
        );
        assert!(enc.ends_with("-----END AGE ENCRYPTED FILE-----\n"));
        assert!(enc.lines().all(|l| l.len() <= 64));
        assert_eq!(unwrap(&enc, &ids).unwrap(), Some(key));
        let other = Identities::from_text(
            age::x25519::Identity::generate()
                .to_string()
                .expose_secret(),
            "x",
        );
        assert_eq!(unwrap(&enc, &other).unwrap(), None);
    }

    #[test]
    fn bad_recipients() {
        assert!(wrap(&[0; 32], "age1nope").is_err());
        let e = wrap(&[0; 32], "ssh-ed25519 AAAA").unwrap_err();
        assert!(
            e.message.contains("ssh recipients are not supported"),
            "{}",
            e.message
        );
    }
}
