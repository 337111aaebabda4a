//! Day-2 commands (issue 16) with the real binary: the offline admin kubeconfig.

use crate::configs::Repo;
use base64::Engine as _;
use talforge::yaml::{Yaml, parse_documents};
use x509_parser::prelude::{FromDer, X509Certificate};

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn der_of(pem_b64: &str) -> Vec<u8> {
    pem::parse(b64(pem_b64)).unwrap().into_contents()
}

/// The admin kubeconfig verifies against the Kubernetes CA in the bundle and carries the
/// identity Talos gives it; written 0600 only where git would not track it.
#[test]
fn kubeconfig_is_made_offline_from_the_bundle() {
    let r = Repo::infra();
    r.run(&["run", "clusters/infra.rhai"]).ok();
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("infra.kubeconfig");
    let out = r
        .run(&[
            "kubeconfig",
            "clusters/infra.rhai",
            "-o",
            &file.display().to_string(),
        ])
        .ok();
    assert_eq!(out.stdout, "");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let doc = &parse_documents(&text).unwrap()[0].value;
    let first = |k: &str| doc.get(k).and_then(Yaml::as_seq).unwrap()[0].clone();
    let s = |y: &Yaml, p: &str| y.get_path(p).and_then(Yaml::as_str).unwrap().to_string();
    assert_eq!(
        s(&first("clusters"), "cluster.server"),
        "https://10.25.11.10:6443"
    );
    assert_eq!(s(doc, "current-context"), "admin@infra");
    let bundle = talforge::secrets::sops::decrypt(
        &r.read("clusters/infra/talos/talsecret.sops.yaml"),
        &r.identities(),
    )
    .unwrap();
    let k8s_ca = bundle
        .get_path("certs.k8s.crt")
        .and_then(Yaml::as_str)
        .unwrap();
    assert_eq!(
        s(&first("clusters"), "cluster.certificate-authority-data"),
        k8s_ca
    );
    let ca_der = der_of(k8s_ca);
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    let crt_der = der_of(&s(&first("users"), "user.client-certificate-data"));
    let (_, crt) = X509Certificate::from_der(&crt_der).unwrap();
    crt.verify_signature(Some(ca.public_key()))
        .expect("signed by the Kubernetes CA");
    assert_eq!(crt.subject().to_string(), "O=system:masters, CN=admin");
    // Stdout, for a pipe into kubectl.
    let printed = r.run(&["kubeconfig", "clusters/infra.rhai"]).ok();
    assert!(
        printed.stdout.starts_with("apiVersion: v1\nclusters:\n"),
        "{}",
        printed.stdout
    );
    // Inside the repository and not ignored: refused.
    let refused = r
        .run(&["kubeconfig", "clusters/infra.rhai", "-o", "kubeconfig"])
        .code(1);
    assert!(
        refused
            .stderr
            .contains("refusing to write the admin kubeconfig into `.`"),
        "{}",
        refused.stderr
    );
    assert!(!r.path("kubeconfig").exists());
    // From the talconfig, as talhelper users name their cluster.
    let from_tc = r
        .run(&["kubeconfig", "-c", "clusters/infra/talos/talconfig.yaml"])
        .ok();
    assert!(
        from_tc.stdout.contains("name: admin@infra"),
        "{}",
        from_tc.stdout
    );
    // Without the key: what is missing, not a panic.
    let keyless = r
        .run_without_key(&["kubeconfig", "clusters/infra.rhai"])
        .code(1);
    assert!(
        keyless.stderr.contains("talsecret.sops.yaml"),
        "{}",
        keyless.stderr
    );
    let typo = r
        .run(&["kubeconfig", "clusters/infra.rhai", "--cluster", "infr"])
        .code(1);
    assert!(
        typo.stderr.contains("did you mean `infra`?"),
        "{}",
        typo.stderr
    );
}

/// talhelper's worked example (commands.md A, without the node of two addresses and the
/// secure-boot worker group): `gencommand -c` prints talhelper's lines byte for byte.
const DEMO: &str = "clusterName: demo
talosVersion: v1.12.0
kubernetesVersion: v1.35.0
endpoint: https://10.0.0.10:6443
nodes:
  - hostname: cp-1
    ipAddress: 10.0.0.11
    controlPlane: true
    installDisk: /dev/sda
  - hostname: cp-2
    ipAddress: 10.0.0.12
    controlPlane: true
    installDisk: /dev/sda
    schematic:
      customization:
        extraKernelArgs:
          - net.ifnames=0
        systemExtensions:
          officialExtensions:
            - siderolabs/intel-ucode
  - hostname: w-1
    ipAddress: 10.0.0.21
    installDisk: /dev/nvme0n1
  - hostname: w-2
    ipAddress: 10.0.0.22
    installDisk: /dev/nvme0n1
    talosImageURL: ghcr.io/example/installer
";

