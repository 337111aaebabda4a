//! Go map key order: yaml.v3/v4 sort `map[string]string` keys "naturally" when marshalling.

use crate::yaml::Yaml;
use indexmap::IndexMap;

pub(crate) use crate::talos::go_key_cmp;

/// A Go `map[string]string` as Talos marshals it: keys in [`go_key_less`] order.
pub(crate) fn go_string_map(m: &IndexMap<String, String>) -> Yaml {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by(|a, b| go_key_cmp(a, b));
    Yaml::Map(
        keys.into_iter()
            .map(|k| (k.clone(), Yaml::str(&m[k])))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_like_yaml_v3() {
        let mut m = IndexMap::new();
        for k in [
            "b",
            "a10",
            "a2",
            "A",
            "a-b",
            "ab",
            "node.kubernetes.io/x",
            "a",
        ] {
            m.insert(k.to_string(), String::new());
        }
        let Yaml::Map(sorted) = go_string_map(&m) else {
            unreachable!()
        };
        let keys: Vec<&str> = sorted.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "A",
                "a",
                "a-b",
                "a2",
                "a10",
                "ab",
                "b",
                "node.kubernetes.io/x"
            ]
        );
    }
}
