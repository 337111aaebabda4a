//! The UI-free REPL core: a live script engine, the current model, and the `:`-commands.
// `Diagnostic` is the error type of every step; boxing it only here would add noise.
#![allow(clippy::result_large_err)]

use super::command::{self, Command};
use super::{files, view};
use crate::diag::plural;
use crate::diag::report::{self, Format};
use crate::diag::{Diagnostic, Sources};
use crate::pipeline::{self, Failure, Plan, RunOptions};
use crate::script::{Evaluated, Limits, Live, docs};
use crate::secrets::keys::Identities;
use crate::talhelper;
use crate::yaml::{EmitOptions, emit_documents};
use std::cell::OnceCell;
use std::path::{Path, PathBuf};

/// What one input produced: text for stdout and diagnostics for stderr.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Normal output, newline-terminated when not empty.
    pub text: String,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts the diagnostics point into.
    pub sources: Sources,
    /// The input asked to leave.
    pub quit: bool,
}

impl Output {
    fn text(text: impl Into<String>) -> Output {
        Output {
            text: text.into(),
            ..Output::default()
        }
    }

    fn fail(diagnostics: Vec<Diagnostic>, sources: Sources) -> Output {
        Output {
            diagnostics,
            sources,
            ..Output::default()
        }
    }

    fn error(d: Diagnostic) -> Output {
        Output::fail(vec![d], Sources::default())
    }

    /// Whether any diagnostic is an error.
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics rendered for stderr (ariadne reports in the human format).
    pub fn report(&self, format: Format, color: bool) -> String {
        report::render_all(&self.diagnostics, &self.sources, format, color)
    }
}

/// A REPL session: the script's engine with its scope and functions, and the model they built.
pub struct Session {
    live: Live,
    limits: Limits,
    /// The script `:reload` runs; set by `:load` even when that load fails.
    script: Option<PathBuf>,
    model: OnceCell<Result<Evaluated, Failure>>,
    names: OnceCell<Vec<String>>,
    /// Age identities for `:render` and `:diff`; found in the environment on first use.
    identities: OnceCell<Identities>,
}

impl Session {
    /// A session with no script and an empty model.
    pub fn new(limits: Limits) -> Session {
        Session {
            live: Live::new(&limits),
            limits,
            script: None,
            model: OnceCell::new(),
            names: OnceCell::new(),
            identities: OnceCell::new(),
        }
    }

    /// Uses these age identities instead of the ones in the environment (for tests and
    /// embedding).
    pub fn with_identities(self, ids: Identities) -> Session {
        let _ = self.identities.set(ids);
        self
    }

    fn identities(&self) -> &Identities {
        self.identities.get_or_init(Identities::discover)
    }

