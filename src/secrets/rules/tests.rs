//! Tests of `.sops.yaml` parsing, matching and rule insertion.

use super::*;
use crate::testutil::oracle_text;

const R1: &str = "age1xqzcys7lczx9g80uthkntu0lygdmf9lmsta5q9378zvg0lyja90sxatc0g";
const R2: &str = "age1j3hsfptdfsfwvkf504etjkrtmajny9csrfh5s24uqh6fchmg5dgqg087ek";

fn cfg(text: &str) -> SopsConfig {
    parse(text, Path::new("/repo/.sops.yaml")).unwrap()
}

#[test]
fn oracle_sample_config_matches_its_file() {
    let Some(text) = oracle_text("sops/sample/.sops.yaml") else {
        return;
    };
    let c = cfg(&text);
    let (recipients, opts) = c.options_for(Path::new("/repo/secrets.sops.yaml")).unwrap();
    assert_eq!(recipients, [R1]);
    assert_eq!(opts, EncryptOptions::default());
}

#[test]
fn first_matching_rule_wins_relative_to_the_config_dir() {
    let c = cfg(&format!(
        "creation_rules:\n  - path_regex: ^clusters/.*/talos/clusterconfig/.*\\.sops\\.yaml$\n    age: ' {R1} , {R2},'\n    encrypted_regex: ^(data|stringData)$\n  - path_regex: talsecret\n    age: [{R2}]\n  - age: {R1}\n"
    ));
    let r = c
        .rule_for(Path::new(
            "/repo/clusters/infra/talos/clusterconfig/infra-cp-1.sops.yaml",
        ))
        .unwrap();
    assert_eq!(r.age, [R1, R2]);
    assert_eq!(
        r.options.encrypted_regex.as_deref(),
        Some("^(data|stringData)$")
    );
    assert_eq!(
        c.rule_for(Path::new("/repo/x/talsecret.sops.yaml"))
            .unwrap()
            .age,
        [R2]
    );
    // A rule without path_regex matches everything, also files outside the config dir.
    assert_eq!(
        c.rule_for(Path::new("/elsewhere/a.yaml")).unwrap().age,
        [R1]
    );
    assert_eq!(c.match_path(Path::new("/repo/a/../b.yaml")), "b.yaml");
    assert_eq!(c.match_path(Path::new("/other/b.yaml")), "/other/b.yaml");
}

#[test]
fn no_match_lists_the_rules_tried_and_points_at_them() {
    let text = "# mine\ncreation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: age1xqzcys7lczx9g80uthkntu0lygdmf9lmsta5q9378zvg0lyja90sxatc0g\n";
    let e = cfg(text).rule_for(Path::new("/repo/s/x.yaml")).unwrap_err();
    assert_eq!(
        e.message,
        "no creation rule in .sops.yaml matches `s/x.yaml`"
    );
    assert_eq!(e.notes, ["rule 1 tried: path_regex `\\.enc\\.yaml$`"]);
    assert_eq!(&text[e.span.clone().unwrap()], "creation_rules");
    assert!(e.hints[0].contains("relative to /repo"), "{:?}", e.hints);
}

#[test]
fn key_groups_and_bad_fields_are_reported_with_spans() {
    let one = cfg(&format!(
        "creation_rules:\n  - key_groups:\n      - age:\n          - {R2}\n"
    ));
    assert_eq!(one.rules[0].age, [R2]);
    let text =
        format!("creation_rules:\n  - key_groups:\n      - age: [{R1}]\n      - age: [{R2}]\n");
    let e = parse(&text, Path::new(".sops.yaml")).unwrap_err();
    assert!(e.message.contains("several key groups"), "{}", e.message);
    assert!(text[e.span.unwrap()].starts_with("- age"));
    let text = "creation_rules:\n  - path_regex: '(['\n    age: x\n";
    let e = parse(text, Path::new(".sops.yaml")).unwrap_err();
    assert!(
        e.message.starts_with("invalid `path_regex`"),
        "{}",
        e.message
    );
    assert_eq!(&text[e.span.unwrap()], "'(['");
    let text = "creation_rules: 3\n";
    let e = parse(text, Path::new(".sops.yaml")).unwrap_err();
    assert_eq!(
        e.message,
        "`creation_rules` must be a list, found a integer"
    );
    let text = "creation_rules:\n  - encrypted_regex: a\n    unencrypted_suffix: _u\n";
    let e = parse(text, Path::new(".sops.yaml")).unwrap_err();
    assert!(e.message.starts_with("only one of"), "{}", e.message);
    let e = parse("a: [", Path::new(".sops.yaml")).unwrap_err();
    assert!(e.span.is_some());
    let e = cfg("creation_rules:\n  - path_regex: x\n    pgp: ABC\n")
        .rule_for(Path::new("/repo/x"))
        .unwrap_err();
    assert!(e.message.contains("no age recipients"), "{}", e.message);
}

