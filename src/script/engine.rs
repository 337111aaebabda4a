//! The sandboxed Rhai engine: limits, module resolution (script dir, then stdlib), evaluation.

use super::api::{self, Target};
use super::builder::{Builder, HostError, Shared};
use super::error::RhaiError;
use super::{Evaluated, Failure, finish, stdlib};
use crate::diag::{Diagnostic, IntoDiagnostic, Sources};
use rhai::module_resolvers::ModuleResolver;
use rhai::{Dynamic, Engine, EvalAltResult, Module, Position, Scope, Shared as RhaiShared};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Resource limits for a script run; each exceeded limit becomes a diagnostic, not a hang.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Rhai operations (an infinite loop hits this within about a second).
    pub max_operations: u64,
    /// Nested function calls.
    pub max_call_levels: usize,
    /// Expression nesting depth.
    pub max_expr_depth: usize,
    /// Longest string, in bytes.
    pub max_string_size: usize,
    /// Longest array.
    pub max_array_size: usize,
    /// Largest map.
    pub max_map_size: usize,
    /// Imported modules.
    pub max_modules: usize,
    /// How deep imports may nest (module imports module ...).
    pub max_import_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // A 6000-node fleet script needs a few million operations.
            max_operations: 10_000_000,
            max_call_levels: 64,
            max_expr_depth: 64,
            max_string_size: 1024 * 1024,
            max_array_size: 10_000,
            max_map_size: 10_000,
            max_modules: 64,
            // Real scripts nest two or three deep; a long chain would overflow the stack
            // (around 300 levels in a debug build) and make an unreadable diagnostic.
            max_import_depth: 16,
        }
    }
}

/// Resolves `import "x"`: `x.rhai` next to the main script first, then the embedded stdlib.
struct Resolver {
    shared: Shared,
    /// The modules being evaluated right now, outermost first: an import of one of them is
    /// circular (Rhai would evaluate it again and again until the stack overflows).
    open: Mutex<Vec<Opened>>,
    /// How deep imports may nest (a long chain overflows the stack like a cycle).
    max_depth: usize,
}

/// A module whose evaluation is under way.
#[derive(Debug, Clone)]
struct Opened {
    /// The canonical file (or `<stdlib>/name`), to recognise the module however it is named.
    key: PathBuf,
    /// Its name in diagnostics.
    display: String,
    /// The top-level script that imported the first module (not a module itself).
    root: bool,
}

/// Pops what [`Resolver::enter`] pushed, however the module's evaluation ends.
struct Closing<'r>(&'r Mutex<Vec<Opened>>, usize);

impl Drop for Closing<'_> {
    fn drop(&mut self) {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let keep = open.len().saturating_sub(self.1);
        open.truncate(keep);
    }
}

/// Identity of a script or module file, the same however its path is written.
fn module_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn file_name(display: &str) -> String {
    Path::new(display)
        .file_name()
        .map_or_else(|| display.to_string(), |n| n.to_string_lossy().into_owned())
}

/// "circular import: `a.rhai` imports `b.rhai`, which imports `a.rhai` again".
fn cycle_error(cycle: &[Opened], display: &str) -> HostError {
    let message = if cycle.len() == 1 {
        format!("circular import: `{}` imports itself", file_name(display))
    } else {
        let mut m = format!(
            "circular import: `{}` imports",
            file_name(&cycle[0].display)
        );
        for o in &cycle[1..] {
            m.push_str(&format!(" `{}`, which imports", file_name(&o.display)));
        }
        m.push_str(&format!(" `{}` again", file_name(display)));
        m
    };
    HostError::new(message).hint(
        "a module cannot import itself, directly or through other modules; move what they share into a module that imports neither",
    )
}

