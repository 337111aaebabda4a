//! `talosctl validate` rules for Talos v1.12 machine configs, with Talos' exact messages.
