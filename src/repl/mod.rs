//! Interactive exploration of a cluster: a UI-free session and a rustyline front end.
//!
//! `session.rs` owns the live engine and the model and runs inputs into [`Output`]s;
//! `command.rs` parses `:`-commands, `view.rs`, `files.rs` and `diff.rs` format what they show,
//! `complete.rs` answers Tab, and `frontend.rs` is the only terminal-aware part.

mod command;
mod complete;
mod diff;
mod files;
mod frontend;
mod session;
mod view;

pub use frontend::{Style, batch, interactive, piped, split_inputs};
pub use session::Session;
