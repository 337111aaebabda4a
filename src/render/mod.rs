//! Renders the model into files: talconfig.yaml, patches, machine configs, talosconfig.
