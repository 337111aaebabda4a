//! `talosctl validate` for Talos v1.12.0 machine configs, with Talos' exact messages and output.
//!
//! Pipeline as in `cmd/talosctl/cmd/mgmt/validate.go`: decode the documents strictly
//! ([`decode`]), build the container (duplicates and conflicts, [`conflicts`]), then run
//! `v1alpha1.Config.Validate` ([`v1alpha1`], [`cluster`]), each other document's `Validate`
//! and the cross-document checks ([`network`]). [`output`] prints what talosctl prints.
//! Decoding types documents by the Go struct table ([`gotype`], [`unknown`]).
//! [`findings`] is separate: the JSON schema is an editor aid Talos itself does not enforce.

mod block;
mod cluster;
mod conflicts;
mod container;
mod cri;
mod decode;
mod findings;
mod found;
mod godur;
mod gonet;
mod gotype;
mod k8s;
mod nethelpers;
mod network;
mod output;
mod runtime;
mod security;
mod siderolink;
mod unknown;
mod v1alpha1;
mod yamlx;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod upstream;

pub use findings::schema_findings;
pub use output::{format_talosctl, multierror};

use crate::talos::GoError;
use crate::talos::edition::{self, Edition};
use crate::yaml::{EmitOptions, Yaml, emit_documents};

/// The runtime mode a config is validated for (`talosctl validate --mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bare metal: an install section with a disk (or disk selector) is required.
    Metal,
    /// Cloud images: no install section needed.
    Cloud,
    /// Docker/containers: host DNS features are required.
    Container,
}

impl Mode {
    /// The name talosctl prints (`metal`, `cloud`, `container`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Metal => "metal",
            Mode::Cloud => "cloud",
            Mode::Container => "container",
        }
    }

    /// Parses a mode like `runtime.ParseMode` (error: `unknown runtime mode: "<m>"`).
    pub fn parse(s: &str) -> Result<Mode, GoError> {
        match s {
            "metal" => Ok(Mode::Metal),
            "cloud" => Ok(Mode::Cloud),
            "container" => Ok(Mode::Container),
            _ => Err(format!("unknown runtime mode: {s:?}").into()),
        }
    }

    fn requires_install(self) -> bool {
        self == Mode::Metal
    }
}

/// What validating a config found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Top-level entries of the container's multierror, as Talos words them: the v1alpha1
    /// entry is `v1alpha1.Config: <its own multierror>`, other documents `<Kind>[/<name>]: …`,
    /// cross-document checks unprefixed. Empty when the config is valid.
    pub errors: Vec<String>,
    /// Warnings (`talosctl` prints them as `WARNING: <w>`); empty in strict mode, where
    /// they become `warning: <w>` errors.
    pub warnings: Vec<String>,
    /// Set when the config could not be loaded at all (YAML, unknown keys, duplicates,
    /// conflicts); then nothing else was checked.
    pub decode_error: Option<String>,
    /// The same errors one by one, for diagnostics: `v1alpha1.Config: <msg>` per v1alpha1
    /// error, `<Kind>[/<name>]: <msg>` per document error, cross-document errors as they are.
    pub details: Vec<String>,
}

impl Outcome {
    /// Whether the config is valid (no decode error, no errors; warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.decode_error.is_none() && self.errors.is_empty()
    }

    /// The single error text talosctl would print (decode error or the multierror), if any.
    pub fn error_text(&self) -> Option<String> {
        if let Some(e) = &self.decode_error {
            return Some(e.clone());
        }
        (!self.errors.is_empty()).then(|| multierror(&self.errors))
    }
}

/// Validates a (multi-document) machine config text as `talosctl validate` does, with the
/// rules of the Talos release the config names in its installer image (else the newest).
pub fn validate_text(text: &str, mode: Mode, strict: bool) -> Outcome {
    validate_text_for(text, mode, strict, None)
}

/// [`validate_text`] with the rules of Talos v1.`minor` when given. Documents are decoded with
/// the schema and Go types of that release ([`Edition`]), else of the one the config names.
pub fn validate_text_for(text: &str, mode: Mode, strict: bool, minor: Option<u32>) -> Outcome {
    let parsed = match decode::parse(text) {
        Ok(p) => p,
        Err(e) => return decode_failed(e),
    };
    let (e, minor) = edition_of(parsed.iter().map(|p| &p.value), minor);
    edition::scoped(e, || match decode::decode_parsed(&parsed, text, minor) {
        Ok(docs) => validate_decoded(&docs, mode, strict, minor),
        Err(e) => decode_failed(e),
    })
}

