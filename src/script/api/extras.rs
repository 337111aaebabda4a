//! Options of the machine extras a node carries: files, extension services, kernel modules and manifest documents.

use crate::model::{ExtensionService, FILE_OPS, KernelModule, MachineFile};
use crate::script::builder::{Builder, HostError};
use crate::script::convert::to_yaml;
use crate::script::options::{Options, type_name};
use crate::yaml::Yaml;
use rhai::{Array, Dynamic, Map};

type R<T> = Result<T, HostError>;

pub(super) fn build_file(path: &str, map: Map) -> R<MachineFile> {
    if !path.starts_with('/') {
        return Err(HostError::new(format!("file path `{path}` is not absolute"))
            .hint("Talos writes files under `/var` or `/etc/cri/conf.d`, e.g. `/var/etc/nut/upsmon.conf`"));
    }
    let o = Options::new("file", map, &["content", "permissions", "op"])?;
    let Some(content) = o.string("content")? else {
        return Err(HostError::new("a file needs `content`").focus("file"));
    };
    Ok(MachineFile {
        content,
        permissions: o.int("permissions", 0, 0o7777)?.unwrap_or(0o644) as u32,
        path: path.to_string(),
        op: o.choice("op", FILE_OPS)?.unwrap_or_else(|| "create".into()),
    })
}

pub(super) fn build_extension_service(name: &str, map: Map) -> R<ExtensionService> {
    if name.is_empty() {
        return Err(HostError::new("an extension service needs a name"));
    }
    let o = Options::new("extension service", map, &["config_files", "environment"])?;
    let mut config_files = Vec::new();
    if let Some(v) = o.raw("config_files") {
        let Some(items) = v.try_cast::<Array>() else {
            return Err(HostError::new("`config_files` must be an array of maps like `#{ content: \"...\", mount_path: \"/usr/local/etc/x.conf\" }`").focus("config_files"));
        };
        for item in items {
            let Some(m) = item.try_cast::<Map>() else {
                return Err(HostError::new("each config file must be a map like `#{ content: \"...\", mount_path: \"...\" }`").focus("config_files"));
            };
            let f = Options::new("config file", m, &["content", "mount_path"])?;
            match (f.string("content")?, f.string("mount_path")?) {
                (Some(c), Some(p)) if !c.is_empty() => config_files.push((c, p)),
                _ => {
                    return Err(HostError::new(format!(
                        "each config file of extension service `{name}` needs `content` and `mount_path`"
                    ))
                    .focus("config_files"));
                }
            }
        }
    }
    // `environment` is a list of `KEY=value` or a map (written in key order).
    let environment = match o.map("environment") {
        Ok(Some(m)) => m.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
        _ => o.strings("environment")?,
    };
    if config_files.is_empty() && environment.is_empty() {
        return Err(HostError::new(format!(
            "extension service `{name}` needs `config_files` or `environment`"
        )));
    }
    Ok(ExtensionService {
        name: name.to_string(),
        config_files,
        environment,
        span: None,
    })
}

/// A kernel module from a `kernel_modules` list item: a name or `#{ name, parameters }`.
pub(crate) fn kernel_module_item(v: &Dynamic) -> R<KernelModule> {
    if v.is_string() {
        return Ok(KernelModule::new(v.to_string()));
    }
    let Some(m) = v.clone().try_cast::<Map>() else {
        return Err(HostError::new(format!(
            "a kernel module is a name or `#{{ name, parameters }}`, got {}",
            type_name(v)
        ))
        .focus("kernel_modules"));
    };
    let o = Options::new("kernel module", m, &["name", "parameters"])?;
    let Some(name) = o.string("name")? else {
        return Err(HostError::new("a kernel module needs a `name`").focus("kernel_modules"));
    };
    Ok(KernelModule {
        name,
        parameters: o.strings("parameters")?,
    })
}

/// Documents from a map, a list of maps or a YAML file relative to the script.
pub(super) fn documents(b: &mut Builder, content: &Dynamic) -> R<(Vec<Yaml>, Option<String>)> {
    if content.is_string() {
        let path = b.script_dir.join(content.to_string());
        let text = std::fs::read_to_string(&path).map_err(|e| {
            HostError::new(format!(
                "cannot read manifest file `{}`: {}",
                path.display(),
                crate::diag::io_cause(&e)
            ))
            .hint("manifest file paths are relative to the script's directory")
        })?;
        let docs = crate::yaml::parse_documents(&text).map_err(|e| {
            let id = b.sources.add(path.clone(), text.clone());
            HostError::new(format!(
                "manifest file `{}` is not valid YAML: {}",
                path.display(),
                e.message
            ))
            .at(crate::diag::Span::new(id, e.span))
        })?;
        // Empty documents are dropped, as talhelper drops them.
        let docs = docs
            .into_iter()
            .map(|d| d.value)
            .filter(|d| !matches!(d, Yaml::Null))
            .collect();
        return Ok((docs, Some(text)));
    }
    // Rhai maps sort their keys; a document reads better with `apiVersion` and `kind` first.
    let head_first = |d: Yaml| match d {
        Yaml::Map(m) => {
            let mut out = crate::yaml::Map::new();
            for k in ["apiVersion", "kind"] {
                if let Some(v) = m.get(k) {
                    out.insert(k.into(), v.clone());
                }
            }
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
            Yaml::Map(out)
        }
        other => other,
    };
    match to_yaml(content)? {
        Yaml::Map(m) => Ok((vec![head_first(Yaml::Map(m))], None)),
        Yaml::Seq(items) if items.iter().all(|i| matches!(i, Yaml::Map(_))) => {
            Ok((items.into_iter().map(head_first).collect(), None))
        }
        other => Err(HostError::new(format!(
            "manifest content must be a map, a list of documents or a YAML file path, got {}",
            other.type_name()
        ))),
    }
}

pub(super) fn valid_file_stem(name: &str) -> R<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || ch == '.')
    {
        return Err(HostError::new(format!("invalid manifest name `{name}`"))
            .hint("use letters, digits, `-`, `_` and `.`: it becomes `manifests/<name>.yaml`"));
    }
    Ok(())
}
