//! The steps one by one, on scripts in a fresh repository: their outputs are plain data.

use super::*;
use crate::fs;
use crate::script::evaluate_source;
use age::secrecy::ExposeSecret;

/// Two clusters: `a` encrypted for a key made here, `b` without a recipient of its own (the
/// rules `a` adds to `.sops.yaml` cover it).
const TWO: &str = r#"
let a = cluster("a", #{ endpoint: "https://10.0.0.10:6443", age: "RECIPIENT" });
a.node("a1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
a.node("a2", "10.0.0.12", #{ install_disk: "/dev/sda" });
let b = cluster("b", #{ endpoint: "https://10.1.0.10:6443" });
b.node("b1", "10.1.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
"#;

struct Lab {
    dir: tempfile::TempDir,
    recipient: String,
    ids: Identities,
}

fn lab() -> Lab {
    let id = age::x25519::Identity::generate();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    Lab {
        recipient: id.to_public().to_string(),
        ids: Identities::from_text(id.to_string().expose_secret(), "test"),
        dir,
    }
}

impl Lab {
    fn load(&self, name: &str, text: &str) -> Evaluated {
        let path = self.dir.path().join(name);
        let text = text.replace("RECIPIENT", &self.recipient);
        std::fs::write(&path, &text).unwrap();
        evaluate_source(&path, &text, &Limits::default()).unwrap_or_else(|f| panic!("{f:?}"))
    }

    fn opts(&self, check: bool) -> RunOptions {
        RunOptions {
            check,
            identities: Some(self.ids.clone()),
            ..RunOptions::default()
        }
    }
}

fn names(files: &[OutFile], base: &Path) -> Vec<String> {
    files
        .iter()
        .map(|f| f.path.strip_prefix(base).unwrap().display().to_string())
        .collect()
}

#[test]
fn render_is_the_tree_and_placeholder_configs_with_fingerprints() {
    let lab = lab();
    let ev = lab.load("two.rhai", TWO);
    let r = render::render(&ev, &lab.opts(false)).unwrap();
    let base = fs::absolute(lab.dir.path());
    assert_eq!(r.layout.base, base);
    assert_eq!(r.layout.script_display, "two.rhai");
    assert!(
        r.sops_yaml
            .as_ref()
            .unwrap()
            .content
            .contains(&lab.recipient)
    );
    let [a, b] = r.clusters.as_slice() else {
        panic!("two clusters")
    };
    assert_eq!(
        names(&a.files, &base),
        [
            "a/talos/talconfig.yaml",
            "a/talos/.gitignore",
            "a/talos/clusterconfig/.gitignore"
        ]
    );
    assert!(a.sealed && a.warnings.is_empty());
    let cfg = a.nodes[0].config.as_ref().unwrap();
    assert_eq!(a.nodes[0].file_name, "a-a1.yaml");
    assert!(cfg.text.starts_with("version: v1alpha1\n"), "{}", cfg.text);
    // Placeholder secrets only: the bundle is not even read.
    assert!(cfg.text.contains("redact.edredactedredact"), "{}", cfg.text);
    let sealed = cfg.sealed.as_ref().unwrap();
    assert_eq!(sealed.name, "a-a1.sops.yaml");
    assert_eq!(sealed.recipients, std::slice::from_ref(&lab.recipient));
    let want = secrets::hex_sha256(format!("{}\n{}", cfg.text, lab.recipient).as_bytes());
    assert_eq!(sealed.fingerprint, want);
    assert_ne!(
        a.nodes[1]
            .config
            .as_ref()
            .unwrap()
            .sealed
            .as_ref()
            .unwrap()
            .fingerprint,
        sealed.fingerprint
    );
    assert!(b.sealed && b.warnings.is_empty());
    let again = render::render(&ev, &lab.opts(true)).unwrap();
    assert_eq!(again.clusters[0].nodes, a.nodes, "deterministic");
}

#[test]
fn without_any_recipient_only_the_plaintext_tree_is_made_and_every_node_validated() {
    let lab = lab();
    let text = r#"
let b = cluster("b", #{ endpoint: "https://10.1.0.10:6443" });
b.node("b1", "10.1.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
b.patch(all, "name", #{ machine: #{ network: #{ hostname: "x" } } });
"#;
    let ev = lab.load("b.rhai", text);
    let r = render::render(&ev, &lab.opts(false)).unwrap();
    let b = &r.clusters[0];
    assert!(r.sops_yaml.is_none());
    assert!(!b.sealed);
    assert!(b.nodes[0].config.as_ref().unwrap().sealed.is_none());
    assert!(b.warnings[0].message.contains("has no age recipient"));
    // `check` says nothing about what it would not write anyway.
    let quiet = render::render(&ev, &lab.opts(true)).unwrap();
    assert!(quiet.clusters[0].warnings.is_empty());
    // The config is still validated: the patch makes it invalid.
    let f = seal::seal(&ev, &r, &lab.opts(false)).unwrap_err();
    assert!(
        f.diagnostics[0]
            .message
            .starts_with("the machine config of `b1` is invalid"),
        "{:?}",
        f.diagnostics
    );
    assert!(
        f.diagnostics
            .iter()
            .any(|d| d.message.contains("has no age recipient"))
    );
}

#[test]
fn seal_adds_secrets_configs_talosconfig_and_state_in_write_order() {
    let lab = lab();
    let ev = lab.load("two.rhai", TWO);
    let opts = lab.opts(false);
    let r = render::render(&ev, &opts).unwrap();
    let sealed = seal::seal(&ev, &r, &opts).unwrap();
    let base = fs::absolute(lab.dir.path());
    assert_eq!(
        names(&sealed.files, &base),
        [
            ".sops.yaml",
            "a/talos/talconfig.yaml",
            "a/talos/.gitignore",
            "a/talos/clusterconfig/.gitignore",
            "a/talos/talsecret.sops.yaml",
            "a/talos/clusterconfig/a-a1.sops.yaml",
            "a/talos/clusterconfig/a-a2.sops.yaml",
            "a/talos/clusterconfig/talosconfig",
            "a/talos/clusterconfig/talforge-state.yaml",
            "b/talos/talconfig.yaml",
            "b/talos/.gitignore",
            "b/talos/clusterconfig/.gitignore",
            "b/talos/talsecret.sops.yaml",
            "b/talos/clusterconfig/b-b1.sops.yaml",
            "b/talos/clusterconfig/talosconfig",
            "b/talos/clusterconfig/talforge-state.yaml",
        ]
    );
    let state = &sealed.files[8].content;
    let fp = &r.clusters[0].nodes[0]
        .config
        .as_ref()
        .unwrap()
        .sealed
        .as_ref()
        .unwrap()
        .fingerprint;
    assert!(state.contains(&format!("rendered: {fp}")), "{state}");
    assert!(sealed.warnings.iter().all(|w| !w.is_error()));
    for f in &sealed.files {
        fs::write_atomic(&f.path, f.content.as_bytes(), f.mode).unwrap();
    }
    // A second run keeps every encrypted file as it is.
    let again = plan_evaluated(ev, &opts).unwrap();
    for f in &again.files {
        assert_eq!(
            fs::change_of(f).unwrap(),
            fs::Change::Unchanged,
            "{:?}",
            f.path
        );
    }
}

#[test]
fn a_failing_patch_is_reported_once_in_its_file_in_cluster_order() {
    let lab = lab();
    std::fs::write(
        lab.dir.path().join("bad.yaml"),
        "machine:\n  kubelet:\n    extraArgz: {}\n",
    )
    .unwrap();
    let text = r#"
for x in ["a", "b", "c"] {
    let n = if x == "a" { 0 } else if x == "b" { 1 } else { 2 };
    let c = cluster(x, #{ endpoint: `https://10.${n}.0.10:6443`, age: "RECIPIENT" });
    c.node(`${x}1`, `10.${n}.0.11`, #{ control_plane: true, install_disk: "/dev/sda" });
    c.node(`${x}2`, `10.${n}.0.12`, #{ install_disk: "/dev/sda" });
    c.patch(`${x}2`, "bad", "bad.yaml");
}
"#;
    let ev = lab.load("three.rhai", text);
    let opts = lab.opts(true);
    let r = render::render(&ev, &opts).unwrap();
    for c in &r.clusters {
        assert!(c.nodes[0].config.is_ok());
        let p = c.nodes[1].config.as_ref().unwrap_err();
        assert_eq!(p.message(), "unknown field `machine.kubelet.extraArgz`");
    }
    let f = plan_evaluated(ev, &opts).unwrap_err();
    let errors: Vec<&Diagnostic> = f.diagnostics.iter().filter(|d| d.is_error()).collect();
    let hosts: Vec<&str> = errors.iter().map(|d| d.notes[1].as_str()).collect();
    assert_eq!(
        hosts,
        [
            "while patching the machine config of `a2`",
            "while patching the machine config of `b2`",
            "while patching the machine config of `c2`"
        ]
    );
    // All three point into the one registered patch file.
    let bad = errors[0].span.as_ref().unwrap().source;
    assert!(f.sources.path(bad).ends_with("bad.yaml"));
    for d in errors {
        let span = d.span.as_ref().unwrap();
        assert_eq!(span.source, bad);
        assert_eq!(f.sources.line_col(span.source, span.range.start), (3, 5));
    }
}

#[test]
fn check_stops_at_errors_and_the_next_failure_keeps_its_warnings_last() {
    let lab = lab();
    let dup = r#"
let c = cluster("c", #{ endpoint: "https://10.0.0.10:6443" });
c.node("n", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });
c.node("n", "10.0.0.12", #{ install_disk: "/dev/sda" });
"#;
    let f = check::check(&lab.load("dup.rhai", dup)).unwrap_err();
    assert!(f.diagnostics[0].is_error(), "{:?}", f.diagnostics);
    let ok = check::check(&lab.load("two.rhai", TWO)).unwrap();
    assert!(ok.iter().all(|d| !d.is_error()));
    let later = Failure {
        sources: Sources::default(),
        diagnostics: vec![Diagnostic::error("e"), Diagnostic::warning("own")],
    };
    let merged = later.after(vec![Diagnostic::warning("earlier")]);
    let order: Vec<&str> = merged
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(order, ["e", "earlier", "own"]);
}

#[test]
fn problems_in_secret_files_are_registered_masked() {
    let text = "cluster:\n  secret: c2VjcmV0\n";
    let p = Problem::in_secret_file(
        Diagnostic::error("bad"),
        "talsecret.yaml",
        text,
        Some(10..16),
    );
    let mut sources = Sources::default();
    let d = p.report(&mut sources);
    let id = d.span.unwrap().source;
    assert_eq!(sources.path(id), Path::new("talsecret.yaml"));
    assert!(sources.masked(id).is_some_and(|m| !m.is_empty()));
    // Without a range there is no place and nothing is registered.
    let p = Problem::in_secret_file(Diagnostic::error("bad"), "other.yaml", text, None);
    assert!(p.report(&mut sources).span.is_none());
    assert!(sources.find(Path::new("other.yaml")).is_none());
}
