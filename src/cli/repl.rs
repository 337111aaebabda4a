//! `talforge repl [SCRIPT]`: explore a cluster interactively, or run commands from `--eval`
//! or a pipe.

use super::Reporter;
use crate::repl::{self, Session, Style};
use crate::script::Limits;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `repl`.
#[derive(Debug, clap::Args)]
pub struct ReplArgs {
    /// The cluster script to load first (e.g. `clusters/infra.rhai`).
    pub script: Option<PathBuf>,
    /// Run this input (a `:`-command or Rhai) instead of reading stdin; repeatable.
    #[arg(long, short = 'e', value_name = "INPUT")]
    pub eval: Vec<String>,
}

pub(super) fn run(a: &ReplArgs, r: &Reporter) -> u8 {
    let style = Style {
        format: r.format,
        color: r.color,
    };
    let interactive = a.eval.is_empty() && std::io::stdin().is_terminal();
    let mut session = Session::new(Limits::default());
    if let Some(script) = &a.script {
        let out = session.load(script);
        if !out.diagnostics.is_empty() {
            eprint!("{}", out.report(style.format, style.color));
        }
        // Scripted use stops at a script that does not load; a person can fix it and
        // `:reload`.
        if out.failed() && !interactive {
            return 1;
        }
        if interactive && !out.failed() {
            print!("{}", out.text);
        }
    }
    if !a.eval.is_empty() {
        let inputs: Vec<String> = a.eval.iter().flat_map(|e| repl::split_inputs(e)).collect();
        return repl::batch(&mut session, &inputs, style);
    }
    if interactive {
        repl::interactive(session, style)
    } else {
        repl::piped(&mut session, style)
    }
}
