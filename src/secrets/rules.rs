//! `.sops.yaml`: creation rules, matching a path to recipients, adding rules without clobbering.

use crate::diag::{Diagnostic, Sources, Span};
use crate::fs::absolute;
use crate::secrets::sops::EncryptOptions;
use crate::yaml::strict::{Coerce, ErrorKind, Node};
use crate::yaml::{self, PathSeg, Yaml};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The config file name sops looks for (`.sops.yml` is never used).
pub const CONFIG_NAME: &str = ".sops.yaml";

/// A problem with a `.sops.yaml`, pointing into its text when possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    /// Lowercase, no trailing period.
    pub message: String,
    /// The `.sops.yaml` involved, if any.
    pub file: Option<PathBuf>,
    /// Its text (for rendering the span).
    pub text: String,
    /// Byte range in `text`.
    pub span: Option<Range<usize>>,
    /// Context.
    pub notes: Vec<String>,
    /// What to do.
    pub hints: Vec<String>,
}

impl RulesError {
    fn new(cfg: &SopsConfig, message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        RulesError {
            message: message.into(),
            file: Some(cfg.path.clone()),
            text: cfg.text.clone(),
            span,
            notes: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// The diagnostic, with the `.sops.yaml` registered in `sources` for the span.
    pub fn to_diagnostic(&self, sources: &mut Sources) -> Diagnostic {
        let mut d = Diagnostic::error(self.message.clone());
        if let (Some(f), Some(r)) = (&self.file, &self.span) {
            let id = sources.add(f.clone(), self.text.clone());
            d = d.at(Span::new(id, r.clone()));
        }
        d.notes.extend(self.notes.iter().cloned());
        d.hints.extend(self.hints.iter().cloned());
        d
    }
}

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(p) = &self.file {
            write!(f, "{}: ", p.display())?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for RulesError {}

/// One `creation_rules[]` entry (age-relevant fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreationRule {
    /// `path_regex`; `None` matches every file.
    pub path_regex: Option<String>,
    /// Age recipients (rule-level `age`, or the single key group's `age`).
    pub age: Vec<String>,
    /// `unencrypted_suffix`, `encrypted_suffix`, `unencrypted_regex`, `encrypted_regex`,
    /// `mac_only_encrypted` as encryption options.
    pub options: EncryptOptions,
    /// Span of the rule in the config text.
    pub span: Range<usize>,
    /// Span of `path_regex` (or of the rule).
    pub regex_span: Range<usize>,
    /// `path_regex` compiled once, when the rule is read: a run matches every file against it.
    matcher: Option<Matcher>,
}

/// A compiled `path_regex`; rules compare by their pattern.
#[derive(Debug, Clone)]
struct Matcher(regex::Regex);

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Eq for Matcher {}

/// A parsed `.sops.yaml`.
#[derive(Debug, Clone)]
pub struct SopsConfig {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// `creation_rules`, in order.
    pub rules: Vec<CreationRule>,
    /// `stores.yaml.indent`, if set.
    pub indent: Option<usize>,
}

/// The nearest `.sops.yaml` in `dir` or its parents (the brief is to start at the output
/// file's directory; sops itself starts at its working directory).
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .take(100)
        .map(|d| d.join(CONFIG_NAME))
        .find(|p| p.is_file())
}

/// Reads and parses a `.sops.yaml`.
pub fn load(path: &Path) -> Result<SopsConfig, RulesError> {
    let text = std::fs::read_to_string(path).map_err(|e| RulesError {
        message: format!("cannot read {}: {e}", path.display()),
        file: None,
        text: String::new(),
        span: None,
        notes: Vec::new(),
        hints: Vec::new(),
    })?;
    parse(&text, path)
}

/// Parses `.sops.yaml` text (`path` is used for messages and relative matching).
pub fn parse(text: &str, path: &Path) -> Result<SopsConfig, RulesError> {
    let mut cfg = SopsConfig {
        path: path.to_path_buf(),
        text: text.to_string(),
        rules: Vec::new(),
        indent: None,
    };
    let docs = yaml::parse_documents(text)
        .map_err(|e| RulesError::new(&cfg, e.message.clone(), Some(e.span.clone())))?;
    let Some(doc) = docs.first() else {
        return Ok(cfg);
    };
    let root = Node::root(doc);
    if !matches!(doc.value, Yaml::Map(_) | Yaml::Null) {
        return Err(RulesError::new(
            &cfg,
            "`.sops.yaml` must be a mapping",
            root.span(),
        ));
    }
    if let Some(i) = root
        .get("stores")
        .and_then(|s| s.get("yaml"))
        .and_then(|y| y.get("indent"))
    {
        match i.int().ok().and_then(|n| usize::try_from(n.value).ok()) {
            Some(n) => cfg.indent = Some(n),
            None => {
                return Err(RulesError::new(
                    &cfg,
                    "`stores.yaml.indent` must be a non-negative integer",
                    i.span(),
                ));
            }
        }
    }
    let Some(rules) = root.get_set("creation_rules") else {
        return Ok(cfg);
    };
    let rules = rules.items().map_err(|e| {
        let found = match e.kind {
            ErrorKind::Type { found, .. } => found,
            _ => "value",
        };
        let msg = format!("`creation_rules` must be a list, found a {found}");
        RulesError::new(&cfg, msg, e.value_span)
    })?;
    for r in &rules {
        let rule = parse_rule(&cfg, r)?;
        cfg.rules.push(rule);
    }
    Ok(cfg)
}

fn keys(k: &[&str]) -> Vec<PathSeg> {
    k.iter().map(|s| PathSeg::Key((*s).into())).collect()
}

fn parse_rule(cfg: &SopsConfig, rule: &Node) -> Result<CreationRule, RulesError> {
    let span_of = |k: &str| rule.get(k).and_then(|n| n.span()).or_else(|| rule.span());
    let rule_span = rule.span().unwrap_or(0..0);
    let Ok(m) = rule.map() else {
        return Err(RulesError::new(
            cfg,
            "a creation rule must be a mapping",
            Some(rule_span),
        ));
    };
    let string = |k: &str| -> Result<Option<String>, RulesError> {
        match rule.opt_string(k, Coerce::Ints) {
            Ok(s) => Ok(s.map(|s| s.value)),
            Err(e) => {
                let found = match e.kind {
                    ErrorKind::Type { found, .. } => found,
                    _ => "value",
                };
                Err(RulesError::new(
                    cfg,
                    format!("`{k}` must be a string, found a {found}"),
                    span_of(k),
                ))
            }
        }
    };
    let path_regex = string("path_regex")?.filter(|s| !s.is_empty());
    let matcher = match path_regex.as_deref().map(regex::Regex::new) {
        None => None,
        Some(Ok(re)) => Some(Matcher(re)),
        Some(Err(e)) => {
            return Err(RulesError::new(
                cfg,
                format!("invalid `path_regex`: {e}"),
                span_of("path_regex"),
            ));
        }
    };
    let mut age = key_list(cfg, m.get("age"), || span_of("age"))?;
    if let Some(groups) = m.get("key_groups") {
        let groups = groups.as_seq().unwrap_or_default();
        if groups.len() > 1 {
            return Err(RulesError::new(
                cfg,
                "several key groups (Shamir secret sharing) are not supported",
                span_of("key_groups"),
            ));
        }
        // `key_groups` overrides the rule-level keys, as in sops.
        age = match groups.first() {
            Some(g) => key_list(cfg, g.get("age"), || span_of("key_groups"))?,
            None => Vec::new(),
        };
    }
    let options = EncryptOptions {
        unencrypted_suffix: string("unencrypted_suffix")?,
        encrypted_suffix: string("encrypted_suffix")?,
        unencrypted_regex: string("unencrypted_regex")?,
        encrypted_regex: string("encrypted_regex")?,
        mac_only_encrypted: m
            .get("mac_only_encrypted")
            .and_then(Yaml::as_bool)
            .unwrap_or(false),
        indent: cfg.indent.unwrap_or(4),
    };
    for k in ["unencrypted_comment_regex", "encrypted_comment_regex"] {
        if m.contains_key(k) {
            return Err(RulesError::new(
                cfg,
                format!("`{k}` is not supported by talforge"),
                span_of(k),
            ));
        }
    }
    let selectors = [
        "unencrypted_suffix",
        "encrypted_suffix",
        "unencrypted_regex",
        "encrypted_regex",
    ];
    let set: Vec<_> = selectors.iter().filter(|k| m.contains_key(**k)).collect();
    if set.len() > 1 {
        return Err(RulesError::new(
            cfg,
            format!(
                "only one of `{}` may be set in a rule",
                selectors.join("`, `")
            ),
            span_of(set[1]),
        ));
    }
    for k in ["encrypted_regex", "unencrypted_regex"] {
        if let Some(Yaml::Str(re)) = m.get(k)
            && let Err(e) = regex::Regex::new(re)
        {
            return Err(RulesError::new(
                cfg,
                format!("invalid `{k}`: {e}"),
                span_of(k),
            ));
        }
    }
    Ok(CreationRule {
        path_regex,
        age,
        options,
        regex_span: span_of("path_regex").unwrap_or(rule_span.clone()),
        span: rule_span,
        matcher,
    })
}

/// `age: a,b` (comma-separated, trimmed) or `age: [a, b]` (sops 3.11); empty entries skipped.
fn key_list(
    cfg: &SopsConfig,
    v: Option<&Yaml>,
    span: impl Fn() -> Option<Range<usize>>,
) -> Result<Vec<String>, RulesError> {
    let parts: Vec<String> = match v {
        None | Some(Yaml::Null) => Vec::new(),
        Some(Yaml::Str(s)) => s.split(',').map(str::to_string).collect(),
        Some(Yaml::Seq(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| RulesError::new(cfg, "`age` entries must be strings", span()))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            let msg = format!(
                "`age` must be a string or a list, found a {}",
                other.type_name()
            );
            return Err(RulesError::new(cfg, msg, span()));
        }
    };
    Ok(parts
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

impl SopsConfig {
    /// The directory holding the config (rules match paths relative to it).
    pub fn dir(&self) -> PathBuf {
        absolute(self.path.parent().unwrap_or(Path::new(".")))
    }

    /// The path a rule's `path_regex` is matched against: relative to the config's directory
    /// when the file is below it, else absolute (sops' `TrimPrefix`).
    pub fn match_path(&self, file: &Path) -> String {
        let abs = absolute(file);
        match abs.strip_prefix(self.dir()) {
            Ok(rel) => slash(rel),
            Err(_) => slash(&abs),
        }
    }

    /// The first rule whose `path_regex` matches `file` (a rule without one matches all).
    pub fn rule_for(&self, file: &Path) -> Result<&CreationRule, RulesError> {
        let rel = self.match_path(file);
        let found = self.rules.iter().find(|r| match &r.matcher {
            None => true,
            Some(Matcher(re)) => re.is_match(&rel),
        });
        if let Some(r) = found {
            if r.age.is_empty() {
                return Err(RulesError::new(
                    self,
                    format!("the creation rule for `{rel}` has no age recipients"),
                    Some(r.span.clone()),
                )
                .with_hint("add `age: age1…` to the rule; talforge encrypts with age keys only"));
            }
            return Ok(r);
        }
        let mut e = RulesError::new(
            self,
            format!("no creation rule in {CONFIG_NAME} matches `{rel}`"),
            self.rules_span(),
        );
        if self.rules.is_empty() {
            e.notes.push("the file has no creation rules".into());
        }
        for (i, r) in self.rules.iter().enumerate() {
            e.notes.push(format!(
                "rule {} tried: path_regex `{}`",
                i + 1,
                r.path_regex.as_deref().unwrap_or("")
            ));
        }
        Err(e.with_hint(format!(
            "add a rule whose `path_regex` matches `{rel}` (paths are relative to {})",
            self.dir().display()
        )))
    }

    /// Recipients and options for encrypting `file`.
    pub fn options_for(&self, file: &Path) -> Result<(Vec<String>, EncryptOptions), RulesError> {
        let r = self.rule_for(file)?;
        Ok((r.age.clone(), r.options.clone()))
    }

    fn rules_span(&self) -> Option<Range<usize>> {
        let doc = yaml::parse_documents(&self.text).ok()?.into_iter().next()?;
        doc.key_span(&keys(&["creation_rules"]))
    }
}

impl RulesError {
    fn with_hint(mut self, h: impl Into<String>) -> Self {
        self.hints.push(h.into());
        self
    }
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

mod ensure;

pub use ensure::{ensure_rules, try_ensure_rules};

#[cfg(test)]
mod tests;
