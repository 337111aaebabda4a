//! Tab completion and argument hints, computed from the session (no terminal involved).

use super::command::{self, COMMANDS};
use super::session::Session;
use super::view;
use crate::script::docs;

impl Session {
    /// Completions for the word that ends at byte `pos` of `line`: where it starts and the
    /// candidates that replace it (commands, node names, config paths, function and variable
    /// names, files after `:load`).
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..pos.min(line.len())];
        let lead = before.len() - before.trim_start().len();
        if before[lead..].starts_with(':') {
            return self.complete_command(before, lead);
        }
        // Rhai: the identifier (with `::` paths) that ends at the cursor.
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == ':')
            .last()
            .map_or(before.len(), |(i, _)| i);
        let word = &before[start..];
        if word.is_empty() {
            return (pos, Vec::new());
        }
        let cands = self
            .names()
            .into_iter()
            .filter(|n| n.starts_with(word) && n != word)
            .collect();
        (start, cands)
    }

    fn complete_command(&self, before: &str, lead: usize) -> (usize, Vec<String>) {
        let body = &before[lead..];
        let Some(space) = body.find(char::is_whitespace) else {
            let mut names: Vec<String> = COMMANDS
                .iter()
                .map(|s| format!(":{}", s.name))
                .filter(|n| n.starts_with(body))
                .collect();
            names.sort();
            return (lead, names);
        };
        let Some(spec) = command::spec(&body[1..space]) else {
            return (before.len(), Vec::new());
        };
        // Completed arguments, then the word under the cursor.
        let args_text = &body[space..];
        let word_start = before.len()
            - args_text
                .chars()
                .rev()
                .take_while(|c| !c.is_whitespace())
                .map(char::len_utf8)
                .sum::<usize>();
        let word = &before[word_start..];
        let done: Vec<&str> = before[lead + space..word_start]
            .split_whitespace()
            .collect();
        let cands: Vec<String> = match (spec.name, done.len()) {
            ("show" | "diff", 0) => match self.model() {
                Ok(ev) => view::node_names(&ev.fleet),
                Err(_) => Vec::new(),
            },
            ("show", 1) => match self.model() {
                Ok(ev) => match view::find_node(&ev.fleet, done[0]) {
                    Ok((c, n)) => {
                        if let Some(rest) = word.strip_prefix("talconfig.") {
                            view::complete_path(&view::talconfig_view(c, n), rest)
                                .into_iter()
                                .map(|p| format!("talconfig.{p}"))
                                .collect()
                        } else {
                            let mut paths = view::node_view(c, n)
                                .map(|v| view::complete_path(&v, word))
                                .unwrap_or_default();
                            paths.push("talconfig".into());
                            paths
                        }
                    }
                    Err(_) => Vec::new(),
                },
                Err(_) => Vec::new(),
            },
            ("funcs", 0) => docs::host_docs()
                .into_iter()
                .chain(docs::stdlib_docs())
                .map(|d| d.signature.split('(').next().unwrap_or("").to_string())
                .flat_map(|s| match s.rsplit_once('.') {
                    Some((_, m)) if !s.contains("::") => vec![m.to_string(), s.clone()],
                    _ => vec![s],
                })
                .collect(),
            ("load", 0) => files(word),
            _ => Vec::new(),
        };
        let mut cands: Vec<String> = cands.into_iter().filter(|c| c.starts_with(word)).collect();
        cands.sort();
        cands.dedup();
        (word_start, cands)
    }

    /// The argument synopsis to show after a command typed in full (`:show` → ` NODE [PATH]`).
    pub fn hint(&self, line: &str) -> Option<String> {
        if !line.trim_start().starts_with(':') {
            return signature_hint(line);
        }
        let t = line.trim_start().strip_prefix(':')?;
        let name = t.trim_end();
        if name.contains(char::is_whitespace) {
            return None;
        }
        let spec = command::spec(name)?;
        if spec.args.is_empty() {
            return None;
        }
        Some(if t.ends_with(' ') {
            spec.args.to_string()
        } else {
            format!(" {}", spec.args)
        })
    }
}

/// The parameters of a documented function whose call was just opened (`c.node(` →
/// `hostname, ip, #{ ... })`).
fn signature_hint(line: &str) -> Option<String> {
    let head = line.strip_suffix('(')?;
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == ':')
        .last()?
        .0;
    let name = &head[start..];
    let method = head[..start].ends_with('.');
    docs::host_docs()
        .into_iter()
        .chain(docs::stdlib_docs())
        .find_map(|d| {
            let (callee, rest) = d.signature.split_once('(')?;
            let short = match callee.rsplit_once('.') {
                Some((_, m)) if !callee.contains("::") => m,
                _ => callee,
            };
            (short == name && (method || !callee.contains('.'))).then(|| rest.to_string())
        })
}

