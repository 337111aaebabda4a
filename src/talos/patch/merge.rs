//! Talos' `merge.Merge` on YAML values, steered by the Go type of each field.
//!
//! Rules (upstream `pkg/machinery/config/merge/merge.go`): scalars are replaced unless the
//! patch value is the zero value (`""`, `0`) of a non-pointer field; booleans always
//! replace; maps merge key by key; lists append, except `merge:"replace"` fields and
//! `[]byte`, and the keyed lists (`interfaces`, `vlans`, `admissionControl`,
//! `configFiles`) which merge matching items, and ImageVerificationConfig `rules`, whose
//! items replace the rule of the same `image`; free-form (`Unstructured`) values merge with
//! overwrite and fail on a type mismatch.

use super::error::PatchError;
use crate::talos::types::{GoTy, KeyedList, Struct};
use crate::yaml::{Map, PathSeg, Yaml};

/// Merges `right` (from a patch) into `left`; `path` is `right`'s place in the patch.
pub(crate) fn merge(
    left: &mut Yaml,
    right: &Yaml,
    ty: &GoTy,
    replace: bool,
    path: &mut Vec<PathSeg>,
) -> Result<(), PatchError> {
    if matches!(right, Yaml::Null) {
        return Ok(());
    }
    match ty {
        GoTy::Struct(s, _) => merge_struct(left, right, s, replace, path),
        GoTy::Slice(item, keyed) => merge_slice(left, right, item, *keyed, replace, path),
        GoTy::Map(val) => merge_map(left, right, val, replace, path),
        GoTy::Any => {
            if replace {
                // Even `{}` replaces (a decoded empty map is not Go's zero value); the
                // marshaller then drops the empty field.
                *left = right.clone();
                return Ok(());
            }
            merge_any(left, right, path)
        }
        GoTy::Opaque => merge_opaque(left, right, path),
        GoTy::Bool(_) | GoTy::Bytes => {
            *left = right.clone();
            Ok(())
        }
        GoTy::Scalar(ptr) | GoTy::Str(ptr) => {
            if *ptr || !is_zero(right) {
                *left = right.clone();
            }
            Ok(())
        }
    }
}

/// A struct merges field by field; keys Go doesn't know are dropped (the schema check
/// reports them), and a nil pointer or a `replace` field takes the patch struct as is.
fn merge_struct(
    left: &mut Yaml,
    right: &Yaml,
    s: &'static Struct,
    replace: bool,
    path: &mut Vec<PathSeg>,
) -> Result<(), PatchError> {
    let Some(rmap) = right.as_map() else {
        return Ok(()); // the schema check reports the type
    };
    if replace || !matches!(left, Yaml::Map(_)) {
        if !(replace && rmap.is_empty()) {
            *left = right.clone();
        }
        return Ok(());
    }
    let lmap = left.as_map_mut().expect("checked above");
    for (k, rv) in rmap {
        let Some(f) = s.field(k) else { continue };
        let fty = f.go_ty();
        path.push(PathSeg::Key(k.clone()));
        match lmap.get_mut(k) {
            Some(lv) if f.decoded() == ENDPOINT => merge_endpoint(lv, rv, path)?,
            Some(lv) => merge(lv, rv, fty, f.replace, path)?,
            None if is_zero_scalar(rv, fty) => {}
            None => {
                lmap.insert(k.clone(), rv.clone());
            }
        }
        path.pop();
    }
    Ok(())
}

/// `v1alpha1.Endpoint`: a URL whose parts Go's merge sets one by one.
const ENDPOINT: &str = "v1alpha1.Endpoint";

/// `v1alpha1.ClusterInlineManifests`, whose `UnmarshalYAML` trims each manifest's contents.
const INLINE_MANIFESTS: &str = "v1alpha1.ClusterInlineManifests";

fn merge_endpoint(left: &mut Yaml, right: &Yaml, path: &[PathSeg]) -> Result<(), PatchError> {
    if let (Some(l), Some(r)) = (left.as_str(), right.as_str()) {
        match super::endpoint::merge(l, r) {
            Ok(Some(merged)) => *left = Yaml::Str(merged),
            Ok(None) => *left = right.clone(),
            Err(e) => return Err(PatchError::at_path(path, e.0)),
        }
    } else if !is_zero(right) {
        *left = right.clone();
    }
    Ok(())
}

