//! The key order and zero values Talos writes after patching: it re-marshals the merged Go
//! structs ([`crate::talos::marshal`]).

use super::strategic::identify;
use crate::talos::marshal::{marshal, order};
use crate::talos::types::{self, GoTy};
use crate::yaml::Yaml;

/// Puts a config document in the shape Talos writes it: Go struct field order (the
/// schema's order plus the deprecated fields), map keys sorted as yaml.v3 sorts them, and
/// zero values as Go's marshaller treats them. Keys Talos doesn't know keep their relative
/// order at the end. Documents of unknown kinds are left alone.
pub fn reorder(doc: &mut Yaml) {
    let Ok((_, def)) = identify(doc) else { return };
    if let Some(s) = types::lookup(def) {
        let ty = GoTy::Struct(s, true);
        marshal(doc, &ty);
        order(doc, &ty);
    }
}
