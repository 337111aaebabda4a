//! Installer and boot image URLs, as talhelper (v3.1.16 `pkg/talos/schematic.go`) renders
//! them from its `imageFactory` templates.

use super::schematic;
pub use super::template::TemplateError;
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

/// Which `imageFactory` template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// `installerURLTmpl`.
    Installer,
    /// `ISOURLTmpl`.
    Image,
}

impl Template {
    /// Its talconfig key.
    pub fn key(self) -> &'static str {
        match self {
            Template::Installer => "installerURLTmpl",
            Template::Image => "ISOURLTmpl",
        }
    }
}

/// A factory template that does not render, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError {
    /// The template.
    pub template: Template,
    /// Why.
    pub error: TemplateError,
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "imageFactory `{}`: {}", self.template.key(), self.error)
    }
}

impl std::error::Error for UrlError {}

/// The installer image talhelper writes for a node: `<talosImageURL>:<talos>` when the node
/// names an image (it wins over a schematic), else the factory's installer template with the
/// schematic ID.
pub fn installer(cluster: &Cluster, node: &Node) -> Result<String, UrlError> {
    // Rendering every node's config asks this for each node, and the nodes of a cluster
    // mostly share every input: the last answer of this thread is reused when they match.
    thread_local! {
        static LAST: std::cell::RefCell<Option<(InstallerInputs, Result<String, UrlError>)>> =
            const { std::cell::RefCell::new(None) };
    }
    let hit = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(inputs, _)| inputs.same(cluster, node))
            .map(|(_, url)| url.clone())
    });
    if let Some(url) = hit {
        return url;
    }
    let url = url(cluster, node, Artifact::Installer, &SpecOverride::default());
    let inputs = InstallerInputs {
        factory: cluster.image_factory.clone(),
        version: cluster.talos_version,
        spec: node.machine_spec.clone(),
        image: node.image.clone(),
        schematic: node.schematic.clone(),
    };
    LAST.set(Some((inputs, url.clone())));
    url
}

/// Everything [`installer`] reads.
struct InstallerInputs {
    factory: ImageFactory,
    version: crate::model::Version,
    spec: crate::model::MachineSpec,
    image: Option<String>,
    schematic: Option<Schematic>,
}

impl InstallerInputs {
    fn same(&self, cluster: &Cluster, node: &Node) -> bool {
        self.factory == cluster.image_factory
            && self.version == cluster.talos_version
            && self.spec == node.machine_spec
            && self.image == node.image
            && self.schematic == node.schematic
    }
}

