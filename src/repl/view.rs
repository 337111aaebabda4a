//! What the REPL shows of a model: the node table, a node's documents and paths into them.
// `Diagnostic` is the error type of every step; boxing it only here would add noise.
#![allow(clippy::result_large_err)]

use crate::diag::Diagnostic;
use crate::model::{Cluster, Fleet, InstallDisk, Node};
use crate::pipeline::Problem;
use crate::pipeline::render::{self, RenderError};
use crate::secrets::bundle::Bundle;
use crate::secrets::redact::redact;
use crate::talhelper;
use crate::yaml::{EmitOptions, Yaml, emit_documents, parse_documents};

/// The documents `:show` prints for a node, and how to print them.
#[derive(Debug, Clone)]
pub(super) struct NodeView {
    /// First the main document, then any named documents (`kind` + `name`).
    pub docs: Vec<Yaml>,
    /// Indentation for printing.
    pub indent: usize,
    /// What the documents are, for messages (`talconfig entry`, `machine config`).
    pub what: &'static str,
}

/// The view of one node: its machine config as `run` renders it (Talos documents with the
/// cluster's patches applied), rendered with placeholder secrets so no age key is needed,
/// and redacted like every view (a patch may carry a secret of its own).
pub(super) fn node_view(cluster: &Cluster, node: &Node) -> Result<NodeView, RenderError> {
    let docs = render::node(cluster, node, &Bundle::placeholder())?;
    Ok(NodeView {
        docs: redacted(&docs, 4),
        indent: 4,
        what: "machine config",
    })
}

/// The node's entry in talconfig.yaml, the view before machine configs existed; kept for
/// `:show NODE talconfig`.
pub(crate) fn talconfig_view(cluster: &Cluster, node: &Node) -> NodeView {
    NodeView {
        docs: redacted(&[talhelper::write::node(cluster, node)], 2),
        indent: 2,
        what: "talconfig entry",
    }
}

/// Documents with their secret values replaced by `******`, through the text every view
/// redacts ([`redact`]), so what a path lookup finds is already redacted.
fn redacted(docs: &[Yaml], indent: usize) -> Vec<Yaml> {
    let text = redact(&emit_documents(docs, &EmitOptions { indent }));
    // Our own emitter's output always parses; if it ever did not, show nothing.
    parse_documents(&text)
        .map(|d| d.into_iter().map(|p| p.value).collect())
        .unwrap_or_default()
}

/// Finds a node by hostname (`cluster/hostname` when several clusters share one).
pub(crate) fn find_node<'a>(
    fleet: &'a Fleet,
    name: &str,
) -> Result<(&'a Cluster, &'a Node), Diagnostic> {
    let (cluster_name, host) = match name.split_once('/') {
        Some((c, h)) => (Some(c), h),
        None => (None, name),
    };
    let mut found = fleet
        .clusters
        .iter()
        .filter(|c| cluster_name.is_none_or(|n| n == c.name))
        .flat_map(|c| c.nodes.iter().map(move |n| (c, n)))
        .filter(|(_, n)| n.hostname == host);
    let Some(first) = found.next() else {
        let all = fleet
            .clusters
            .iter()
            .flat_map(|c| c.nodes.iter().map(|n| n.hostname.as_str()));
        let d = Diagnostic::error(format!("no node `{name}`"));
        return Err(match crate::diag::closest(host, all) {
            Some(c) => d.with_hint(format!("did you mean `{c}`?")),
            None => d.with_hint("`:nodes` lists the nodes"),
        });
    };
    if let Some(other) = found.next() {
        return Err(Diagnostic::error(format!(
            "node `{host}` is in clusters `{}` and `{}`",
            first.0.name, other.0.name
        ))
        .with_hint(format!("name one: `{}/{host}`", first.0.name)));
    }
    Ok(first)
}

/// Every hostname, for completion.
pub(crate) fn node_names(fleet: &Fleet) -> Vec<String> {
    fleet
        .clusters
        .iter()
        .flat_map(|c| c.nodes.iter().map(|n| n.hostname.clone()))
        .collect()
}

/// How a path names a document: `Kind/name` (`BondConfig/bond0`), or `Kind` for a document
/// without a name (`HostnameConfig`).
fn doc_key(doc: &Yaml) -> Option<String> {
    let kind = doc.get("kind")?.as_str()?;
    Some(match doc.get("name").and_then(Yaml::as_str) {
        Some(name) => format!("{kind}/{name}"),
        None => kind.to_string(),
    })
}

/// The key of a sequence item for paths: its `name`, `interface` or `hostname`.
fn item_key(item: &Yaml) -> Option<&str> {
    ["name", "interface", "hostname"]
        .iter()
        .find_map(|k| item.get(k).and_then(Yaml::as_str))
}

fn child<'a>(v: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    match v {
        Yaml::Map(m) => m.get(key),
        Yaml::Seq(items) => match key.parse::<usize>() {
            Ok(i) => items.get(i),
            Err(_) => items.iter().find(|i| item_key(i) == Some(key)),
        },
        _ => None,
    }
}

