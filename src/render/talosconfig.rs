//! The talosctl client config (`talosconfig`) with an admin certificate signed by the OS CA.