/// The URL of `artifact` for `node`.
pub fn url(
    cluster: &Cluster,
    node: &Node,
    artifact: Artifact,
    over: &SpecOverride,
) -> Result<String, UrlError> {
    let version = cluster.talos_version.to_string();
    let mut spec = node.machine_spec.resolved();
    if let Some(a) = &over.arch {
        spec.arch.clone_from(a);
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
) -> Result<String, UrlError> {
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
    .map_err(|error| UrlError {
        template: Template::Installer,
        error,
    })
}

/// `GetImageURL`: the suffix is `.<imageSuffix>` (talhelper's machine spec defaults it to
/// `iso`, whatever the boot method), and the template decides the rest.
pub fn image_url(
    factory: &ImageFactory,
    spec: &ResolvedSpec,
    id: &str,
    version: &str,
) -> Result<String, UrlError> {
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
    .map_err(|error| UrlError {
        template: Template::Image,
        error,
    })
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
pub fn check_templates(factory: &ImageFactory) -> Result<(), UrlError> {
    let spec = crate::model::MachineSpec::default().resolved();
    installer_url(factory, &spec, "id", "v1.12.0")?;
    image_url(factory, &spec, "id", "v1.12.0").map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MachineSpec, Schematic};

    fn schematic(exts: &[&str], args: &[&str]) -> Schematic {
        let mut s = Schematic::default();
        s.customization.official_extensions = exts.iter().map(|e| e.to_string()).collect();
        s.customization.extra_kernel_args = args.iter().map(|e| e.to_string()).collect();
        s
    }

    fn spec(mode: &str, secureboot: bool) -> ResolvedSpec {
        MachineSpec {
            mode: (!mode.is_empty()).then(|| mode.to_string()),
            secureboot,
            ..MachineSpec::default()
        }
        .resolved()
    }

    // budimanjojo/talhelper pkg/talos/schematic_test.go (TestGetInstallerURL) @ v3.1.16:
    // schematic, registry, mode, secure boot, version and the URL talhelper renders.
    #[test]
    fn installer_urls_match_talhelpers_tests() {
        let cases: &[(Schematic, &str, &str, bool, &str, &str)] = &[
            (
                Schematic::default(),
                "factory.talos.dev",
                "metal",
                false,
                "v1.5.4",
                "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.5.4",
            ),
            (
                schematic(&["siderolabs/drbd", "siderolabs/zfs"], &[]),
                "",
                "metal",
                false,
                "v1.5.4",
                "factory.talos.dev/metal-installer/98442b5bb4e8d050f30978ce3e6ec22e7bf534d57cafcd51313235128057e612:v1.5.4",
            ),
            (
                schematic(&[], &["hihi", "hehe"]),
                "",
                "gcp",
                false,
                "",
                "factory.talos.dev/gcp-installer/ff5083b14ccb03821ea738d712ac08a82b44d2693013622059edaae286665239:",
            ),
            (
                schematic(&["siderolabs/tailscale"], &["net.ifnames=0"]),
                "test.registry/",
                "metal",
                true,
                "1.5.4",
                "test.registry//metal-installer-secureboot/104c23dfe7c5bfeff6a4cc7e166d8b3bba0f371760592c7677c90c822bb1d109:1.5.4",
            ),
        ];
        for (s, registry, mode, sb, version, want) in cases {
            let f = ImageFactory {
                registry_url: (!registry.is_empty()).then(|| registry.to_string()),
                ..ImageFactory::default()
            };
            let got = installer_url(&f, &spec(mode, *sb), &schematic::id(s), version).unwrap();
            assert_eq!(&got, want);
        }
        // The same file's sprig case (`trim`, `hasPrefix`, parentheses).
        let sprig = ImageFactory {
            registry_url: Some("     myregistry.com".into()),
            installer_url_tmpl: Some(
                "{{ trim .RegistryURL }}/{{ or (hasPrefix \"v\" .Version) (print \"v\" .Version) }}"
                    .into(),
            ),
            ..ImageFactory::default()
        };
        let got = installer_url(
            &sprig,
            &spec("", false),
            &schematic::id(&Schematic::default()),
            "1.5.4",
        );
        assert_eq!(got.as_deref(), Ok("myregistry.com/v1.5.4"));
    }

    #[test]
    fn image_urls_follow_talhelpers_template() {
        let f = ImageFactory::default();
        let id = schematic::id(&Schematic::default());
        let url = |s: MachineSpec| image_url(&f, &s.resolved(), &id, "v1.12.0").unwrap();
        let base = format!("https://factory.talos.dev/image/{id}/v1.12.0");
        assert_eq!(
            url(MachineSpec::default()),
            format!("{base}/metal-amd64.iso")
        );
        let sb = MachineSpec {
            arch: Some("arm64".into()),
            secureboot: true,
            ..MachineSpec::default()
        };
        assert_eq!(
            url(sb.clone()),
            format!("{base}/metal-arm64-secureboot.iso")
        );
        let uki = MachineSpec {
            use_uki: true,
            ..sb
        };
        assert_eq!(url(uki), format!("{base}/metal-arm64-secureboot-uki.efi"));
        let disk = MachineSpec {
            mode: Some("nocloud".into()),
            boot_method: Some("disk-image".into()),
            image_suffix: Some("raw.xz".into()),
            ..MachineSpec::default()
        };
        assert_eq!(url(disk), format!("{base}/nocloud-amd64.raw.xz"));
        // talhelper's machine spec defaults the suffix to `iso` whatever the boot method.
        let no_suffix = MachineSpec {
            boot_method: Some("disk-image".into()),
            ..MachineSpec::default()
        };
        assert_eq!(url(no_suffix), format!("{base}/metal-amd64.iso"));
        assert_eq!(
            schematics_endpoint(&f),
            "https://factory.talos.dev/schematics"
        );
    }
}
