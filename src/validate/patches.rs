//! Patches that would apply to nothing: a node patch whose hostname no node has.

use crate::diag::{Diagnostic, closest};
use crate::model::{Cluster, PatchTarget};

/// An error for every node patch whose target is neither a node's hostname nor its IP.
pub(crate) fn rules(c: &Cluster, out: &mut Vec<Diagnostic>) {
    for p in &c.patches {
        let PatchTarget::Node(target) = &p.target else {
            continue;
        };
        if c.nodes
            .iter()
            .any(|n| n.hostname == *target || n.ip.to_string() == *target)
        {
            continue;
        }
        let mut d = Diagnostic::error(format!(
            "patch `{}` targets `{target}`, but no node of cluster `{}` has that hostname or IP",
            p.name, c.name
        ))
        .at_opt(p.span.clone())
        .with_note("the patch would apply to nothing");
        let names = c.nodes.iter().map(|n| n.hostname.as_str());
        d = match closest(target, names) {
            Some(h) => d.with_hint(format!("did you mean `{h}`?")),
            None => d.with_hint(
                "name a node's hostname, or target `all`, `control_planes` or `workers`",
            ),
        };
        out.push(d);
    }
}
