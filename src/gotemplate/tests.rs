use super::{Value, is_template, map, render};

fn data() -> Value {
    map([(
        "MachineConfig".to_string(),
        map([(
            "MachineInstall".to_string(),
            map([(
                "InstallImage".to_string(),
                Value::String("factory.talos.dev/installer-secureboot/abc:v1.13.9".into()),
            )]),
        )]),
    )])
}

#[test]
fn talhelper_template_forms_render() {
    // The forms seen in real talconfigs' nodeLabels and nodeAnnotations.
    let cases = [
        (
            "{{ .MachineConfig.MachineInstall.InstallImage }}",
            "factory.talos.dev/installer-secureboot/abc:v1.13.9",
        ),
        (
            "{{\n  .MachineConfig.MachineInstall.InstallImage |\n  contains \"installer-secureboot\"\n}}",
            "true",
        ),
        (
            "{{ .MachineConfig.MachineInstall.InstallImage | contains \"metal-installer\" }}",
            "false",
        ),
        (
            "{{ .MachineConfig.MachineInstall.InstallImage | trimPrefix \"factory.talos.dev/\" | splitList \":\" | last }}",
            "v1.13.9",
        ),
        ("{{ \"\" | default \"none\" }}", "none"),
        ("{{ \"a-b\" | replace \"-\" \"_\" | upper }}", "A_B"),
        ("no template", "no template"),
    ];
    for (text, want) in cases {
        assert_eq!(render(text, &data()).as_deref(), Ok(want), "{text}");
    }
}

#[test]
fn a_field_the_config_lacks_is_an_error_as_in_go() {
    let e = render("{{ .MachineConfig.Nope }}", &data()).unwrap_err();
    assert!(e.message.contains("Nope"), "{e}");
}

#[test]
fn an_unknown_function_is_named() {
    let e = render("{{ sha256sum \"x\" }}", &data()).unwrap_err();
    assert!(e.message.contains("sha256sum"), "{e}");
}

#[test]
fn templates_are_recognised_as_talhelper_does() {
    assert!(is_template("{{ .X }}"));
    assert!(is_template("a }} b"));
    assert!(!is_template("plain { value }"));
}
