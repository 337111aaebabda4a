//! The SOPS file format: AES-256-GCM leaves, MAC, metadata, age-wrapped data key.