#[test]
fn gencommand_prints_talhelpers_lines_for_a_talconfig() {
    let r = Repo::empty();
    r.write("talconfig.yaml", DEMO);
    let out = |args: &[&str]| {
        let mut all = vec!["gencommand"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-c", "talconfig.yaml"]);
        r.run(&all).ok().stdout
    };
    let tc = "--talosconfig=./clusterconfig/talosconfig";
    let id = "9e8cc193609699825d61c039c7738d81cf29c7b20f2a91d8f5c540511b9ea0b4";
    let vanilla = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
    assert_eq!(
        out(&["apply"]),
        format!(
            "talosctl apply-config {tc} --nodes=10.0.0.11 --file=./clusterconfig/demo-cp-1.yaml;\n\
             talosctl apply-config {tc} --nodes=10.0.0.12 --file=./clusterconfig/demo-cp-2.yaml;\n\
             talosctl apply-config {tc} --nodes=10.0.0.21 --file=./clusterconfig/demo-w-1.yaml;\n\
             talosctl apply-config {tc} --nodes=10.0.0.22 --file=./clusterconfig/demo-w-2.yaml;\n"
        )
    );
    assert_eq!(
        out(&[
            "apply",
            "-n",
            "w-1",
            "-o",
            "out",
            "--extra-flags=--insecure,--mode=reboot"
        ]),
        "talosctl apply-config --talosconfig=out/talosconfig --nodes=10.0.0.21 --file=out/demo-w-1.yaml --insecure --mode=reboot;\n"
    );
    assert_eq!(
        out(&["upgrade", "-n", "cp-2", "--extra-flags=--preserve"]),
        format!(
            "talosctl upgrade {tc} --nodes=10.0.0.12 --image=factory.talos.dev/metal-installer/{id}:v1.12.0 --preserve;\n"
        )
    );
    assert_eq!(
        out(&["upgrade", "-n", "cp-1", "-n", "w-2"]),
        format!(
            "talosctl upgrade {tc} --nodes=10.0.0.11 --image=factory.talos.dev/metal-installer/{vanilla}:v1.12.0;\n\
             talosctl upgrade {tc} --nodes=10.0.0.22 --image=ghcr.io/example/installer:v1.12.0;\n"
        )
    );
    assert_eq!(
        out(&["bootstrap"]),
        format!("talosctl bootstrap {tc} --nodes=10.0.0.11;\n")
    );
    assert_eq!(
        out(&["bootstrap", "-n", "cp-2", "--extra-flags=--insecure"]),
        format!("talosctl bootstrap {tc} --insecure --nodes=10.0.0.12;\n")
    );
    assert_eq!(
        out(&["kubeconfig"]),
        format!("talosctl kubeconfig {tc} --nodes=10.0.0.11;\n")
    );
    assert_eq!(
        out(&["upgrade-k8s"]),
        format!("talosctl upgrade-k8s {tc} --to=v1.35.0 --nodes=10.0.0.11;\n")
    );
    assert_eq!(
        out(&["health", "-n", "cp-2"]),
        format!("talosctl health {tc} --nodes=cp-2;\n")
    );
    assert_eq!(
        out(&["reset", "-n", "10.0.0.22"]),
        format!("talosctl reset {tc} --nodes=10.0.0.22;\n")
    );
    let worker = r
        .run(&[
            "gencommand",
            "upgrade-k8s",
            "-n",
            "w-1",
            "-c",
            "talconfig.yaml",
        ])
        .code(1);
    assert!(
        worker.stderr.contains("`w-1` is a worker"),
        "{}",
        worker.stderr
    );
    let none = r
        .run(&["gencommand", "reset", "-n", "w-3", "-c", "talconfig.yaml"])
        .code(1);
    assert!(
        none.stderr.contains("did you mean `w-1`?"),
        "{}",
        none.stderr
    );
}

/// `gencommand apply | bash` with a stand-in talosctl that records its arguments and stdin:
/// every node gets its decrypted config, and nothing plaintext lands on disk.
#[test]
fn gencommand_apply_runs_with_nothing_plaintext_written() {
    let r = Repo::infra();
    r.run(&["run", "clusters/infra.rhai"]).ok();
    let before = crate::support::snapshot(r.dir.path());
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("calls");
    std::fs::create_dir(&record).unwrap();
    let stub = bin.path().join("talosctl");
    std::fs::write(
        &stub,
        format!(
            "#!/bin/sh\nn=$(ls {rec} | grep -c args)\nprintf '%s\\n' \"$@\" > {rec}/$n.args\ncat > {rec}/$n.stdin\n",
            rec = record.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(crate::support::bin(), bin.path().join("talforge")).unwrap();
    let lines = r
        .run(&["gencommand", "apply", "clusters/infra.rhai", "--insecure"])
        .ok()
        .stdout;
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap()
    );
    let ran = std::process::Command::new("bash")
        .current_dir(r.dir.path())
        .env("PATH", path)
        .env("SOPS_AGE_KEY_FILE", &r.key_file)
        .arg("-c")
        .arg(&lines)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let hosts = ["cp-1", "cp-2", "cp-3", "wk-1", "wk-2", "wk-3"];
    for (i, h) in hosts.iter().enumerate() {
        let args = std::fs::read_to_string(record.join(format!("{i}.args"))).unwrap();
        assert_eq!(
            args,
            format!(
                "apply-config\n--talosconfig=clusters/infra/talos/clusterconfig/talosconfig\n--nodes=10.25.11.{}\n--file=/dev/stdin\n--insecure\n",
                11 + i
            )
        );
        let stdin = std::fs::read_to_string(record.join(format!("{i}.stdin"))).unwrap();
        let got = parse_documents(&stdin).unwrap();
        let want = r.decrypt(&format!(
            "clusters/infra/talos/clusterconfig/infra-infra-{h}.sops.yaml"
        ));
        assert_eq!(got.len(), want.len(), "{h}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(&g.value, w, "{h}");
        }
    }
    assert_eq!(
        crate::support::snapshot(r.dir.path()),
        before,
        "nothing written in the repository"
    );
}
