//! `talforge schematic`: a node's schematic exactly as the Image Factory hashes it (stdout,
//! ready for `POST /schematics`) with its ID (stderr), or the official extensions.

use super::genurl::pick;
use super::target::TargetArgs;
use crate::diag::{Diagnostic, Failure};
use crate::factory::{extensions, schematic, url};
use crate::model::{Cluster, Schematic};

/// Arguments of `schematic`.
#[derive(Debug, clap::Args)]
pub struct SchematicArgs {
    /// Which cluster.
    #[command(flatten)]
    pub target: TargetArgs,
    /// The node (hostname or IP); without it every node must share one schematic.
    #[arg(short = 'n', long = "node", value_name = "NODE")]
    pub node: Option<String>,
    /// The schematic of the ISO or disk image (`image_schematic` / `imageSchematic` where
    /// set) instead of the installer's.
    #[arg(long)]
    pub boot: bool,
    /// Print only the ID.
    #[arg(long, conflicts_with = "extensions")]
    pub id: bool,
    /// List the official system extensions of the cluster's Talos version instead.
    #[arg(long)]
    pub extensions: bool,
}

pub(super) fn run(a: &SchematicArgs) -> Result<u8, Failure> {
    let t = a.target.load()?;
    if a.extensions {
        let o = extensions::official(&t.cluster.talos_version);
        eprintln!(
            "official system extensions of Talos {} (siderolabs/extensions {}):",
            t.cluster.talos_version, o.tag
        );
        for n in o.names {
            println!("{n}");
        }
        return Ok(0);
    }
    let s = one(&t.cluster, a).map_err(|d| Failure {
        sources: t.sources.clone(),
        diagnostics: vec![d],
    })?;
    let id = schematic::id(&s);
    if a.id {
        println!("{id}");
    } else {
        print!("{}", schematic::marshal(&s));
        eprintln!(
            "schematic ID {id}; create it on the factory before the first install:\n  talforge schematic {} | curl -X POST --data-binary @- {}",
            again(a),
            url::schematics_endpoint(&t.cluster.image_factory)
        );
    }
    Ok(0)
}

fn one(cluster: &Cluster, a: &SchematicArgs) -> Result<Schematic, Diagnostic> {
    let nodes = pick(cluster, a.node.as_deref())?;
    let of = |n: &crate::model::Node| {
        let s = if a.boot {
            n.image_schematic.as_ref().or(n.schematic.as_ref())
        } else {
            n.schematic.as_ref()
        };
        s.cloned().unwrap_or_default()
    };
    let mut groups: Vec<(String, Schematic, Vec<&str>)> = Vec::new();
    for n in &nodes {
        let s = of(n);
        let id = schematic::id(&s);
        match groups.iter_mut().find(|(i, ..)| *i == id) {
            Some(g) => g.2.push(&n.hostname),
            None => groups.push((id, s, vec![&n.hostname])),
        }
    }
    match groups.len() {
        0 => Err(Diagnostic::error(format!(
            "cluster `{}` has no node",
            cluster.name
        ))),
        1 => Ok(groups.remove(0).1),
        k => {
            let list: Vec<String> = groups
                .iter()
                .map(|(id, _, hosts)| format!("{} ({})", &id[..12], hosts.join(", ")))
                .collect();
            Err(Diagnostic::error(format!(
                "the nodes of cluster `{}` use {k} schematics: {}",
                cluster.name,
                list.join("; ")
            ))
            .with_hint("name one node with `-n NODE`"))
        }
    }
}

/// This command's own arguments, to print the command that creates the schematic.
fn again(a: &SchematicArgs) -> String {
    let mut parts = Vec::new();
    match (&a.target.script, &a.target.config) {
        (_, Some(c)) => parts.push(format!("-c {}", c.display())),
        (Some(s), None) => parts.push(s.display().to_string()),
        (None, None) => {}
    }
    if let Some(c) = &a.target.cluster {
        parts.push(format!("--cluster {c}"));
    }
    if let Some(n) = &a.node {
        parts.push(format!("-n {n}"));
    }
    if a.boot {
        parts.push("--boot".into());
    }
    parts.join(" ")
}
