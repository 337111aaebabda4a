//! Decoding a document into its Go type as yaml.v4 does: type errors (`cannot unmarshal
//! !!str into bool`) and the custom `UnmarshalYAML`/`UnmarshalText` failures that abort it.
//!
//! Types come from the struct table of the edition in force ([`crate::talos::types`]). The
//! decoder types the documents of the `v1alpha1`, `network` and `cri` packages (and the x509
//! certificates they hold), and v1.14's `k8s` and `cluster` documents (with their `meta`
//! helpers); documents of the other packages are left to the schema's unknown-key check.

use super::decode::Lines;
use super::gonet;
use super::nethelpers;
use super::yamlx::{as_bool, scalar_text};
use crate::talos::GoError;
use crate::talos::types::{self, Struct};
use crate::yaml::{Map, PathSeg, Yaml};

/// The packages whose structs the decoder checks by Go type.
const TYPED_PACKAGES: &[&str] = &[
    "v1alpha1", "network", "cri", "x509", "k8s", "cluster", "meta",
];

/// A struct the decoder checks by its Go type: one of [`TYPED_PACKAGES`] with YAML keys (or
/// an inline map). Structs without keys have their own codec and are not checked.
pub(super) fn go_struct(ty: &str) -> Option<&'static Struct> {
    let (pkg, _) = ty.split_once('.')?;
    types::lookup(ty).filter(|s| TYPED_PACKAGES.contains(&pkg) && (s.open || !s.fields.is_empty()))
}

/// The underlying type of a named type (`VlanList` → `[]v1alpha1.Vlan`), pointers dropped.
pub(super) fn alias(ty: &str) -> Option<&'static str> {
    // Only `pkg.Name` types are named: builtins, slices and maps skip the lookup (it runs
    // for every value of a document).
    if !ty.contains('.') || ty.starts_with(['[', '*']) || ty.starts_with("map[") {
        return None;
    }
    types::decoded_alias(ty)
}

/// yaml's short tag of a node (`!!str`, `!!int`, ...).
pub(super) fn tag_of(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "!!null",
        Yaml::Bool(_) => "!!bool",
        Yaml::Int(_) => "!!int",
        Yaml::Float(_) => "!!float",
        Yaml::Str(_) => "!!str",
        Yaml::Seq(_) => "!!seq",
        Yaml::Map(_) => "!!map",
    }
}

/// yaml.v4's `terror` text: scalars are quoted in backticks, long ones cut to 7 chars
/// (unless `quote` is off: a secret's value is never quoted).
fn terror(v: &Yaml, go_type: &str, quote: bool) -> String {
    let value = match v {
        Yaml::Seq(_) | Yaml::Map(_) => String::new(),
        _ if !quote => " (value not shown)".to_string(),
        v => {
            let s = scalar_text(v);
            if s.chars().count() > 10 {
                format!(" `{}...`", s.chars().take(7).collect::<String>())
            } else {
                format!(" `{s}`")
            }
        }
    };
    format!("cannot unmarshal {}{value} into {go_type}", tag_of(v))
}

/// Walks a document against Go types, collecting yaml type errors; `Err` is a fatal
/// custom-unmarshaler error (which aborts decoding in Go).
pub(super) struct Checker<'a> {
    doc: &'a Yaml,
    lines: Lines<'a>,
    path: Vec<PathSeg>,
    /// The type errors, `line N: cannot unmarshal …`, in document order.
    pub(super) terrors: Vec<String>,
}

impl<'a> Checker<'a> {
    /// A checker for one document, whose lines come from `lines`.
    pub(super) fn new(doc: &'a Yaml, lines: Lines<'a>) -> Self {
        Checker {
            doc,
            lines,
            path: Vec::new(),
            terrors: Vec::new(),
        }
    }

    fn push_terror(&mut self, v: &Yaml, ty: &str) {
        let line = self.lines.of(&self.path);
        // Talos quotes the value; where a secret belongs that would print (part of) it.
        let kind = self.doc.get("kind").and_then(Yaml::as_str);
        let quote = !crate::secrets::redact::is_secret_at(kind, &self.path, v);
        self.terrors
            .push(format!("line {line}: {}", terror(v, ty, quote)));
    }

