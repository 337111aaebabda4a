//! An engine kept alive between inputs (the REPL): its scope, the functions defined so far,
//! imported modules and the model the host functions have built.

use super::builder::Shared;
use super::engine::{build_engine, engine_names};
use super::{Evaluated, Failure, Limits, finish};
use crate::diag::io_cause;
use crate::diag::{Diagnostic, Sources};
use rhai::{AST, Dynamic, Engine, EvalAltResult, Position, Scope, Stmt};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A script evaluated piece by piece: every input sees the variables, functions and imports of
/// the ones before it, and host calls keep adding to the same fleet.
pub struct Live {
    engine: Engine,
    shared: Shared,
    scope: Scope<'static>,
    /// Functions defined so far; statements are cleared after each input.
    fns: AST,
    /// Source name (script path or `<repl:N>`) each function was defined in, so an error
    /// inside an earlier function points into the right text.
    fn_origin: HashMap<String, String>,
    /// `to_debug(__v)`, compiled once, to print results the way Rhai's `debug` does.
    show_ast: AST,
    script: Option<PathBuf>,
    inputs: usize,
    warnings_seen: usize,
    /// What `print` and `debug` wrote since the last [`Live::take_printed`].
    printed: Arc<Mutex<String>>,
}

impl Live {
    /// An empty session: no clusters, relative paths resolve against the working directory.
    pub fn new(limits: &Limits) -> Live {
        let shared = Shared::default();
        shared.lock().script_dir = PathBuf::from(".");
        let mut engine = build_engine(&shared, limits);
        // The session decides where output goes: collect `print` and `debug` with the result.
        let printed = Arc::new(Mutex::new(String::new()));
        let sink = printed.clone();
        engine.on_print(move |s| push_line(&sink, s));
        let sink = printed.clone();
        engine.on_debug(move |s, _, _| push_line(&sink, s));
        let show_ast = engine.compile("to_debug(__v)").unwrap_or_default();
        Live {
            engine,
            shared,
            scope: Scope::new(),
            fns: AST::empty(),
            fn_origin: HashMap::new(),
            show_ast,
            script: None,
            inputs: 0,
            warnings_seen: 0,
            printed,
        }
    }