impl Resolver {
    /// Marks the module `key` (named `display`, imported from the source named `importer`)
    /// as under way, or refuses the import when it closes a cycle or nests too deep.
    fn enter(
        &self,
        importer: Option<&str>,
        key: PathBuf,
        display: &str,
    ) -> Result<Closing<'_>, HostError> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let mut pushed = 0;
        // The script that starts the chain counts too, so a module importing the script is a
        // cycle (REPL inputs are not files and start no chain).
        if open.is_empty()
            && let Some(top) = importer.filter(|s| Path::new(s).is_file())
        {
            open.push(Opened {
                key: module_key(Path::new(top)),
                display: top.to_string(),
                root: true,
            });
            pushed += 1;
        }
        let refused = if let Some(i) = open.iter().position(|o| o.key == key) {
            Some(cycle_error(&open[i..], display))
        } else if open.iter().filter(|o| !o.root).count() >= self.max_depth {
            Some(
                HostError::new(format!(
                    "imports nest deeper than {} modules",
                    self.max_depth
                ))
                .hint("import the modules from the script instead of from each other"),
            )
        } else {
            None
        };
        if let Some(e) = refused {
            let keep = open.len() - pushed;
            open.truncate(keep);
            return Err(e);
        }
        open.push(Opened {
            key,
            display: display.to_string(),
            root: false,
        });
        Ok(Closing(&self.open, pushed + 1))
    }
}

impl ModuleResolver for Resolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<RhaiShared<Module>, Box<EvalAltResult>> {
        let dir = self.shared.lock().script_dir.clone();
        let local = dir.join(format!("{path}.rhai"));
        let (display, text) = if local.is_file() {
            match std::fs::read_to_string(&local) {
                Ok(t) => (local.display().to_string(), t),
                Err(e) => {
                    return Err(runtime(
                        HostError::new(format!("cannot read module `{}`: {e}", local.display())),
                        pos,
                    ));
                }
            }
        } else if let Some(m) = stdlib::find(path) {
            (format!("<stdlib>/{}.rhai", m.name), m.source.to_string())
        } else {
            let mut names: Vec<&str> = stdlib::STDLIB.iter().map(|m| m.name).collect();
            names.sort_unstable();
            return Err(runtime(
                HostError::new(format!("module `{path}` not found")).hint(format!(
                    "looked for `{}` and the embedded modules {}",
                    local.display(),
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                pos,
            ));
        };
        let key = if display.starts_with("<stdlib>/") {
            PathBuf::from(&display)
        } else {
            module_key(&local)
        };
        let _closing = self
            .enter(source, key, &display)
            .map_err(|e| runtime(e, pos))?;
        self.shared
            .lock()
            .sources
            .add(display.clone(), text.clone());
        let mut ast = engine.compile(&text).map_err(|e| {
            Box::new(EvalAltResult::ErrorInModule(
                display.clone(),
                Box::new(EvalAltResult::ErrorParsing(*e.0, e.1)),
                pos,
            ))
        })?;
        ast.set_source(display.clone());
        let module = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(|e| Box::new(EvalAltResult::ErrorInModule(display, e, pos)))?;
        Ok(module.into())
    }
}

#[allow(clippy::unnecessary_box_returns)] // Rhai raises and passes its errors boxed
fn runtime(err: HostError, pos: Position) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(err), pos))
}

/// Builds an engine whose host functions write into `shared`.
pub(crate) fn build_engine(shared: &Shared, limits: &Limits) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_modules(limits.max_modules)
        .set_module_resolver(Resolver {
            shared: shared.clone(),
            open: Mutex::new(Vec::new()),
            max_depth: limits.max_import_depth,
        });
    // Scripts print through diagnostics-free stderr so stdout stays machine-readable.
    engine.on_print(|s| eprintln!("{s}"));
    engine.on_debug(|s, _, _| eprintln!("{s}"));
    // `all`, `control_planes` and `workers` are patch targets visible everywhere, including
    // inside functions and modules (which cannot see the script's scope).
    #[allow(deprecated)] // volatile, not deprecated: the only hook for engine-wide constants
    engine.on_var(|name, _, _| {
        Ok(match name {
            "all" => Some(Dynamic::from(Target::All)),
            "control_planes" => Some(Dynamic::from(Target::ControlPlanes)),
            "workers" => Some(Dynamic::from(Target::Workers)),
            _ => None,
        })
    });
    api::register(&mut engine, shared);
    register_asserts(&mut engine);
    engine
}

