//! talhelper's Go templates in `nodeLabels` and `nodeAnnotations` are rendered against the
//! node's machine config (its Go field names), as `talhelper genconfig` does; a broken
//! template is a diagnostic naming the key.

use crate::support::{Run, Test, run_in};

const TALCONFIG: &str = r#"clusterName: lab
talosVersion: v1.13.9
kubernetesVersion: v1.36.3
endpoint: https://10.0.0.11:6443
nodes:
  - hostname: lab-1
    ipAddress: 10.0.0.11
    controlPlane: true
    installDisk: /dev/sda
    talosImageURL: factory.talos.dev/installer-secureboot/abc
    nodeLabels:
      plain: "yes"
      secureboot: >-
        {{
          .MachineConfig.MachineInstall.InstallImage |
          contains "installer-secureboot"
        }}
    nodeAnnotations:
      installer-url: "{{ .MachineConfig.MachineInstall.InstallImage }}"
      cluster: "{{ .ClusterConfig.ClusterName }}"
"#;

fn genconfig(talconfig: &str) -> (Test, Run) {
    let t = Test::new().file("talconfig.yaml", talconfig);
    run_in(
        t.dir.path(),
        &["secrets", "gen", "-o", "bundle.yaml"].map(String::from),
        &[],
    )
    .code(0);
    let t = t.args([
        "genconfig",
        "-c",
        "talconfig.yaml",
        "-s",
        "bundle.yaml",
        "-o",
        "out",
        "--force",
    ]);
    let out = t.run();
    (t, out)
}

#[test]
fn label_and_annotation_templates_render_against_the_machine_config() {
    let (t, out) = genconfig(TALCONFIG);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = t.read("out/lab-lab-1.yaml");
    for want in [
        "        plain: \"yes\"\n",
        "        secureboot: \"true\"\n",
        "        installer-url: factory.talos.dev/installer-secureboot/abc:v1.13.9\n",
        "        cluster: lab\n",
    ] {
        assert!(config.contains(want), "missing {want:?} in\n{config}");
    }
    assert!(!config.contains("{{"), "{config}");
}

#[test]
fn a_broken_template_names_its_key_and_writes_nothing() {
    let broken = TALCONFIG.replace(
        "{{ .ClusterConfig.ClusterName }}",
        "{{ .ClusterConfig.NoSuchField }}",
    );
    let (t, out) = genconfig(&broken);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("machine.nodeAnnotations.cluster")
            && out.stderr.contains("NoSuchField"),
        "{}",
        out.stderr
    );
    assert!(!t.path("out/lab-lab-1.yaml").exists());
}
