//! `talforge completions SHELL`: shell completion scripts from the clap definition.

use clap::CommandFactory;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// Shell to generate for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub(super) fn run(a: &CompletionsArgs) -> u8 {
    let mut cmd = super::args::Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "talforge", &mut std::io::stdout());
    0
}