    /// Checks `v` as a value of Go type `ty`.
    pub(super) fn check(&mut self, v: &Yaml, ty: &str) -> Result<(), GoError> {
        if matches!(v, Yaml::Null) {
            return Ok(());
        }
        // named types with their own UnmarshalYAML are checked as themselves
        let resolved = match ty {
            "v1alpha1.DiskSize" | "v1alpha1.Base64Bytes" => ty,
            _ => alias(ty).unwrap_or(ty),
        };
        if self.check_builtin(v, ty, resolved) {
            return Ok(());
        }
        if let Some(r) = self.check_codec(v, ty, resolved) {
            return r;
        }
        self.check_composite(v, ty, resolved)
    }

    /// Go's own types (`string`, `bool`, integers, `time.Duration`); `false` for others.
    fn check_builtin(&mut self, v: &Yaml, ty: &str, resolved: &str) -> bool {
        let ok = match resolved {
            "string" => !matches!(v, Yaml::Seq(_) | Yaml::Map(_)),
            "bool" => as_bool(v).is_some(),
            "int" | "int64" | "uint" | "uint8" | "uint16" | "uint32" | "uint64" => match v {
                Yaml::Int(i) => int_fits(*i, resolved),
                Yaml::Float(f) => f.fract() == 0.0 && int_fits(*f as i64, resolved),
                _ => false,
            },
            "time.Duration" => matches!(v, Yaml::Str(s) if gonet::is_go_duration(s)),
            _ => return false,
        };
        if !ok {
            self.push_terror(v, ty);
        }
        true
    }

    /// Types with their own `UnmarshalYAML`/`UnmarshalText`, whose failures abort decoding;
    /// `None` for others.
    fn check_codec(&mut self, v: &Yaml, ty: &str, resolved: &str) -> Option<Result<(), GoError>> {
        let text = |cx: &mut Self, as_ty: &str| cx.scalar_for_text(v, as_ty);
        let r = match resolved {
            "v1alpha1.Base64Bytes" => {
                text(self, "string").map_or(Ok(()), |s| gonet::go_base64(&s).map(|_| ()))
            }
            "v1alpha1.Endpoint" => match v {
                Yaml::Seq(_) | Yaml::Map(_) => {
                    self.push_terror(v, "string");
                    Ok(())
                }
                v => gonet::url_parse(&scalar_text(v), false).map(|_| ()),
            },
            "netip.Addr" | "network.Addr" | "meta.Addr" => match text(self, ty) {
                Some(s) if !s.is_empty() => gonet::netip_parse_addr(&s).map(|_| ()),
                _ => Ok(()),
            },
            "netip.Prefix" | "network.Prefix" | "meta.Prefix" => match text(self, ty) {
                Some(s) if !s.is_empty() => gonet::netip_parse_prefix(&s).map(|_| ()),
                _ => Ok(()),
            },
            "x509.PEMEncodedCertificateAndKey"
            | "x509.PEMEncodedCertificate"
            | "x509.PEMEncodedKey" => self.check_pem(v, ty),
            "v1alpha1.DiskSize" => {
                text(self, "string").map_or(Ok(()), |s| gonet::humanize_parse_bytes(&s).map(|_| ()))
            }
            // Talos 1.13's `extraArgs` values: `ArgValue.UnmarshalYAML` takes a string or a
            // list of strings (`meta.ArgValue` from 1.14 on).
            "v1alpha1.ArgValue" | "meta.ArgValue" => match v {
                Yaml::Map(_) => Err("arg value must be a string or list of strings".into()),
                Yaml::Seq(items)
                    if items
                        .iter()
                        .any(|i| matches!(i, Yaml::Seq(_) | Yaml::Map(_))) =>
                {
                    Err("arg value must be a string or list of strings".into())
                }
                _ => Ok(()),
            },
            "v1alpha1.InstallDiskSizeMatcher" => {
                text(self, "string").map_or(Ok(()), |s| disk_size_condition(&s))
            }
            t => {
                let values = nethelpers::values(t)?;
                match text(self, ty) {
                    // enumer's UnmarshalText also takes the lower-cased spelling
                    Some(s)
                        if !values.contains(&s.as_str())
                            && !values.contains(&s.to_lowercase().as_str()) =>
                    {
                        let short = t.trim_start_matches("nethelpers.");
                        Err(GoError(format!("{s} does not belong to {short} values")))
                    }
                    _ => Ok(()),
                }
            }
        };
        Some(r)
    }