    /// Runs one line (or a multi-line block): a `:`-command or Rhai statements.
    pub fn execute(&mut self, input: &str) -> Output {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Output::default();
        }
        if trimmed.starts_with(':') {
            return match trimmed.parse::<Command>() {
                Ok(c) => self.command(c),
                Err(d) => Output::error(d),
            };
        }
        self.invalidate();
        let result = self.live.eval(input);
        let warnings = self.live.take_warnings();
        let mut text = self.live.take_printed();
        match result {
            Ok(value) => {
                // A trailing `;` hides the value, as in most REPLs: `c.node(...);` adds a node
                // without echoing its handle.
                let quiet = input.trim_end().ends_with(';');
                if let Some(v) = value.filter(|_| !quiet) {
                    text.push_str(&v);
                    text.push('\n');
                }
                Output {
                    text,
                    diagnostics: warnings,
                    sources: self.live.sources(),
                    quit: false,
                }
            }
            Err(mut diags) => {
                diags.extend(warnings);
                Output {
                    text,
                    ..Output::fail(diags, self.live.sources())
                }
            }
        }
    }

    /// Runs a script, replacing the session; on failure the previous model stays.
    pub fn load(&mut self, path: &Path) -> Output {
        self.script = Some(path.to_path_buf());
        match Live::load(path, &self.limits) {
            Ok(mut live) => {
                let warnings = live.take_warnings();
                let printed = live.take_printed();
                self.live = live;
                self.invalidate();
                let summary = match self.model() {
                    Ok(ev) => {
                        let nodes: usize = ev.fleet.clusters.iter().map(|c| c.nodes.len()).sum();
                        format!(
                            "loaded {}: {} cluster{}, {nodes} node{}\n",
                            path.display(),
                            ev.fleet.clusters.len(),
                            plural(ev.fleet.clusters.len()),
                            plural(nodes)
                        )
                    }
                    Err(_) => format!("loaded {}\n", path.display()),
                };
                Output {
                    text: format!("{printed}{summary}"),
                    diagnostics: warnings,
                    sources: self.live.sources(),
                    quit: false,
                }
            }
            // Whatever the script printed before failing is lost with its engine; the error
            // says where it stopped.
            Err(f) => Output::fail(f.diagnostics, f.sources),
        }
    }

    fn invalidate(&mut self) {
        self.model = OnceCell::new();
    }

    /// The model as it stands (cached until the next Rhai input or load).
    pub fn model(&self) -> Result<&Evaluated, &Failure> {
        self.model
            .get_or_init(|| self.live.evaluated().map_err(Failure::from))
            .as_ref()
    }

    /// The files `run` would write for the current model. Not cached: it depends on the
    /// disk (existing secrets, files written since), which can change between commands.
    pub fn plan(&self) -> Result<Plan, Failure> {
        let ev = self.model().map_err(Clone::clone)?;
        // Check mode: what cannot be rendered without the age key is listed as stale instead
        // of failing, and nothing is written anyway.
        let opts = RunOptions {
            check: true,
            preview_new_secrets: true,
            identities: Some(self.identities().clone()),
            ..RunOptions::default()
        };
        pipeline::plan_evaluated(ev.clone(), &opts)
    }

    /// Every text diagnostics may point into.
    pub fn sources(&self) -> Sources {
        self.live.sources()
    }

    /// Host, stdlib and script function names plus variables in scope, for completion.
    pub fn names(&self) -> Vec<String> {
        let mut v = self.names.get_or_init(crate::script::engine_names).clone();
        v.extend(self.live.functions());
        v.extend(self.live.variables());
        v.sort();
        v.dedup();
        v
    }

    fn command(&mut self, c: Command) -> Output {
        match c {
            Command::Help => Output::text(command::help()),
            Command::Quit => Output {
                quit: true,
                ..Output::default()
            },
            Command::Load(p) => self.load(&p),
            Command::Reload => match self.script.clone() {
                Some(p) => self.load(&p),
                None => Output::error(
                    Diagnostic::error("no script to reload")
                        .with_hint("load one with `:load clusters/<name>.rhai`"),
                ),
            },
            Command::Nodes => self.with_model(|ev| Ok(view::nodes_table(&ev.fleet))),
            Command::Show { node, path } => match self.model() {
                Ok(ev) => {
                    // Rendering may add patch files to the sources its errors point into.
                    let mut sources = ev.sources.clone();
                    match view::find_node(&ev.fleet, &node)
                        .and_then(|(c, n)| view::show(c, n, path.as_deref(), &mut sources))
                    {
                        Ok(text) => Output::text(text),
                        Err(d) => Output::fail(vec![d], sources),
                    }
                }
                Err(f) => Output::fail(f.diagnostics.clone(), f.sources.clone()),
            },
            Command::Talconfig => self.with_model(|ev| Ok(talconfigs(ev))),
            Command::Render => self.with_plan(|p| files::render_table(p).map(Output::text)),
            Command::Diff(node) => self.with_plan(|p| {
                files::diff_files(p, node.as_deref(), self.identities()).map(Output::text)
            }),
            Command::Validate => match self.plan() {
                Ok(p) => validate(p),
                Err(f) => Output::fail(f.diagnostics, f.sources),
            },
            Command::Funcs(prefix) => Output::text(funcs(prefix.as_deref())),
        }
    }

    fn with_model(&self, f: impl FnOnce(&Evaluated) -> Result<String, Diagnostic>) -> Output {
        match self.model() {
            Ok(ev) => match f(ev) {
                Ok(text) => Output::text(text),
                Err(d) => Output::fail(vec![d], ev.sources.clone()),
            },
            Err(fail) => Output::fail(fail.diagnostics.clone(), fail.sources.clone()),
        }
    }

    fn with_plan(&self, f: impl FnOnce(&Plan) -> Result<Output, Diagnostic>) -> Output {
        match self.plan() {
            Ok(p) => f(&p).unwrap_or_else(Output::error),
            Err(fail) => Output::fail(fail.diagnostics, fail.sources),
        }
    }
}

