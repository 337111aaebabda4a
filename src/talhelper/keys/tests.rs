//! The key tables' invariants: unique names, matching sections, snake-case script options.

use super::*;

#[test]
fn names_are_unique_per_section_and_sections_match() {
    for rows in SECTIONS {
        for (i, k) in rows.iter().enumerate() {
            assert_eq!(k.section, rows[0].section, "{}", k.name);
            assert!(
                !rows[..i].iter().any(|o| o.name == k.name),
                "`{}` twice in {:?}",
                k.name,
                k.section
            );
        }
    }
    // A node reads `node` and `node_config` together: no name in both.
    for k in node::ALL {
        assert!(
            !node_config::ALL.iter().any(|o| o.name == k.name),
            "{}",
            k.name
        );
    }
}

#[test]
fn unsupported_keys_are_not_also_read_elsewhere() {
    let read: Vec<&str> = SECTIONS.iter().flat_map(|s| accepted(&[s])).collect();
    for k in SECTIONS.iter().flat_map(|s| s.iter()) {
        if k.support == Support::Unsupported {
            assert!(!read.contains(&k.name), "{}", k.name);
            assert!(k.script.is_none(), "{}", k.name);
        }
    }
    assert!(!unsupported("kubeNetworkPoliciesEnabled"));
    assert!(!unsupported("mtu") && !unsupported("vlans") && !unsupported("deviceSelector"));
    assert!(!unsupported("machineSpec") && !unsupported("imageFactory"));
    assert!(!unsupported("filenameTmpl") && !unsupported("volumes"));
}

#[test]
fn script_options_are_snake_case() {
    for k in SECTIONS.iter().flat_map(|s| s.iter()) {
        if let Some(s) = k.script {
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}: {s}",
                k.name
            );
        }
    }
}
