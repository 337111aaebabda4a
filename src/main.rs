//! talforge binary: parse arguments, run, map the result to an exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(talforge::cli::run())
}
