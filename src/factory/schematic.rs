//! Schematics as the Image Factory reads, canonicalises and hashes them: YAML in (strict, like
//! the factory's decoder), the canonical YAML out, and its ID.

use crate::model::{MetaValue, Schematic};
use crate::talos::go_key_cmp;
use crate::yaml::strict::dotted;
use crate::yaml::{EmitOptions, Map, PathSeg, Yaml, emit_document};
use sha2::{Digest, Sha256};

/// A schematic field that cannot be read: where (relative to the schematic) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// Path inside the schematic.
    pub path: Vec<PathSeg>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Whether the key itself is wrong (an unknown field), not its value.
    pub at_key: bool,
}

/// The keys of each level, as `schematic.Schematic`'s yaml tags spell them.
const TOP: &[&str] = &["owner", "overlay", "customization"];
const OVERLAY: &[&str] = &["image", "name", "options"];
const CUSTOMIZATION: &[&str] = &[
    "embeddedMachineConfiguration",
    "extraKernelArgs",
    "meta",
    "systemExtensions",
    "bootloader",
    "secureboot",
    "diskImage",
];
/// `imageropts.BootloaderKind`'s text values (`none` is its zero, omitted when marshalled).
pub const BOOTLOADERS: &[&str] = &["none", "dual-boot", "sd-boot", "grub"];

/// Reads a schematic written as YAML (talconfig's `schematic:`, a script's map). Unknown keys
/// are errors: the factory decodes with `KnownFields(true)` and would refuse the POST.
pub fn decode(v: &Yaml) -> Result<Schematic, DecodeError> {
    let mut d = Decoder { path: Vec::new() };
    let mut s = Schematic::default();
    if matches!(v, Yaml::Null) {
        return Ok(s);
    }
    d.keys(v, TOP)?;
    s.owner = d.string(v, "owner")?;
    if let Some(o) = d.enter(v, "overlay") {
        d.keys(o, OVERLAY)?;
        s.overlay.image = d.string(o, "image")?;
        s.overlay.name = d.string(o, "name")?;
        if let Some(opts) = o.get("options").filter(|y| !matches!(y, Yaml::Null)) {
            if opts.as_map().is_none() {
                return Err(d.err("options", "must be a mapping"));
            }
            s.overlay.options = Some(opts.clone());
        }
        d.leave();
    }
    if let Some(c) = d.enter(v, "customization") {
        d.keys(c, CUSTOMIZATION)?;
        let cu = &mut s.customization;
        cu.embedded_machine_configuration = d.string(c, "embeddedMachineConfiguration")?;
        cu.extra_kernel_args = d.strings(c, "extraKernelArgs")?;
        if let Some(items) = d.seq(c, "meta")? {
            d.path.push(PathSeg::Key("meta".into()));
            for (i, m) in items.iter().enumerate() {
                d.path.push(PathSeg::Index(i));
                d.keys(m, &["key", "value"])?;
                let key = match m.get("key") {
                    None | Some(Yaml::Null) => 0,
                    Some(Yaml::Int(k)) if (0..=255).contains(k) => *k as u8,
                    Some(other) => {
                        return Err(d.err("key", &format!("must be 0–255, got {}", show(other))));
                    }
                };
                let value = d.string(m, "value")?;
                cu.meta.push(MetaValue { key, value });
                d.leave();
            }
            d.leave();
        }
        if let Some(se) = d.enter(c, "systemExtensions") {
            d.keys(se, &["officialExtensions"])?;
            cu.official_extensions = d.strings(se, "officialExtensions")?;
            d.leave();
        }
        let bl = d.string(c, "bootloader")?;
        if !bl.is_empty() && !BOOTLOADERS.contains(&bl.as_str()) {
            return Err(d
                .err("bootloader", &format!("`{bl}` is not a bootloader"))
                .hinted("use one of `dual-boot`, `sd-boot`, `grub` (or leave it out)"));
        }
        cu.bootloader = if bl == "none" { String::new() } else { bl };
        if let Some(sb) = d.enter(c, "secureboot") {
            d.keys(sb, &["enrollKeys", "includeWellKnownCertificates"])?;
            cu.enroll_keys = d.string(sb, "enrollKeys")?;
            cu.include_well_known_certificates = match sb.get("includeWellKnownCertificates") {
                None | Some(Yaml::Null) => false,
                Some(Yaml::Bool(b)) => *b,
                Some(other) => {
                    return Err(d.err(
                        "includeWellKnownCertificates",
                        &format!("must be true or false, got {}", show(other)),
                    ));
                }
            };
            d.leave();
        }
        if let Some(di) = d.enter(c, "diskImage") {
            d.keys(di, &["sectorSize"])?;
            cu.sector_size = match di.get("sectorSize") {
                None | Some(Yaml::Null) => 0,
                Some(Yaml::Int(n)) if (0..=i64::from(u32::MAX)).contains(n) => *n as u32,
                Some(other) => {
                    return Err(d.err(
                        "sectorSize",
                        &format!("must be a positive integer, got {}", show(other)),
                    ));
                }
            };
            d.leave();
        }
        d.leave();
    }
    Ok(s)
}

