//! `${VAR}` and `env()`: talenv.yaml and the encrypted talenv.sops.yaml through import and
//! run. The hard rule: a secret from talenv.sops.yaml reaches the encrypted machine configs
//! and no tracked file, no script and no diagnostic.

use crate::configs::Repo;
use std::path::Path;

const TOKEN: &str = "q7n3xk.h2c9v0z5w8m4r1t6";
const WG_KEY: &str = "cHJpdmF0ZWtleXByaXZhdGVrZXlwcml2YXRla2V5MTI=";

const TALCONFIG: &str = r#"clusterName: lab
endpoint: https://${VIP}:6443
talosVersion: v1.10.0
kubernetesVersion: v1.33.0
nodes:
  - hostname: cp-1
    ipAddress: 10.0.0.11
    controlPlane: true
    installDisk: /dev/sda
    networkInterfaces:
      - interface: eth0
        mtu: ${MTU}
        dhcp: true
        vip:
          ip: ${VIP}
      - interface: wg0
        addresses: [10.8.0.1/24]
        wireguard:
          privateKey: ${WG_KEY}
          listenPort: 51820
controlPlane:
  patches:
    - "@./patches/token.yaml"
    - |-
      machine:
        token: ${MACHINE_TOKEN}
"#;

/// A repository with a talconfig whose secrets are in an encrypted talenv.sops.yaml.
fn repo() -> Repo {
    let r = Repo::empty();
    r.write(
        ".sops.yaml",
        &format!(
            "creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    age: {}\n",
            r.recipient
        ),
    );
    r.write("c/talconfig.yaml", TALCONFIG);
    r.write("c/talenv.yaml", "VIP: 10.0.0.10\nMTU: \"9000\"\n");
    r.write(
        "c/talenv.sops.yaml",
        &format!("MACHINE_TOKEN: {TOKEN}\nWG_KEY: {WG_KEY}\n"),
    );
    r.write(
        "c/patches/token.yaml",
        "# the ${UNSET} in this comment is never read\ncluster:\n  token: ${MACHINE_TOKEN}\n",
    );
    r.run(&["encrypt", "-i", "c/talenv.sops.yaml"]).ok();
    assert!(!r.read("c/talenv.sops.yaml").contains(TOKEN));
    r
}

/// Every file under `dir` that holds `needle`, except SOPS-encrypted ones.
fn files_with(dir: &Path, needle: &str, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_with(&p, needle, out);
        } else if let Ok(text) = std::fs::read_to_string(&p)
            && text.contains(needle)
        {
            out.push(p.display().to_string());
        }
    }
}

