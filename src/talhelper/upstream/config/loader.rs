//! `pkg/config/loader_test.go`: `LoadAndValidateFromFile` with env files and role defaults.

use super::super::Tally;
use super::super::support::read_with;
use crate::model::{InstallDisk, Node, NodeAddr, Role, Schematic};
use crate::talhelper::{Env, parse_env};
use std::path::Path;

/// The fields upstream's expected `Node` sets, and those it leaves empty that a merge could fill.
#[derive(Debug, PartialEq)]
struct Projection {
    hostname: String,
    ip: String,
    role: Role,
    install: Option<InstallDisk>,
    cert_sans: Vec<String>,
    schematic: Option<Schematic>,
    disable_search_domain: bool,
    labels: usize,
    annotations: usize,
    nameservers: usize,
    interfaces: usize,
}

fn project(n: &Node) -> Projection {
    Projection {
        hostname: n.hostname.clone(),
        ip: match &n.ip {
            NodeAddr::Ip(ip) => ip.to_string(),
            NodeAddr::Name(n) => n.clone(),
        },
        role: n.role,
        install: n.install.clone(),
        cert_sans: n.cert_sans.clone(),
        schematic: n.schematic.clone().map(without_spans),
        disable_search_domain: n.disable_search_domain,
        labels: n.labels.len(),
        annotations: n.annotations.len(),
        nameservers: n.nameservers.len(),
        interfaces: n.interfaces.len(),
    }
}

fn schematic(extensions: &[&str], kernel_args: &[&str]) -> Schematic {
    let mut s = Schematic::default();
    s.customization.official_extensions = extensions.iter().map(|e| e.to_string()).collect();
    s.customization.extra_kernel_args = kernel_args.iter().map(|e| e.to_string()).collect();
    s
}

pub(super) fn run(t: &mut Tally) {
    t.test("TestLoadAndValidateFromFile");
    let mut env = Env::default();
    for (name, text) in [
        ("testdata/env1.yaml", include_str!("testdata/env1.yaml")),
        ("testdata/env2.yml", include_str!("testdata/env2.yml")),
    ] {
        parse_env(&mut env, text, Path::new(name), false).expect("upstream env files parse");
    }
    let c = t.setup(read_with(include_str!("testdata/talconfig.yaml"), &env));
    let c = c.as_ref();
    t.eq(
        "cfg.ClusterName",
        c.map(|c| c.name.as_str()),
        Some("test-cluster"),
    );
    let node = |i: usize| c.and_then(|c| c.nodes.get(i)).map(project);
    let disk = || Some(InstallDisk::Path("/dev/sda".into()));
    t.eq(
        "cfg.Nodes[0]",
        node(0),
        Some(Projection {
            hostname: "hostname1".into(),
            ip: "192.168.200.10".into(),
            role: Role::ControlPlane,
            install: disk(),
            cert_sans: vec!["example.net".into(), "example.com".into()],
            schematic: Some(schematic(&["siderolabs/tailscale"], &[])),
            disable_search_domain: true,
            labels: 0,
            annotations: 0,
            nameservers: 0,
            interfaces: 0,
        }),
    );
    t.eq(
        "cfg.Nodes[1]",
        node(1),
        Some(Projection {
            hostname: "hostname2".into(),
            ip: "192.168.200.11".into(),
            role: Role::Worker,
            install: disk(),
            cert_sans: Vec::new(),
            schematic: Some(schematic(&[], &["net.ifnames=0"])),
            disable_search_domain: false,
            labels: 0,
            annotations: 0,
            nameservers: 0,
            interfaces: 0,
        }),
    );
}

/// A schematic without the source spans the reader records (upstream's has none).
fn without_spans(mut s: Schematic) -> Schematic {
    s.span = None;
    s.extension_spans.clear();
    s
}
