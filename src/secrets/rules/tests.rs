//! Tests of `.sops.yaml` parsing, matching and rule insertion.
