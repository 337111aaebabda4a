//! `ProvisioningSpec.Validate` (`types/block/volume_config.go`): the CEL disk selector and
//! the min/max sizes (`ByteSize`, `Size` with percentages and negative "all but" sizes).

use super::super::found::Found;
use super::super::gonet::humanize_parse_bytes;
use super::super::yamlx::{at, str_at};
use crate::talos::cel::{self, Env};
use crate::yaml::Yaml;

/// A decoded size field: absent, or its value and sign (percentages carry no byte value).
struct Size {
    present: bool,
    negative: bool,
    relative: bool,
    bytes: u64,
}

fn size(p: &Yaml, key: &str) -> Size {
    let raw = str_at(p, key);
    let negative = raw.starts_with('-');
    let body = raw.strip_prefix('-').unwrap_or(&raw);
    let relative = raw.contains('%');
    Size {
        present: !raw.is_empty(),
        negative,
        relative,
        // the document decoded, so a byte size parses
        bytes: if relative {
            0
        } else {
            humanize_parse_bytes(body).unwrap_or(0)
        },
    }
}

/// `ProvisioningSpec.Validate(required, sizeSupported)`.
pub(super) fn validate(spec: Option<&Yaml>, required: bool, size_supported: bool) -> Found {
    let mut found = Found::default();
    let empty = Yaml::Map(Default::default());
    let p = spec.unwrap_or(&empty);
    let selector = str_at(p, "diskSelector.match");
    if !selector.is_empty() {
        if let Err(e) = cel::check_bool(&selector, Env::DiskLocator) {
            found.err(format!("disk selector is invalid: {e}"));
        }
    } else if required {
        found.err("disk selector is required");
    }
    let (min, max) = (size(p, "minSize"), size(p, "maxSize"));
    if size_supported {
        if min.present && max.present && !max.relative && !max.negative {
            if min.bytes > max.bytes {
                found.err("min size is greater than max size");
            }
        } else if required && !min.present && !max.present {
            found.err("min size or max size is required");
        }
        if min.negative {
            found.err("min size cannot be negative");
        }
    } else if min.present || max.present || at(p, "grow").is_some() {
        found.err("min size, max size and grow are not supported");
    }
    found
}

/// `ProvisioningSpec.IsZero`.
pub(super) fn is_zero(spec: Option<&Yaml>) -> bool {
    spec.is_none_or(|p| {
        ["diskSelector.match", "minSize", "maxSize"]
            .iter()
            .all(|k| str_at(p, k).is_empty())
            && at(p, "grow").is_none()
    })
}