#[test]
fn stores_indent_is_read() {
    let c = cfg(&format!(
        "stores:\n  yaml:\n    indent: 2\ncreation_rules:\n  - age: {R1}\n"
    ));
    assert_eq!(c.indent, Some(2));
    assert_eq!(c.rules[0].options.indent, 2);
}

fn wanted() -> Vec<(String, String)> {
    vec![
        (r".*talsecret\.sops\.yaml$".into(), R2.into()),
        (
            r"clusters/.*/talos/clusterconfig/.*\.sops\.yaml$".into(),
            R2.into(),
        ),
    ]
}

#[test]
fn ensure_rules_creates_a_new_file() {
    let text = ensure_rules(None, &wanted()).unwrap();
    assert_eq!(
        text,
        format!(
            "creation_rules:\n  - path_regex: .*talsecret\\.sops\\.yaml$\n    age: {R2}\n  - path_regex: clusters/.*/talos/clusterconfig/.*\\.sops\\.yaml$\n    age: {R2}\n"
        )
    );
    assert_eq!(ensure_rules(Some(&text), &wanted()), None);
}

#[test]
fn ensure_rules_appends_without_touching_existing_text() {
    let existing = format!(
        "# keep me\ncreation_rules:\n    # mine\n    - path_regex: .*talsecret\\.sops\\.yaml$\n      age: >-\n        {R1}\n    - path_regex: other\\.yaml$ # trailing\n      age: {R1}\n\n# footer\n"
    );
    let new = ensure_rules(Some(&existing), &wanted()).unwrap();
    // The existing talsecret rule is the user's (other key): kept, not duplicated.
    assert!(
        new.starts_with(&existing[..=existing.find("\n\n# footer").unwrap()]),
        "{new}"
    );
    assert!(new.ends_with("\n# footer\n"), "{new}");
    let c = cfg(&new);
    assert_eq!(c.rules.len(), 3);
    assert_eq!(c.rules[0].age, [R1]);
    assert_eq!(
        c.rules[2].path_regex.as_deref(),
        Some(wanted()[1].0.as_str())
    );
    assert!(new.contains("\n    - path_regex: clusters/"), "{new}");
    assert_eq!(ensure_rules(Some(&new), &wanted()), None);
}

#[test]
fn ensure_rules_handles_empty_flow_and_missing_lists() {
    for existing in [
        "creation_rules:\n",
        "creation_rules: []\n",
        "stores: {}\n",
        "",
        "creation_rules: [{path_regex: a, age: b}]\n",
        "creation_rules:\n- age: x\n  path_regex: y",
        "creation_rules:",
        "creation_rules: [] # none yet",
        "creation_rules: [{path_regex: '[a]', age: b}] # [x]\n",
    ] {
        let new = ensure_rules(Some(existing), &wanted()).unwrap_or_else(|| panic!("{existing:?}"));
        let c = cfg(&new);
        let regexes: Vec<_> = c
            .rules
            .iter()
            .filter_map(|r| r.path_regex.clone())
            .collect();
        assert!(
            regexes.ends_with(&[wanted()[0].0.clone(), wanted()[1].0.clone()]),
            "{existing:?} → {new}"
        );
    }
    // Unparsable input is never overwritten.
    assert_eq!(ensure_rules(Some("creation_rules: [\n"), &wanted()), None);
    assert!(
        try_ensure_rules(Some("creation_rules: [\n"), &wanted())
            .unwrap_err()
            .span
            .is_some()
    );
}