fn talconfigs(ev: &Evaluated) -> String {
    let two = EmitOptions { indent: 2 };
    let many = ev.fleet.clusters.len() > 1;
    let mut out = String::new();
    for (i, c) in ev.fleet.clusters.iter().enumerate() {
        if many {
            if i > 0 {
                out.push_str("---\n");
            }
            out.push_str(&format!("# cluster {}\n", c.name));
        }
        out.push_str(&emit_documents(
            std::slice::from_ref(&talhelper::write::talconfig(c)),
            &two,
        ));
    }
    crate::secrets::redact::redact(&out)
}

/// The plan's findings, plus machine-config validation of the configs check mode could not
/// render (no secrets yet): placeholder secrets are enough to validate them.
fn validate(plan: Plan) -> Output {
    let mut sources = plan.evaluated.sources.clone();
    let mut errors = Vec::new();
    let mut warnings = plan.warnings.clone();
    if !plan.stale.is_empty() {
        for c in &plan.evaluated.fleet.clusters {
            crate::pipeline::configs::validate_only(c, &mut sources, &mut errors, &mut warnings);
        }
    }
    if !errors.is_empty() {
        return Output::fail(errors.into_iter().chain(warnings).collect(), sources);
    }
    Output {
        text: validate_summary(&plan, warnings.len()),
        diagnostics: warnings,
        sources,
        quit: false,
    }
}

fn validate_summary(plan: &Plan, w: usize) -> String {
    let fleet = &plan.evaluated.fleet;
    let nodes: usize = fleet.clusters.iter().map(|c| c.nodes.len()).sum();
    format!(
        "ok: {} cluster{}, {nodes} node{}{}\n",
        fleet.clusters.len(),
        plural(fleet.clusters.len()),
        plural(nodes),
        if w > 0 {
            format!(", {w} warning{}", plural(w))
        } else {
            String::new()
        }
    )
}

/// The name a documented function is called by: `node` for `cluster.node(...)`,
/// `talos::lacp_bond` for stdlib functions.
fn doc_name(sig: &str) -> &str {
    let head = sig.split('(').next().unwrap_or(sig);
    match head.rsplit_once('.') {
        Some((_, m)) if !head.contains("::") => m,
        _ => head,
    }
}

fn funcs(prefix: Option<&str>) -> String {
    let all: Vec<docs::FnDoc> = docs::host_docs()
        .into_iter()
        .chain(docs::stdlib_docs())
        .collect();
    let matching: Vec<&docs::FnDoc> = all
        .iter()
        .filter(|d| {
            prefix
                .is_none_or(|p| d.signature.starts_with(p) || doc_name(&d.signature).starts_with(p))
        })
        .collect();
    if matching.is_empty() {
        return format!("no function starts with `{}`\n", prefix.unwrap_or(""));
    }
    let mut out = String::new();
    for d in &matching {
        out.push_str(&d.signature);
        out.push('\n');
        for line in d.summary.lines() {
            out.push_str(&format!("    {line}\n"));
        }
        // A single match is a question about that function: show how to call it too.
        if matching.len() == 1
            && let Some(ex) = &d.example
        {
            out.push_str("    example:\n");
            for line in ex.lines() {
                out.push_str(&format!("        {line}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs;

    const LAB: &str = r#"
import "talos" as talos;
let c = cluster("lab", #{ endpoint: "https://10.0.0.11:6443", age: "AGE_RECIPIENT" });
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
        let out = s.execute(
            "c.patch(\"lab-2\", \"lab2\", #{ machine: #{ sysctls: #{ \"vm.x\": \"1\" } } });",
        );
        assert!(!out.failed(), "{:?}", out.diagnostics);
        let d = s.execute(":diff lab-2").text;
        assert!(
            d.contains("lab/talos/clusterconfig/lab-lab-2.sops.yaml (decrypted)\n+++ b"),
            "{d}"
        );
        assert!(d.contains("+        vm.x: \"1\"\n"), "{d}");
        assert!(d.contains("lab/talos/talconfig.yaml\n@@ "), "{d}");
        assert!(!d.contains("lab-lab-1"), "{d}");
        assert_eq!(s.execute(":validate").text, "ok: 1 cluster, 3 nodes\n");
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
}
