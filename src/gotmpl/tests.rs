//! Go `text/template` semantics on the cases talhelper's templates meet.

use super::{Fields, Value, render};

fn fields(sb: bool, uki: bool) -> Vec<(&'static str, Value)> {
    vec![
        ("Mode", Value::Str("metal".into())),
        ("Secureboot", Value::Bool(sb)),
        ("UseUKI", Value::Bool(uki)),
        ("Suffix", Value::Str(".iso".into())),
        ("Version", Value::Str("1.5.4".into())),
        ("RegistryURL", Value::Str("  myregistry.com".into())),
    ]
}

fn r(t: &str) -> Result<String, String> {
    render(t, &Fields(&fields(false, false)))
}

#[test]
fn fields_conditions_and_trimming() {
    let t = "{{.Mode}}{{if .Secureboot}}-secureboot{{end}}{{if and .Secureboot .UseUKI}}-uki.efi{{ else }}{{.Suffix}}{{end}}";
    let f = |sb, uki| render(t, &Fields(&fields(sb, uki))).unwrap();
    assert_eq!(f(false, false), "metal.iso");
    assert_eq!(f(true, false), "metal-secureboot.iso");
    assert_eq!(f(true, true), "metal-secureboot-uki.efi");
    assert_eq!(
        r("a {{- if eq .Mode \"metal\" }} m {{- else if .UseUKI}}u{{else}}x{{end -}} b").unwrap(),
        "a mb"
    );
    assert_eq!(r("{{not .Secureboot}}").unwrap(), "true");
    assert_eq!(r("x{{/* a comment */}}y").unwrap(), "xy");
}

#[test]
fn pipelines_parentheses_and_sprig_functions() {
    // talhelper's own TestGetInstallerURL template (pkg/talos/schematic_test.go@v3.1.16).
    let t = r#"{{ trim .RegistryURL }}/{{ or (hasPrefix "v" .Version) (print "v" .Version) }}"#;
    assert_eq!(r(t).unwrap(), "myregistry.com/v1.5.4");
    assert_eq!(r(r#"{{ .Mode | contains "met" }}"#).unwrap(), "true");
    assert_eq!(
        r(r#"{{ .Mode | upper | replace "M" "m" }}"#).unwrap(),
        "mETAL"
    );
    assert_eq!(
        r("{{ 123 }}-{{ true }}-{{ print 1 2 }}-{{ print \"a\" 1 }}").unwrap(),
        "123-true-1 2-a1"
    );
    assert_eq!(r(r#"{{ printf "%s-%d" .Mode 7 }}"#).unwrap(), "metal-7");
    assert_eq!(
        r(r#"{{ default "x" "" }}{{ default "x" .Mode }}"#).unwrap(),
        "xmetal"
    );
    assert_eq!(r("{{ `raw` }}{{ eq 1 2 1 }}").unwrap(), "rawtrue");
}

#[test]
fn what_it_cannot_evaluate_is_an_error() {
    assert!(r("{{.Nope}}").unwrap_err().contains("no field `.Nope`"));
    assert!(
        r("{{ .Mode | frobnicate }}")
            .unwrap_err()
            .contains("the function `frobnicate`")
    );
    assert!(
        r("{{ range .Mode }}{{ end }}")
            .unwrap_err()
            .contains("`{{range}}`")
    );
    assert!(r("{{ $x := 1 }}").unwrap_err().contains("variables"));
    assert!(r("{{if .Mode}}x").is_err());
    assert!(r("{{.Mode").is_err());
    assert!(r("{{ (print 1 }}").is_err());
    assert!(r("{{ not 1 2 }}").unwrap_err().contains("takes 1 argument"));
}
