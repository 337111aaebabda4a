//! `c.patch(target, name, content)`: patches declared in a script, merged by name and target.

use super::cluster::{ClusterRef, Target, with_cluster};
use super::node::NodeRef;
use super::{HostResult, raise};
use crate::model::{Cluster, Patch, PatchSource, PatchTarget};
use crate::script::builder::HostError;
use crate::script::convert::to_yaml;
use crate::yaml::Yaml;
use rhai::{Dynamic, NativeCallContext};

fn patch_target(v: &Dynamic, c: &ClusterRef) -> Result<PatchTarget, HostError> {
    if let Some(t) = v.clone().try_cast::<Target>() {
        return Ok(match t {
            Target::All => PatchTarget::All,
            Target::ControlPlanes => PatchTarget::ControlPlanes,
            Target::Workers => PatchTarget::Workers,
        });
    }
    if let Some(n) = v.clone().try_cast::<NodeRef>() {
        let b = c.shared.lock();
        return Ok(PatchTarget::Node(
            b.fleet.clusters[n.cluster].nodes[n.node].hostname.clone(),
        ));
    }
    if v.is_string() {
        return Ok(PatchTarget::Node(v.to_string()));
    }
    Err(HostError::new(format!(
        "patch target must be `all`, `control_planes`, `workers`, a node or a hostname, got {}",
        crate::script::options::type_name(v)
    )))
}

pub(super) fn add_patch(
    ctx: &NativeCallContext,
    c: &ClusterRef,
    target: Dynamic,
    name: &str,
    content: Dynamic,
) -> HostResult<ClusterRef> {
    let target = match patch_target(&target, c) {
        Ok(t) => t,
        Err(e) => return raise(ctx, e),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || ch == '.')
    {
        return raise(
            ctx,
            HostError::new(format!("invalid patch name `{name}`"))
                .hint("use letters, digits, `-`, `_` and `.`: it becomes `patches/<name>.yaml`"),
        );
    }
    let mut template = None;
    let (documents, text, source) = if content.is_string() {
        match super::patch_file::read(&c.shared, &content.to_string()) {
            Ok((docs, text, path, t)) => {
                template = t;
                (docs, Some(text), PatchSource::File(path))
            }
            Err(e) => return raise(ctx, e),
        }
    } else {
        match to_yaml(&content) {
            Ok(Yaml::Map(m)) => (vec![Yaml::Map(m)], None, PatchSource::Inline),
            // A list of operations is a JSON6902 patch, as Talos reads a YAML list.
            Ok(Yaml::Seq(ops))
                if !ops.is_empty() && ops.iter().all(super::patch_file::is_json_op) =>
            {
                (vec![Yaml::Seq(ops)], None, PatchSource::Inline)
            }
            Ok(Yaml::Seq(items)) if items.iter().all(|i| matches!(i, Yaml::Map(_))) => {
                if items.iter().any(super::patch_file::is_json_op) {
                    return raise(
                        ctx,
                        HostError::new("a patch is either JSON6902 operations or strategic merge documents, not both")
                            .hint("give the operations (maps with `op` and `path`) a patch of their own"),
                    );
                }
                (items, None, PatchSource::Inline)
            }
            Ok(other) => {
                return raise(
                    ctx,
                    HostError::new(format!(
                        "patch content must be a map, a list of documents or of JSON6902 operations, or a YAML file path, got {}",
                        other.type_name()
                    )),
                );
            }
            Err(e) => return raise(ctx, e),
        }
    };
    let span = c
        .shared
        .lock()
        .span_at(ctx.call_source(), ctx.call_position());
    with_cluster(ctx, c, |b| {
        let cluster = b.cluster(c.idx);
        merge_or_push(
            cluster,
            Patch {
                name: name.to_string(),
                target,
                documents,
                text,
                source,
                span,
                template,
            },
        )
    })?;
    Ok(c.clone())
}

/// Adds a patch; a second inline patch with the same name and target is merged into the first
/// (so `cilium_ready()` and the script can both contribute to `controlplane.yaml`).
pub(crate) fn merge_or_push(cluster: &mut Cluster, patch: Patch) -> Result<(), HostError> {
    if let Some(existing) = cluster.patches.iter_mut().find(|p| p.name == patch.name) {
        if existing.target != patch.target {
            return Err(HostError::new(format!(
                "patch `{}` is already declared for {}",
                patch.name,
                describe(&existing.target)
            ))
            .hint("give each patch file its own name"));
        }
        if existing.source != PatchSource::Inline || patch.source != PatchSource::Inline {
            return Err(HostError::new(format!("patch `{}` is declared twice", patch.name))
                .hint("a patch read from a file cannot be combined with another patch of the same name"));
        }
        for doc in patch.documents {
            match (existing.documents.first_mut(), doc) {
                (Some(Yaml::Map(left)), Yaml::Map(right)) if !right.contains_key("kind") => {
                    deep_merge(left, right);
                }
                (_, doc) => existing.documents.push(doc),
            }
        }
        return Ok(());
    }
    cluster.patches.push(patch);
    Ok(())
}

fn deep_merge(left: &mut crate::yaml::Map, right: crate::yaml::Map) {
    for (k, v) in right {
        match (left.get_mut(&k), v) {
            (Some(Yaml::Map(l)), Yaml::Map(r)) => deep_merge(l, r),
            (Some(Yaml::Seq(l)), Yaml::Seq(r)) => l.extend(r),
            (_, v) => {
                left.insert(k, v);
            }
        }
    }
}

fn describe(t: &PatchTarget) -> String {
    match t {
        PatchTarget::All => "all nodes".into(),
        PatchTarget::ControlPlanes => "control planes".into(),
        PatchTarget::Workers => "workers".into(),
        PatchTarget::Node(h) => format!("node `{h}`"),
    }
}
