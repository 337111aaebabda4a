//! The official system extensions of each Talos release (data/extensions.txt, rebuilt by
//! scripts/extensions.py from siderolabs/extensions tags) and talhelper's schematic check.

use crate::diag::{Diagnostic, closest};
use crate::model::{Cluster, Node, Schematic, Version};
use std::collections::BTreeSet;

/// One line per tag: the first lists every name, the others `+added` / `-dropped`.
const DATA: &str = include_str!("../../data/extensions.txt");

/// Why a versions' list is the one used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    /// The tag whose list this is (`v1.12.0`).
    pub tag: String,
    /// `siderolabs/<name>`, sorted.
    pub names: BTreeSet<String>,
}

/// Builds the tables the first schematic check reads, off the caller's thread.
pub(crate) fn warm() {
    let _ = releases();
}

/// The release tags in file order (no pre-releases) with their extension sets.
fn releases() -> &'static [(Version, BTreeSet<String>)] {
    static ALL: std::sync::OnceLock<Vec<(Version, BTreeSet<String>)>> = std::sync::OnceLock::new();
    ALL.get_or_init(read_releases)
}

/// Reads [`DATA`] (once: every cluster's schematic check looks it up).
fn read_releases() -> Vec<(Version, BTreeSet<String>)> {
    let mut cur: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for line in DATA.lines().filter(|l| !l.starts_with('#')) {
        let mut words = line.split_whitespace();
        let Some(tag) = words.next() else { continue };
        for w in words {
            if let Some(n) = w.strip_prefix('+') {
                cur.insert(n.to_string());
            } else if let Some(n) = w.strip_prefix('-') {
                cur.remove(n);
            } else {
                cur.insert(w.to_string());
            }
        }
        // Pre-release tags carry a `-`; a Talos version in a config is a release.
        if !tag.contains('-')
            && let Some(v) = Version::parse(tag)
        {
            out.push((v, cur.clone()));
        }
    }
    out
}

/// The official extensions for `talos`: its own tag's, else the newest release of its minor
/// before it, else (as talhelper falls back to its latest Talos) the newest release there is.
pub fn official(talos: &Version) -> Official {
    let all = releases();
    let pick = all
        .iter()
        .find(|(v, _)| v == talos)
        .or_else(|| {
            all.iter()
                .filter(|(v, _)| v.minor_pair() == talos.minor_pair() && v < talos)
                .max_by_key(|(v, _)| *v)
        })
        .or_else(|| all.iter().max_by_key(|(v, _)| *v));
    match pick {
        Some((v, names)) => Official {
            tag: v.to_string(),
            names: names.iter().map(|n| format!("siderolabs/{n}")).collect(),
        },
        None => Official {
            tag: String::new(),
            names: BTreeSet::new(),
        },
    }
}

/// How a skip is spelt where the node was written, for the hint.
#[derive(Debug, Clone, Copy)]
pub enum Surface {
    /// A script: `no_schematic_validate: true`.
    Script,
    /// A talconfig: `noSchematicValidate: true`.
    Talconfig,
}

/// talhelper's `checkNodeSchematic` for every node of `cluster` that does not opt out (only
/// against the default factory, as talhelper): each unknown extension (with the closest
/// official name) and each duplicate, at the line that names it; an overlay needs both
/// `image` and `name`.
pub fn check(cluster: &Cluster, surface: Surface) -> Vec<Diagnostic> {
    let registry = cluster.image_factory.resolved().registry_url;
    if registry != crate::model::DEFAULT_REGISTRY {
        return Vec::new();
    }
    let official = official(&cluster.talos_version);
    let mut out = Vec::new();
    for node in cluster.nodes.iter().filter(|n| !n.no_schematic_validate) {
        for s in [&node.schematic, &node.image_schematic]
            .into_iter()
            .flatten()
        {
            check_schematic(node, s, &official, surface, &mut out);
        }
    }
    out
}

