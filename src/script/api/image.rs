//! The image options of `cluster()` and `node()`: `schematic`, `image_schematic`,
//! `machine_spec`, `image_factory`, `no_schematic_validate`.

use crate::diag::Span;
use crate::factory::{schematic, url};
use crate::model::{BOOT_METHODS, ImageFactory, MachineSpec, Schematic};
use crate::script::builder::HostError;
use crate::script::convert::to_yaml;
use crate::script::options::Options;

const SPEC_OPTS: &[&str] = &[
    "mode",
    "arch",
    "secureboot",
    "use_uki",
    "boot_method",
    "image_suffix",
];

const FACTORY_OPTS: &[&str] = &[
    "registry_url",
    "schematic_endpoint",
    "protocol",
    "installer_url_tmpl",
    "image_url_tmpl",
];

/// `key`: an Image Factory schematic, written as the factory's YAML document
/// (`#{ customization: #{ systemExtensions: #{ officialExtensions: [...] } } }`).
pub(crate) fn schematic(opts: &Options, key: &str) -> Result<Option<Schematic>, HostError> {
    let Some(v) = opts.raw(key) else {
        return Ok(None);
    };
    let y = to_yaml(&v)?;
    schematic::decode(&y).map(Some).map_err(|e| {
        let mut err = HostError::new(format!("option `{key}`: {}", e.message)).focus(key);
        if let Some(h) = e.hint {
            err = err.hint(h);
        }
        err
    })
}

/// `machine_spec: #{ mode, arch, secureboot, use_uki, boot_method, image_suffix }`.
pub(crate) fn machine_spec(opts: &Options) -> Result<MachineSpec, HostError> {
    let Some(m) = opts.map("machine_spec")? else {
        return Ok(MachineSpec::default());
    };
    let o = Options::new("machine spec", m, SPEC_OPTS)?;
    let spec = MachineSpec {
        mode: o.string("mode")?,
        arch: o.choice("arch", &["amd64", "arm64"])?,
        secureboot: o.bool("secureboot")?.unwrap_or(false),
        use_uki: o.bool("use_uki")?.unwrap_or(false),
        boot_method: o.choice("boot_method", BOOT_METHODS)?,
        image_suffix: o.string("image_suffix")?,
    };
    if let Some(e) = spec.error() {
        return Err(HostError::new(format!("option `machine_spec`: {e}"))
            .focus("machine_spec")
            .hint("a disk image takes `image_suffix: \"raw.zst\"` (or raw.xz, qcow2, ...); an ISO and PXE take none"));
    }
    Ok(spec)
}

/// `image_factory: #{ registry_url, schematic_endpoint, protocol, installer_url_tmpl,
/// image_url_tmpl }`.
pub(crate) fn image_factory(opts: &Options) -> Result<ImageFactory, HostError> {
    let Some(m) = opts.map("image_factory")? else {
        return Ok(ImageFactory::default());
    };
    let o = Options::new("image factory", m, FACTORY_OPTS)?;
    let f = ImageFactory {
        registry_url: o.string("registry_url")?,
        schematic_endpoint: o.string("schematic_endpoint")?,
        protocol: o.choice("protocol", &["https", "http"])?,
        installer_url_tmpl: o.string("installer_url_tmpl")?,
        image_url_tmpl: o.string("image_url_tmpl")?,
        span: None,
    };
    url::check_templates(&f).map_err(|e| {
        let option = match e.template {
            url::Template::Installer => "installer_url_tmpl",
            url::Template::Image => "image_url_tmpl",
        };
        HostError::new(format!("option `image_factory`: `{option}`: {}", e.error))
            .focus("image_factory")
            .hint("templates use Go's `{{.Field}}` and `{{if ...}}...{{else}}...{{end}}`")
    })?;
    Ok(f)
}

/// Points each system extension of `s` at its string literal in the `node()` call starting at
/// `call` (the first one after the call, within the call's statement); a schematic from a
/// variable keeps the call's span.
pub(crate) fn locate_extensions(s: &mut Schematic, text: &str, call: &Span) {
    let start = call.range.start.min(text.len());
    // The call's statement ends at the first `;` outside strings, at worst the file's end.
    let rest = &text[start..];
    let end = start + statement_len(rest);
    s.extension_spans = s
        .customization
        .official_extensions
        .iter()
        .map(|e| {
            let quoted = format!("\"{e}\"");
            text[start..end]
                .find(&quoted)
                .map(|at| Span::new(call.source, start + at..start + at + quoted.len()))
        })
        .collect();
}

fn statement_len(s: &str) -> usize {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            ';' if !in_str => return i,
            _ => {}
        }
    }
    s.len()
}
