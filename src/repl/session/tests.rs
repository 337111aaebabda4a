//! Session tests: a lab cluster in a fresh repository, driven through `execute`.

use super::*;
use crate::fs;

const LAB: &str = r#"
import "talos" as talos;
let c = cluster("lab", #{ endpoint: "https://10.0.0.11:6443", age: "AGE_RECIPIENT",
                         talos: "v1.13.9" });
c.bond("bond0", ["eth0", "eth1"], #{ mode: "802.3ad", dhcp: true });
fn host(i) { `lab-${i}` }
for i in 1..=3 {
c.node(host(i), ip("10.0.0.10") + i, #{ control_plane: i == 1, install_disk: "/dev/sda" });
}
"#;

/// The lab script in a fresh repository, encrypted for a key generated here.
fn lab() -> (tempfile::TempDir, Session) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let ids = Identities::from_text(id.to_string().expose_secret(), "test");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let script = dir.path().join("lab.rhai");
    let text = LAB.replace("AGE_RECIPIENT", &id.to_public().to_string());
    std::fs::write(&script, text).unwrap();
    let mut s = Session::new(Limits::default()).with_identities(ids);
    let out = s.load(&script);
    assert!(!out.failed(), "{:?}", out.diagnostics);
    assert!(out.text.contains("1 cluster, 3 nodes"), "{}", out.text);
    (dir, s)
}

#[test]
fn statements_see_the_script_and_change_the_model() {
    let (_d, mut s) = lab();
    assert_eq!(s.execute("host(7)").text, "\"lab-7\"\n");
    assert_eq!(s.execute("c.name").text, "\"lab\"\n");
    assert_eq!(s.execute("c.name;").text, "");
    assert_eq!(s.execute("print(c.name);").text, "lab\n");
    let out = s.execute("c.node(host(4), \"10.0.0.14\", #{ install_disk: \"/dev/sdb\" });");
    assert!(!out.failed(), "{:?}", out.diagnostics);
    let table = s.execute(":nodes").text;
    assert!(table.contains("lab-4"), "{table}");
    assert!(table.contains("4 nodes"), "{table}");
    // The cluster default bond reached the new node too.
    let row = table.lines().find(|l| l.starts_with("lab-4")).unwrap();
    assert!(row.contains("bond0(eth0,eth1) 802.3ad"), "{row}");
    assert!(row.contains("/dev/sdb") && row.contains("worker"), "{row}");
}

#[test]
fn nodes_table_has_the_columns() {
    let (_d, mut s) = lab();
    let t = s.execute(":nodes").text;
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].starts_with("HOSTNAME"), "{t}");
    for col in ["ROLE", "IP", "DISK", "BOND"] {
        assert!(lines[0].contains(col), "{t}");
    }
    assert!(lines[1].starts_with("lab-1"));
    assert!(lines[1].contains("controlplane"));
    assert!(lines[1].contains("10.0.0.11"));
    assert_eq!(lines.last(), Some(&"3 nodes"));
}

#[test]
fn show_finds_nodes_and_parts_with_hints() {
    let (_d, mut s) = lab();
    assert_eq!(
        s.execute(":show lab-2 machine.install.disk").text,
        "/dev/sda\n"
    );
    let whole = s.execute(":show lab-1").text;
    assert!(whole.starts_with("version: v1alpha1\n"), "{whole}");
    assert!(whole.contains("\n    type: controlplane\n"), "{whole}");
    assert!(
        whole.contains("    token: '******'\n"),
        "redacted secrets: {whole}"
    );
    assert_eq!(
        s.execute(":show lab-1 BondConfig/bond0.links").text,
        "- eth0\n- eth1\n"
    );
    // The talconfig entry is one path away.
    assert_eq!(
        s.execute(":show lab-1 talconfig.networkInterfaces.bond0.bond.interfaces")
            .text,
        "- eth0\n- eth1\n"
    );
    assert!(
        s.execute(":show lab-3 talconfig")
            .text
            .starts_with("hostname: lab-3\n")
    );
    let tc = s.execute(":talconfig").text;
    assert!(tc.starts_with("clusterName: lab\n"), "{tc}");
    assert!(tc.contains("  - hostname: lab-3\n"), "{tc}");
    let e = s.execute(":show lab-9");
    assert_eq!(e.diagnostics[0].message, "no node `lab-9`");
    assert_eq!(e.diagnostics[0].hints, vec!["did you mean `lab-1`?"]);
    let e = s.execute(":show lab-2 machine.instal");
    assert_eq!(
        e.diagnostics[0].message,
        "no `machine.instal` in the machine config of `lab-2`"
    );
    assert_eq!(
        e.diagnostics[0].hints,
        vec!["did you mean `machine.install`?"]
    );
}

