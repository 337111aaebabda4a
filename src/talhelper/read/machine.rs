//! A node's disks, volumes, files, extension services and extra manifests, and the
//! cluster's inline manifests and flannel options, as talhelper reads them.

use super::Reader;
use crate::diag::{Diagnostic, Span};
use crate::model::{
    DiskPartition, ExtensionService, ExtraManifest, FlannelOptions, InlineManifest, MachineDisk,
    MachineFile, Node, Provisioning, UserVolume, Volume, fill_filename_template,
};
use crate::talhelper::keys::{
    Key, config_file as cf, disk_partition as dp, extension_service as es, filesystem as fs,
    flannel as fl, inline_manifest as im, machine_disk as md, machine_file as mf, node as k,
    node_config as nc, provisioning as pv, user_volume as uv, volume as vo,
    volume_disk_selector as vds,
};
use crate::yaml::Yaml;
use crate::yaml::strict;
use std::path::Path;

/// Reads the machine keys of node `n` from the node entry `item`, or from its role section
/// `role` where the node does not set them (talhelper's merge: the node's non-empty value
/// wins whole; extra manifests add up unless `overrideExtraManifests`).
pub(super) fn read(r: &mut Reader, n: &mut Node, item: &strict::Node, role: Option<&strict::Node>) {
    let pick = |key: Key| -> Option<strict::Node> {
        if item.get_set(key.name).is_some() {
            Some(item.clone())
        } else {
            role.filter(|sec| sec.get_set(key.name).is_some()).cloned()
        }
    };
    if let Some(from) = pick(nc::MACHINE_DISKS) {
        n.machine_disks = each(r, &from, nc::MACHINE_DISKS, machine_disk);
    }
    if let Some(from) = pick(nc::MACHINE_FILES) {
        n.files = each(r, &from, nc::MACHINE_FILES, machine_file);
    }
    if let Some(from) = pick(nc::EXTENSION_SERVICES) {
        n.extension_services = each(r, &from, nc::EXTENSION_SERVICES, extension_service);
    }
    if let Some(from) = pick(nc::VOLUMES) {
        n.volumes = each(r, &from, nc::VOLUMES, volume);
    }
    if let Some(from) = pick(nc::USER_VOLUMES) {
        n.user_volumes = each(r, &from, nc::USER_VOLUMES, user_volume);
    }
    if let Some(from) = pick(nc::FILENAME_TMPL)
        && let Some(t) = r.opt_string(&from, nc::FILENAME_TMPL)
    {
        let role_name = n.role.machine_type();
        match fill_filename_template(&t, "c", &n.hostname, &n.ip.to_string(), role_name) {
            Ok(_) => n.filename_template = Some(t),
            Err(e) => {
                let d = r.error_at(&from, nc::FILENAME_TMPL, e.to_string());
                r.push(d);
            }
        }
    }
    n.ignore_hostname = r.bool(item, k::IGNORE_HOSTNAME).unwrap_or(false);
    n.override_patches = r.bool(item, k::OVERRIDE_PATCHES).unwrap_or(false);
    let mut manifests = extra_manifests(r, item);
    if (!r.bool(item, k::OVERRIDE_EXTRA_MANIFESTS).unwrap_or(false) || manifests.is_empty())
        && let Some(sec) = role
    {
        manifests.extend(extra_manifests(r, sec));
    }
    n.extra_manifests = manifests;
}

/// The entries of the list at `key`, each read by `f` (`None`: reported, skipped).
fn each<T>(
    r: &mut Reader,
    parent: &strict::Node,
    key: Key,
    f: impl Fn(&mut Reader, &strict::Node) -> Option<T>,
) -> Vec<T> {
    let Some(list) = parent.get(key.name) else {
        return Vec::new();
    };
    match list.items() {
        Ok(items) => items.iter().filter_map(|i| f(r, i)).collect(),
        Err(e) => {
            r.strict(e);
            Vec::new()
        }
    }
}

/// A required string of an entry: absent is an error at the entry.
fn required(r: &mut Reader, entry: &strict::Node, key: Key, what: &str) -> Option<String> {
    let s = r.opt_string(entry, key);
    if s.is_none() && entry.get(key.name).is_none() {
        let d = r.error(entry, format!("{what} needs `{}`", key.name));
        r.push(d);
    }
    s
}

fn machine_disk(r: &mut Reader, e: &strict::Node) -> Option<MachineDisk> {
    r.check_keys(e, &[md::ALL]);
    let device = required(r, e, md::DEVICE, "a machine disk")?;
    let partitions = each(r, e, md::PARTITIONS, |r, p| {
        r.check_keys(p, &[dp::ALL]);
        let mountpoint = r.opt_string(p, dp::MOUNTPOINT).unwrap_or_default();
        let size = p.get_set(dp::SIZE.name).map(|s| s.value().clone());
        Some(DiskPartition { mountpoint, size })
    });
    Some(MachineDisk { device, partitions })
}