    /// Reads and runs a script, keeping its scope and functions for later inputs.
    pub fn load(path: &Path, limits: &Limits) -> Result<Live, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let mut d = Diagnostic::error(format!(
                "cannot read script `{}`: {}",
                path.display(),
                io_cause(&e)
            ));
            if path.is_dir() {
                d = d.with_hint(
                    "the REPL explores one script at a time; name one, e.g. `clusters/infra.rhai`",
                );
            }
            Failure {
                sources: Sources::default(),
                diagnostics: vec![d],
            }
        })?;
        let mut live = Live::new(limits);
        let display = path.display().to_string();
        {
            let mut b = live.shared.lock();
            b.main_source = b.sources.add(display.clone(), text.clone());
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            b.script_dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
        }
        live.script = Some(path.to_path_buf());
        match live.run(&display, &text) {
            Ok(_) => Ok(live),
            Err(diagnostics) => Err(Failure {
                sources: live.sources(),
                diagnostics,
            }),
        }
    }

    /// The script this session was loaded from.
    pub fn script(&self) -> Option<&Path> {
        self.script.as_deref()
    }

    /// Runs one input; returns what it evaluated to (in `debug` form), or `None` for `()`.
    pub fn eval(&mut self, input: &str) -> Result<Option<String>, Vec<Diagnostic>> {
        self.inputs += 1;
        let name = format!("<repl:{}>", self.inputs);
        self.shared.lock().sources.add(name.clone(), input);
        self.run(&name, input)
    }

    fn run(&mut self, name: &str, text: &str) -> Result<Option<String>, Vec<Diagnostic>> {
        let ast = match self.engine.compile_with_scope(&self.scope, text) {
            Ok(ast) => ast,
            Err(e) => {
                let err = EvalAltResult::ErrorParsing(*e.0, e.1);
                return Err(vec![self.diagnose(name, &err)]);
            }
        };
        for f in ast.iter_functions() {
            self.fn_origin.insert(f.name.to_string(), name.to_string());
        }
        self.fns += ast.clone();
        self.fns.set_source(name);
        let result = self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &self.fns);
        self.fns.clear_statements();
        // Imports are statements and vanish with them; keep the modules for later inputs.
        self.keep_imports(&ast);
        match result {
            Ok(v) if v.is_unit() => Ok(None),
            Ok(v) => Ok(Some(self.show(v))),
            Err(err) => {
                let err = self.relocate(*err, name);
                Err(vec![self.diagnose(name, &err)])
            }
        }
    }

    fn show(&self, v: Dynamic) -> String {
        let mut scope = Scope::new();
        scope.push("__v", v.clone());
        self.engine
            .eval_ast_with_scope::<String>(&mut scope, &self.show_ast)
            .unwrap_or_else(|_| v.to_string())
    }

    fn keep_imports(&mut self, ast: &AST) {
        for stmt in ast.statements() {
            let Stmt::Import(x, pos) = stmt else { continue };
            let (expr, alias) = &**x;
            let Some(path) = expr.get_literal_value(None) else {
                continue;
            };
            let Ok(path) = path.into_immutable_string() else {
                continue;
            };
            if alias.name.is_empty() {
                continue;
            }
            let resolved = self
                .engine
                .module_resolver()
                .resolve(&self.engine, None, &path, *pos);
            if let Ok(module) = resolved {
                self.engine
                    .register_static_module(alias.name.as_str(), module);
            }
        }
    }

    /// Rhai names the source of the running input for every function error; point errors
    /// raised inside a function from an earlier input at the input that defined it.
    fn relocate(&self, err: EvalAltResult, current: &str) -> EvalAltResult {
        match err {
            EvalAltResult::ErrorInFunctionCall(fname, src, inner, pos) => {
                let inner = Box::new(self.relocate(*inner, current));
                let src = match self.fn_origin.get(&fname) {
                    Some(origin) if (src.is_empty() || src == current) && origin != current => {
                        origin.clone()
                    }
                    _ => src,
                };
                EvalAltResult::ErrorInFunctionCall(fname, src, inner, pos)
            }
            other => other,
        }
    }

    fn diagnose(&self, name: &str, err: &EvalAltResult) -> Diagnostic {
        let sources = self.sources();
        crate::script::error::from_eval_error(&sources, name, err, &engine_names())
    }

    /// Every text diagnostics may point into: the script, its modules and each input.
    pub fn sources(&self) -> Sources {
        self.shared.lock().sources.clone()
    }

    /// What the script printed (`print`, `debug`) since the last call.
    pub fn take_printed(&mut self) -> String {
        std::mem::take(&mut *self.printed.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Warnings host functions raised since the last call.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let b = self.shared.lock();
        let new = b.warnings[self.warnings_seen.min(b.warnings.len())..].to_vec();
        self.warnings_seen = b.warnings.len();
        new
    }

    /// The model as it stands, finished as after a full run (defaults applied to nodes).
    pub fn evaluated(&self) -> Result<Evaluated, Failure> {
        let b = self.shared.lock();
        let script = self
            .script
            .clone()
            .unwrap_or_else(|| PathBuf::from("repl.rhai"));
        match finish::finish(b.fleet.clone()) {
            Ok(fleet) => Ok(Evaluated {
                cluster_scripts: vec![script.clone(); fleet.clusters.len()],
                fleet,
                sources: b.sources.clone(),
                warnings: b.warnings.clone(),
                script,
            }),
            Err(diagnostics) => Err(Failure {
                sources: b.sources.clone(),
                diagnostics,
            }),
        }
    }

    /// Names of the variables in scope, for completion.
    pub fn variables(&self) -> Vec<String> {
        self.scope
            .iter_raw()
            .map(|(n, _, _)| n.to_string())
            .collect()
    }

    /// Names of the functions the script and the inputs defined, for completion.
    pub fn functions(&self) -> Vec<String> {
        let mut v: Vec<String> = self.fn_origin.keys().cloned().collect();
        v.sort();
        v
    }
}

fn push_line(sink: &Mutex<String>, s: &str) {
    let mut out = sink.lock().unwrap_or_else(|e| e.into_inner());
    out.push_str(s);
    out.push('\n');
}