/// The names a value's children go by in paths.
fn child_keys(v: &Yaml) -> Vec<String> {
    match v {
        Yaml::Map(m) => m.keys().cloned().collect(),
        Yaml::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, it)| item_key(it).map_or_else(|| i.to_string(), str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Follows `segs` from `v`; a key may itself contain dots (`net.core.rmem_max`), so the
/// longest run of segments that names a key wins.
fn walk<'a>(v: &'a Yaml, segs: &[&str]) -> Option<&'a Yaml> {
    if segs.is_empty() {
        return Some(v);
    }
    for j in (1..=segs.len()).rev() {
        if let Some(c) = child(v, &segs[..j].join("."))
            && let Some(found) = walk(c, &segs[j..])
        {
            return Some(found);
        }
    }
    None
}

/// The document and the rest of the path `path` starts in: `Kind/name[.rest]` picks a named
/// document, `Kind[.rest]` a document of that kind when it is the only one, anything else
/// starts in the first (v1alpha1) document.
fn split_doc<'a, 'p>(view: &'a NodeView, path: &'p str) -> Option<(&'a Yaml, &'p str)> {
    let head = path.split(['.', '/']).next().unwrap_or(path);
    let of_kind: Vec<&Yaml> = view
        .docs
        .iter()
        .filter(|d| d.get("kind").and_then(Yaml::as_str) == Some(head))
        .collect();
    if let [doc] = of_kind.as_slice()
        && !path[head.len()..].starts_with('/')
    {
        return Some((doc, path[head.len()..].trim_start_matches('.')));
    }
    if let Some(slash) = path.find('/') {
        let end = path[slash..].find('.').map_or(path.len(), |i| slash + i);
        let key = &path[..end];
        let doc = view
            .docs
            .iter()
            .find(|d| doc_key(d).as_deref() == Some(key))?;
        return Some((doc, path[end..].trim_start_matches('.')));
    }
    view.docs.first().map(|d| (d, path))
}

/// Looks up a path in a node's view.
pub(crate) fn lookup<'a>(view: &'a NodeView, path: &str) -> Option<&'a Yaml> {
    let (doc, rest) = split_doc(view, path)?;
    if rest.is_empty() {
        return Some(doc);
    }
    let segs: Vec<&str> = rest.split('.').collect();
    walk(doc, &segs)
}

/// Paths that extend `partial` by one segment, for completion. Keys may contain dots, so the
/// parent is the longest dotted prefix that resolves.
pub(crate) fn complete_path(view: &NodeView, partial: &str) -> Vec<String> {
    let mut out = Vec::new();
    let dots = partial.match_indices('.').map(|(i, _)| i).rev();
    let parent = dots
        .map(|i| &partial[..i])
        .find_map(|p| lookup(view, p).map(|v| (p, v)));
    if let Some((p, v)) = parent {
        out.extend(child_keys(v).into_iter().map(|k| format!("{p}.{k}")));
    } else {
        out.extend(view.docs.iter().filter_map(doc_key));
        if let Some(first) = view.docs.first() {
            out.extend(child_keys(first));
        }
    }
    out.retain(|p| p.starts_with(partial));
    out
}

/// Prints a node's machine config, or the part at `path`; the path `talconfig` prints the
/// node's talconfig.yaml entry instead (and `talconfig.KEY` a part of it).
pub(crate) fn show(cluster: &Cluster, node: &Node, path: Option<&str>) -> Result<String, Problem> {
    let (view, path) = match path {
        Some("talconfig") => (talconfig_view(cluster, node), None),
        Some(p) if p.starts_with("talconfig.") => (
            talconfig_view(cluster, node),
            Some(&p["talconfig.".len()..]),
        ),
        _ => (
            node_view(cluster, node).map_err(|e| e.to_problem(cluster))?,
            path,
        ),
    };
    let opts = EmitOptions {
        indent: view.indent,
    };
    let Some(path) = path else {
        return Ok(emit_documents(&view.docs, &opts));
    };
    if let Some(v) = lookup(&view, path) {
        Ok(emit_documents(std::slice::from_ref(v), &opts))
    } else {
        let mut d = Diagnostic::error(format!(
            "no `{path}` in the {} of `{}`",
            view.what, node.hostname
        ));
        let parent = path.rfind('.').map_or("", |i| &path[..i]);
        let dot = if parent.is_empty() { "" } else { "." };
        let keys = complete_path(&view, &format!("{parent}{dot}"));
        if let Some(c) = crate::diag::closest(path, keys.iter().map(String::as_str)) {
            d = d.with_hint(format!("did you mean `{c}`?"));
        } else if !keys.is_empty() {
            d = d.with_hint(format!("try one of {}", list(&keys, 8)));
        }
        Err(d.into())
    }
}

fn list(items: &[String], max: usize) -> String {
    let mut s: Vec<String> = items.iter().take(max).map(|i| format!("`{i}`")).collect();
    if items.len() > max {
        s.push(format!("and {} more", items.len() - max));
    }
    s.join(", ")
}