fn check_schematic(
    node: &Node,
    s: &Schematic,
    official: &Official,
    surface: Surface,
    out: &mut Vec<Diagnostic>,
) {
    let skip = match surface {
        Surface::Script => "no_schematic_validate: true",
        Surface::Talconfig => "noSchematicValidate: true",
    };
    let mut seen = BTreeSet::new();
    let exts = &s.customization.official_extensions;
    for (i, ext) in exts.iter().enumerate() {
        let span = s
            .extension_spans
            .get(i)
            .cloned()
            .flatten()
            .or_else(|| s.span.clone())
            .or_else(|| node.span.clone());
        if !official.names.contains(ext) {
            let mut d = Diagnostic::error(format!(
                "`{ext}` is not an official system extension for Talos {}",
                official.tag
            ))
            .at_opt(span.clone());
            let bare = ext.rsplit('/').next().unwrap_or(ext);
            let near = closest(ext, official.names.iter().map(String::as_str)).or_else(|| {
                official
                    .names
                    .iter()
                    .map(String::as_str)
                    .find(|n| n.rsplit('/').next() == Some(bare))
            });
            d = match near {
                Some(c) => d.with_hint(format!("did you mean `{c}`?")),
                None => d.with_hint(format!(
                    "`talforge schematic --extensions` with the script or `-c talconfig.yaml` lists the official ones; for an extension this list does not know yet, set `{skip}` on node `{}`",
                    node.hostname
                )),
            };
            out.push(d);
        } else if !seen.insert(ext.as_str()) {
            out.push(
                Diagnostic::error(format!("duplicate system extension `{ext}`"))
                    .at_opt(span)
                    .with_hint("list each extension once"),
            );
        }
    }
    let o = &s.overlay;
    if (o.image.is_empty() || o.name.is_empty()) && !(o.image.is_empty() && o.name.is_empty()) {
        out.push(
            Diagnostic::error(format!(
                "the overlay of node `{}` needs both `image` and `name`",
                node.hostname
            ))
            .at_opt(s.span.clone().or_else(|| node.span.clone()))
            .with_hint("e.g. `overlay: { image: siderolabs/sbc-raspberrypi, name: rpi_generic }`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn lists_follow_the_release_tags() {
        let o = official(&v("v1.12.0"));
        assert_eq!(o.tag, "v1.12.0");
        // talhelper v3.1.16's schemas/talos-extensions.json lists 77 for v1.12.0.
        assert_eq!(o.names.len(), 77);
        assert!(o.names.contains("siderolabs/iscsi-tools"));
        assert!(
            o.names
                .contains("siderolabs/nonfree-kmod-nvidia-production")
        );
        // v1.3.0 still had the unsuffixed NVIDIA packages.
        let old = official(&v("v1.3.0"));
        assert!(old.names.contains("siderolabs/nvidia-container-toolkit"));
        assert!(
            !old.names
                .contains("siderolabs/nvidia-container-toolkit-lts")
        );
        // An unreleased patch takes the newest of its minor; an unknown minor the newest.
        assert!(official(&v("v1.12.99")).tag.starts_with("v1.12."));
        assert!(official(&v("v9.0.0")).tag.starts_with("v1.1"));
    }

    #[test]
    fn unknown_and_duplicate_extensions_are_errors_with_the_nearest_name() {
        let mut c = Cluster::new("c", "https://10.0.0.1:6443", v("v1.12.0"), v("v1.35.0"));
        let ip: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        let mut n = Node::new("n1", ip, Role::Worker);
        let mut s = Schematic::default();
        s.customization.official_extensions = vec![
            "siderolabs/iscsi-tool".into(),
            "siderolabs/intel-ucode".into(),
            "siderolabs/intel-ucode".into(),
            "example/custom".into(),
        ];
        n.schematic = Some(s);
        c.nodes.push(n.clone());
        let d = check(&c, Surface::Script);
        let msgs: Vec<(&str, Option<&str>)> = d
            .iter()
            .map(|d| (d.message.as_str(), d.hints.first().map(String::as_str)))
            .collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert_eq!(
            msgs[0],
            (
                "`siderolabs/iscsi-tool` is not an official system extension for Talos v1.12.0",
                Some("did you mean `siderolabs/iscsi-tools`?")
            )
        );
        assert_eq!(
            msgs[1].0,
            "duplicate system extension `siderolabs/intel-ucode`"
        );
        assert!(msgs[2].1.unwrap().contains("no_schematic_validate: true"));
        // Opting out, or another factory, skips the check as in talhelper.
        c.nodes[0].no_schematic_validate = true;
        assert!(check(&c, Surface::Script).is_empty());
        c.nodes[0] = n;
        c.image_factory.registry_url = Some("factory.example.com".into());
        assert!(check(&c, Surface::Talconfig).is_empty());
    }
}
