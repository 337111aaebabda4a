//! Certificate authorities and keys for the secrets bundle (ECDSA P-256, Ed25519, RSA-4096).
