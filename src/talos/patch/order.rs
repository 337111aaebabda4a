//! The shape Talos gives a config when it re-marshals the merged Go structs: fields in
//! struct order, Go map keys sorted the yaml.v3 way, `omitempty` zero values dropped and
//! zero values of the other fields written out (`certSANs: []`, `routes: []`).

use super::gotypes::{self, GoTy};
use super::strategic::identify;
use crate::yaml::{Map, Yaml};

/// Puts a config document in the shape Talos writes it: Go struct field order (the
/// schema's order plus the deprecated fields), map keys sorted as yaml.v3 sorts them, and
/// zero values as Go's marshaller treats them. Keys Talos doesn't know keep their relative
/// order at the end. Documents of unknown kinds are left alone.
pub fn reorder(doc: &mut Yaml) {
    let Ok((_, def)) = identify(doc) else { return };
    if let Some(s) = gotypes::lookup(def) {
        let ty = GoTy::Struct(s, true);
        marshal(doc, &ty);
        order(doc, &ty);
    }
}

/// Drops `omitempty` zero values and fills in the zero values of the other fields.
fn marshal(v: &mut Yaml, ty: &GoTy) {
    match (ty, v) {
        (GoTy::Struct(s, _), Yaml::Map(m)) => {
            for f in &s.fields {
                let fty = gotypes::resolve(&f.ty);
                match m.get_mut(&f.name) {
                    Some(child) if f.omitempty && is_go_zero(child, &fty) => {
                        m.shift_remove(&f.name);
                    }
                    Some(child) => marshal(child, &fty),
                    None if !f.omitempty => {
                        if let Some(mut zero) = zero_value(&fty) {
                            marshal(&mut zero, &fty);
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
        _ => false,
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

fn order(v: &mut Yaml, ty: &GoTy) {
    match (ty, v) {
        (GoTy::Struct(s, _), Yaml::Map(m)) => {
            m.sort_by(|a, _, b, _| {
                let pa = s.position(a).unwrap_or(usize::MAX);
                let pb = s.position(b).unwrap_or(usize::MAX);
                pa.cmp(&pb)
            });
            for (k, child) in m.iter_mut() {
                if let Some(f) = s.field(k) {
                    order(child, &gotypes::resolve(&f.ty));
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
    m.sort_by(|a, _, b, _| yaml_key_cmp(a, b));
}

/// yaml.v3's map key order (`sorter.go`), shared with the machine renderer.
pub(crate) use crate::talos::go_key_cmp as yaml_key_cmp;