/// Whether `text` is the start of a longer input: it ends inside a block, a call, a string
/// or an expression, so a REPL should keep reading lines.
pub fn is_incomplete(text: &str) -> bool {
    use rhai::ParseErrorType as P;
    thread_local! {
        static ENGINE: Engine = const { Engine::new_raw() };
    }
    if open_block_comment(text) {
        return true;
    }
    let Err(err) = ENGINE.with(|e| e.compile(text)) else {
        return false;
    };
    let at_end = at_or_after_end(text, err.1);
    match *err.0 {
        P::UnexpectedEOF => true,
        // Backtick strings may span lines; an open one means more is coming.
        P::BadInput(rhai::LexError::UnterminatedString) => text.matches('`').count() % 2 == 1,
        P::MissingToken(..) | P::UnknownOperator(..) | P::BadInput(..) => at_end,
        _ => false,
    }
}

/// Whether `text` ends inside a `/* */` comment (Rhai nests them, and parses an unclosed one
/// without complaint, so the parser cannot tell).
fn open_block_comment(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut i, mut depth, mut quote) = (0, 0usize, None::<u8>);
    while i < b.len() {
        let next = b.get(i + 1).copied();
        match (quote, b[i]) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), b'\\') => i += 1,
            (Some(_), _) => {}
            (None, b'"' | b'`' | b'\'') if depth == 0 => quote = Some(b[i]),
            (None, b'/') if next == Some(b'*') => {
                depth += 1;
                i += 1;
            }
            (None, b'*') if next == Some(b'/') && depth > 0 => {
                depth -= 1;
                i += 1;
            }
            (None, b'/') if next == Some(b'/') && depth == 0 => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    depth > 0
}

/// Whether a parse position lies at or past the last non-blank character of `text`.
fn at_or_after_end(text: &str, pos: Position) -> bool {
    let Some(line) = pos.line() else { return true };
    let trimmed = text.trim_end();
    let last_line = trimmed.lines().count().max(1);
    if line != last_line {
        return line > last_line;
    }
    let last_len = trimmed.lines().last().map_or(0, |l| l.chars().count());
    pos.position().is_none_or(|c| c > last_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_inputs_keep_reading() {
        for text in [
            "fn f(x) {",
            "fn f(x) {\n  let y = x +",
            "let a = [1, 2,",
            "c.node(\"a\",",
            "if true {",
            "let s = `abc",
            "/* a comment\n that goes on",
            "let a = 1; /* /* nested */",
        ] {
            assert!(is_incomplete(text), "{text:?} should be incomplete");
        }
        for text in [
            "1 + 1",
            "\"abc",
            "fn f(x) { x }",
            "let a = ;",
            "1 +* 2; let x = 1;",
            ":show a",
        ] {
            assert!(!is_incomplete(text), "{text:?} should be complete");
        }
    }

    #[test]
    fn scope_functions_and_imports_persist() {
        let mut live = Live::new(&Limits::default());
        assert_eq!(live.eval("let x = 40;").unwrap(), None);
        assert_eq!(live.eval("fn add2(v) { v + 2 }").unwrap(), None);
        assert_eq!(live.eval("add2(x)").unwrap().as_deref(), Some("42"));
        assert_eq!(live.eval("\"s\"").unwrap().as_deref(), Some("\"s\""));
        live.eval("print(`x=${x}`); debug(1);").unwrap();
        assert_eq!(live.take_printed(), "x=40\n1\n");
        assert_eq!(live.take_printed(), "");
        live.eval("import \"talos\" as talos;").unwrap();
        live.eval("let c = cluster(\"lab\", #{ endpoint: \"https://10.0.0.10:6443\" });")
            .unwrap();
        live.eval("talos::rook_ceph(c, \"common\");").unwrap();
        let ev = live.evaluated().unwrap();
        assert_eq!(ev.fleet.clusters[0].patches[0].name, "common");
        assert!(live.variables().contains(&"c".to_string()));
        assert_eq!(live.functions(), vec!["add2".to_string()]);
    }

    #[test]
    fn errors_point_into_the_input_that_defined_the_function() {
        let mut live = Live::new(&Limits::default());
        live.eval("fn boom() {\n  nope(1)\n}").unwrap();
        let d = live.eval("boom()").unwrap_err();
        let d = &d[0];
        assert!(d.message.contains("unknown function `nope"), "{d:?}");
        let sources = live.sources();
        let span = d.span.as_ref().unwrap();
        assert_eq!(sources.path(span.source), Path::new("<repl:2>"));
        assert!(d.notes[0].contains("<repl:1>:2:3"), "{:?}", d.notes);
    }
}
