//! Key order: patched and rendered configs come out in Talos' field order.

use super::*;

#[test]
fn new_keys_come_out_in_talos_order() {
    exact(
        "version: v1alpha1
machine:
  type: controlplane
  token: t
  certSANs: []
  nodeLabels:
    zone: a
cluster:
  controlPlane:
    endpoint: https://c:6443
  clusterName: c
",
        &["cluster:
  allowSchedulingOnControlPlanes: true
  network:
    cni:
      name: none
machine:
  kubelet:
    extraMounts:
      - options: [bind, rshared, rw]
        source: /var/lib/rook
        type: bind
        destination: /var/lib/rook
  install:
    disk: /dev/nvme0n1
  nodeLabels:
    a10: x
    a2: y
persist: true
"],
        r#"version: v1alpha1
persist: true
machine:
    type: controlplane
    token: t
    certSANs: []
    kubelet:
        extraMounts:
            - destination: /var/lib/rook
              type: bind
              source: /var/lib/rook
              options:
                - bind
                - rshared
                - rw
    install:
        disk: /dev/nvme0n1
        wipe: null
    nodeLabels:
        a2: "y"
        a10: x
        zone: a
cluster:
    controlPlane:
        endpoint: https://c:6443
    clusterName: c
    network:
        cni:
            name: none
        dnsDomain: ""
        podSubnets: []
        serviceSubnets: []
    allowSchedulingOnControlPlanes: true
"#,
    );
}

#[test]
fn golden_configs_are_in_talos_order_and_pass_the_check() {
    for role in ["controlplane", "worker"] {
        let rel = format!("talos-examples/gen-v1.12-base-{role}.yaml");
        let Some(text) = crate::testutil::oracle_text(&rel) else {
            return;
        };
        let golden = docs(&text);
        assert_eq!(golden.len(), 2);
        let mut reordered = golden.clone();
        reordered.iter_mut().for_each(reorder);
        assert_eq!(emit(&reordered), emit(&golden), "{role}");
        check_documents(&golden).unwrap_or_else(|(i, e)| panic!("{role} doc {i}: {e}"));
        // A no-op patch leaves the golden config byte-identical.
        let out = apply(golden.clone(), &patch("machine:\n  type: ''\n")).unwrap();
        assert_eq!(emit(&out), emit(&golden));
    }
}

#[test]
fn rendered_configs_already_have_talos_shape() {
    // `apply` re-shapes every document as Talos re-marshals it; the machine renderer's
    // output must come through unchanged, for v1.12 documents and legacy interfaces alike.
    use crate::model::{Bond, Cluster, Cni, InstallDisk, Interface, Node, Role, Version, parse_ip};
    let Some(text) = crate::testutil::oracle_text("talos-examples/gen-input-secrets.yaml") else {
        return;
    };
    let secrets =
        crate::secrets::bundle::Bundle::from_yaml(&docs(&text).remove(0)).expect("test secrets");
    for talos in ["v1.12.0", "v1.11.0"] {
        let v = |s: &str| Version::parse(s).unwrap();
        let mut c = Cluster::new("infra", "https://10.25.11.10:6443", v(talos), v("v1.35.0"));
        c.cni = Cni::None;
        let mut n = Node::new("cp-1", parse_ip("10.25.11.11").unwrap(), Role::ControlPlane);
        n.install = Some(InstallDisk::Path("/dev/nvme0n1".into()));
        n.interfaces = vec![Interface {
            bond: Some(Bond {
                links: vec!["enp0s1".into(), "enp0s2".into()],
                mode: Some("802.3ad".into()),
                ..Bond::default()
            }),
            mtu: Some(9000),
            dhcp: true,
            ..Interface::new("bond0")
        }];
        let rendered = crate::talos::generate::render_node(&c, &n, &secrets).unwrap();
        let out = apply(rendered.clone(), &patch("machine:\n  type: ''\n")).unwrap();
        assert_eq!(emit(&out), emit(&rendered), "{talos}");
        check_documents(&rendered).unwrap_or_else(|(i, e)| panic!("{talos} doc {i}: {e}"));
    }
}