    /// The x509 types: crypto's `UnmarshalYAML` base64-decodes both fields; a redacted key
    /// stays as is.
    fn check_pem(&mut self, v: &Yaml, ty: &str) -> Result<(), GoError> {
        let Yaml::Map(m) = v else {
            self.push_terror(v, ty);
            return Ok(());
        };
        for (field, redactable) in [("crt", false), ("key", true)] {
            let text = m.get(field).map(scalar_text).unwrap_or_default();
            if !(redactable && text == "******") {
                gonet::go_base64(&text)?;
            }
        }
        Ok(())
    }

    /// Slices, maps and structs, checked item by item and field by field.
    fn check_composite(&mut self, v: &Yaml, ty: &str, resolved: &str) -> Result<(), GoError> {
        if let Some(elem) = resolved.strip_prefix("[]") {
            let Yaml::Seq(items) = v else {
                self.push_terror(v, ty);
                return Ok(());
            };
            for (i, item) in items.iter().enumerate() {
                self.path.push(PathSeg::Index(i));
                let r = self.check(item, elem);
                self.path.pop();
                r?;
            }
            return Ok(());
        }
        if let Some(elem) = resolved.strip_prefix("map[string]") {
            let Yaml::Map(m) = v else {
                self.push_terror(v, ty);
                return Ok(());
            };
            return self.check_fields(m, |_| Some(elem));
        }
        // other custom types (durations, sizes, certificates) are not checked
        let Some(s) = go_struct(resolved) else {
            return Ok(());
        };
        let Yaml::Map(m) = v else {
            self.push_terror(v, ty);
            return Ok(());
        };
        self.check_fields(m, |k| s.field(k).map(types::Field::decoded))
    }

    /// Checks each entry of a mapping whose key has a type (`type_of`).
    fn check_fields<'t>(
        &mut self,
        m: &Map,
        type_of: impl Fn(&str) -> Option<&'t str>,
    ) -> Result<(), GoError> {
        for (k, val) in m {
            if let Some(fty) = type_of(k) {
                self.path.push(PathSeg::Key(k.clone()));
                let r = self.check(val, fty);
                self.path.pop();
                r?;
            }
        }
        Ok(())
    }

    /// The text handed to an `UnmarshalText` implementation (mappings are type errors).
    fn scalar_for_text(&mut self, v: &Yaml, ty: &str) -> Option<String> {
        match v {
            Yaml::Seq(_) | Yaml::Map(_) => {
                self.push_terror(v, ty);
                None
            }
            v => Some(scalar_text(v)),
        }
    }
}

/// `InstallDiskSizeMatcher.UnmarshalYAML`: `[>=|<=|>|<|==]<size>[units]`.
fn disk_size_condition(cond: &str) -> Result<(), GoError> {
    let cond = cond.trim();
    let rest = [">=", "<=", "==", ">", "<"]
        .iter()
        .find_map(|op| cond.strip_prefix(op))
        .unwrap_or(cond);
    gonet::humanize_parse_bytes(rest.trim())
        .map(|_| ())
        .map_err(|e| GoError(format!("failed to parse disk size {rest}: {e}")))
}

fn int_fits(i: i64, ty: &str) -> bool {
    match ty {
        "uint8" => (0..=i64::from(u8::MAX)).contains(&i),
        "uint16" => (0..=i64::from(u16::MAX)).contains(&i),
        "uint32" => (0..=i64::from(u32::MAX)).contains(&i),
        "uint" | "uint64" => i >= 0,
        _ => true,
    }
}
