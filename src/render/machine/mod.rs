//! Per-node Talos machine configs as `talosctl gen config` + talhelper would produce them.
