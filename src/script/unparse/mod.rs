//! `talforge import`: a talhelper cluster model written back as an idiomatic cluster script.
//!
//! The script must reproduce the talconfig it came from, so every setting the model holds
//! is written out. What makes it idiomatic: runs of nodes whose hostnames and addresses
//! count up together become one `for` loop, interfaces every node shares become cluster
//! defaults, and a VIP every control plane announces becomes `c.vip(...)`.

//!
//! `cluster.rs` writes the `cluster(...)` options and patches, `node.rs` the node
//! statements and loops, `idiom.rs` finds the loops and shared defaults, `net.rs` and
//! `machine.rs` the interface and machine calls, `lit.rs` the Rhai literals.

mod cluster;
mod idiom;
mod lit;
mod machine;
mod net;
mod node;
#[cfg(test)]
mod tests;

use crate::model::{Cluster, Node};
use idiom::{run_length, shared_interfaces, shared_vip};
use lit::{EnvScope, rhai_str};
use std::fmt::Write as _;
use std::path::Path;

/// Writes `cluster` (read from the talconfig at `from`) as a script that will live in
/// `script_dir`; patch files are referenced relative to that directory.
pub fn script_for(cluster: &Cluster, from: &Path, script_dir: &Path) -> String {
    let _scope = EnvScope::enter(&cluster.env_vars, script_dir);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Imported from {} by `talforge import`.",
        from.display()
    );
    let _ = writeln!(
        out,
        "// `talforge run` on this script writes the same talconfig.yaml and patches."
    );
    if !cluster.env_vars.is_empty() {
        let names: Vec<String> = cluster
            .env_vars
            .iter()
            .map(|v| format!("`{}`", v.name))
            .collect();
        let _ = writeln!(
            out,
            "// It reads {} with `env()` (and in patch files as `${{NAME}}`): from the\n// environment or talenv.yaml / talenv.sops.yaml beside this script.",
            names.join(", ")
        );
    }
    out.push('\n');
    let vip = shared_vip(cluster);
    let mut nodes: Vec<Node> = cluster.nodes.clone();
    if let Some(v) = vip {
        for n in nodes.iter_mut().filter(|n| n.is_control_plane()) {
            if let Some(i) = n.interfaces.first_mut()
                && i.vip == Some(v)
            {
                i.vip = None;
            }
        }
    }
    let defaults = shared_interfaces(&nodes);
    if !defaults.is_empty() {
        for n in &mut nodes {
            n.interfaces.clear();
        }
    }

    out.push_str(&format!(
        "let c = cluster({}, {});\n",
        rhai_str(&cluster.name),
        cluster::cluster_options(cluster)
    ));
    if !defaults.is_empty() {
        out.push('\n');
        for i in &defaults {
            let _ = writeln!(out, "c.{};", net::interface_call(i));
        }
    }
    if let Some(v) = vip {
        let _ = writeln!(out, "c.vip({});", rhai_str(&v.to_string()));
    }
    for call in machine::cluster_calls(cluster) {
        let _ = writeln!(out, "c.{call};");
    }
    if !cluster.patches.is_empty() {
        out.push('\n');
    }
    for (p, name) in cluster
        .patches
        .iter()
        .zip(cluster::patch_names(&cluster.patches))
    {
        let _ = writeln!(out, "{}", cluster::patch_call(p, &name, script_dir));
    }
    out.push('\n');
    let mut i = 0;
    while i < nodes.len() {
        let run = run_length(&nodes[i..]);
        if run >= 2 {
            out.push_str(&node::node_loop(&nodes[i..i + run]));
        } else {
            out.push_str(&node::node_stmt(&nodes[i], "", None));
        }
        i += run.max(1);
    }
    out
}
