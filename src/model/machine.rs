//! What a machine carries besides network and disks: kernel modules, files, extension
//! services, and the manifests and extra documents a config adds.

use crate::diag::Span;
use crate::yaml::Yaml;

/// `MachineFile.op` values Talos accepts.
pub const FILE_OPS: &[&str] = &["create", "append", "overwrite"];

/// A `machine.kernel.modules` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelModule {
    /// Module name (`i915`).
    pub name: String,
    /// `parameters`, each `key=value`.
    pub parameters: Vec<String>,
}

impl KernelModule {
    /// A module without parameters.
    pub fn new(name: impl Into<String>) -> Self {
        KernelModule {
            name: name.into(),
            parameters: Vec::new(),
        }
    }
}

impl From<&str> for KernelModule {
    fn from(name: &str) -> Self {
        KernelModule::new(name)
    }
}

/// A `machine.files` entry: a file Talos writes on the node.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineFile {
    /// `content`.
    pub content: String,
    /// `permissions` (Unix mode bits, e.g. `0o644`).
    pub permissions: u32,
    /// `path` (absolute).
    pub path: String,
    /// `op`: `create`, `append` or `overwrite`.
    pub op: String,
}

/// An `ExtensionServiceConfig`: config files and environment of a system extension service.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionService {
    /// The extension service's name (`nut-client`, `tailscale`).
    pub name: String,
    /// `configFiles` as `(content, mountPath)`.
    pub config_files: Vec<(String, String)>,
    /// `environment`, each `KEY=value`.
    pub environment: Vec<String>,
    /// The call or key that declared it.
    pub span: Option<Span>,
}

/// A `cluster.inlineManifests` entry: a Kubernetes manifest the control plane applies.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineManifest {
    /// Manifest name (unique).
    pub name: String,
    /// The YAML text.
    pub contents: String,
}

/// Documents appended to a node's config after its patches (talhelper's `extraManifests`:
/// each file's documents, e.g. a `WatchdogTimerConfig`).
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraManifest {
    /// File name under `manifests/` in the output, without `.yaml`.
    pub name: String,
    /// The documents.
    pub documents: Vec<Yaml>,
    /// The file's text when it came from a file the operator wrote (copied as is).
    pub text: Option<String>,
    /// That file (so `import` names it again instead of spelling out its documents).
    pub file: Option<std::path::PathBuf>,
    /// The call or key that declared it.
    pub span: Option<Span>,
}

/// `cniConfig.flannel`: options of Talos' flannel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlannelOptions {
    /// `extraArgs` for flanneld.
    pub extra_args: Vec<String>,
    /// `kubeNetworkPoliciesEnabled`: deploy kube-network-policies with flannel (a pointer in
    /// Talos, so an explicit `false` is written too).
    pub kube_network_policies: Option<bool>,
}

impl FlannelOptions {
    /// Whether any option is set (talhelper then writes the `flannel` mapping).
    pub fn is_set(&self) -> bool {
        !self.extra_args.is_empty() || self.kube_network_policies.is_some()
    }
}

/// talhelper's output file name template (`filenameTmpl`) filled in: `{{.ClusterName}}`,
/// `{{.Hostname}}`, `{{.IPAddress}}` and `{{.Role}}` (spaces inside the braces allowed).
/// `Err` names the first field the template uses that talhelper does not offer.
pub fn fill_filename_template(
    template: &str,
    cluster: &str,
    hostname: &str,
    ip: &str,
    role: &str,
) -> Result<String, FileNameError> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(FileNameError::Unclosed);
        };
        let field = after[..end]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-');
        out.push_str(match field.trim() {
            ".ClusterName" => cluster,
            ".Hostname" => hostname,
            ".IPAddress" => ip,
            ".Role" => role,
            other => return Err(FileNameError::UnknownField(other.to_string())),
        });
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if out.is_empty() || out.contains('/') || out == "." || out == ".." {
        return Err(FileNameError::NotAFileName(out));
    }
    Ok(out)
}

/// Why a file name template does not fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileNameError {
    /// A `{{` without its `}}`.
    Unclosed,
    /// A field talhelper does not offer (as written inside the braces).
    UnknownField(String),
    /// The filled-in name is empty, `.`, `..` or a path.
    NotAFileName(String),
}

impl std::fmt::Display for FileNameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileNameError::Unclosed => f.write_str("unclosed `{{` in the file name template"),
            FileNameError::UnknownField(other) => write!(
                f,
                "the file name template uses `{{{{{other}}}}}`; talhelper offers `.ClusterName`, `.Hostname`, `.IPAddress` and `.Role`"
            ),
            FileNameError::NotAFileName(out) => write!(
                f,
                "the file name template gives `{out}`, which is not a file name"
            ),
        }
    }
}

impl std::error::Error for FileNameError {}

#[cfg(test)]
mod tests {
    use super::*;

    // budimanjojo/talhelper pkg/config/outputfilename_test.go@v3.1.16 (TestGetOutputFileName):
    // (template, cluster, hostname, expected; `None` = an error), every node at 1.1.1.1, a
    // control plane. talhelper's `-.yaml` case (empty names) is a file name here too.
    #[test]
    fn filename_templates_fill_like_talhelper() {
        let cases = [
            (
                "{{.ClusterName}}-{{.Hostname}}.yaml",
                "myCluster",
                "node1",
                Some("myCluster-node1.yaml"),
            ),
            (
                "{{.Hostname}}-{{.Role}}.yaml",
                "myCluster",
                "node1",
                Some("node1-controlplane.yaml"),
            ),
            (
                "{{.ClusterName}}-{{.Hostname}}.yaml",
                "",
                "",
                Some("-.yaml"),
            ),
            ("{{.Invalid}}.yaml", "myCluster", "node1", None),
        ];
        for (tmpl, cluster, host, want) in cases {
            let got = fill_filename_template(tmpl, cluster, host, "1.1.1.1", "controlplane");
            assert_eq!(got.ok().as_deref(), want, "{tmpl}");
        }
        // talhelper's default, and what talforge adds: a name, never a path.
        assert_eq!(
            fill_filename_template(
                "{{ .ClusterName }}-{{ .Hostname }}.yaml",
                "c",
                "n",
                "1",
                "worker"
            )
            .as_deref(),
            Ok("c-n.yaml")
        );
        assert!(fill_filename_template("{{.Hostname", "c", "n", "1", "worker").is_err());
        assert!(fill_filename_template("a/{{.Hostname}}", "c", "n", "1", "worker").is_err());
    }
}
