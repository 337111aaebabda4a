//! Whether emitted documents would parse back to themselves, decided without emitting them:
//! validation reads a rendered tree directly when this holds, and the written text otherwise.

use super::budget::{MAX_DEPTH, MIN_PATHS, record_bytes};
use crate::yaml::Yaml;

/// Whether parsing `emit_documents(docs, _)` gives `docs` back, value for value. The emitter
/// quotes every string that would read as anything else, so what remains are floats (Go
/// writes `1.0` as `1`, which reads back as an int, and NaN never equals itself), a `<<` key
/// (read back as a merge) and the parser's limits: nesting depth, and the bytes of recorded
/// paths, counted as the parser counts them and kept under its smallest budget.
pub fn reparses_to_itself(docs: &[Yaml]) -> bool {
    let mut walk = Walk::default();
    docs.iter().all(|d| {
        walk.segments = 0;
        walk.key_bytes = 0;
        walk.node(d, 0)
    })
}

#[derive(Default)]
struct Walk {
    /// The records of every path so far (shared by the documents of a text, like the
    /// parser's budget).
    paths: usize,
    /// Segments of the current path.
    segments: usize,
    /// Key bytes along the current path.
    key_bytes: usize,
}

impl Walk {
    /// `v` at nesting `depth` (the containers above it).
    fn node(&mut self, v: &Yaml, depth: usize) -> bool {
        match v {
            Yaml::Float(_) => false,
            Yaml::Seq(items) => {
                depth + 1 < MAX_DEPTH && items.iter().all(|i| self.child(i, 0, depth + 1))
            }
            Yaml::Map(m) => {
                depth + 1 < MAX_DEPTH
                    && m.iter()
                        .all(|(k, val)| k != "<<" && self.child(val, k.len(), depth + 1))
            }
            _ => true,
        }
    }

    /// A child under a segment of `key_len` key bytes (0 for an index).
    fn child(&mut self, v: &Yaml, key_len: usize, depth: usize) -> bool {
        self.segments += 1;
        self.key_bytes += key_len;
        self.paths = self
            .paths
            .saturating_add(record_bytes(self.segments, self.key_bytes));
        let ok = self.paths < MIN_PATHS && self.node(v, depth);
        self.segments -= 1;
        self.key_bytes -= key_len;
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{EmitOptions, emit_documents, parse_documents};
    use proptest::prelude::*;

    fn reparsed(docs: &[Yaml]) -> Vec<Yaml> {
        let text = emit_documents(docs, &EmitOptions { indent: 4 });
        parse_documents(&text)
            .unwrap()
            .into_iter()
            .map(|d| d.value)
            .collect()
    }

    #[test]
    fn floats_merge_keys_and_depth_are_refused() {
        let one = Yaml::from_pairs([("cpu", Yaml::Float(1.0))]);
        assert!(!reparses_to_itself(std::slice::from_ref(&one)));
        assert_ne!(reparsed(std::slice::from_ref(&one)), vec![one]);
        let merge = Yaml::from_pairs([("<<", Yaml::from_pairs([("a", Yaml::Int(1))]))]);
        assert!(!reparses_to_itself(&[merge]));
        // The parser takes MAX_DEPTH levels and refuses one more; the check stops one short.
        let mut deep = Yaml::Int(1);
        for _ in 0..MAX_DEPTH {
            deep = Yaml::Seq(vec![deep]);
        }
        assert!(!reparses_to_itself(std::slice::from_ref(&deep)));
        let deeper = Yaml::Seq(vec![deep]);
        let text = emit_documents(&[deeper], &EmitOptions { indent: 4 });
        assert!(parse_documents(&text).is_err());
        let plain = Yaml::from_pairs([("a", Yaml::str("1")), ("b", Yaml::Int(1))]);
        assert!(reparses_to_itself(std::slice::from_ref(&plain)));
    }

    #[test]
    fn long_paths_are_refused_before_the_parser_would() {
        // One long key above many nodes: the parser's path budget, not the text, limits it.
        let items = Yaml::Seq((0..40).map(Yaml::Int).collect());
        let key = "k".repeat(2 << 20);
        let doc = Yaml::from_pairs([(key, items)]);
        assert!(!reparses_to_itself(std::slice::from_ref(&doc)));
        let text = emit_documents(&[doc], &EmitOptions { indent: 4 });
        assert!(parse_documents(&text).is_err());
    }

    fn scalar() -> impl Strategy<Value = Yaml> {
        prop_oneof![
            Just(Yaml::Null),
            any::<bool>().prop_map(Yaml::Bool),
            any::<i64>().prop_map(Yaml::Int),
            // Strings that look like other scalars, YAML syntax and block text.
            "[ -~\\n\\té→\u{85}\u{feff}]{0,12}".prop_map(Yaml::Str),
            prop_oneof![
                Just("null"),
                Just("~"),
                Just("true"),
                Just("0x1F"),
                Just("1e3"),
                Just("- a"),
                Just("a: b"),
                Just("#c"),
                Just("'"),
                Just("\""),
                Just("a\n"),
                Just("a\n\n"),
                Just(" a"),
                Just("a "),
                Just("\n"),
                Just(""),
                Just("---"),
                Just("..."),
                Just("<<"),
                Just("!x"),
                Just("&a"),
                Just("*a"),
                Just("%x"),
                Just("@x"),
                Just("0777"),
                Just("1_000"),
                Just(".inf"),
                Just("yes"),
                Just("=")
            ]
            .prop_map(Yaml::str),
        ]
    }

    fn value() -> impl Strategy<Value = Yaml> {
        scalar().prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Yaml::Seq),
                proptest::collection::vec(("[ -~\\n]{0,6}", inner), 0..5)
                    .prop_map(|kv| Yaml::Map(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        // The promise validation relies on: whatever passes the check reads back as itself.
        #[test]
        fn what_passes_reads_back_as_itself(docs in proptest::collection::vec(value(), 1..3)) {
            if reparses_to_itself(&docs) {
                let want: Vec<Yaml> = docs.into_iter().filter(|d| *d != Yaml::Null).collect();
                let got: Vec<Yaml> = reparsed(&want);
                prop_assert_eq!(got, want);
            }
        }
    }
}
