//! What a node boots and installs: its Image Factory schematic, machine spec and the factory.

use crate::diag::Span;
use crate::yaml::Yaml;

/// An Image Factory schematic (siderolabs/image-factory `schematic.Schematic`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schematic {
    /// `owner` (the factory's Enterprise edition only).
    pub owner: String,
    /// `overlay`: a board overlay (SBCs).
    pub overlay: Overlay,
    /// `customization`.
    pub customization: Customization,
    /// Where each `officialExtensions` entry was written (same length, or empty), so a check
    /// points at its line.
    pub extension_spans: Vec<Option<Span>>,
    /// Where the schematic was written.
    pub span: Option<Span>,
}

/// `overlay`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overlay {
    /// Overlay image (`siderolabs/sbc-raspberrypi`).
    pub image: String,
    /// Overlay name (`rpi_generic`).
    pub name: String,
    /// Overlay options (a mapping, any values); `None` or empty = none.
    pub options: Option<Yaml>,
}

/// `customization`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Customization {
    /// `embeddedMachineConfiguration`.
    pub embedded_machine_configuration: String,
    /// `extraKernelArgs`.
    pub extra_kernel_args: Vec<String>,
    /// `meta`: initial META values.
    pub meta: Vec<MetaValue>,
    /// `systemExtensions.officialExtensions`.
    pub official_extensions: Vec<String>,
    /// `bootloader`: `dual-boot`, `sd-boot` or `grub` (`none`/empty = the factory's choice).
    pub bootloader: String,
    /// `secureboot.enrollKeys`.
    pub enroll_keys: String,
    /// `secureboot.includeWellKnownCertificates`.
    pub include_well_known_certificates: bool,
    /// `diskImage.sectorSize` (0 = unset).
    pub sector_size: u32,
}

/// One `meta` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaValue {
    /// META key (0–255).
    pub key: u8,
    /// Its value.
    pub value: String,
}

impl Schematic {
    /// Whether nothing is set (the empty schematic, the factory's vanilla image).
    pub fn is_empty(&self) -> bool {
        let plain = Schematic {
            extension_spans: Vec::new(),
            span: None,
            ..self.clone()
        };
        plain == Schematic::default()
    }
}

/// talhelper's `machineSpec`: what kind of machine boots the image; unset fields take
/// talhelper's defaults (see [`MachineSpec::resolved`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MachineSpec {
    /// `mode`: `metal` or a cloud platform (`aws`, `nocloud`, ...).
    pub mode: Option<String>,
    /// `arch`: `amd64` or `arm64`.
    pub arch: Option<String>,
    /// `secureboot`.
    pub secureboot: bool,
    /// `useUKI`: boot the UKI (`.efi`) with secure boot.
    pub use_uki: bool,
    /// `bootMethod`: `iso`, `disk-image` or `pxe`.
    pub boot_method: Option<String>,
    /// `imageSuffix` (`raw.zst`, `qcow2`, ...).
    pub image_suffix: Option<String>,
}

/// A machine spec with talhelper's defaults filled in (`Node.GetMachineSpec`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedSpec {
    /// Mode (`metal`).
    pub mode: String,
    /// Architecture (`amd64`).
    pub arch: String,
    /// Secure boot.
    pub secureboot: bool,
    /// UKI.
    pub use_uki: bool,
    /// Boot method (`iso`).
    pub boot_method: String,
    /// Image suffix (`iso`).
    pub image_suffix: String,
}

/// Machine spec values talhelper accepts.
pub const BOOT_METHODS: &[&str] = &["iso", "disk-image", "pxe"];
/// Image suffixes talhelper accepts for a disk image.
pub(super) const DISK_IMAGE_SUFFIXES: &[&str] = &[
    "raw.zst",
    "raw.xz",
    "raw.tar.gz",
    "vhd.xz",
    "raw.gz",
    "ova",
    "qcow2",
];

