//! `talforge genurl`: the Image Factory URLs of each node's schematic, printed as talhelper's
//! `genurl` prints them (one node: the URL; several: `<hostname>: <url>` lines).

use super::target::TargetArgs;
use crate::diag::{Diagnostic, Failure, closest};
use crate::factory::url::{Artifact, SpecOverride, url};
use crate::model::{Cluster, Node};

/// Which URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The installer image (`talosctl upgrade --image`, `machine.install.image`).
    Installer,
    /// The boot image of the node's machine spec (talhelper's `genurl image`).
    Image,
    /// The ISO, whatever the machine spec's boot method.
    Iso,
}

/// Arguments of `genurl`.
#[derive(Debug, clap::Args)]
pub struct GenurlArgs {
    /// Which URL.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Which cluster.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Only this node (hostname or IP).
    #[arg(short = 'n', long = "node", value_name = "NODE")]
    pub node: Option<String>,
    /// The CPU architecture, instead of the machine spec's.
    #[arg(long, value_parser = ["amd64", "arm64"])]
    pub arch: Option<String>,
    /// A secure boot image, whatever the machine spec says.
    #[arg(long)]
    pub secureboot: bool,
}

pub(super) fn run(a: &GenurlArgs) -> Result<u8, Failure> {
    let t = a.target.load()?;
    let lines = lines(&t.cluster, a).map_err(|d| Failure {
        sources: t.sources.clone(),
        diagnostics: vec![d],
    })?;
    for l in lines {
        println!("{l}");
    }
    Ok(0)
}

fn lines(cluster: &Cluster, a: &GenurlArgs) -> Result<Vec<String>, Diagnostic> {
    let artifact = match a.kind {
        Kind::Installer => Artifact::Installer,
        Kind::Image => Artifact::Image,
        Kind::Iso => Artifact::Iso,
    };
    let over = SpecOverride {
        arch: a.arch.clone(),
        secureboot: a.secureboot,
    };
    let nodes = pick(cluster, a.node.as_deref())?;
    let mut out = Vec::new();
    for n in &nodes {
        let u = url(cluster, n, artifact, &over).map_err(|e| Diagnostic::error(e.to_string()))?;
        out.push((n.hostname.clone(), u));
    }
    // talhelper prints a lone URL bare and prefixes each of several with its hostname.
    Ok(match out.as_slice() {
        [(_, u)] => vec![u.clone()],
        _ => out.into_iter().map(|(h, u)| format!("{h}: {u}")).collect(),
    })
}

/// The node named by `-n` (hostname or IP), or every node.
pub(super) fn pick<'a>(
    cluster: &'a Cluster,
    want: Option<&str>,
) -> Result<Vec<&'a Node>, Diagnostic> {
    let Some(want) = want else {
        return Ok(cluster.nodes.iter().collect());
    };
    if let Some(n) = cluster
        .nodes
        .iter()
        .find(|n| n.hostname == want || n.ip.to_string() == want)
    {
        Ok(vec![n])
    } else {
        let mut d = Diagnostic::error(format!(
            "cluster `{}` has no node with hostname or IP `{want}`",
            cluster.name
        ));
        if let Some(c) = closest(want, cluster.nodes.iter().map(|n| n.hostname.as_str())) {
            d = d.with_hint(format!("did you mean `{c}`?"));
        }
        Err(d)
    }
}