/// `content` as talhelper's `SubstituteFileContent`: an `@./file` is read (relative to
/// talconfig.yaml), decrypted when SOPS-encrypted, and its `${VAR}`s substituted unless
/// `skipEnvsubst`; inline text was substituted with the rest of talconfig.yaml.
fn content(r: &mut Reader, e: &strict::Node, key: Key, skip: Key) -> Option<String> {
    let raw = e.get(key.name)?;
    let text = match raw.value() {
        Yaml::Str(s) => s.clone(),
        _ => return r.opt_string(e, key),
    };
    let Some(rel) = text.strip_prefix('@') else {
        return r.opt_string(e, key);
    };
    let file = r.dir.join(rel);
    let body = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(err) => {
            let d = r.error(
                &raw,
                format!(
                    "cannot read `{}`: {}",
                    file.display(),
                    crate::diag::io_cause(&err)
                ),
            );
            r.push(d);
            return None;
        }
    };
    // talhelper's `DecryptFileWithSops`: a SOPS file is decrypted (in memory), any other
    // read as is.
    let body = if crate::talhelper::envsubst::is_sops(&body) {
        let ids = r
            .identities
            .get_or_insert_with(crate::secrets::keys::Identities::discover);
        match crate::secrets::sops::decrypt_to_text(&body, ids) {
            Ok(p) => {
                r.decrypted.push(file.clone());
                p
            }
            Err(err) => {
                let id = r.sources.add(file.display().to_string(), body.clone());
                let mut d = err.to_diagnostic(Some(id));
                d.message = format!("cannot decrypt `{}`: {}", file.display(), d.message);
                let d = d.with_label(
                    r.span(raw.span()).unwrap_or(Span::new(r.src, 0..0)),
                    "referenced here",
                );
                r.push(d);
                return None;
            }
        }
    } else {
        body
    };
    if r.bool(e, skip).unwrap_or(false) {
        return Some(body);
    }
    match r.env.substitute_text(&body) {
        Ok(s) => {
            r.used.extend(s.used().iter().cloned());
            Some(s.text().to_string())
        }
        Err(errors) => {
            let (msg, at) = (&errors[0].message, errors[0].range.start);
            let id = r.sources.add(file.display().to_string(), body.clone());
            let d = Diagnostic::error(format!("failed to substitute env: {msg}"))
                .at(Span::new(id, at..at + 1))
                .with_hint(
                    "set it in the environment or in talenv.yaml, or set `skipEnvsubst: true`",
                );
            r.push(d);
            None
        }
    }
}

fn machine_file(r: &mut Reader, e: &strict::Node) -> Option<MachineFile> {
    r.check_keys(e, &[mf::ALL]);
    let content = content(r, e, mf::CONTENT, mf::SKIP_ENVSUBST).unwrap_or_default();
    let path = required(r, e, mf::PATH, "a machine file")?;
    // talhelper's checkNodeMachineFiles (pkg/config/validator.go@v3.1.16) matches `op` against
    // `^create$|^append$|^overwrite$`: a file without one is refused, not created.
    let Some(op) = r.opt_string(e, mf::OP) else {
        let d = r
            .error(e, format!("machine file `{path}` has no `op`"))
            .with_hint("talhelper requires `op: create`, `append` or `overwrite`");
        r.push(d);
        return None;
    };
    if !crate::model::FILE_OPS.contains(&op.as_str()) {
        let d = r.error_at(
            e,
            mf::OP,
            format!("machine file op must be one of `create`, `append`, `overwrite`, got `{op}`"),
        );
        r.push(d);
        return None;
    }
    Some(MachineFile {
        content,
        permissions: r.u32(e, mf::PERMISSIONS).unwrap_or(0),
        path,
        op,
    })
}

fn extension_service(r: &mut Reader, e: &strict::Node) -> Option<ExtensionService> {
    r.check_keys(e, &[es::ALL]);
    let name = required(r, e, es::NAME, "an extension service")?;
    let config_files = each(r, e, es::CONFIG_FILES, |r, f| {
        r.check_keys(f, &[cf::ALL]);
        Some((
            r.opt_string(f, cf::CONTENT).unwrap_or_default(),
            r.opt_string(f, cf::MOUNT_PATH).unwrap_or_default(),
        ))
    });
    Some(ExtensionService {
        name,
        config_files,
        environment: r.strings(e, es::ENVIRONMENT),
        span: r.span(e.span()),
    })
}

fn provisioning(r: &mut Reader, parent: &strict::Node, key: Key) -> Provisioning {
    let Some(p) = parent.get_set(key.name) else {
        return Provisioning::default();
    };
    r.check_keys(&p, &[pv::ALL]);
    let disk = p.get_set(pv::DISK_SELECTOR.name).and_then(|d| {
        r.check_keys(&d, &[vds::ALL]);
        r.opt_string(&d, vds::MATCH)
    });
    Provisioning {
        disk,
        grow: r.bool(&p, pv::GROW),
        min_size: r.opt_string(&p, pv::MIN_SIZE),
        max_size: r.opt_string(&p, pv::MAX_SIZE),
    }
}