/// Files and directories starting with `word` (a path typed so far).
#[allow(clippy::case_sensitive_file_extension_comparisons)] // scripts are `*.rhai` exactly, as the loader reads them
fn files(word: &str) -> Vec<String> {
    let (dir, prefix) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let read = if dir.is_empty() { "." } else { dir };
    let Ok(rd) = std::fs::read_dir(read) else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (is_dir || name.ends_with(".rhai"))
                .then(|| format!("{dir}{name}{}", if is_dir { "/" } else { "" }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::Limits;

    fn session() -> Session {
        let mut s = Session::new(Limits::default());
        let out = s.execute(
            r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.bond("bond0", ["eth0", "eth1"], #{ dhcp: true });
c.node("lab-cp-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
c.node("lab-cp-2", "10.0.0.12", #{ control_plane: true, install_disk: "/dev/sda" });
c.node("lab-wk-1", "10.0.0.13", #{ install_disk: "/dev/sda" });
let lab_net = cidr("10.0.0.0/24");
fn lab_host(i) { i }"#,
        );
        assert!(!out.failed(), "{:?}", out.diagnostics);
        s
    }

    fn cands(s: &Session, line: &str) -> (usize, Vec<String>) {
        s.complete(line, line.len())
    }

    #[test]
    fn completes_commands() {
        let s = session();
        assert_eq!(cands(&s, ":sh"), (0, vec![":show".to_string()]));
        let (_, all) = cands(&s, ":");
        assert_eq!(all.len(), COMMANDS.len());
        assert_eq!(cands(&s, "  :re").1, vec![":reload", ":render"]);
    }

    #[test]
    fn completes_nodes_and_paths() {
        let s = session();
        assert_eq!(
            cands(&s, ":show lab-cp"),
            (6, vec!["lab-cp-1".to_string(), "lab-cp-2".to_string()])
        );
        assert_eq!(cands(&s, ":diff lab-w").1, vec!["lab-wk-1"]);
        let (start, paths) = cands(&s, ":show lab-wk-1 machine.ins");
        assert_eq!(start, 15);
        assert_eq!(paths, vec!["machine.install"]);
        assert_eq!(cands(&s, ":show lab-wk-1 Bo").1, vec!["BondConfig/bond0"]);
        assert_eq!(cands(&s, ":show lab-wk-1 ta").1, vec!["talconfig"]);
        assert_eq!(
            cands(&s, ":show lab-wk-1 talconfig.networkInterfaces.").1,
            vec!["talconfig.networkInterfaces.bond0"]
        );
        assert!(cands(&s, ":show nope x").1.is_empty());
    }

    #[test]
    fn completes_functions_and_variables() {
        let s = session();
        let (start, c) = cands(&s, "let x = lab_");
        assert_eq!(start, 8);
        assert_eq!(c, vec!["lab_host", "lab_net"]);
        let (_, c) = cands(&s, "talos::lacp");
        assert_eq!(c, vec!["talos::lacp_bond"]);
        assert!(
            cands(&s, "c.cilium")
                .1
                .contains(&"cilium_ready".to_string())
        );
        assert!(cands(&s, ":funcs lacp").1.is_empty());
        assert_eq!(cands(&s, ":funcs cilium").1, vec!["cilium_ready"]);
    }

    #[test]
    fn hints_arguments() {
        let s = Session::new(Limits::default());
        assert_eq!(s.hint(":show").as_deref(), Some(" NODE [PATH]"));
        assert_eq!(s.hint(":show ").as_deref(), Some("NODE [PATH]"));
        assert_eq!(s.hint(":show a"), None);
        assert_eq!(s.hint(":nodes"), None);
        assert_eq!(s.hint("let v = ip(").as_deref(), Some("text)"));
        assert_eq!(
            s.hint("talos::lacp_bond(").as_deref(),
            Some("node, name, links, mtu)")
        );
        assert!(s.hint("c.node(").unwrap().starts_with("hostname, ip, #{"));
        assert_eq!(s.hint("node("), None, "`node` is a method, not a function");
        assert_eq!(s.hint("c.node(\"x\""), None);
    }
}
