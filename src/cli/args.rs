//! The command line's global flags and its top-level parser.

use super::Command;
use clap::{Parser, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  talforge run clusters/infra.rhai           write clusters/infra/talos/
  talforge run clusters/infra.rhai --check   exit 1 and list files that would change
  talforge check clusters/infra.rhai         evaluate and validate, write nothing
  talforge completions bash > /etc/bash_completion.d/talforge";

/// Turn a Rhai script describing Talos clusters into talhelper config, patches and the
/// files a GitOps repository keeps.
#[derive(Debug, Parser)]
#[command(name = "talforge", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    /// When to use colors in diagnostics (`NO_COLOR` is respected with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human, global = true)]
    pub diagnostic_format: DiagFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when stderr is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// `--diagnostic-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagFormat {
    /// Source snippets with carets.
    Human,
    /// `file:line:col: severity: message`.
    Short,
    /// One JSON object per line.
    Json,
}