/// An `EncryptionSpec` as written (a passphrase is often `${VAR}`, substituted with the
/// whole text).
fn encryption(parent: &strict::Node, key: Key) -> Option<Yaml> {
    Some(parent.get_set(key.name)?.value().clone())
}

fn volume(r: &mut Reader, e: &strict::Node) -> Option<Volume> {
    r.check_keys(e, &[vo::ALL]);
    let name = required(r, e, vo::NAME, "a volume")?;
    Some(Volume {
        name,
        provisioning: provisioning(r, e, vo::PROVISIONING),
        encryption: encryption(e, vo::ENCRYPTION),
        span: r.span(e.span()),
    })
}

fn user_volume(r: &mut Reader, e: &strict::Node) -> Option<UserVolume> {
    r.check_keys(e, &[uv::ALL]);
    let name = required(r, e, uv::NAME, "a user volume")?;
    let (filesystem, project_quota) = match e.get_set(uv::FILESYSTEM.name) {
        Some(f) => {
            r.check_keys(&f, &[fs::ALL]);
            (
                r.opt_string(&f, fs::TYPE),
                r.bool(&f, fs::PROJECT_QUOTA_SUPPORT),
            )
        }
        None => (None, None),
    };
    Some(UserVolume {
        name,
        volume_type: r.opt_string(e, uv::VOLUME_TYPE),
        provisioning: provisioning(r, e, uv::PROVISIONING),
        filesystem,
        project_quota,
        encryption: encryption(e, uv::ENCRYPTION),
        span: r.span(e.span()),
    })
}

/// `extraManifests` of a node or role section: each file's documents.
fn extra_manifests(r: &mut Reader, parent: &strict::Node) -> Vec<ExtraManifest> {
    let mut out = Vec::new();
    let Some(list) = parent.get(nc::EXTRA_MANIFESTS.name) else {
        return out;
    };
    let items = match list.items() {
        Ok(i) => i,
        Err(e) => {
            r.strict(e);
            return out;
        }
    };
    for item in &items {
        let Some(entry) = r.string(item) else {
            continue;
        };
        let rel = entry.strip_prefix('@').unwrap_or(&entry).to_string();
        let file = r.dir.join(&rel);
        let span = r.span(item.span());
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(err) => {
                r.push(
                    Diagnostic::error(format!(
                        "cannot read extra manifest `{}`: {}",
                        file.display(),
                        crate::diag::io_cause(&err)
                    ))
                    .at_opt(span),
                );
                continue;
            }
        };
        if text.contains("{{") {
            r.push(
                Diagnostic::error(
                    "talforge does not render Go templates in talhelper's `extraManifests` yet",
                )
                .at_opt(span)
                .with_hint("write the values into the file, or move it to `patches`"),
            );
            continue;
        }
        let id = r.sources.add(file.display().to_string(), text.clone());
        match crate::yaml::parse_documents(&text) {
            Ok(docs) => out.push(ExtraManifest {
                name: Path::new(&rel).file_stem().map_or_else(
                    || format!("manifest-{}", out.len() + 1),
                    |s| s.to_string_lossy().into_owned(),
                ),
                documents: docs
                    .into_iter()
                    .map(|d| d.value)
                    .filter(|d| !matches!(d, Yaml::Null))
                    .collect(),
                text: Some(text),
                file: Some(file),
                span: Some(Span::new(id, 0..0)),
            }),
            Err(e) => r.push(
                Diagnostic::error(format!("extra manifest is not valid YAML: {}", e.message))
                    .at(Span::new(id, e.span))
                    .with_label(span.unwrap_or(Span::new(r.src, 0..0)), "referenced here"),
            ),
        }
    }
    out
}

/// `inlineManifests` of the top level.
pub(super) fn inline_manifests(r: &mut Reader, root: &strict::Node) -> Vec<InlineManifest> {
    each(
        r,
        root,
        crate::talhelper::keys::cluster::INLINE_MANIFESTS,
        |r, e| {
            r.check_keys(e, &[im::ALL]);
            let name = required(r, e, im::NAME, "an inline manifest")?;
            let contents = content(r, e, im::CONTENTS, im::SKIP_ENVSUBST).unwrap_or_default();
            Some(InlineManifest { name, contents })
        },
    )
}

/// `cniConfig.flannel`.
pub(super) fn flannel(r: &mut Reader, f: &strict::Node) -> FlannelOptions {
    r.check_keys(f, &[fl::ALL]);
    FlannelOptions {
        extra_args: r.strings(f, fl::EXTRA_ARGS),
        kube_network_policies: r.bool(f, fl::KUBE_NETWORK_POLICIES_ENABLED),
    }
}
