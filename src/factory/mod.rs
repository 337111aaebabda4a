//! The Talos Image Factory: schematics and their IDs, installer and boot image URLs, and the
//! official system extensions each Talos release offers.

pub mod extensions;
pub mod schematic;
mod template;
pub mod url;