/// Validates a rendered config: `docs` as written in `text`, exactly like
/// [`validate_text`]`(text)`. Reads the tree itself, without parsing the text, when the tree
/// is what the text reads back as and decodes without error (an error needs its line, so
/// then the text is validated).
pub fn validate_rendered(docs: &[Yaml], text: &str, mode: Mode, strict: bool) -> Outcome {
    let tree = crate::yaml::reparses_to_itself(docs).then(|| {
        let (e, minor) = edition_of(docs, None);
        edition::scoped(e, || {
            let decoded = decode::decode_tree(docs, minor).ok()?;
            let out = validate_decoded(&decoded, mode, strict, minor);
            out.decode_error.is_none().then_some(out)
        })
    });
    let Some(out) = tree.flatten() else {
        return validate_text(text, mode, strict);
    };
    // Debug builds (every test) prove the shortcut: the text says the same.
    debug_assert_eq!(
        out,
        validate_text(text, mode, strict),
        "validating the tree"
    );
    out
}

/// The edition whose schema and types decode the documents, and the Talos minor whose rules
/// apply: `minor` when given, else the installer image's release, else the edition's newest.
fn edition_of<'a>(
    values: impl IntoIterator<Item = &'a Yaml> + Clone,
    minor: Option<u32>,
) -> (Edition, u32) {
    let e = minor.map_or_else(|| Edition::of_documents(values.clone()), Edition::for_minor);
    let minor = minor
        .or_else(|| edition::installer_version(values).map(|v| v.minor))
        .unwrap_or(match e {
            Edition::V1_13 => crate::talos::versions::NEWEST.minor,
            Edition::V1_14 => 14,
        });
    (e, minor)
}

fn decode_failed(e: GoError) -> Outcome {
    Outcome {
        decode_error: Some(e.0),
        ..Outcome::default()
    }
}

/// The container and the rules, on documents that decoded.
fn validate_decoded(docs: &[decode::Doc<'_>], mode: Mode, strict: bool, minor: u32) -> Outcome {
    if let Err(e) = conflicts::check(docs) {
        return decode_failed(e);
    }
    let mut out = Outcome::default();
    let v1 = docs.iter().find(|d| d.is_v1alpha1()).map(|d| d.value);
    if let Some(cfg) = v1 {
        let (warnings, errors) = v1alpha1::validate(cfg, mode, strict, minor);
        out.warnings = warnings;
        out.details
            .extend(errors.iter().map(|e| format!("v1alpha1.Config: {e}")));
        if !errors.is_empty() {
            out.errors
                .push(format!("v1alpha1.Config: {}", multierror(&errors)));
        }
    }
    for d in docs.iter().filter(|d| !d.is_v1alpha1()) {
        let found = document(&d.kind, d.value, minor);
        // only v1alpha1 turns warnings into errors under --strict; documents keep theirs
        out.warnings.extend(found.warnings);
        let errs = found.errors;
        out.details
            .extend(errs.iter().map(|e| format!("{}: {e}", d.id())));
        if !errs.is_empty() {
            out.errors.push(format!("{}: {}", d.id(), errs.join("\n")));
        }
    }
    if let Some(cfg) = v1 {
        for d in docs.iter().filter(|d| !d.is_v1alpha1()) {
            let found =
                network::conflict_validate(d, cfg).or_else(|| k8s::conflict(&d.kind, d.value, cfg));
            if let Some(e) = found {
                out.details.push(e.clone());
                out.errors.push(e);
            }
        }
    }
    if minor >= 14 {
        for e in container::validate(docs, mode) {
            out.details.push(e.clone());
            out.errors.push(e);
        }
    }
    out
}

/// One document's own `Validate` for Talos v1.`minor` (kinds without checks find nothing).
pub(crate) fn document(kind: &str, v: &Yaml, minor: u32) -> found::Found {
    block::validate(kind, v)
        .or_else(|| k8s::validate(kind, v))
        .or_else(|| network::validate(kind, v, minor))
        .or_else(|| cri::validate(kind, v))
        .or_else(|| runtime::validate(kind, v))
        .or_else(|| security::validate(kind, v))
        .or_else(|| siderolink::validate(kind, v))
        .unwrap_or_default()
}

/// Validates rendered documents: they are emitted exactly as talforge writes them (Talos'
/// 4-space style) and validated as that text, so decode messages carry the written lines.
pub fn validate_docs(docs: &[Yaml], mode: Mode, strict: bool) -> Outcome {
    validate_text(&emit_documents(docs, &EmitOptions::default()), mode, strict)
}
