//! talconfig's image keys: `schematic`, `imageSchematic`, `machineSpec`, `imageFactory`.

use super::{P, Reader, ix, k};
use crate::diag::{Diagnostic, Span};
use crate::factory::{schematic, url};
use crate::model::{ImageFactory, MachineSpec, Schematic};
use crate::yaml::{PathSeg, Yaml};

impl Reader<'_> {
    /// A schematic at `path`, each `officialExtensions` entry with its own span.
    pub(super) fn schematic(&mut self, path: &[PathSeg], v: Option<&Yaml>) -> Option<Schematic> {
        let v = v?;
        if matches!(v, Yaml::Null) {
            return None;
        }
        match schematic::decode(v) {
            Ok(mut s) => {
                let ep: P = k(
                    &k(&k(path, "customization"), "systemExtensions"),
                    "officialExtensions",
                );
                s.extension_spans = (0..s.customization.official_extensions.len())
                    .map(|i| self.value_span(&ix(&ep, i)))
                    .collect();
                s.span = self.key_span(path);
                Some(s)
            }
            Err(e) => {
                let mut at: P = path.to_vec();
                at.extend(e.path.iter().cloned());
                // An unknown key at its name; a bad value at the deepest part of the path the
                // file has (a missing key has no span).
                let key = if e.at_key { self.key_span(&at) } else { None };
                let span = key
                    .into_iter()
                    .chain((0..=at.len()).rev().filter_map(|n| {
                        self.value_span(&at[..n])
                            .or_else(|| self.key_span(&at[..n]))
                    }))
                    .next()
                    .or_else(|| Some(Span::new(self.src, 0..0)));
                let mut d = Diagnostic::error(e.message).at_opt(span);
                if let Some(h) = e.hint {
                    d = d.with_hint(h);
                }
                self.push(d);
                None
            }
        }
    }

    /// `machineSpec`, checked as talhelper's `checkNodeMachineSpec` does.
    pub(super) fn machine_spec(&mut self, path: &[PathSeg], v: Option<&Yaml>) -> MachineSpec {
        let Some(v) = v.filter(|v| !matches!(v, Yaml::Null)) else {
            return MachineSpec::default();
        };
        self.check_keys(
            path,
            v,
            &[
                "mode",
                "arch",
                "secureboot",
                "useUKI",
                "bootMethod",
                "imageSuffix",
            ],
        );
        let spec = MachineSpec {
            mode: self.opt_string(path, v, "mode"),
            arch: self.opt_string(path, v, "arch"),
            secureboot: self.bool(path, v, "secureboot").unwrap_or(false),
            use_uki: self.bool(path, v, "useUKI").unwrap_or(false),
            boot_method: self.opt_string(path, v, "bootMethod"),
            image_suffix: self.opt_string(path, v, "imageSuffix"),
        };
        if let Some(e) = spec.error() {
            let key = if e.starts_with("image suffix") {
                "imageSuffix"
            } else {
                "bootMethod"
            };
            let d = Diagnostic::error(format!("`machineSpec`: {e}"))
                .at_opt(self.value_span(&k(path, key)))
                .with_hint("a disk image takes `imageSuffix: raw.zst` (or raw.xz, qcow2, ...); an ISO and PXE take none");
            self.push(d);
        }
        spec
    }

    /// `imageFactory`, its templates checked so rendering cannot fail on them.
    pub(super) fn image_factory(&mut self, path: &[PathSeg], v: &Yaml) -> ImageFactory {
        if matches!(v, Yaml::Null) {
            return ImageFactory::default();
        }
        self.check_keys(
            path,
            v,
            &[
                "registryURL",
                "schematicEndpoint",
                "protocol",
                "installerURLTmpl",
                "ISOURLTmpl",
            ],
        );
        let f = ImageFactory {
            registry_url: self.opt_string(path, v, "registryURL"),
            schematic_endpoint: self.opt_string(path, v, "schematicEndpoint"),
            protocol: self.opt_string(path, v, "protocol"),
            installer_url_tmpl: self.opt_string(path, v, "installerURLTmpl"),
            image_url_tmpl: self.opt_string(path, v, "ISOURLTmpl"),
            span: self.key_span(path),
        };
        if let Err(e) = url::check_templates(&f) {
            let key = if e.contains("installerURLTmpl") {
                "installerURLTmpl"
            } else {
                "ISOURLTmpl"
            };
            let d = self
                .error(&k(path, key), e)
                .with_hint("templates use Go's `{{.Field}}` and `{{if ...}}...{{else}}...{{end}}`");
            self.push(d);
            return ImageFactory::default();
        }
        f
    }
}
