//! The `:`-commands of the REPL, parsed from an input line.
// `Diagnostic` is the error type of every step; boxing it only here would add noise.
#![allow(clippy::result_large_err)]

use crate::diag::Diagnostic;
use std::path::PathBuf;
use std::str::FromStr;

/// One `:`-command with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Command {
    /// `:help`: list the commands.
    Help,
    /// `:load FILE`: run a script, replacing the session.
    Load(PathBuf),
    /// `:reload`: run the session's script again from scratch.
    Reload,
    /// `:nodes`: a table of every node.
    Nodes,
    /// `:show NODE [PATH]`: a node's configuration, or one part of it.
    Show {
        /// Hostname.
        node: String,
        /// Dotted path such as `machine.network`, or `Kind/name` for a document.
        path: Option<String>,
    },
    /// `:talconfig`: the talconfig.yaml of every cluster.
    Talconfig,
    /// `:render`: the files `run` would write, with sizes and changes.
    Render,
    /// `:diff [NODE]`: unified diff of the planned files against the disk.
    Diff(Option<String>),
    /// `:validate`: the checks `talforge check` runs.
    Validate,
    /// `:funcs [PREFIX]`: host and stdlib functions with their docs.
    Funcs(Option<String>),
    /// `:quit`: leave.
    Quit,
}

/// A command's name, aliases, argument synopsis and one-line help.
pub(super) struct Spec {
    /// Name without the colon.
    pub name: &'static str,
    /// Short forms.
    pub aliases: &'static [&'static str],
    /// Argument synopsis (`NODE [PATH]`), empty when there are none.
    pub args: &'static str,
    /// What it does.
    pub help: &'static str,
}

/// Every command, in `:help` order.
pub(super) const COMMANDS: &[Spec] = &[
    Spec {
        name: "help",
        aliases: &["h", "?"],
        args: "",
        help: "list the commands",
    },
    Spec {
        name: "load",
        aliases: &["l"],
        args: "FILE",
        help: "run a cluster script and explore it (replaces the session)",
    },
    Spec {
        name: "reload",
        aliases: &["r"],
        args: "",
        help: "run the session's script again from scratch",
    },
    Spec {
        name: "nodes",
        aliases: &["n"],
        args: "",
        help: "table of nodes: hostname, role, IP, install disk, bond",
    },
    Spec {
        name: "show",
        aliases: &["s"],
        args: "NODE [PATH]",
        help: "a node's machine config (secrets redacted), or the part at PATH",
    },
    Spec {
        name: "talconfig",
        aliases: &["tc"],
        args: "",
        help: "the talconfig.yaml of every cluster",
    },
    Spec {
        name: "render",
        aliases: &[],
        args: "",
        help: "the files `talforge run` would write: size and whether each changes",
    },
    Spec {
        name: "diff",
        aliases: &["d"],
        args: "[NODE]",
        help: "diff of those files against the disk; SOPS files decrypted with your age key",
    },
    Spec {
        name: "validate",
        aliases: &["v"],
        args: "",
        help: "run the checks of `talforge check`",
    },
    Spec {
        name: "funcs",
        aliases: &["f"],
        args: "[PREFIX]",
        help: "host and stdlib functions with their docs",
    },
    Spec {
        name: "quit",
        aliases: &["q", "exit"],
        args: "",
        help: "leave (Ctrl-D works too)",
    },
];

/// The spec of a command name or alias (without the colon).
pub(crate) fn spec(word: &str) -> Option<&'static Spec> {
    COMMANDS
        .iter()
        .find(|s| s.name == word || s.aliases.contains(&word))
}

/// `:name ARGS` as typed.
pub(crate) fn usage(s: &Spec) -> String {
    if s.args.is_empty() {
        format!(":{}", s.name)
    } else {
        format!(":{} {}", s.name, s.args)
    }
}

/// The `:help` text.
pub(crate) fn help() -> String {
    let mut out = String::from(
        "Enter Rhai statements (they see the script's variables and functions; a trailing `;`\n\
         hides the value) or commands:\n",
    );
    let width = COMMANDS.iter().map(|s| usage(s).len()).max().unwrap_or(0);
    for s in COMMANDS {
        out.push_str(&format!("  {:<width$}  {}\n", usage(s), s.help));
    }
    out.push_str(
        "PATH is dotted (`machine.network`), starts at a document (`BondConfig/bond0.links`)\n\
         or is `talconfig[.KEY]` for the node's talconfig.yaml entry.\n\
         Tab completes commands, functions, node names and config paths.\n",
    );
    out
}

impl FromStr for Command {
    type Err = Diagnostic;

    fn from_str(line: &str) -> Result<Command, Diagnostic> {
        let line = line.trim();
        let body = line.strip_prefix(':').unwrap_or(line);
        let mut words = body.split_whitespace();
        let word = words.next().unwrap_or("");
        let args: Vec<&str> = words.collect();
        let Some(s) = spec(word) else {
            let names = COMMANDS.iter().map(|s| s.name);
            let mut d = Diagnostic::error(format!("unknown command `:{word}`"));
            d = match crate::diag::closest(word, names) {
                Some(c) => d.with_hint(format!("did you mean `:{c}`?")),
                None => d.with_hint("`:help` lists the commands"),
            };
            return Err(d);
        };
        let max = s.args.split_whitespace().count();
        let min = s
            .args
            .split_whitespace()
            .filter(|a| !a.starts_with('['))
            .count();
        if args.len() < min || args.len() > max {
            return Err(Diagnostic::error(format!(
                "`:{}` takes {}",
                s.name,
                if max == 0 {
                    "no arguments".to_string()
                } else {
                    format!("`{}`", s.args)
                }
            ))
            .with_hint(format!("usage: `{}`", usage(s))));
        }
        let arg = |i: usize| args.get(i).map(|a| (*a).to_string());
        Ok(match s.name {
            "help" => Command::Help,
            "load" => Command::Load(PathBuf::from(args[0])),
            "reload" => Command::Reload,
            "nodes" => Command::Nodes,
            "show" => Command::Show {
                node: args[0].to_string(),
                path: arg(1),
            },
            "talconfig" => Command::Talconfig,
            "render" => Command::Render,
            "diff" => Command::Diff(arg(0)),
            "validate" => Command::Validate,
            "funcs" => Command::Funcs(arg(0)),
            _ => Command::Quit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_aliases_and_arguments() {
        assert_eq!(":q".parse::<Command>().unwrap(), Command::Quit);
        assert_eq!(
            ":show infra-cp-1 machine.install"
                .parse::<Command>()
                .unwrap(),
            Command::Show {
                node: "infra-cp-1".into(),
                path: Some("machine.install".into())
            }
        );
        assert_eq!(":diff".parse::<Command>().unwrap(), Command::Diff(None));
        assert_eq!(
            ":funcs talos".parse::<Command>().unwrap(),
            Command::Funcs(Some("talos".into()))
        );
    }

    #[test]
    fn rejects_unknown_commands_and_bad_arity() {
        let e = ":shwo a".parse::<Command>().unwrap_err();
        assert_eq!(e.message, "unknown command `:shwo`");
        assert_eq!(e.hints, vec!["did you mean `:show`?"]);
        let e = ":show".parse::<Command>().unwrap_err();
        assert_eq!(e.message, "`:show` takes `NODE [PATH]`");
        let e = ":nodes x".parse::<Command>().unwrap_err();
        assert_eq!(e.message, "`:nodes` takes no arguments");
    }

    #[test]
    fn help_lists_every_command() {
        let h = help();
        for s in COMMANDS {
            assert!(h.contains(&format!(":{}", s.name)), "{h}");
        }
    }
}
