//! The UI-free REPL core: a live script engine, the current model, and the `:`-commands.
// `Diagnostic` is the error type of every step; boxing it only here would add noise.
#![allow(clippy::result_large_err)]

use super::command::{self, Command};
use super::{files, view};
use crate::diag::plural;
use crate::diag::report::{self, Format};
use crate::diag::{Diagnostic, Sources};
use crate::pipeline::{self, Failure, Plan, Problem, RunOptions};
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
        self.model.get_or_init(|| self.live.evaluated()).as_ref()
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
                Ok(ev) => match view::find_node(&ev.fleet, &node)
                    .map_err(Problem::from)
                    .and_then(|(c, n)| view::show(c, n, path.as_deref()))
                {
                    Ok(text) => Output::text(text),
                    Err(p) => {
                        // A patch error points into the patch file: added to the sources here.
                        let mut sources = ev.sources.clone();
                        let d = p.report(&mut sources);
                        Output::fail(vec![d], sources)
                    }
                },
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

/// The plan's findings: the configs it made or could not verify without the key were
/// validated by the plan itself.
fn validate(plan: Plan) -> Output {
    Output {
        text: validate_summary(&plan, plan.warnings.len()),
        diagnostics: plan.warnings,
        sources: plan.evaluated.sources,
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
mod tests;
