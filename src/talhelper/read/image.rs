//! talconfig's image keys: `schematic`, `imageSchematic`, `machineSpec`, `imageFactory`.

use super::Reader;
use crate::diag::Diagnostic;
use crate::factory::{schematic, url};
use crate::model::{ImageFactory, MachineSpec, Schematic, SpecError};
use crate::talhelper::keys::{Key, image_factory as kf, machine_spec as ks};
use crate::yaml::PathSeg;
use crate::yaml::strict::Node;

/// The schematic at `key` of `from`, each `officialExtensions` entry with its own span; the
/// factory's own field names, checked as strictly as the factory decodes them.
pub(super) fn schematic(r: &mut Reader, from: &Node, key: Key) -> Option<Schematic> {
    let n = from.get_set(key.name)?;
    let path = n.path().to_vec();
    match schematic::decode(n.value()) {
        Ok(mut s) => {
            let mut ext = path.clone();
            for k in ["customization", "systemExtensions", "officialExtensions"] {
                ext.push(PathSeg::Key(k.into()));
            }
            s.extension_spans = (0..s.customization.official_extensions.len())
                .map(|i| {
                    let mut p = ext.clone();
                    p.push(PathSeg::Index(i));
                    r.span(r.doc.value_span(&p))
                })
                .collect();
            s.span = r.span(n.key_span());
            Some(s)
        }
        Err(e) => {
            let mut at = path;
            at.extend(e.path.iter().cloned());
            // An unknown key at its name; a bad value at the deepest part of the path the
            // file has (a missing key has no span).
            let key = if e.at_key { r.doc.key_span(&at) } else { None };
            let span = key
                .into_iter()
                .chain((0..=at.len()).rev().filter_map(|n| {
                    r.doc
                        .value_span(&at[..n])
                        .or_else(|| r.doc.key_span(&at[..n]))
                }))
                .next()
                .and_then(|range| r.span(Some(range)));
            let mut d = Diagnostic::error(e.message).at_opt(span);
            if let Some(h) = e.hint {
                d = d.with_hint(h);
            }
            r.push(d);
            None
        }
    }
}

/// `machineSpec` of `from`, checked as talhelper's `checkNodeMachineSpec` does.
pub(super) fn machine_spec(r: &mut Reader, from: &Node, key: Key) -> MachineSpec {
    let Some(n) = from.get_set(key.name) else {
        return MachineSpec::default();
    };
    r.check_keys(&n, &[ks::ALL]);
    let spec = MachineSpec {
        mode: r.opt_string(&n, ks::MODE),
        arch: r.opt_string(&n, ks::ARCH),
        secureboot: r.bool(&n, ks::SECUREBOOT).unwrap_or(false),
        use_uki: r.bool(&n, ks::USE_UKI).unwrap_or(false),
        boot_method: r.opt_string(&n, ks::BOOT_METHOD),
        image_suffix: r.opt_string(&n, ks::IMAGE_SUFFIX),
    };
    if let Some(e) = spec.error() {
        let at = if matches!(e, SpecError::BootMethod(_)) {
            ks::BOOT_METHOD
        } else {
            ks::IMAGE_SUFFIX
        };
        let d = r
            .error_at(&n, at, format!("`machineSpec`: {e}"))
            .with_hint("a disk image takes `imageSuffix: raw.zst` (or raw.xz, qcow2, ...); an ISO and PXE take none");
        r.push(d);
    }
    spec
}

/// `imageFactory`, its templates checked so rendering never meets one it cannot evaluate.
pub(super) fn image_factory(r: &mut Reader, root: &Node, key: Key) -> ImageFactory {
    let Some(n) = root.get_set(key.name) else {
        return ImageFactory::default();
    };
    r.check_keys(&n, &[kf::ALL]);
    let f = ImageFactory {
        registry_url: r.opt_string(&n, kf::REGISTRY_URL),
        schematic_endpoint: r.opt_string(&n, kf::SCHEMATIC_ENDPOINT),
        protocol: r.opt_string(&n, kf::PROTOCOL),
        installer_url_tmpl: r.opt_string(&n, kf::INSTALLER_URL_TMPL),
        image_url_tmpl: r.opt_string(&n, kf::ISO_URL_TMPL),
        span: r.span(n.key_span()),
    };
    if let Err(e) = url::check_templates(&f) {
        let at = match e.template {
            url::Template::Installer => kf::INSTALLER_URL_TMPL,
            url::Template::Image => kf::ISO_URL_TMPL,
        };
        let d = r
            .error_at(&n, at, e.to_string())
            .with_hint("templates use Go's `{{.Field}}` and `{{if ...}}...{{else}}...{{end}}`");
        r.push(d);
        return ImageFactory::default();
    }
    f
}
