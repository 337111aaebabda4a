//! `pkg/talos/multidocs_test.go`: the documents `AddMultiDocs` appends, on upstream's testdata.

use super::super::Tally;
use super::super::support::{cluster_at, genconfig};
use crate::yaml::{Yaml, parse_documents};

const CASES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "ingress firewall without multidoc",
        "v1.11.0",
        include_str!("testdata/node1_input.yaml"),
        include_str!("testdata/node1_basecfg.yaml"),
        include_str!("testdata/node1_expected.yaml"),
    ),
    (
        "user volumes without multidoc",
        "v1.11.0",
        include_str!("testdata/node2_input.yaml"),
        include_str!("testdata/node2_basecfg.yaml"),
        include_str!("testdata/node2_expected.yaml"),
    ),
    (
        "ingress firewall with multidoc",
        "v1.12.0",
        include_str!("testdata/node3_input.yaml"),
        include_str!("testdata/node3_basecfg.yaml"),
        include_str!("testdata/node3_expected.yaml"),
    ),
    (
        "no multidocs",
        "v1.11.0",
        include_str!("testdata/node4_input.yaml"),
        include_str!("testdata/node4_basecfg.yaml"),
        include_str!("testdata/node4_expected.yaml"),
    ),
];

fn docs(text: &str) -> Vec<Yaml> {
    parse_documents(text)
        .expect("upstream testdata parses")
        .into_iter()
        .map(|d| d.value)
        .collect()
}

/// The upstream node (its testdata is one node's YAML) as a talconfig node: indented under
/// `nodes:`, with a hostname and address when it has none. A node without a hostname is
/// rendered without one (upstream's node3), as talhelper does with an empty `Hostname`.
fn talconfig(talos: &str, input: &str) -> (String, bool) {
    let body = input.trim_start_matches("---\n");
    let named = body.lines().any(|l| l.starts_with("hostname:"));
    let mut node = String::from("nodes:\n  - ipAddress: 10.0.0.1\n");
    if !named {
        node.push_str("    hostname: unnamed\n");
    }
    for l in body.lines() {
        node.push_str("    ");
        node.push_str(l);
        node.push('\n');
    }
    (cluster_at(talos, &node), named)
}

pub(super) fn run(t: &mut Tally) {
    t.test("TestAddMultiDocs");
    for (name, talos, input, base, expected) in CASES {
        let (text, named) = talconfig(talos, input);
        let appended_by_talhelper: Vec<Yaml> =
            docs(expected).into_iter().skip(docs(base).len()).collect();
        let ours = t.setup(genconfig_unnamed(&text, named)).map(|d| {
            d.into_iter()
                .filter(|d| d.get("kind").is_some())
                .collect::<Vec<_>>()
        });
        t.eq(name, ours, Some(appended_by_talhelper));
    }
}

/// The documents after v1alpha1 that genconfig renders for the only node; `named == false`
/// clears the placeholder hostname first.
fn genconfig_unnamed(text: &str, named: bool) -> Result<Vec<Yaml>, String> {
    if named {
        return genconfig(text).map(|mut n| n.remove(0).docs);
    }
    super::super::support::genconfig_with(text, |c| c.nodes[0].hostname.clear())
        .map(|mut n| n.remove(0).docs)
}