/// The schematic as `schematic.Schematic` marshals it: struct field order, empty fields
/// dropped (`omitempty`), `customization` always present, overlay options sorted as Go sorts
/// a `map[string]any`.
pub fn canonical(s: &Schematic) -> Yaml {
    let mut out = Map::new();
    if !s.owner.is_empty() {
        out.insert("owner".into(), Yaml::str(&s.owner));
    }
    let o = &s.overlay;
    let options = o
        .options
        .as_ref()
        .and_then(Yaml::as_map)
        .filter(|m| !m.is_empty());
    if !o.image.is_empty() || !o.name.is_empty() || options.is_some() {
        let mut m = Map::new();
        m.insert("image".into(), Yaml::str(&o.image));
        m.insert("name".into(), Yaml::str(&o.name));
        if let Some(opts) = options {
            m.insert("options".into(), sorted(&Yaml::Map(opts.clone())));
        }
        out.insert("overlay".into(), Yaml::Map(m));
    }
    let c = &s.customization;
    let mut m = Map::new();
    if !c.embedded_machine_configuration.is_empty() {
        m.insert(
            "embeddedMachineConfiguration".into(),
            Yaml::str(&c.embedded_machine_configuration),
        );
    }
    if !c.extra_kernel_args.is_empty() {
        m.insert(
            "extraKernelArgs".into(),
            Yaml::str_seq(c.extra_kernel_args.clone()),
        );
    }
    if !c.meta.is_empty() {
        let items = c
            .meta
            .iter()
            .map(|mv| {
                Yaml::from_pairs([
                    ("key", Yaml::Int(i64::from(mv.key))),
                    ("value", Yaml::str(&mv.value)),
                ])
            })
            .collect();
        m.insert("meta".into(), Yaml::Seq(items));
    }
    if !c.official_extensions.is_empty() {
        m.insert(
            "systemExtensions".into(),
            Yaml::from_pairs([(
                "officialExtensions",
                Yaml::str_seq(c.official_extensions.clone()),
            )]),
        );
    }
    if !c.bootloader.is_empty() && c.bootloader != "none" {
        m.insert("bootloader".into(), Yaml::str(&c.bootloader));
    }
    let mut sb = Map::new();
    if !c.enroll_keys.is_empty() {
        sb.insert("enrollKeys".into(), Yaml::str(&c.enroll_keys));
    }
    if c.include_well_known_certificates {
        sb.insert("includeWellKnownCertificates".into(), Yaml::Bool(true));
    }
    if !sb.is_empty() {
        m.insert("secureboot".into(), Yaml::Map(sb));
    }
    if c.sector_size != 0 {
        m.insert(
            "diskImage".into(),
            Yaml::from_pairs([("sectorSize", Yaml::Int(i64::from(c.sector_size)))]),
        );
    }
    out.insert("customization".into(), Yaml::Map(m));
    Yaml::Map(out)
}

/// The canonical text the factory hashes (and accepts on `POST /schematics`): yaml.v4's
/// `Marshal`, 4-space indent.
pub fn marshal(s: &Schematic) -> String {
    emit_document(&canonical(s), &EmitOptions { indent: 4 })
}

