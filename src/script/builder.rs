//! Shared mutable state the host functions fill while a script runs.

use crate::diag::{Diagnostic, SourceId, Sources, Span};
use crate::model::{Cluster, EnvVar, Fleet};
use crate::talhelper::{self, DEFAULT_ENV_FILES, Env};
use rhai::Position;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// An error raised by a host function; carried through Rhai inside `ErrorRuntime` and turned
/// into a diagnostic at the call site by `diag::rhai`.
#[derive(Debug, Clone, PartialEq)]
pub struct HostError {
    /// Lowercase message.
    pub message: String,
    /// Suggestions.
    pub hints: Vec<String>,
    /// A word to put the caret under, searched from the call site (an option key).
    pub focus: Option<String>,
    /// Where the mistake really is when that is another file (a patch file's bad YAML);
    /// the call site then becomes a label.
    pub span: Option<crate::diag::Span>,
}

impl HostError {
    /// An error with a message only.
    pub fn new(message: impl Into<String>) -> Self {
        HostError {
            message: message.into(),
            hints: Vec::new(),
            focus: None,
            span: None,
        }
    }

    /// Reports the error at `span` (in another file) instead of the call site.
    pub fn at(mut self, span: crate::diag::Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Points the caret at `word` near the call site.
    pub fn focus(mut self, word: impl Into<String>) -> Self {
        self.focus = Some(word.into());
        self
    }
}

/// The model under construction plus what is needed to give its parts spans.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    pub(crate) fleet: Fleet,
    pub(crate) sources: Sources,
    /// Directory of the main script: patch files and site modules resolve against it.
    pub(crate) script_dir: PathBuf,
    pub(crate) warnings: Vec<Diagnostic>,
    /// The main script's entry in `sources`.
    pub(crate) main_source: SourceId,
    /// The environment `env()` and patch files read: the process's, overlaid by the talenv
    /// files beside the script (loaded at first use, so scripts without them need no key).
    pub(crate) env: Option<Env>,
    /// What `env()` and patch files read, in order of first use.
    pub(crate) env_used: Vec<EnvVar>,
}

/// The builder shared by every registered closure.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shared(pub(crate) Arc<Mutex<Builder>>);

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Builder> {
        // A poisoned lock only means an earlier host call panicked; the data is still usable
        // for reporting, so recover it instead of panicking again.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Builder {
    /// Span of the identifier at `pos` in the source named `source` (the main script when
    /// `None`).
    pub(crate) fn span_at(&self, source: Option<&str>, pos: Position) -> Option<Span> {
        let id = self.source_id(source)?;
        crate::script::error::span_at(&self.sources, id, pos)
    }

    pub(crate) fn source_id(&self, source: Option<&str>) -> Option<SourceId> {
        match source {
            Some(name) => self.sources.find(std::path::Path::new(name)),
            None => Some(self.main_source),
        }
    }

    /// The script's environment (see [`Builder::env`]), loaded now if not yet.
    pub(crate) fn env(&mut self) -> Result<&Env, HostError> {
        if self.env.is_none() {
            let mut env = Env::from_process();
            let files: Vec<PathBuf> = DEFAULT_ENV_FILES
                .iter()
                .map(|f| self.script_dir.join(f))
                .collect();
            talhelper::load_env_files(&mut env, &files, None).map_err(|d| HostError {
                message: d.message,
                hints: d.hints,
                focus: None,
                span: None,
            })?;
            self.env = Some(env);
        }
        Ok(self.env.get_or_insert_with(Env::default))
    }

    /// Records the variables a substitution read.
    pub(crate) fn record_used(&mut self, names: &[String]) {
        let Some(env) = &self.env else { return };
        for n in names {
            if let Some(v) = env.get(n) {
                let var = EnvVar {
                    name: n.clone(),
                    value: v.to_string(),
                    secret: env.is_secret(n),
                };
                crate::model::record_env_var(&mut self.env_used, var);
            }
        }
    }

    pub(crate) fn cluster(&mut self, idx: usize) -> &mut Cluster {
        &mut self.fleet.clusters[idx]
    }
}
