//! Installer and boot image URLs, as talhelper (v3.1.16 `pkg/talos/schematic.go`) renders
//! them from its `imageFactory` templates.

use super::schematic;
use super::template::{Val, render};
use crate::model::{Cluster, ImageFactory, Node, ResolvedSpec, Schematic};

/// Which boot artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// The installer image (`talosctl upgrade --image`, `machine.install.image`).
    Installer,
    /// The ISO or disk image the node boots first, from its machine spec.
    Image,
    /// The ISO, whatever the machine spec's boot method.
    Iso,
}

/// Changes to a node's machine spec asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct SpecOverride {
    /// `--arch`.
    pub arch: Option<String>,
    /// `--secureboot`.
    pub secureboot: bool,
}

/// The installer image talhelper writes for a node: `<talosImageURL>:<talos>` when the node
/// names an image (it wins over a schematic), else the factory's installer template with the
/// schematic ID.
pub fn installer(cluster: &Cluster, node: &Node) -> Result<String, String> {
    url(cluster, node, Artifact::Installer, &SpecOverride::default())
}

/// The URL of `artifact` for `node`.
pub fn url(
    cluster: &Cluster,
    node: &Node,
    artifact: Artifact,
    over: &SpecOverride,
) -> Result<String, String> {
    let version = cluster.talos_version.to_string();
    let mut spec = node.machine_spec.resolved();
    if let Some(a) = &over.arch {
        spec.arch = a.clone();
    }
    spec.secureboot |= over.secureboot;
    if artifact == Artifact::Installer
        && let Some(image) = &node.image
    {
        return Ok(format!("{image}:{version}"));
    }
    if artifact == Artifact::Iso {
        spec.boot_method = "iso".into();
        spec.image_suffix = "iso".into();
    }
    let empty = Schematic::default();
    let schematic = match artifact {
        // talhelper's `genurl image` prefers `imageSchematic`.
        Artifact::Image | Artifact::Iso => {
            node.image_schematic.as_ref().or(node.schematic.as_ref())
        }
        Artifact::Installer => node.schematic.as_ref(),
    }
    .unwrap_or(&empty);
    let id = schematic::id(schematic);
    match artifact {
        Artifact::Installer => installer_url(&cluster.image_factory, &spec, &id, &version),
        _ => image_url(&cluster.image_factory, &spec, &id, &version),
    }
}

/// `GetInstallerURL`.
pub fn installer_url(
    factory: &ImageFactory,
    spec: &ResolvedSpec,
    id: &str,
    version: &str,
) -> Result<String, String> {
    let f = factory.resolved();
    render(
        &f.installer_url_tmpl,
        &[
            ("RegistryURL", Val::Str(f.registry_url.clone())),
            ("ID", Val::Str(id.into())),
            ("Version", Val::Str(version.into())),
            ("Mode", Val::Str(spec.mode.clone())),
            ("Secureboot", Val::Bool(spec.secureboot)),
        ],
    )
    .map_err(|e| format!("imageFactory `installerURLTmpl`: {e}"))
}

/// `GetImageURL`: the suffix is `.<imageSuffix>` (talhelper's machine spec defaults it to
/// `iso`, whatever the boot method), and the template decides the rest.
pub fn image_url(
    factory: &ImageFactory,
    spec: &ResolvedSpec,
    id: &str,
    version: &str,
) -> Result<String, String> {
    let f = factory.resolved();
    let suffix = if spec.image_suffix.is_empty() {
        String::new()
    } else {
        format!(".{}", spec.image_suffix)
    };
    render(
        &f.image_url_tmpl,
        &[
            ("BootMethod", Val::Str(spec.boot_method.clone())),
            ("Suffix", Val::Str(suffix)),
            ("Protocol", Val::Str(f.protocol.clone())),
            ("RegistryURL", Val::Str(f.registry_url.clone())),
            ("ID", Val::Str(id.into())),
            ("Version", Val::Str(version.into())),
            ("Mode", Val::Str(spec.mode.clone())),
            ("Arch", Val::Str(spec.arch.clone())),
            ("Secureboot", Val::Bool(spec.secureboot)),
            ("UseUKI", Val::Bool(spec.use_uki)),
        ],
    )
    .map_err(|e| format!("imageFactory `ISOURLTmpl`: {e}"))
}

/// The URL where the factory takes new schematics (`POST`).
pub fn schematics_endpoint(factory: &ImageFactory) -> String {
    let f = factory.resolved();
    format!(
        "{}://{}{}",
        f.protocol, f.registry_url, f.schematic_endpoint
    )
}

/// Whether both templates of `factory` render (with sample values); the readers call it so
/// rendering never meets a template it cannot evaluate.
pub fn check_templates(factory: &ImageFactory) -> Result<(), String> {
    let spec = crate::model::MachineSpec::default().resolved();
    installer_url(factory, &spec, "id", "v1.12.0")?;
    image_url(factory, &spec, "id", "v1.12.0").map(|_| ())
}
