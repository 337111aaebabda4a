//! Every example script, and the fleet rules that span several clusters.

use crate::support::{Test, repo, run_in};

#[test]
fn every_example_checks() {
    let root = repo();
    let mut targets: Vec<String> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "rhai"))
        .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    targets.sort();
    assert!(targets.len() >= 4, "{targets:?}");
    for t in targets {
        let out = run_in(
            &root,
            &["check".into(), t.clone(), "--deny-warnings".into()],
            &[],
        );
        assert_eq!(out.code, 0, "{t}: {}{}", out.stdout, out.stderr);
    }
}

#[test]
fn fleet_directory_runs_every_cluster_and_skips_modules() {
    let root = repo();
    let out = run_in(&root, &["check".into(), "examples/fleet".into()], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "examples/fleet: 6 clusters, 22 nodes, ok"
    );
}

const TWO: &str = r#"
fn lab(name, net, id) {
    let n = cidr(net);
    let c = cluster(name, #{ endpoint: `https://${n.host(10)}:6443`, pod_nets: [`10.${id}.0.0/16`], talos: "v1.12.0" });
    c.cilium_ready(#{ id: id });
    c.node(`${name}-1`, n.host(11), #{ control_plane: true, install_disk: "/dev/sda" });
    c
}
"#;

fn fleet_error(script: &str, needle: &str) {
    let t = Test::new()
        .file("f.rhai", &format!("{TWO}\n{script}"))
        .args(["check", "f.rhai"]);
    let out = t.run().code(1);
    assert!(
        out.stderr.contains(needle),
        "wanted `{needle}` in:\n{}",
        out.stderr
    );
}

#[test]
fn fleet_rules() {
    fleet_error(
        "lab(\"a\", \"10.1.0.0/24\", 1); lab(\"a\", \"10.2.0.0/24\", 2);",
        "duplicate cluster name `a`",
    );
    fleet_error(
        "lab(\"a\", \"10.1.0.0/24\", 1); lab(\"b\", \"10.2.0.0/24\", 1);",
        "clusters `a` and `b` both use Cilium cluster id 1",
    );
    fleet_error(
        "lab(\"a\", \"10.1.0.0/24\", 1); lab(\"b\", \"10.1.0.0/24\", 2);",
        "address `10.1.0.11` is used by node `b-1` of cluster `b` and by node `a-1` of cluster `a`",
    );
    // Pod networks 10.3.0.0/16 and 10.3.0.0/16 through a shared id base are a mesh conflict.
    let t = Test::new()
        .file(
            "f.rhai",
            &format!(
                "{TWO}\nlab(\"a\", \"10.1.0.0/24\", 3);\nlet c = cluster(\"b\", #{{ endpoint: \"https://10.2.0.10:6443\", pod_nets: [\"10.3.128.0/17\"], talos: \"v1.12.0\" }});\nc.cilium_ready(#{{ id: 4 }});\nc.node(\"b-1\", \"10.2.0.11\", #{{ control_plane: true, install_disk: \"/dev/sda\" }});\n"
            ),
        )
        .args(["check", "f.rhai"]);
    let out = t.run().code(1);
    assert!(
        out.stderr.contains(
            "pod network `10.3.128.0/17` of cluster `b` overlaps `10.3.0.0/16` of cluster `a`"
        ),
        "{}",
        out.stderr
    );
}

/// Default pod networks overlap in every pair of clusters; only clusters that reach each
/// other's pods (a shared `mesh`) hear about it.
#[test]
fn pod_networks_overlap_only_matters_inside_a_mesh() {
    let two = |mesh_a: &str, mesh_b: &str| {
        format!(
            "let a = cluster(\"a\", #{{ endpoint: \"https://10.1.0.11:6443\", talos: \"v1.12.0\"{mesh_a} }});\n\
             a.node(\"a-1\", \"10.1.0.11\", #{{ control_plane: true, install_disk: \"/dev/sda\" }});\n\
             let b = cluster(\"b\", #{{ endpoint: \"https://10.2.0.11:6443\", talos: \"v1.12.0\"{mesh_b} }});\n\
             b.node(\"b-1\", \"10.2.0.11\", #{{ control_plane: true, install_disk: \"/dev/sda\" }});\n"
        )
    };
    let check = |script: String| {
        Test::new()
            .file("f.rhai", &script)
            .args(["check", "f.rhai", "--diagnostic-format", "short"])
            .run()
            .ok()
    };
    let unrelated = check(two("", ""));
    assert_eq!(unrelated.stderr, "", "unrelated clusters: no warning");
    let other_meshes = check(two(", mesh: \"east\"", ", mesh: \"west\""));
    assert_eq!(other_meshes.stderr, "");
    let meshed = check(two(", mesh: \"lab\"", ", mesh: \"lab\""));
    assert!(
        meshed.stderr.contains(
            "warning: pod network `10.244.0.0/16` of cluster `b` overlaps `10.244.0.0/16` of cluster `a`"
        ),
        "{}",
        meshed.stderr
    );
}

#[test]
fn site_module_next_to_the_script_wins_over_the_stdlib() {
    let t = Test::new()
        .file("talos.rhai", "fn names(p, n) { [\"local\"] }\n")
        .file(
            "s.rhai",
            "import \"talos\" as talos;\nassert_eq(talos::names(\"x\", 2), [\"local\"]);\n",
        )
        .args(["check", "s.rhai"]);
    let out = t.run().ok();
    assert!(out.stdout.contains("0 clusters"), "{}", out.stdout);
}

#[test]
fn unknown_module_is_reported_at_the_import() {
    let t = Test::new()
        .file("s.rhai", "import \"nope\" as n;\n")
        .args(["check", "s.rhai"]);
    let out = t.run().code(1);
    assert!(
        out.stderr.contains("module `nope` not found"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("s.rhai:1:8"), "{}", out.stderr);
}