fn disk(n: &Node) -> String {
    match &n.install {
        Some(InstallDisk::Path(p)) => p.clone(),
        Some(InstallDisk::Selector(s)) => crate::talhelper::keys::disk_selector_fields(s)
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| format!("{}={v}", k.name)))
            .collect::<Vec<_>>()
            .join(","),
        None => "-".into(),
    }
}

fn bond(n: &Node) -> String {
    let bonds: Vec<String> = n
        .interfaces
        .iter()
        .filter_map(|i| {
            let b = i.bond.as_ref()?;
            let mode = b
                .mode
                .as_deref()
                .map(|m| format!(" {m}"))
                .unwrap_or_default();
            Some(format!("{}({}){mode}", i.label(), b.links.join(",")))
        })
        .collect();
    if bonds.is_empty() {
        "-".into()
    } else {
        bonds.join(" ")
    }
}

/// The `:nodes` table; a cluster column appears when there are several clusters.
pub(crate) fn nodes_table(fleet: &Fleet) -> String {
    if fleet.clusters.iter().all(|c| c.nodes.is_empty()) {
        return "no nodes yet: add some with `cluster.node(hostname, ip, #{ ... })`\n".into();
    }
    let many = fleet.clusters.len() > 1;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec!["HOSTNAME", "ROLE", "IP", "DISK", "BOND"];
    if many {
        head.insert(0, "CLUSTER");
    }
    rows.push(head.iter().map(|s| (*s).to_string()).collect());
    for c in &fleet.clusters {
        for n in &c.nodes {
            let mut row = vec![
                n.hostname.clone(),
                n.role.machine_type().to_string(),
                n.ip.to_string(),
                disk(n),
                bond(n),
            ];
            if many {
                row.insert(0, c.name.clone());
            }
            rows.push(row);
        }
    }
    let cols = rows[0].len();
    let widths: Vec<usize> = (0..cols)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::with_capacity(rows.len() * 80);
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == cols {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(
                    ' ',
                    widths[i] - cell.chars().count() + 2,
                ));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let nodes = rows.len() - 1;
    out.push_str(&format!(
        "{nodes} node{}{}\n",
        if nodes == 1 { "" } else { "s" },
        if many {
            format!(" in {} clusters", fleet.clusters.len())
        } else {
            String::new()
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Yaml;

    fn view() -> NodeView {
        NodeView {
            docs: vec![
                Yaml::from_pairs([(
                    "machine",
                    Yaml::from_pairs([
                        (
                            "install",
                            Yaml::from_pairs([("disk", Yaml::str("/dev/sda"))]),
                        ),
                        (
                            "sysctls",
                            Yaml::from_pairs([("net.core.rmem_max", Yaml::str("2500000"))]),
                        ),
                        (
                            "interfaces",
                            Yaml::Seq(vec![Yaml::from_pairs([
                                ("interface", Yaml::str("bond0")),
                                ("mtu", Yaml::Int(9000)),
                            ])]),
                        ),
                    ]),
                )]),
                Yaml::from_pairs([
                    ("kind", Yaml::str("BondConfig")),
                    ("name", Yaml::str("bond0")),
                    ("links", Yaml::str_seq(["enp0s1", "enp0s2"])),
                ]),
            ],
            indent: 4,
            what: "machine config",
        }
    }

    #[test]
    fn looks_up_dotted_paths_documents_and_items() {
        let v = view();
        assert_eq!(
            lookup(&v, "machine.install.disk"),
            Some(&Yaml::str("/dev/sda"))
        );
        assert_eq!(
            lookup(&v, "machine.sysctls.net.core.rmem_max"),
            Some(&Yaml::str("2500000"))
        );
        assert_eq!(
            lookup(&v, "machine.interfaces.bond0.mtu"),
            Some(&Yaml::Int(9000))
        );
        assert_eq!(
            lookup(&v, "machine.interfaces.0.mtu"),
            Some(&Yaml::Int(9000))
        );
        assert_eq!(
            lookup(&v, "BondConfig/bond0.links.1"),
            Some(&Yaml::str("enp0s2"))
        );
        assert_eq!(lookup(&v, "BondConfig/bond0"), Some(&v.docs[1]));
        assert_eq!(lookup(&v, "machine.nope"), None);
        assert_eq!(lookup(&v, "BondConfig/bond1"), None);
    }

    #[test]
    fn completes_one_segment_at_a_time() {
        let v = view();
        assert_eq!(complete_path(&v, ""), vec!["BondConfig/bond0", "machine"]);
        assert_eq!(complete_path(&v, "B"), vec!["BondConfig/bond0"]);
        assert_eq!(
            complete_path(&v, "machine."),
            vec!["machine.install", "machine.sysctls", "machine.interfaces"]
        );
        assert_eq!(
            complete_path(&v, "machine.in"),
            vec!["machine.install", "machine.interfaces"]
        );
        assert_eq!(
            complete_path(&v, "machine.interfaces."),
            vec!["machine.interfaces.bond0"]
        );
        assert_eq!(
            complete_path(&v, "BondConfig/bond0.l"),
            vec!["BondConfig/bond0.links"]
        );
        assert_eq!(
            complete_path(&v, "machine.sysctls.net.co"),
            vec!["machine.sysctls.net.core.rmem_max"]
        );
    }
}