/// A slice appends the patch's items, except keyed lists, which merge matching items.
fn merge_slice(
    left: &mut Yaml,
    right: &Yaml,
    item: &GoTy,
    keyed: Option<KeyedList>,
    replace: bool,
    path: &mut Vec<PathSeg>,
) -> Result<(), PatchError> {
    let Some(ritems) = right.as_seq() else {
        return Ok(());
    };
    let Yaml::Seq(litems) = left else {
        *left = right.clone();
        return Ok(());
    };
    if keyed == Some(KeyedList::ImageRules) {
        // security/image_verification.go `ImageVerificationRules.Merge` (called before any
        // `merge:"replace"` handling): each patch rule replaces the base's rule of the same
        // pattern (the last, as its map keeps), else is appended; appended rules are not
        // matched again.
        let base = litems.len();
        for ri in ritems {
            let key = str_field(ri, "image");
            match litems[..base]
                .iter()
                .rposition(|li| str_field(li, "image") == key)
            {
                Some(j) => litems[j] = ri.clone(),
                None => litems.push(ri.clone()),
            }
        }
        return Ok(());
    }
    if replace {
        *left = right.clone();
        return Ok(());
    }
    for (i, ri) in ritems.iter().enumerate() {
        path.push(PathSeg::Index(i));
        let matched = keyed.and_then(|k| litems.iter().position(|li| same_item(k, li, ri)));
        match matched {
            Some(j) => merge(&mut litems[j], ri, item, false, path)?,
            None => litems.push(ri.clone()),
        }
        path.pop();
    }
    Ok(())
}

/// A Go map merges key by key; a `null` value on the left takes the patch's.
fn merge_map(
    left: &mut Yaml,
    right: &Yaml,
    val: &GoTy,
    replace: bool,
    path: &mut Vec<PathSeg>,
) -> Result<(), PatchError> {
    let Some(rmap) = right.as_map() else {
        return Ok(());
    };
    let Yaml::Map(lmap) = left else {
        *left = right.clone();
        return Ok(());
    };
    if replace {
        *left = right.clone();
        return Ok(());
    }
    for (k, rv) in rmap {
        path.push(PathSeg::Key(k.clone()));
        match lmap.get_mut(k) {
            Some(lv) if !matches!(lv, Yaml::Null) => merge(lv, rv, val, false, path)?,
            _ => {
                lmap.insert(k.clone(), rv.clone());
            }
        }
        path.pop();
    }
    Ok(())
}

/// A type with its own codec: mappings merge key by key, anything else non-zero replaces.
fn merge_opaque(left: &mut Yaml, right: &Yaml, path: &mut Vec<PathSeg>) -> Result<(), PatchError> {
    if let (Yaml::Map(lmap), Yaml::Map(rmap)) = (&mut *left, right) {
        for (k, rv) in rmap {
            path.push(PathSeg::Key(k.clone()));
            match lmap.get_mut(k) {
                Some(lv) => merge(lv, rv, &GoTy::Opaque, false, path)?,
                None => {
                    lmap.insert(k.clone(), rv.clone());
                }
            }
            path.pop();
        }
    } else if !is_zero(right) {
        *left = right.clone();
    }
    Ok(())
}

/// Merges free-form values (`map[string]any`): overwrite, with Go's type-mismatch error.
fn merge_any(left: &mut Yaml, right: &Yaml, path: &mut Vec<PathSeg>) -> Result<(), PatchError> {
    match (&mut *left, right) {
        (_, Yaml::Null) => {}
        (Yaml::Null, _) => *left = right.clone(),
        (Yaml::Map(lmap), Yaml::Map(rmap)) => {
            for (k, rv) in rmap {
                path.push(PathSeg::Key(k.clone()));
                match lmap.get_mut(k) {
                    Some(lv) if !matches!(lv, Yaml::Null) => {
                        if go_type(lv) != go_type(rv) {
                            return Err(PatchError::at_path(
                                path,
                                format!(
                                    "merge type mismatch left {} right {}",
                                    go_type(lv),
                                    go_type(rv)
                                ),
                            ));
                        }
                        merge_any(lv, rv, path)?;
                    }
                    _ => {
                        lmap.insert(k.clone(), rv.clone());
                    }
                }
                path.pop();
            }
        }
        (Yaml::Seq(litems), Yaml::Seq(ritems)) => litems.extend(ritems.iter().cloned()),
        _ => *left = right.clone(),
    }
    Ok(())
}

/// The Go type yaml.v3 decodes a value into inside `map[string]any`.
fn go_type(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "<nil>",
        Yaml::Bool(_) => "bool",
        Yaml::Int(_) => "int",
        Yaml::Float(_) => "float64",
        Yaml::Str(_) => "string",
        Yaml::Seq(_) => "[]interface {}",
        Yaml::Map(_) => "map[string]interface {}",
    }
}

fn is_zero(v: &Yaml) -> bool {
    match v {
        Yaml::Null => true,
        Yaml::Str(s) => s.is_empty(),
        Yaml::Int(i) => *i == 0,
        Yaml::Float(f) => *f == 0.0,
        _ => false,
    }
}

