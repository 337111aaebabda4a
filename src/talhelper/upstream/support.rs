//! What the ported tests run: talhelper's YAML through our reader, pipeline and generator.

use crate::diag::Diagnostic;
use crate::model::{Cluster, Fleet};
use crate::pipeline::render;
use crate::secrets::bundle::Bundle;
use crate::talhelper::{Env, read_talconfig};
use crate::validate;
use crate::yaml::{EmitOptions, Yaml, emit_document};
use std::path::Path;

/// The cluster header talhelper's snippets leave out (its generator functions take a node;
/// we run the whole `genconfig`, which needs a cluster around it).
pub(super) fn cluster_at(talos: &str, nodes: &str) -> String {
    format!(
        "clusterName: test\ntalosVersion: {talos}\nkubernetesVersion: v1.34.0\n\
         endpoint: https://1.1.1.1:6443\n{nodes}"
    )
}

/// The reader's and the model checks' diagnostics in one list, errors first.
fn messages(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// talconfig.yaml text read into the model with `env` (talhelper's `LoadAndValidate`).
pub(super) fn read_with(text: &str, env: &Env) -> Result<Cluster, String> {
    read_talconfig(Path::new("talconfig.yaml"), text, env)
        .map(|t| t.cluster)
        .map_err(|(_, d)| messages(&d))
}

/// talconfig.yaml text decoded into the model without talhelper's version and network-device
/// validation,
/// as upstream's `pkg/talos` and `nodeconfigs` tests build their configs (structs, no
/// `Validate`): their Talos 1.0 or 1.5.4 with Kubernetes 1.34 would not pass it.
pub(super) fn read(text: &str) -> Result<Cluster, String> {
    crate::talhelper::read::decode_talconfig(Path::new("talconfig.yaml"), text, &Env::default())
        .map(|t| t.cluster)
        .map_err(|(_, d)| messages(&d))
}

/// Every error `genconfig` reports before rendering (reader and model checks), as
/// diagnostics with their spans into `talconfig.yaml`.
pub(super) fn check_errors(text: &str) -> (crate::diag::Sources, Vec<Diagnostic>) {
    match read_talconfig(Path::new("talconfig.yaml"), text, &Env::default()) {
        Err((sources, diags)) => (sources, diags),
        Ok(t) => {
            let fleet = Fleet {
                clusters: vec![t.cluster],
            };
            let diags = validate::model::validate(&fleet)
                .into_iter()
                .chain(validate::fleet::validate(&fleet))
                .filter(Diagnostic::is_error)
                .collect();
            (t.sources, diags)
        }
    }
}

/// One node's machine config documents, as `genconfig` renders them (placeholder secrets).
pub(super) struct Rendered {
    pub(super) docs: Vec<Yaml>,
}

/// `genconfig` on a talconfig.yaml text: every node's documents, in node order. Like
/// upstream's tests, which call the generator on a decoded config, it skips talhelper's
/// validation (the model checks); [`check_errors`] runs those.
pub(super) fn genconfig(text: &str) -> Result<Vec<Rendered>, String> {
    genconfig_with(text, |_| {})
}

/// [`genconfig`] with the model changed by `edit` after reading (to give it what upstream's
/// decoded structs hold but our reader refuses, such as a node without a hostname).
pub(super) fn genconfig_with(
    text: &str,
    edit: impl FnOnce(&mut Cluster),
) -> Result<Vec<Rendered>, String> {
    let mut cluster = read(text)?;
    edit(&mut cluster);
    cluster
        .nodes
        .iter()
        .map(|n| {
            render::node(&cluster, n, &Bundle::placeholder())
                .map(|docs| Rendered { docs })
                .map_err(|e| format!("{e:?}"))
        })
        .collect()
}

/// `genconfig` on the snippet's first node, or the error text.
pub(super) fn first_node(text: &str) -> Result<Rendered, String> {
    genconfig(text)?
        .into_iter()
        .next()
        .ok_or_else(|| "no node rendered".into())
}

impl Rendered {
    /// The v1alpha1 document.
    pub(super) fn v1alpha1(&self) -> Option<&Yaml> {
        self.docs.iter().find(|d| d.get("kind").is_none())
    }

    /// The document of `kind` named `name`.
    pub(super) fn doc(&self, kind: &str, name: &str) -> Option<&Yaml> {
        self.of_kind(kind)
            .into_iter()
            .find(|d| d.get("name").and_then(Yaml::as_str) == Some(name))
    }

    /// Every document of `kind`, in order.
    pub(super) fn of_kind(&self, kind: &str) -> Vec<&Yaml> {
        self.docs
            .iter()
            .filter(|d| d.get("kind").and_then(Yaml::as_str) == Some(kind))
            .collect()
    }

    /// What talhelper's `Generate<Kind>ConfigBytes` returns for these documents: each one as
    /// yaml.v3 writes it with 2-space indent, after a `---` line; `None` when there is none.
    pub(super) fn bytes_of(&self, kinds: &[&str]) -> Option<String> {
        let docs: Vec<&Yaml> = self
            .docs
            .iter()
            .filter(|d| {
                d.get("kind")
                    .and_then(Yaml::as_str)
                    .is_some_and(|k| kinds.contains(&k))
            })
            .collect();
        (!docs.is_empty()).then(|| {
            docs.iter()
                .map(|d| format!("---\n{}", emit_document(d, &EmitOptions { indent: 2 })))
                .collect()
        })
    }
}

/// A string field of a document.
pub(super) fn str_at<'a>(doc: Option<&'a Yaml>, dotted: &str) -> Option<&'a str> {
    doc?.get_path(dotted)?.as_str()
}

/// An integer field of a document.
pub(super) fn int_at(doc: Option<&Yaml>, dotted: &str) -> Option<i64> {
    doc?.get_path(dotted)?.as_i64()
}

/// A sequence field's length (0 when absent).
pub(super) fn len_at(doc: Option<&Yaml>, dotted: &str) -> usize {
    doc.and_then(|d| d.get_path(dotted))
        .and_then(Yaml::as_seq)
        .map_or(0, <[Yaml]>::len)
}

/// The `i`th item of a sequence field.
pub(super) fn item<'a>(doc: Option<&'a Yaml>, dotted: &str, i: usize) -> Option<&'a Yaml> {
    doc?.get_path(dotted)?.as_seq()?.get(i)
}

/// The document of `kind` named `name` in a rendered node, if it rendered.
pub(super) fn doc<'a>(r: Option<&'a Rendered>, kind: &str, name: &str) -> Option<&'a Yaml> {
    r?.doc(kind, name)
}

/// `Generate…Bytes` of a rendered node, if it rendered (see [`Rendered::bytes_of`]).
pub(super) fn bytes(r: Option<&Rendered>, kinds: &[&str]) -> Option<String> {
    r?.bytes_of(kinds)
}
