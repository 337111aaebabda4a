//! talforge binary: parse arguments, run, map the result to an exit code.

fn main() -> std::process::ExitCode {
    // Rust starts with SIGPIPE ignored, so printing to a closed pipe (`talforge doc | head -1`)
    // fails with EPIPE and `println!` (and clap_complete's writer) panic with exit 101. Restore
    // the default, as cat and grep have it: the process ends quietly at that write, which the
    // shell reports as 141. Every command prints after its work is done (`run` lists files
    // once they are all written), so nothing is left half-written.
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::ExitCode::from(talforge::cli::run())
}
