//! The shape Talos gives a config when it marshals its Go structs: fields in struct order,
//! Go map keys sorted the yaml.v3 way, `omitempty` zero values dropped and zero values of the
//! other fields written out (`certSANs: []`, `routes: []`).

use super::gokeys::go_key_cmp;
use super::types::{self, GoTy};
use crate::yaml::{Map, Yaml};

/// Orders a document of definition `def` as Go marshals it ([`order`]); documents of types
/// the table doesn't know are left alone.
pub(crate) fn order_document(doc: &mut Yaml, def: &str) {
    if let Some(s) = types::lookup(def) {
        order(doc, &GoTy::Struct(s, true));
    }
}

/// Drops `omitempty` zero values and fills in the zero values of the other fields.
pub(crate) fn marshal(v: &mut Yaml, ty: &GoTy) {
    match (ty, v) {
        (GoTy::Struct(s, _), Yaml::Map(m)) => {
            for f in s.fields.values() {
                let fty = f.go_ty();
                match m.get_mut(&f.name) {
                    Some(child) if f.omitempty && is_go_zero(child, fty) => {
                        m.shift_remove(&f.name);
                    }
                    Some(child) => marshal(child, fty),
                    None if !f.omitempty => {
                        if let Some(mut zero) = zero_value(fty) {
                            marshal(&mut zero, fty);
                            m.insert(f.name.clone(), zero);
                        }
                    }
                    None => {}
                }
            }
        }
        (GoTy::Slice(item, _), Yaml::Seq(items)) => items.iter_mut().for_each(|i| marshal(i, item)),
        (GoTy::Map(val), Yaml::Map(m)) => m.values_mut().for_each(|c| marshal(c, val)),
        _ => {}
    }
}

/// Whether yaml.v3's `omitempty` leaves the value out.
fn is_go_zero(v: &Yaml, ty: &GoTy) -> bool {
    let ptr = matches!(
        ty,
        GoTy::Struct(_, true) | GoTy::Bool(true) | GoTy::Scalar(true) | GoTy::Str(true)
    );
    match v {
        Yaml::Null => true,
        _ if ptr => false,
        Yaml::Str(s) => s.is_empty() && matches!(ty, GoTy::Str(_) | GoTy::Scalar(_)),
        Yaml::Int(0) => matches!(ty, GoTy::Scalar(_)),
        Yaml::Float(f) => *f == 0.0 && matches!(ty, GoTy::Scalar(_)),
        Yaml::Bool(b) => !b && matches!(ty, GoTy::Bool(_)),
        Yaml::Seq(items) => items.is_empty(),
        Yaml::Map(m) => m.is_empty() && !matches!(ty, GoTy::Opaque),
        Yaml::Int(_) => false,
    }
}

/// What yaml.v3 writes for a Go zero value (`None`: types with their own codec).
fn zero_value(ty: &GoTy) -> Option<Yaml> {
    Some(match ty {
        GoTy::Struct(_, true) | GoTy::Bool(true) | GoTy::Scalar(true) | GoTy::Str(true) => {
            Yaml::Null
        }
        GoTy::Struct(_, false) | GoTy::Map(_) => Yaml::map(),
        GoTy::Slice(..) => Yaml::Seq(Vec::new()),
        GoTy::Str(false) => Yaml::str(""),
        GoTy::Scalar(false) => Yaml::Int(0),
        GoTy::Bool(false) => Yaml::Bool(false),
        GoTy::Any | GoTy::Opaque | GoTy::Bytes => return None,
    })
}

/// Puts keys in Go's marshal order: struct fields in declaration order (keys Talos doesn't
/// know keep their relative order at the end), map keys sorted as yaml.v3 sorts them.
pub(crate) fn order(v: &mut Yaml, ty: &GoTy) {
    match (ty, v) {
        (GoTy::Struct(s, _), Yaml::Map(m)) => {
            m.sort_by(|a, _, b, _| {
                let pa = s.position(a).unwrap_or(usize::MAX);
                let pb = s.position(b).unwrap_or(usize::MAX);
                pa.cmp(&pb)
            });
            for (k, child) in m.iter_mut() {
                if let Some(f) = s.field(k) {
                    order(child, f.go_ty());
                }
            }
        }
        (GoTy::Slice(item, _), Yaml::Seq(items)) => items.iter_mut().for_each(|i| order(i, item)),
        (GoTy::Map(val), Yaml::Map(m)) => {
            sort_keys(m);
            m.values_mut().for_each(|c| order(c, val));
        }
        (GoTy::Any, Yaml::Map(m)) => {
            sort_keys(m);
            m.values_mut().for_each(|c| order(c, &GoTy::Any));
        }
        (GoTy::Any, Yaml::Seq(items)) => items.iter_mut().for_each(|c| order(c, &GoTy::Any)),
        _ => {}
    }
}

fn sort_keys(m: &mut Map) {
    m.sort_by(|a, _, b, _| go_key_cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::talos::schema::LEGACY_DEF;

    /// Reverses the key order of every mapping but the certificates: those have their own
    /// codec (crypto's `MarshalYAML` writes `crt`, `key`), so the generator writes their order.
    fn shuffled(v: &Yaml) -> Yaml {
        match v {
            Yaml::Map(m) if m.keys().all(|k| k == "crt" || k == "key") => v.clone(),
            Yaml::Map(m) => Yaml::Map(
                m.iter()
                    .rev()
                    .map(|(k, c)| (k.clone(), shuffled(c)))
                    .collect(),
            ),
            Yaml::Seq(items) => Yaml::Seq(items.iter().map(shuffled).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn documents_come_out_in_go_struct_order_whatever_the_input_order() {
        let golden = crate::yaml::parse_documents(include_str!(
            "generate/testdata/base-v1.12-controlplane.yaml"
        ))
        .unwrap();
        for (i, pd) in golden.iter().enumerate() {
            let def = match pd.value.get("kind").and_then(Yaml::as_str) {
                Some(kind) => crate::talos::schema::def_for_kind(kind).unwrap(),
                None => LEGACY_DEF,
            };
            let emit = |d: &Yaml| crate::yaml::emit_document(d, &Default::default());
            let mut doc = shuffled(&pd.value);
            assert_ne!(emit(&doc), emit(&pd.value), "doc {i} has keys to reorder");
            order_document(&mut doc, def);
            assert_eq!(emit(&doc), emit(&pd.value), "doc {i}");
        }
    }
}