/// The schematic ID: sha256 (hex) of [`marshal`]. The empty schematic's is
/// `376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba`.
pub fn id(s: &Schematic) -> String {
    Sha256::digest(marshal(s).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sorted(y: &Yaml) -> Yaml {
    match y {
        Yaml::Map(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| go_key_cmp(a, b));
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

fn show(y: &Yaml) -> String {
    match y {
        Yaml::Int(i) => i.to_string(),
        Yaml::Str(s) => format!("`{s}`"),
        other => other.type_name().to_string(),
    }
}

struct Decoder {
    path: Vec<PathSeg>,
}

impl DecodeError {
    fn hinted(mut self, hint: &str) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl Decoder {
    fn err(&self, key: &str, what: &str) -> DecodeError {
        let mut path = self.path.clone();
        path.push(PathSeg::Key(key.into()));
        DecodeError {
            message: format!("schematic `{}` {what}", dotted(&path)),
            path,
            hint: None,
            at_key: false,
        }
    }

    fn keys(&self, v: &Yaml, allowed: &[&str]) -> Result<(), DecodeError> {
        let Some(m) = v.as_map() else {
            let mut e = self.err("", "must be a mapping");
            e.path.pop();
            e.message = if self.path.is_empty() {
                "a schematic must be a mapping".into()
            } else {
                format!("schematic `{}` must be a mapping", dotted(&self.path))
            };
            return Err(e);
        };
        for key in m.keys() {
            if !allowed.contains(&key.as_str()) {
                let mut e = self.err(key, "is not a schematic field");
                e.at_key = true;
                if let Some(c) = crate::diag::closest(key, allowed.iter().copied()) {
                    e.hint = Some(format!("did you mean `{c}`?"));
                } else {
                    e.hint = Some(format!("fields here: {}", allowed.join(", ")));
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// The mapping under `key` (pushed onto the path; [`Decoder::leave`] pops it).
    fn enter<'y>(&mut self, v: &'y Yaml, key: &str) -> Option<&'y Yaml> {
        let child = v.get(key).filter(|c| !matches!(c, Yaml::Null))?;
        self.path.push(PathSeg::Key(key.into()));
        Some(child)
    }

    fn leave(&mut self) {
        self.path.pop();
    }

    fn string(&self, v: &Yaml, key: &str) -> Result<String, DecodeError> {
        match v.get(key) {
            None | Some(Yaml::Null) => Ok(String::new()),
            Some(y) => scalar(y)
                .ok_or_else(|| self.err(key, &format!("must be a string, got {}", y.type_name()))),
        }
    }

    fn seq<'y>(&self, v: &'y Yaml, key: &str) -> Result<Option<&'y [Yaml]>, DecodeError> {
        match v.get(key) {
            None | Some(Yaml::Null) => Ok(None),
            Some(Yaml::Seq(items)) => Ok(Some(items)),
            Some(y) => Err(self.err(key, &format!("must be a list, got {}", y.type_name()))),
        }
    }

    fn strings(&self, v: &Yaml, key: &str) -> Result<Vec<String>, DecodeError> {
        let Some(items) = self.seq(v, key)? else {
            return Ok(Vec::new());
        };
        items
            .iter()
            .enumerate()
            .map(|(i, y)| {
                scalar(y).ok_or_else(|| {
                    let mut e = self.err(key, &format!("must be strings, got {}", y.type_name()));
                    e.path.push(PathSeg::Index(i));
                    e
                })
            })
            .collect()
    }
}

/// A scalar as the string yaml.v3 decodes it into (`5` → `"5"`).
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::Str(s) => Some(s.clone()),
        Yaml::Int(i) => Some(i.to_string()),
        Yaml::Float(f) => Some(f.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;

    fn parse(text: &str) -> Schematic {
        let docs = parse_documents(text).unwrap();
        decode(&docs[0].value).unwrap()
    }

    // siderolabs/image-factory pkg/schematic/schematic_test.go (TestID, TestUnmarshalID) @ main:
    // each schematic (as the test's Go struct, or as the text it unmarshals) and its ID.
    const UPSTREAM_IDS: &[(&str, &str)] = &[
        (
            "{}",
            "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba",
        ),
        (
            "customization: {}",
            "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba",
        ),
        (
            r#"customization: {"extraKernelArgs": []}"#,
            "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba",
        ),
        (
            r#"{"customization": {"extraKernelArgs": ["noapic", "nolapic"]}}"#,
            "9cba8e32753f91a16c1837ab8abf356af021706ef284aef07380780177d9a06c",
        ),
        (
            r#"{"customization": {"extraKernelArgs": ["noapic", "nolapic"], "systemExtensions": {}}}"#,
            "9cba8e32753f91a16c1837ab8abf356af021706ef284aef07380780177d9a06c",
        ),
        (
            r#"{"customization": {"meta": [{"key": 10, "value": "foo"}], "extraKernelArgs": [], "systemExtensions": {}}}"#,
            "d308a2a5ee2277bed5fbaa104fcbc8d59122abfa737df987a95b4ca763459a7f",
        ),
        (
            r#"{"overlay": {"name": "rpi_generic", "image": "siderolabs/sbc-raspberrypi"}}"#,
            "ee21ef4a5ef808a9b7484cc0dda0f25075021691c8c09a276591eedb638ea1f9",
        ),
        (
            r#"{"overlay": {"name": "rpi_generic", "image": "siderolabs/sbc-raspberrypi"},"customization":{}}"#,
            "ee21ef4a5ef808a9b7484cc0dda0f25075021691c8c09a276591eedb638ea1f9",
        ),
        (
            r#"{"customization":{"secureboot": {"includeWellKnownCertificates": true}}}"#,
            "fa8e05f142a851d3ee568eb0a8e5841eaf6b0ebc8df9a63df16ac5ed2c04f3e6",
        ),
        (
            "customization: {diskImage: {sectorSize: 4096}}",
            "92833e9ddd9bb9e11b2464fa5525429f01866306d52ebd882ee08d7918f6d1ea",
        ),
    ];

    #[test]
    fn ids_match_the_image_factory() {
        for (text, want) in UPSTREAM_IDS {
            assert_eq!(id(&parse(text)), *want, "{text}");
        }
        assert_eq!(
            id(&Schematic::default()),
            UPSTREAM_IDS[0].1,
            "the empty schematic"
        );
    }

    #[test]
    fn canonical_text_is_what_the_factory_hashes() {
        let s = parse(
            "customization:\n  systemExtensions:\n    officialExtensions: [siderolabs/i915, siderolabs/intel-ucode]\n  extraKernelArgs: [net.ifnames=0]\noverlay:\n  options: {zeta: 1, alpha: {b: 2, a: 1}}\n  name: rpi_generic\n  image: siderolabs/sbc-raspberrypi\n",
        );
        assert_eq!(
            marshal(&s),
            "overlay:\n    image: siderolabs/sbc-raspberrypi\n    name: rpi_generic\n    options:\n        alpha:\n            a: 1\n            b: 2\n        zeta: 1\ncustomization:\n    extraKernelArgs:\n        - net.ifnames=0\n    systemExtensions:\n        officialExtensions:\n            - siderolabs/i915\n            - siderolabs/intel-ucode\n"
        );
        // `none` is BootloaderKind's zero value: omitted, so the ID is the vanilla one.
        assert_eq!(
            id(&parse("customization: {bootloader: none}")),
            UPSTREAM_IDS[0].1
        );
    }

    #[test]
    fn unknown_or_mistyped_fields_are_errors_with_their_path() {
        let docs = parse_documents("customization:\n  systemExtension: {}\n").unwrap();
        let e = decode(&docs[0].value).unwrap_err();
        assert_eq!(
            e.message,
            "schematic `customization.systemExtension` is not a schematic field"
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean `systemExtensions`?"));
        let docs = parse_documents("customization: {meta: [{key: 300, value: x}]}").unwrap();
        let e = decode(&docs[0].value).unwrap_err();
        assert_eq!(
            e.message,
            "schematic `customization.meta[0].key` must be 0–255, got 300"
        );
        let docs = parse_documents("customization: {bootloader: lilo}").unwrap();
        assert!(
            decode(&docs[0].value)
                .unwrap_err()
                .message
                .contains("`lilo` is not a bootloader")
        );
    }
}