impl MachineSpec {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == MachineSpec::default()
    }

    /// talhelper's defaults for what is unset: metal, amd64, iso, suffix `iso`.
    pub fn resolved(&self) -> ResolvedSpec {
        let or = |v: &Option<String>, d: &str| {
            v.clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| d.to_string())
        };
        ResolvedSpec {
            mode: or(&self.mode, "metal"),
            arch: or(&self.arch, "amd64"),
            secureboot: self.secureboot,
            use_uki: self.use_uki,
            boot_method: or(&self.boot_method, "iso"),
            image_suffix: or(&self.image_suffix, "iso"),
        }
    }

    /// talhelper's `checkNodeMachineSpec`: why this spec is invalid, `None` when it is not.
    pub fn error(&self) -> Option<SpecError> {
        let bm = self.boot_method.as_deref().unwrap_or("");
        if !bm.is_empty() && !BOOT_METHODS.contains(&bm) {
            return Some(SpecError::BootMethod(bm.to_string()));
        }
        let suffix = self.image_suffix.as_deref().unwrap_or("");
        if suffix.is_empty() {
            return None;
        }
        let suffix = suffix.to_string();
        match bm {
            "" | "iso" if suffix != "iso" => Some(SpecError::IsoSuffix(suffix)),
            "disk-image" if !DISK_IMAGE_SUFFIXES.contains(&suffix.as_str()) => {
                Some(SpecError::DiskImageSuffix(suffix))
            }
            "pxe" => Some(SpecError::PxeSuffix(suffix)),
            _ => None,
        }
    }
}

/// Why a machine spec is invalid (talhelper's `checkNodeMachineSpec`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecError {
    /// A boot method outside [`BOOT_METHODS`].
    BootMethod(String),
    /// An image suffix other than `iso` for an ISO (the default boot method).
    IsoSuffix(String),
    /// An image suffix no disk image has.
    DiskImageSuffix(String),
    /// Any image suffix for PXE.
    PxeSuffix(String),
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpecError::BootMethod(bm) => {
                write!(
                    f,
                    "boot method `{bm}` should be one of iso, disk-image, pxe"
                )
            }
            SpecError::IsoSuffix(s) => {
                write!(f, "image suffix `{s}` for iso (default) should be iso")
            }
            SpecError::DiskImageSuffix(s) => write!(
                f,
                "image suffix `{s}` for disk-image should be one of {}",
                DISK_IMAGE_SUFFIXES.join(", ")
            ),
            SpecError::PxeSuffix(s) => write!(f, "image suffix `{s}` for pxe should be empty"),
        }
    }
}

impl std::error::Error for SpecError {}

/// talhelper's `imageFactory`: where schematics and images come from; unset = talhelper's
/// defaults (see [`ImageFactory::resolved`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImageFactory {
    /// `registryURL` (`factory.talos.dev`).
    pub registry_url: Option<String>,
    /// `schematicEndpoint` (`/schematics`).
    pub schematic_endpoint: Option<String>,
    /// `protocol` (`https`).
    pub protocol: Option<String>,
    /// `installerURLTmpl`: a Go template.
    pub installer_url_tmpl: Option<String>,
    /// `ISOURLTmpl`: a Go template for ISO and disk image URLs.
    pub image_url_tmpl: Option<String>,
    /// Where it was written.
    pub span: Option<Span>,
}

/// An image factory with talhelper's defaults filled in (`GetImageFactory`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedFactory {
    /// Registry host.
    pub registry_url: String,
    /// Schematic endpoint path.
    pub schematic_endpoint: String,
    /// `https` or `http`.
    pub protocol: String,
    /// Installer URL template.
    pub installer_url_tmpl: String,
    /// Image URL template.
    pub image_url_tmpl: String,
}

/// talhelper's default registry.
pub const DEFAULT_REGISTRY: &str = "factory.talos.dev";
/// talhelper's default installer template.
pub(super) const DEFAULT_INSTALLER_TMPL: &str =
    "{{.RegistryURL}}/{{.Mode}}-installer{{if .Secureboot}}-secureboot{{end}}/{{.ID}}:{{.Version}}";
/// talhelper's default ISO / disk image template.
pub(super) const DEFAULT_IMAGE_TMPL: &str = "{{.Protocol}}://{{.RegistryURL}}/image/{{.ID}}/{{.Version}}/{{.Mode}}-{{.Arch}}{{if .Secureboot}}-secureboot{{end}}{{if and .Secureboot .UseUKI}}-uki.efi{{ else }}{{.Suffix}}{{end}}";

impl ImageFactory {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        ImageFactory {
            span: None,
            ..self.clone()
        } == ImageFactory::default()
    }

    /// talhelper's defaults for what is unset.
    pub fn resolved(&self) -> ResolvedFactory {
        let or = |v: &Option<String>, d: &str| {
            v.clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| d.to_string())
        };
        ResolvedFactory {
            registry_url: or(&self.registry_url, DEFAULT_REGISTRY),
            schematic_endpoint: or(&self.schematic_endpoint, "/schematics"),
            protocol: or(&self.protocol, "https"),
            installer_url_tmpl: or(&self.installer_url_tmpl, DEFAULT_INSTALLER_TMPL),
            image_url_tmpl: or(&self.image_url_tmpl, DEFAULT_IMAGE_TMPL),
        }
    }
}
