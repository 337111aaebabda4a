//! Go yaml.v3's order for string map keys ("natural": digit runs compare by value).

use std::cmp::Ordering;

/// Whether `a` sorts before `b` as yaml.v3's encoder orders string map keys: at the first
/// differing character two letters compare by code point, a letter sorts after a non-letter
/// (before it when a digit run precedes), and digit runs compare numerically.
pub fn go_key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut digits = false;
    for i in 0..ar.len().min(br.len()) {
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
            // A zero inside a number (`10` vs `1a`) still counts as part of that number.
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                if ar[j - 1] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
                j -= 1;
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
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

/// [`go_key_less`] as an ordering, for `sort_by`.
pub fn go_key_cmp(a: &str, b: &str) -> Ordering {
    if go_key_less(a, b) {
        Ordering::Less
    } else if go_key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_v3_key_order() {
        use std::cmp::Ordering::Less;
        let pairs = [
            ("a2", "a10"),
            ("a", "b"),
            ("a", "ab"),
            ("a.b", "aa"),
            ("a1", "ab"),
            ("1a", "12"),
            ("a9b", "a10"),
        ];
        for (a, b) in pairs {
            assert_eq!(go_key_cmp(a, b), Less, "{a} < {b}");
        }
    }
}
