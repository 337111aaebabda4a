//! Installer image: an explicit image, or the Image Factory URL for the node's schematic.

use crate::model::{Node, Version};
use crate::yaml::{EmitOptions, Map, Yaml, emit_document};
use sha2::{Digest, Sha256};

/// talhelper's default Image Factory registry.
const FACTORY: &str = "factory.talos.dev";

/// The `machine.install.image` talhelper writes for a node: `<talosImageURL>:<talos>` when the
/// node names an image (it wins over a schematic), otherwise
/// `factory.talos.dev/metal-installer/<schematic id>:<talos>` (talhelper's default template,
/// metal mode, no secure boot).
pub fn installer_image(node: &Node, talos: &Version) -> String {
    match &node.image {
        Some(image) => format!("{image}:{talos}"),
        None => format!(
            "{FACTORY}/metal-installer/{}:{talos}",
            schematic_id(node.schematic.as_ref())
        ),
    }
}

/// The Image Factory schematic ID: sha256 (hex) of the schematic marshalled as the factory's Go
/// struct (yaml.v4, 4-space indent, struct field order, empty fields dropped). `None` is the
/// empty schematic, whose ID is `376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba`.
pub fn schematic_id(schematic: Option<&Yaml>) -> String {
    let text = emit_document(&canonical(schematic), &EmitOptions { indent: 4 });
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The schematic as `schematic.Schematic` would marshal it; unknown keys are dropped as
/// talhelper's non-strict decode does.
fn canonical(schematic: Option<&Yaml>) -> Yaml {
    let get = |k: &str| schematic.and_then(|s| s.get(k));
    let mut out = Map::new();
    if let Some(Yaml::Str(owner)) = get("owner")
        && !owner.is_empty()
    {
        out.insert("owner".into(), Yaml::str(owner));
    }
    if let Some(overlay) = get("overlay") {
        let image = str_or_empty(overlay.get("image"));
        let name = str_or_empty(overlay.get("name"));
        let options = overlay
            .get("options")
            .and_then(Yaml::as_map)
            .filter(|m| !m.is_empty());
        if !image.is_empty() || !name.is_empty() || options.is_some() {
            let mut o = Map::new();
            o.insert("image".into(), Yaml::str(image));
            o.insert("name".into(), Yaml::str(name));
            if let Some(opts) = options {
                // `map[string]any`: Go sorts the keys, at every level.
                o.insert("options".into(), sorted(&Yaml::Map(opts.clone())));
            }
            out.insert("overlay".into(), Yaml::Map(o));
        }
    }
    out.insert(
        "customization".into(),
        customization(get("customization").unwrap_or(&Yaml::Null)),
    );
    Yaml::Map(out)
}

fn customization(c: &Yaml) -> Yaml {
    let mut out = Map::new();
    let text = str_or_empty(c.get("embeddedMachineConfiguration"));
    if !text.is_empty() {
        out.insert("embeddedMachineConfiguration".into(), Yaml::str(text));
    }
    if let Some(args) = non_empty_seq(c.get("extraKernelArgs")) {
        out.insert("extraKernelArgs".into(), args);
    }
    if let Some(meta) = c
        .get("meta")
        .and_then(Yaml::as_seq)
        .filter(|s| !s.is_empty())
    {
        let items = meta
            .iter()
            .map(|m| {
                Yaml::from_pairs([
                    ("key", m.get("key").cloned().unwrap_or(Yaml::Int(0))),
                    ("value", Yaml::str(str_or_empty(m.get("value")))),
                ])
            })
            .collect();
        out.insert("meta".into(), Yaml::Seq(items));
    }
    if let Some(ext) = non_empty_seq(
        c.get("systemExtensions")
            .and_then(|s| s.get("officialExtensions")),
    ) {
        out.insert(
            "systemExtensions".into(),
            Yaml::from_pairs([("officialExtensions", ext)]),
        );
    }
    let bootloader = str_or_empty(c.get("bootloader"));
    if !bootloader.is_empty() {
        out.insert("bootloader".into(), Yaml::str(bootloader));
    }
    if let Some(sb) = c.get("secureboot") {
        let mut m = Map::new();
        let enroll = str_or_empty(sb.get("enrollKeys"));
        if !enroll.is_empty() {
            m.insert("enrollKeys".into(), Yaml::str(enroll));
        }
        if sb.get("includeWellKnownCertificates") == Some(&Yaml::Bool(true)) {
            m.insert("includeWellKnownCertificates".into(), Yaml::Bool(true));
        }
        if !m.is_empty() {
            out.insert("secureboot".into(), Yaml::Map(m));
        }
    }
    if let Some(size) = c
        .get("diskImage")
        .and_then(|d| d.get("sectorSize"))
        .and_then(Yaml::as_i64)
        .filter(|s| *s != 0)
    {
        out.insert(
            "diskImage".into(),
            Yaml::from_pairs([("sectorSize", Yaml::Int(size))]),
        );
    }
    Yaml::Map(out)
}

fn str_or_empty(y: Option<&Yaml>) -> &str {
    y.and_then(Yaml::as_str).unwrap_or("")
}

fn non_empty_seq(y: Option<&Yaml>) -> Option<Yaml> {
    y.and_then(Yaml::as_seq)
        .filter(|s| !s.is_empty())
        .map(|s| Yaml::Seq(s.to_vec()))
}

fn sorted(y: &Yaml) -> Yaml {
    match y {
        Yaml::Map(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| super::order::go_key_cmp(a, b));
            Yaml::Map(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&m[k])))
                    .collect(),
            )
        }
        Yaml::Seq(s) => Yaml::Seq(s.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
