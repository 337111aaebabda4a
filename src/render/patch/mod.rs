//! Talos config patching: strategic merge, `$patch: delete`, JSON6902.
