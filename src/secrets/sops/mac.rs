//! The sops MAC: SHA-512 over the plaintext leaves in order, stored AES-GCM-encrypted with `lastmodified` as AAD.

use super::cipher::{self, CipherError, ValueType};
use sha2::{Digest, Sha256, Sha512};

/// Running SHA-512 over leaf bytes in document order.
pub struct MacHasher(Sha512);

impl MacHasher {
    /// A fresh hasher; with `mac_only_encrypted` sops first feeds `sha256("sops")` so the two
    /// modes never produce the same MAC.
    pub fn new(mac_only_encrypted: bool) -> Self {
        let mut h = Sha512::new();
        if mac_only_encrypted {
            h.update(Sha256::digest(b"sops"));
        }
        MacHasher(h)
    }

    /// Adds one leaf's bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Uppercase hex of the digest (`fmt.Sprintf("%X")`).
    pub fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }
}

/// Encrypts the MAC hex for `sops.mac`.
pub fn seal(key: &[u8; 32], mac_hex: &str, lastmodified: &str) -> Result<String, CipherError> {
    cipher::encrypt(key, mac_hex.as_bytes(), lastmodified, ValueType::Str)
}

/// Decrypts `sops.mac` back to its hex text.
pub fn open(key: &[u8; 32], sealed: &str, lastmodified: &str) -> Result<String, CipherError> {
    let (plain, _) = cipher::decrypt(key, sealed, lastmodified)?;
    String::from_utf8(plain).map_err(|_| CipherError::Malformed("MAC is not text".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_uppercase_sha512() {
        let mut h = MacHasher::new(false);
        h.update(b"a");
        h.update(b"bc");
        // sha512("abc")
        assert!(h.finish().starts_with("DDAF35A193617ABACC417349AE204131"));
    }

    #[test]
    fn mac_only_encrypted_changes_the_digest() {
        assert_ne!(
            MacHasher::new(true).finish(),
            MacHasher::new(false).finish()
        );
    }

    #[test]
    fn seal_open_uses_lastmodified_as_aad() {
        let k = [3u8; 32];
        let s = seal(&k, "ABC", "2026-01-01T00:00:00Z").unwrap();
        assert_eq!(open(&k, &s, "2026-01-01T00:00:00Z").unwrap(), "ABC");
        assert!(open(&k, &s, "2026-01-01T00:00:01Z").is_err());
    }
}