#[test]
fn several_clusters_name_their_nodes() {
    let mut s = Session::new(Limits::default());
    assert!(s.execute(":nodes").text.starts_with("no nodes yet"));
    let out = s.execute(
        r#"for x in ["a", "b"] {
let n = if x == "a" { 0 } else { 1 };
let c = cluster(x, #{ endpoint: `https://10.${n}.0.10:6443` });
c.node("n1", `10.${n}.0.11`, #{ control_plane: true, install_disk: "/dev/sda" });
}"#,
    );
    assert!(!out.failed(), "{:?}", out.diagnostics);
    let t = s.execute(":nodes").text;
    assert!(t.starts_with("CLUSTER  HOSTNAME"), "{t}");
    assert!(t.ends_with("2 nodes in 2 clusters\n"), "{t}");
    let e = s.execute(":show n1");
    assert_eq!(
        e.diagnostics[0].message,
        "node `n1` is in clusters `a` and `b`"
    );
    assert_eq!(e.diagnostics[0].hints, vec!["name one: `a/n1`"]);
    assert_eq!(
        s.execute(":show b/n1 machine.install.disk").text,
        "/dev/sda\n"
    );
}

#[test]
fn errors_are_reports_and_the_session_survives() {
    let (_d, mut s) = lab();
    let out = s.execute("c.node(\"x\", \"10.0.0.99\", #{ instal_disk: \"/dev/sda\" });");
    assert!(out.failed());
    let text = out.report(Format::Human, false);
    assert!(text.contains("<repl:1>"), "{text}");
    assert!(text.contains("instal_disk"), "{text}");
    let out = s.execute("let = 3;");
    assert!(out.failed());
    assert!(s.execute(":nodes").text.contains("lab-3"));
    let bad = s.execute(":frob");
    assert_eq!(bad.diagnostics[0].message, "unknown command `:frob`");
}

#[test]
fn load_failure_keeps_the_model_and_reload_retries() {
    let (dir, mut s) = lab();
    let script = dir.path().join("lab.rhai");
    let good = std::fs::read_to_string(&script).unwrap();
    std::fs::write(&script, "let c = cluster(").unwrap();
    let out = s.execute(":reload");
    assert!(out.failed());
    assert!(s.execute(":nodes").text.contains("lab-1"));
    std::fs::write(&script, good.replace("1..=3", "1..=2")).unwrap();
    let out = s.execute(":reload");
    assert!(out.text.contains("2 nodes"), "{}", out.text);
    let out = Session::new(Limits::default()).execute(":reload");
    assert_eq!(out.diagnostics[0].message, "no script to reload");
}

#[test]
fn render_diff_and_validate_use_the_plan() {
    let (dir, mut s) = lab();
    // A fresh repository: the preview generates secrets in memory, so every file a first
    // run writes shows up; the diff decrypts new configs but never prints the secrets.
    let render = s.execute(":render").text;
    for f in [
        "lab/talos/talconfig.yaml",
        "lab/talos/talsecret.sops.yaml",
        "lab/talos/clusterconfig/lab-lab-1.sops.yaml",
    ] {
        assert!(render.contains(&format!("{f}\n")), "{f}: {render}");
    }
    assert!(render.contains("10 files, 10 would change\n"), "{render}");
    let d = s.execute(":diff").text;
    assert!(d.contains("lab/talos/talconfig.yaml\n@@ -0,0 +1,"), "{d}");
    assert!(
        d.contains("lab/talos/talsecret.sops.yaml would be created (its content is not shown)"),
        "{d}"
    );
    assert!(
        d.contains("lab/talos/clusterconfig/lab-lab-2.sops.yaml (decrypted)\n@@ -0,0 +1,"),
        "{d}"
    );
    assert!(d.contains("+    type: worker\n"), "{d}");
    assert!(
        d.contains(
            "lab/talos/clusterconfig/talosconfig would be created (its content is not shown)"
        ),
        "{d}"
    );
    // What `talforge run` does, so the secrets and encrypted configs exist.
    let ev = s.model().unwrap().clone();
    let opts = RunOptions {
        identities: Some(s.identities().clone()),
        ..RunOptions::default()
    };
    let plan = pipeline::plan_evaluated(ev, &opts).unwrap();
    for f in &plan.files {
        fs::write_atomic(&f.path, f.content.as_bytes(), f.mode).unwrap();
    }
    let again = s.execute(":render").text;
    assert!(again.contains(" files, 0 would change\n"), "{again}");
    assert!(!again.contains("stale"), "{again}");
    assert!(
        again.contains("lab/talos/clusterconfig/lab-lab-3.sops.yaml\n"),
        "{again}"
    );
    // The talosconfig holds the admin key: a diff says it changes, never how.
    std::fs::remove_file(dir.path().join("lab/talos/clusterconfig/talosconfig")).unwrap();
    let d = s.execute(":diff").text;
    assert!(
        d.contains(
            "lab/talos/clusterconfig/talosconfig would be created (its content is not shown)"
        ),
        "{d}"
    );
    let tc = plan
        .files
        .iter()
        .find(|f| f.path.ends_with("talosconfig"))
        .unwrap();
    fs::write_atomic(&tc.path, tc.content.as_bytes(), tc.mode).unwrap();
    let gi = dir.path().join("lab/talos/.gitignore");
    let original = std::fs::read_to_string(&gi).unwrap();
    std::fs::write(&gi, original.replace(".talenv\n", "stale\n")).unwrap();
    let d = s.execute(":diff").text;
    assert!(d.contains("-stale\n+.talenv\n"), "{d}");
    assert!(d.contains("lab/talos/.gitignore"), "{d}");
    assert!(
        s.execute(":diff lab-1")
            .text
            .starts_with("no changes in 2 files")
    );
    // A change to one node: its config decrypted against the new one, and talconfig.
    let out = s
        .execute("c.patch(\"lab-2\", \"lab2\", #{ machine: #{ sysctls: #{ \"vm.x\": \"1\" } } });");
    assert!(!out.failed(), "{:?}", out.diagnostics);
    let d = s.execute(":diff lab-2").text;
    assert!(
        d.contains("lab/talos/clusterconfig/lab-lab-2.sops.yaml (decrypted)\n+++ b"),
        "{d}"
    );
    assert!(d.contains("+        vm.x: \"1\"\n"), "{d}");
    assert!(d.contains("lab/talos/talconfig.yaml\n@@ "), "{d}");
    assert!(!d.contains("lab-lab-1"), "{d}");
    // the lab's 802.3ad bond has no miimon/updelay/downdelay: Talos v1.13's three warnings
    assert_eq!(
        s.execute(":validate").text,
        "ok: 1 cluster, 3 nodes, 3 warnings\n"
    );
    // Machine-config rules apply too, on the configs as patched.
    s.execute(r#"c.patch(all, "name", #{ machine: #{ network: #{ hostname: "x" } } });"#);
    let v = s.execute(":validate");
    assert!(
        v.diagnostics[0]
            .message
            .starts_with("the machine config of `lab-1` is invalid"),
        "{:?}",
        v.diagnostics
    );
    s.execute("c.node(\"lab-1\", \"10.0.0.50\", #{ install_disk: \"/dev/sda\" });");
    let v = s.execute(":validate");
    assert!(v.failed(), "a duplicate hostname must fail validation");
}

#[test]
fn funcs_lists_docs_by_prefix() {
    let mut s = Session::new(Limits::default());
    let all = s.execute(":funcs").text;
    assert!(all.contains("cluster(name,"), "{all}");
    assert!(all.contains("talos::lacp_bond("), "{all}");
    let one = s.execute(":funcs vip").text;
    assert!(one.starts_with("cluster.vip(ip)\n"), "{one}");
    assert!(one.contains("example:"), "{one}");
    let talos = s.execute(":funcs talos::").text;
    assert!(
        talos
            .lines()
            .filter(|l| !l.starts_with(' '))
            .all(|l| l.starts_with("talos::"))
    );
    assert!(s.execute(":funcs zzz").text.starts_with("no function"));
}

#[test]
fn quit_and_help() {
    let mut s = Session::new(Limits::default());
    assert!(s.execute(":quit").quit);
    assert!(s.execute(":help").text.contains(":show NODE [PATH]"));
    assert_eq!(s.execute("  ").text, "");
}