#[test]
fn secret_from_talenv_sops_never_reaches_a_tracked_file() {
    let r = repo();
    r.run(&["import", "c/talconfig.yaml", "-o", "c/lab.rhai"])
        .ok();
    let script = r.read("c/lab.rhai");
    assert!(
        script.contains(r#"token: env("MACHINE_TOKEN")"#),
        "{script}"
    );
    assert!(script.contains(r#"private_key: env("WG_KEY")"#), "{script}");
    assert!(
        script.contains(r#""https://" + env("VIP") + ":6443""#),
        "{script}"
    );
    let run = r.run(&["run", "c/lab.rhai"]).ok();
    for secret in [TOKEN, WG_KEY] {
        let mut found = Vec::new();
        files_with(r.dir.path(), secret, &mut found);
        assert!(found.is_empty(), "secret in {found:?}");
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }
    let tc = r.read("c/lab/talos/talconfig.yaml");
    assert!(tc.contains("endpoint: https://${VIP}:6443"), "{tc}");
    assert!(tc.contains("privateKey: ${WG_KEY}"), "{tc}");
    let inline = r.read("c/lab/talos/patches/inline-2.yaml");
    assert!(inline.contains("token: ${MACHINE_TOKEN}"), "{inline}");
    // The secrets did reach the machine config, encrypted.
    let dec = r
        .run(&["decrypt", "c/lab/talos/clusterconfig/lab-cp-1.sops.yaml"])
        .ok();
    assert!(dec.stdout.contains(TOKEN) && dec.stdout.contains(WG_KEY));
    // talforge's genconfig on the talconfig run wrote, with the same env files, renders the
    // same config as on the original.
    for f in ["talenv.yaml", "talenv.sops.yaml"] {
        r.write(&format!("c/lab/talos/{f}"), &r.read(&format!("c/{f}")));
    }
    let secrets = r.path("bundle.yaml");
    r.run(&["secrets", "gen", "-o", &secrets.display().to_string()])
        .ok();
    let gen_of = |tc: &str, out: &str| {
        r.run(&[
            "genconfig",
            "-c",
            tc,
            "-s",
            &secrets.display().to_string(),
            "-o",
            out,
            "--force",
        ])
        .ok();
        r.read(&format!("{out}/lab-cp-1.yaml"))
    };
    assert_eq!(
        gen_of("c/talconfig.yaml", "g1"),
        gen_of("c/lab/talos/talconfig.yaml", "g2")
    );
}

/// A secret the script turns into something `${NAME}` cannot stand for (here a number) is
/// refused by name, and nothing is written.
#[test]
fn a_secret_that_cannot_be_referenced_is_refused() {
    let r = repo();
    r.write(
        "c/lab.rhai",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443", talos: "v1.10.0" });
c.node("cp-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda",
    labels: #{ token: env("MACHINE_TOKEN").to_upper().to_lower() } })
 .interface("eth0", #{ mtu: parse_int(env("MTU")) });
"#,
    );
    // A label equal to the value is written as `${MACHINE_TOKEN}`: fine.
    r.run(&["check", "c/lab.rhai"]).ok();
    r.write(
        "c/talenv.sops.yaml",
        &format!("MACHINE_TOKEN: {TOKEN}\nWG_KEY: {WG_KEY}\nMTU: \"9000\"\n"),
    );
    r.write("c/talenv.yaml", "VIP: 10.0.0.10\n");
    r.run(&["encrypt", "-i", "c/talenv.sops.yaml"]).ok();
    let run = r.run(&["run", "c/lab.rhai"]).code(1);
    assert!(
        run.stderr
            .contains("would hold the value of the secret `MTU`"),
        "{}",
        run.stderr
    );
    assert!(!r.path("c/lab/talos/talconfig.yaml").exists());
}

/// A diagnostic quoting a secret value shows `******`.
#[test]
fn diagnostics_never_quote_a_secret() {
    let r = repo();
    r.write(
        "c/lab.rhai",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443", talos: "v1.10.0" });
c.node("cp-1", ip(env("MACHINE_TOKEN")), #{ control_plane: true, install_disk: "/dev/sda" });
"#,
    );
    let run = r.run(&["check", "c/lab.rhai"]).code(1);
    assert!(run.stderr.contains("invalid IP address"), "{}", run.stderr);
    assert!(!run.stderr.contains(TOKEN), "{}", run.stderr);
}

#[test]
fn env_reads_talenv_beside_the_script_and_takes_a_default() {
    let r = repo();
    r.write(
        "c/lab.rhai",
        r#"let c = cluster("lab", #{ endpoint: `https://${env("VIP")}:6443`, talos: "v1.10.0" });
assert_eq(env("NOT_SET_ANYWHERE", "x"), "x");
c.node("cp-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
c.node("cp-2", env("NOT_SET_ANYWHERE"), #{ control_plane: true, install_disk: "/dev/sda" });
"#,
    );
    let run = r.run(&["check", "c/lab.rhai"]).code(1);
    assert!(
        run.stderr
            .contains("environment variable `NOT_SET_ANYWHERE` is not set"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("lab.rhai:4"), "{}", run.stderr);
}
