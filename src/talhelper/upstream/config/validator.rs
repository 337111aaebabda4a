//! `pkg/config/validator_test.go`: the validator's helpers, through the checks that use them.

use super::super::Tally;
use super::super::support::{check_errors, cluster_at};
use crate::model::{Cidr, Version};
use crate::talos::patch::is_json_patch;
use crate::yaml::{Yaml, parse_documents};

pub(super) fn run(t: &mut Tally) {
    t.test("TestIsRFC6902List");
    let ops = parse_documents(
        "- op: add\n  path: /a/path\n  value: a value\n- op: remove\n  path: /a/path",
    )
    .expect("test YAML parses")
    .into_iter()
    .map(|d| d.value)
    .collect::<Vec<Yaml>>();
    t.eq("isRFC6902List", is_json_patch(&ops), true);

    t.test("TestIsSemVer");
    for (v, want) in [
        ("v1.2.3-4", true),
        ("1.2.3-444", true),
        ("v12.3", false),
        ("v1.2.3.4", false),
        ("v1.2.3", true),
    ] {
        t.eq(v, Version::parse(v).is_some(), want);
    }

    t.test("TestIsCIDRList");
    let cidrs = |l: &[&str]| l.iter().all(|c| Cidr::parse(c).is_some());
    t.eq("data1", cidrs(&["0.0.0.0/0", "1.2.3.4/24"]), true);
    t.eq("data2", cidrs(&["0.0.0.0/0", "1.2.3.4"]), false);

    t.test("TestIsDomain");
    for (d, want) in [
        ("adomain,test", false),
        ("adomain.test", true),
        ("adomain", true),
        ("adomain?", false),
    ] {
        // talhelper checks `domain` with it.
        let valid = errors(&format!("domain: \"{d}\"\n"), "").is_empty();
        t.eq(d, valid, want);
    }

    labels(t);
}

/// The errors of a one-node talconfig with `cluster` keys and `node` keys added.
fn errors(cluster: &str, node: &str) -> Vec<String> {
    let nodes = format!(
        "{cluster}nodes:\n  - hostname: n1\n    ipAddress: 10.0.0.1\n    controlPlane: true\n    installDisk: /dev/sda\n{node}"
    );
    let (_, d) = check_errors(&cluster_at("v1.12.0", &nodes));
    d.into_iter().map(|d| d.message).collect()
}

/// (name, key-value pairs, expect an error, also in the annotation table).
type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, bool, bool);

fn labels(t: &mut Tally) {
    let long = "a".repeat(64);
    let long_template = "{{ 'a' }}".repeat(64);
    // (name, key-value pairs, expect an error); labels and annotations share the rows
    // (upstream's annotation table has no invalid row).
    let rows: [Row; 6] = [
        (
            "single-no-template-value",
            vec![("valid-label", "valid-value")],
            false,
            true,
        ),
        (
            "single-no-template-value-invalid",
            vec![("valid-label", &long)],
            true,
            false,
        ),
        (
            "multiple-no-template-values",
            vec![
                ("valid-label1", "valid-value1"),
                ("valid-label2", "valid-value2"),
            ],
            false,
            true,
        ),
        (
            "single-template-values",
            vec![("valid-label", "{{ .Node.Hostname }}")],
            false,
            true,
        ),
        (
            "single-template-value-invalid-for-non-template",
            vec![("valid-label", &long_template)],
            false,
            true,
        ),
        (
            "mixed-values",
            vec![
                ("valid-label1", "valid-value1"),
                ("valid-label2", "valid-value2"),
                ("valid-label", "{{ .Node.Hostname }}"),
            ],
            false,
            true,
        ),
    ];
    for (key, test, with_annotations) in [
        ("nodeLabels", "TestCheckNodeLabels", false),
        ("nodeAnnotations", "TestCheckNodeAnnotations", true),
    ] {
        t.test(test);
        for (name, pairs, expect_error, in_annotations) in &rows {
            if with_annotations && !in_annotations {
                continue;
            }
            let mut node = format!("    {key}:\n");
            for (k, v) in pairs {
                let k = if with_annotations {
                    k.replace("label", "annotation")
                } else {
                    k.to_string()
                };
                node.push_str(&format!("      {k}: '{}'\n", v.replace('\'', "''")));
            }
            let errs = errors("", &node);
            t.eq(&format!("{name}: error"), !errs.is_empty(), *expect_error);
        }
    }
}
