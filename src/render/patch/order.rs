//! Key order after patching: Talos re-marshals the merged Go structs, so fields come out in
//! struct order and Go map keys sorted the yaml.v3 way.

use super::gotypes::{self, GoTy};
use super::strategic::identify;
use crate::yaml::{Map, Yaml};
use std::cmp::Ordering;

/// Puts a config document's keys in the order Talos writes them: Go struct field order
/// (from the schema / struct table), map keys sorted as yaml.v3 sorts them; keys Talos
/// doesn't know keep their relative order at the end. Unknown kinds are left alone.
pub fn reorder(doc: &mut Yaml) {
    let Ok((_, def)) = identify(doc) else { return };
    if let Some(s) = gotypes::lookup(def) {
        order(doc, &GoTy::Struct(s, true));
    }
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

/// yaml.v3's map key order (`sorter.go`): letters before digits... except after a digit
/// run, and numbers inside keys compared by value (`a2` < `a10`).
pub(crate) fn yaml_key_cmp(a: &str, b: &str) -> Ordering {
    if yaml_key_less(a, b) {
        Ordering::Less
    } else if yaml_key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn yaml_key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut digits = false;
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            digits = ar[i].is_ascii_digit();
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.saturating_mul(10).saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.saturating_mul(10).saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}
