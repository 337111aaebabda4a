//! The `machine.install` checks: what metal mode requires, the disk selector, extensions.

use super::super::Mode;
use super::super::yamlx::{at, bool_at, non_empty, q, seq_at, str_at};
use crate::talos::GoError;
use crate::yaml::Yaml;

/// In modes that install (metal): an install section with a disk or a valid selector, and
/// no kernel args next to `grubUseUKICmdline`. From v1.14 on the section is deprecated
/// (`UnattendedInstallConfig`) and only checked when present.
pub(super) fn required(m: &Yaml, mode: Mode, minor: u32, e: &mut Vec<String>) {
    if !mode.requires_install() {
        return;
    }
    let Some(inst) = at(m, "install") else {
        if minor < 14 {
            e.push(format!(
                "install instructions are required in {} mode",
                q(mode.as_str())
            ));
        }
        return;
    };
    let selector = at(inst, "diskSelector");
    if let Some(sel) = selector
        && let Err(err) = disk_selector(sel)
    {
        e.push(format!("install disk selector is invalid: {err}"));
    }
    let matcher = selector.is_some() && selector.map(disk_selector).is_some_and(|r| r.is_ok());
    if str_at(inst, "disk").is_empty() && !matcher {
        e.push("either install disk or diskSelector should be defined".into());
    }
    if non_empty(inst, "extraKernelArgs") && bool_at(inst, "grubUseUKICmdline") == Some(true) {
        e.push(
            "install.extraKernelArgs and install.grubUseUKICmdline can't be used together".into(),
        );
    }
}

/// `install.extensions`: no duplicates, and deprecated.
pub(super) fn extensions(m: &Yaml, minor: u32, w: &mut Vec<String>, e: &mut Vec<String>) {
    let Some(inst) = at(m, "install") else {
        return;
    };
    let mut seen: Vec<String> = Vec::new();
    for ext in seq_at(inst, "extensions") {
        let img = str_at(ext, "image");
        if seen.contains(&img) {
            e.push(format!("duplicate system extension {}", q(&img)));
        }
        seen.push(img);
    }
    if !seen.is_empty() {
        // v1.13 moved the documentation
        let docs = if minor >= 13 {
            "https://docs.siderolabs.com/talos/latest/platform-specific-installations/boot-assets"
        } else {
            "https://www.talos.dev/latest/talos-guides/install/boot-assets/"
        };
        w.push(format!(
            ".machine.install.extensions is deprecated, please see {docs}"
        ));
    }
}

/// `InstallConfig.DiskMatchExpression`'s failures (the expression itself is not built).
fn disk_selector(sel: &Yaml) -> Result<(), GoError> {
    if !str_at(sel, "name").is_empty() {
        return Err("selector on name is not supported".into());
    }
    let t = str_at(sel, "type");
    if !t.is_empty() && !["nvme", "sd", "hdd", "ssd"].contains(&t.as_str()) {
        return Err(format!("unsupported disk type {}", q(&t)).into());
    }
    Ok(())
}