/// A zero scalar for a non-pointer field is not set by Go's merge (and `omitempty` drops it).
fn is_zero_scalar(v: &Yaml, ty: &GoTy) -> bool {
    matches!(ty, GoTy::Scalar(false) | GoTy::Str(false)) && is_zero(v) || matches!(v, Yaml::Null)
}

/// Whether two items of a keyed list are the same entry (the upstream `Merge` methods).
fn same_item(kind: KeyedList, left: &Yaml, right: &Yaml) -> bool {
    let key = |v: &Yaml, k: &str| v.get(k).filter(|x| !is_zero(x)).cloned();
    match kind {
        KeyedList::Devices => match (key(right, "interface"), right.get("deviceSelector")) {
            (Some(name), _) => key(left, "interface") == Some(name),
            (None, Some(sel)) if !matches!(sel, Yaml::Null) => {
                left.get("deviceSelector").is_some_and(|l| same_map(l, sel))
            }
            _ => false,
        },
        // Go compares the numeric field, so an absent `vlanId` matches `0`.
        KeyedList::Vlans => {
            left.get("vlanId").cloned().unwrap_or(Yaml::Int(0))
                == right.get("vlanId").cloned().unwrap_or(Yaml::Int(0))
        }
        KeyedList::AdmissionPlugins => str_field(left, "name") == str_field(right, "name"),
        KeyedList::ConfigFiles => str_field(left, "mountPath") == str_field(right, "mountPath"),
        KeyedList::ImageRules => str_field(left, "image") == str_field(right, "image"),
    }
}

fn str_field<'a>(v: &'a Yaml, key: &str) -> &'a str {
    v.get(key).and_then(Yaml::as_str).unwrap_or("")
}

/// Struct equality ignores key order (Go compares fields).
fn same_map(a: &Yaml, b: &Yaml) -> bool {
    match (a.as_map(), b.as_map()) {
        (Some(x), Some(y)) => {
            let nonzero = |m: &Map| m.iter().filter(|(_, v)| !is_zero(v)).count();
            nonzero(x) == nonzero(y)
                && y.iter()
                    .filter(|(_, v)| !is_zero(v))
                    .all(|(k, v)| x.get(k) == Some(v))
        }
        _ => a == b,
    }
}

/// The endpoint as Talos re-marshals it (`URL.String()` of what `url.Parse` read).
fn canonical_endpoint(v: &mut Yaml) {
    if let Some(c) = v.as_str().and_then(super::endpoint::canonical) {
        *v = Yaml::Str(c);
    }
}

/// `ClusterInlineManifests.UnmarshalYAML`: `strings.TrimLeft(contents, "\t\n\v\f\r")`
/// (spaces stay).
fn trim_manifests(v: &mut Yaml) {
    let Yaml::Seq(items) = v else { return };
    for item in items {
        if let Some(Yaml::Str(c)) = item.as_map_mut().and_then(|m| m.get_mut("contents")) {
            let trimmed = c.trim_start_matches(['\t', '\n', '\u{b}', '\u{c}', '\r']);
            if trimmed.len() != c.len() {
                *c = trimmed.to_string();
            }
        }
    }
}

/// Converts values to what decoding them into their Go types gives, as Talos re-marshals
/// them: scalars in `string` fields become text (`sysctls` written as numbers come back
/// quoted), endpoints are Go URLs, inline manifests lose their leading line breaks.
pub(crate) fn normalize(v: &mut Yaml, ty: &GoTy) {
    match (ty, &mut *v) {
        (GoTy::Struct(s, _), Yaml::Map(m)) => {
            for (k, child) in m.iter_mut() {
                if let Some(f) = s.field(k) {
                    normalize(child, f.go_ty());
                    match f.decoded() {
                        ENDPOINT => canonical_endpoint(child),
                        INLINE_MANIFESTS => trim_manifests(child),
                        _ => {}
                    }
                }
            }
        }
        (GoTy::Slice(item, _), Yaml::Seq(items)) => {
            for child in items {
                normalize(child, item);
            }
        }
        (GoTy::Map(val), Yaml::Map(m)) => {
            for child in m.values_mut() {
                // A null map value decodes to the element's zero value (`""` for strings).
                if matches!(child, Yaml::Null) && matches!(**val, GoTy::Str(false)) {
                    *child = Yaml::str("");
                }
                normalize(child, val);
            }
        }
        (GoTy::Str(_), Yaml::Int(i)) => *v = Yaml::Str(i.to_string()),
        (GoTy::Str(_), Yaml::Float(f)) => *v = Yaml::Str(f.to_string()),
        (GoTy::Str(_), Yaml::Bool(b)) => *v = Yaml::Str(b.to_string()),
        _ => {}
    }
}
