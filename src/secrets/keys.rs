//! Age identities for decryption: `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY`, the sops default keys file.
