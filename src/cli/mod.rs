//! Subcommands of the talforge binary, one file each.

/// Runs the command line; returns the process exit code.
pub fn run() -> u8 {
    0
}
