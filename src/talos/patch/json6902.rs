//! RFC 6902 JSON patches (a list of `op`s with JSON pointers), single-document configs only.

use super::error::PatchError;
use crate::talos::GoError;
use crate::yaml::{PathSeg, Yaml};

/// Talos' message when the config has more than one document (every v1.12 config does).
pub const MULTI_DOC: &str =
    "JSON6902 patches are not supported for multi-document machine configuration";

const PREFIX: &str = "failure applying rfc6902 patches to talos machine config";

/// Applies the operations `ops` (patch document 0) to the only document of `docs`.
pub(crate) fn apply(mut docs: Vec<Yaml>, ops: &[Yaml]) -> Result<Vec<Yaml>, PatchError> {
    if docs.len() != 1 {
        // Point at the first operation rather than the whole patch.
        let at: &[PathSeg] = if ops.is_empty() {
            &[]
        } else {
            &[PathSeg::Index(0)]
        };
        return Err(PatchError::at(0, at, MULTI_DOC).with_hint(
            "write the patch as a strategic merge patch (a YAML mapping), Talos v1.12 configs are multi-document",
        ));
    }
    for (i, op) in ops.iter().enumerate() {
        apply_op(&mut docs[0], op).map_err(|(key, msg)| {
            let mut path = vec![PathSeg::Index(i)];
            path.extend(key.map(|k| PathSeg::Key(k.to_string())));
            PatchError::at(0, &path, format!("{PREFIX}: {msg}"))
        })?;
    }
    // The values an operation adds are plain YAML; Talos decodes them into its types when
    // it loads the patched config (an int sysctl becomes a string).
    docs.iter_mut().for_each(super::strategic::decode);
    Ok(docs)
}

type OpError = (Option<&'static str>, String);

fn apply_op(doc: &mut Yaml, op: &Yaml) -> Result<(), OpError> {
    let field = |k: &'static str| -> Result<&str, OpError> {
        op.get(k)
            .and_then(Yaml::as_str)
            .ok_or((None, format!("operation is missing `{k}`")))
    };
    let name = field("op")?;
    let path = parse_pointer(field("path")?).map_err(|e| (Some("path"), e.0))?;
    let value = || {
        op.get("value")
            .cloned()
            .ok_or((None, format!("{name} operation is missing `value`")))
    };
    match name {
        "add" => add(doc, &path, value()?)
            .map_err(|e| (Some("path"), format!("add operation does not apply: {e}"))),
        "remove" => remove(doc, &path).map(|_| ()).map_err(|e| {
            (
                Some("path"),
                format!("remove operation does not apply: {e}"),
            )
        }),
        "replace" => {
            let target = get_mut(doc, &path).ok_or_else(|| {
                (
                    Some("path"),
                    format!(
                        "replace operation does not apply: doc is missing key: {}",
                        show(&path)
                    ),
                )
            })?;
            *target = value()?;
            Ok(())
        }
        "move" | "copy" => {
            let from = parse_pointer(field("from")?).map_err(|e| (Some("from"), e.0))?;
            let v = if name == "move" {
                remove(doc, &from)
                    .map_err(|e| (Some("from"), format!("move operation does not apply: {e}")))?
            } else {
                get_mut(doc, &from).cloned().ok_or_else(|| {
                    (
                        Some("from"),
                        format!(
                            "copy operation does not apply: doc is missing from path: {}",
                            show(&from)
                        ),
                    )
                })?
            };
            add(doc, &path, v).map_err(|e| {
                (
                    Some("path"),
                    format!("{name} operation does not apply: {e}"),
                )
            })
        }
        "test" => {
            let expected = value()?;
            match get_mut(doc, &path) {
                Some(actual) if *actual == expected => Ok(()),
                _ => Err((
                    Some("value"),
                    format!("testing value {} failed", show(&path)),
                )),
            }
        }
        other => Err((Some("op"), format!("unexpected operation `{other}`"))),
    }
}

fn parse_pointer(p: &str) -> Result<Vec<String>, GoError> {
    if p.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = p.strip_prefix('/') else {
        return Err(format!("invalid JSON pointer `{p}`: must start with `/`").into());
    };
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn show(path: &[String]) -> String {
    path.iter().map(|p| format!("/{p}")).collect()
}

fn get_mut<'a>(doc: &'a mut Yaml, path: &[String]) -> Option<&'a mut Yaml> {
    path.iter().try_fold(doc, |v, seg| match v {
        Yaml::Map(m) => m.get_mut(seg.as_str()),
        Yaml::Seq(items) => seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

fn add(doc: &mut Yaml, path: &[String], value: Yaml) -> Result<(), GoError> {
    let Some((last, parent)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    let missing = || GoError(format!("doc is missing path: {}", show(path)));
    match get_mut(doc, parent).ok_or_else(missing)? {
        Yaml::Map(m) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Yaml::Seq(items) => {
            let i = if last == "-" {
                items.len()
            } else {
                last.parse::<usize>()
                    .ok()
                    .filter(|i| *i <= items.len())
                    .ok_or_else(|| format!("index out of bounds: {}", show(path)))?
            };
            items.insert(i, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove(doc: &mut Yaml, path: &[String]) -> Result<Yaml, GoError> {
    let missing = || GoError(format!("doc is missing path: {}", show(path)));
    let (last, parent) = path.split_last().ok_or_else(missing)?;
    match get_mut(doc, parent).ok_or_else(missing)? {
        Yaml::Map(m) => m.shift_remove(last.as_str()).ok_or_else(missing),
        Yaml::Seq(items) => {
            let i = last
                .parse::<usize>()
                .ok()
                .filter(|i| *i < items.len())
                .ok_or_else(missing)?;
            Ok(items.remove(i))
        }
        _ => Err(missing()),
    }
}