fn register_asserts(engine: &mut Engine) {
    engine.register_fn("assert", |ctx: rhai::NativeCallContext, ok: bool| {
        if ok {
            Ok(())
        } else {
            api::raise(&ctx, HostError::new("assertion failed"))
        }
    });
    engine.register_fn(
        "assert",
        |ctx: rhai::NativeCallContext, ok: bool, msg: &str| {
            if ok {
                Ok(())
            } else {
                api::raise(&ctx, HostError::new(format!("assertion failed: {msg}")))
            }
        },
    );
    engine.register_fn(
        "assert_eq",
        |ctx: rhai::NativeCallContext, a: Dynamic, b: Dynamic| {
            let (l, r) = (format!("{a:?}"), format!("{b:?}"));
            if l == r {
                Ok(())
            } else {
                api::raise(
                    &ctx,
                    HostError::new(format!("assertion failed: {l} != {r}")),
                )
            }
        },
    );
}

/// Reads and evaluates a script file.
pub fn evaluate_file(path: &Path, limits: &Limits) -> Result<Evaluated, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => evaluate_source(path, &text, limits),
        Err(e) => Err(Failure {
            sources: Sources::default(),
            diagnostics: vec![
                Diagnostic::error(format!(
                    "cannot read script `{}`: {}",
                    path.display(),
                    crate::diag::io_cause(&e)
                ))
                .with_hint("check the path; scripts usually live in `clusters/<name>.rhai`"),
            ],
        }),
    }
}

/// Evaluates script text; `path` names it in diagnostics and anchors relative paths.
pub fn evaluate_source(path: &Path, text: &str, limits: &Limits) -> Result<Evaluated, Failure> {
    evaluate_source_with(path, text, limits, Sources::default())
}

/// Like [`evaluate_source`], adding to `sources` so several scripts share one source table.
pub fn evaluate_source_with(
    path: &Path,
    text: &str,
    limits: &Limits,
    sources: Sources,
) -> Result<Evaluated, Failure> {
    let shared = Shared::default();
    let display = path.display().to_string();
    {
        let mut b = shared.lock();
        b.sources = sources;
        b.main_source = b.sources.add(display.clone(), text.to_string());
        b.script_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if b.script_dir.as_os_str().is_empty() {
            b.script_dir = PathBuf::from(".");
        }
    }
    let engine = build_engine(&shared, limits);
    let result = engine
        .compile(text)
        .map_err(|e| Box::new(EvalAltResult::ErrorParsing(*e.0, e.1)))
        .and_then(|mut ast| {
            ast.set_source(display.clone());
            let mut scope = Scope::new();
            engine.run_ast_with_scope(&mut scope, &ast)
        });
    let mut builder = std::mem::take(&mut *shared.lock());
    drop(engine);
    if let Some(env) = &builder.env {
        env.mask_secrets(&mut builder.sources);
    }
    match result {
        Err(err) => {
            let problem = RhaiError {
                sources: &builder.sources,
                main: &display,
                error: &err,
                known_fns: &engine_names(),
            }
            .into_problem();
            Err(Failure::of_all(builder.sources, [problem]))
        }
        Ok(()) => finish_builder(builder, path),
    }
}

fn finish_builder(builder: Builder, path: &Path) -> Result<Evaluated, Failure> {
    let Builder {
        mut fleet,
        sources,
        warnings,
        env_used,
        ..
    } = builder;
    for c in &mut fleet.clusters {
        c.env_vars.clone_from(&env_used);
    }
    match finish::finish(fleet) {
        Ok(fleet) => Ok(Evaluated {
            cluster_scripts: vec![path.to_path_buf(); fleet.clusters.len()],
            fleet,
            sources,
            warnings,
            script: path.to_path_buf(),
        }),
        Err(diagnostics) => Err(Failure {
            sources,
            diagnostics,
        }),
    }
}

/// Names of every host and stdlib function, for "did you mean" on unknown functions.
pub(crate) fn engine_names() -> Vec<String> {
    let shared = Shared::default();
    let engine = build_engine(&shared, &Limits::default());
    let mut names: Vec<String> = engine
        .gen_fn_signatures(false)
        .into_iter()
        .filter_map(|s| {
            let name = s.split('(').next()?.rsplit(' ').next()?.to_string();
            (!name.starts_with("get$")
                && !name.starts_with("set$")
                && name.chars().next()?.is_alphabetic())
            .then_some(name)
        })
        .collect();
    // Stdlib functions by their qualified names, for `talos::lacp` → `talos::lacp_bond`.
    for d in super::docs::stdlib_docs() {
        if let Some(name) = d.signature.split('(').next() {
            names.push(name.to_string());
        }
    }
    names.sort();
    names.dedup();
    names
}
