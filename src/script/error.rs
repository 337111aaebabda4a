//! Turns Rhai parse and runtime errors into diagnostics at the right file, line and column.

use crate::diag::{Diagnostic, IntoDiagnostic, Problem, SourceId, Sources, Span};
use crate::script::HostError;
use rhai::{EvalAltResult, ParseErrorType, Position};

/// Span of the token starting at a Rhai position in source `id`.
pub fn span_at(sources: &Sources, id: SourceId, pos: Position) -> Option<Span> {
    let line = pos.line()?;
    let col = pos.position().unwrap_or(1);
    let start = sources.offset(id, line, col);
    let text = sources.text(id);
    let len = token_len(&text[start..]);
    Some(Span::new(
        id,
        start..start + len.max(1).min(text.len() - start),
    ))
}

/// Length of the token at the start of `s`: an identifier, a number or a string literal.
fn token_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, q @ ('"' | '`' | '\''))) => {
            for (i, c) in chars {
                if c == q {
                    return i + c.len_utf8();
                }
                if c == '\n' {
                    return i;
                }
            }
            s.len()
        }
        Some((_, c)) if c.is_alphanumeric() || c == '_' => s
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(s.len(), |(i, _)| i),
        Some((_, c)) => c.len_utf8(),
        None => 0,
    }
}

/// Finds `word` as a whole identifier within a few lines after `span` (an option key near its
/// call), so the caret lands on the key rather than on the function name.
pub fn find_word_after(sources: &Sources, span: &Span, word: &str) -> Option<Span> {
    let text = sources.text(span.source);
    let rest = &text[span.range.start..];
    let window_end = rest
        .char_indices()
        .filter(|(_, c)| *c == '\n')
        .nth(12)
        .map_or(rest.len(), |(i, _)| i);
    let window = &rest[..window_end];
    let bytes = window.as_bytes();
    let mut search = 0;
    while let Some(i) = window[search..].find(word) {
        let at = search + i;
        let before_ok = at == 0 || !is_ident_byte(bytes[at - 1]);
        let after = at + word.len();
        let after_ok = after >= bytes.len() || !is_ident_byte(bytes[after]);
        if before_ok && after_ok {
            let start = span.range.start + at;
            return Some(Span::new(span.source, start..start + word.len()));
        }
        search = at + word.len().max(1);
    }
    None
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A Rhai error raised while running the script named `main`, under the one error contract:
/// its place is found among the loaded scripts and modules (`sources`); `known_fns` feeds
/// "did you mean" for unknown functions.
#[derive(Debug, Clone, Copy)]
pub struct RhaiError<'a> {
    /// The scripts and modules the run loaded.
    pub sources: &'a Sources,
    /// The display path of the script that was run.
    pub main: &'a str,
    /// What Rhai raised.
    pub error: &'a EvalAltResult,
    /// Every registered function name.
    pub known_fns: &'a [String],
}

impl IntoDiagnostic for RhaiError<'_> {
    fn into_problem(self) -> Problem {
        from_eval_error(self.sources, self.main, self.error, self.known_fns).into()
    }
}

/// Converts a Rhai error raised while running the script named `main` into one diagnostic.
/// `known_fns` feeds "did you mean" for unknown functions.
pub fn from_eval_error(
    sources: &Sources,
    main: &str,
    err: &EvalAltResult,
    known_fns: &[String],
) -> Diagnostic {
    let main_id = sources
        .find(std::path::Path::new(main))
        .unwrap_or(SourceId(0));
    convert(sources, main_id, err, known_fns, 0)
}

fn source_of(sources: &Sources, name: &str, fallback: SourceId) -> SourceId {
    if name.is_empty() {
        fallback
    } else {
        sources.find(std::path::Path::new(name)).unwrap_or(fallback)
    }
}

fn convert(
    sources: &Sources,
    src: SourceId,
    err: &EvalAltResult,
    known: &[String],
    depth: usize,
) -> Diagnostic {
    let at = |pos: Position| span_at(sources, src, pos);
    match err {
        EvalAltResult::ErrorInFunctionCall(name, fn_src, inner, pos) if depth < 32 => {
            in_function_call(sources, src, (name, fn_src, inner, *pos), known, depth)
        }
        EvalAltResult::ErrorInModule(name, inner, pos) if depth < 32 => {
            let inner_src = source_of(sources, name, src);
            let mut d = convert(sources, inner_src, inner, known, depth + 1);
            if let Some(call) = at(*pos) {
                d = d.with_label(call, "imported here");
            }
            d
        }
        EvalAltResult::ErrorParsing(kind, pos) => parse_error(kind, at(*pos), sources.text(src)),
        EvalAltResult::ErrorRuntime(value, pos) => runtime_error(sources, value, at(*pos)),
        EvalAltResult::ErrorFunctionNotFound(sig, pos) => function_not_found(sig, at(*pos), known),
        EvalAltResult::ErrorVariableNotFound(name, pos) => unknown_variable(
            Diagnostic::error(format!("unknown variable `{name}`")).at_opt(at(*pos)),
            name,
            sources.text(src),
        ),
        EvalAltResult::ErrorArrayBounds(len, idx, pos) => Diagnostic::error(format!(
            "index {idx} is out of range for an array of {len} element{}",
            if *len == 1 { "" } else { "s" }
        ))
        .at_opt(at(*pos)),
        EvalAltResult::ErrorStringBounds(len, idx, pos) => Diagnostic::error(format!(
            "index {idx} is out of range for a string of {len} characters"
        ))
        .at_opt(at(*pos)),
        EvalAltResult::ErrorPropertyNotFound(name, pos) => {
            Diagnostic::error(format!("unknown property `{name}`")).at_opt(at(*pos))
        }
        EvalAltResult::ErrorMismatchDataType(expected, got, pos) => {
            Diagnostic::error(format!("expected {expected}, got {got}")).at_opt(at(*pos))
        }
        EvalAltResult::ErrorTooManyOperations(pos) => Diagnostic::error(
            "the script ran too long and was stopped",
        )
        .at_opt(at(*pos))
        .with_hint(
            "look for a loop that never ends; the limit is there so a mistake cannot hang talforge",
        ),
        EvalAltResult::ErrorStackOverflow(pos) => {
            Diagnostic::error("too many nested function calls")
                .at_opt(at(*pos))
                .with_hint("look for a function that calls itself without a base case")
        }
        EvalAltResult::ErrorDataTooLarge(what, pos) => Diagnostic::error(data_too_large(what))
            .at_opt(at(*pos))
            .with_hint("cluster scripts describe machines; data this size is a runaway loop"),
        EvalAltResult::ErrorTooManyModules(pos) => {
            Diagnostic::error("too many imported modules").at_opt(at(*pos))
        }
        EvalAltResult::ErrorModuleNotFound(name, pos) => {
            Diagnostic::error(format!("module `{name}` not found")).at_opt(at(*pos))
        }
        EvalAltResult::ErrorArithmetic(msg, pos) => {
            Diagnostic::error(format!("arithmetic error: {}", msg.to_lowercase())).at_opt(at(*pos))
        }
        other => {
            let pos = other.position();
            let mut msg = other.to_string();
            if let Some(i) = msg.rfind(" (line ") {
                msg.truncate(i);
            }
            Diagnostic::error(lower_first(&msg)).at_opt(at(pos))
        }
    }
}

/// A Rhai error inside a function call: at the inner place for a function of the same file,
/// else at the user's call with the inner frame as a note.
fn in_function_call(
    sources: &Sources,
    src: SourceId,
    (name, fn_src, inner, pos): (&str, &str, &EvalAltResult, Position),
    known: &[String],
    depth: usize,
) -> Diagnostic {
    let at = |pos: Position| span_at(sources, src, pos);
    let inner_src = source_of(sources, fn_src, src);
    let mut d = convert(sources, inner_src, inner, known, depth + 1);
    if inner_src == src || fn_src.is_empty() {
        // A function of the same file: the inner place is the useful one.
        if let Some(call) = at(pos) {
            d = d.with_label(call, format!("in this call to `{name}`"));
        }
        d
    } else {
        // A module or stdlib function: report at the user's call, keep the inner frame.
        let inner_place = d.span.as_ref().map_or_else(
            || fn_src.to_string(),
            |s| {
                let (l, c) = sources.line_col(s.source, s.range.start);
                format!("{}:{l}:{c}", sources.path(s.source).display())
            },
        );
        let mut outer = Diagnostic {
            span: at(pos),
            labels: Vec::new(),
            label: None,
            ..d.clone()
        };
        outer
            .notes
            .insert(0, format!("raised inside `{name}` at {inner_place}"));
        outer
    }
}

/// A script error raised with `throw` or by a host function ([`HostError`]).
fn runtime_error(sources: &Sources, value: &rhai::Dynamic, span: Option<Span>) -> Diagnostic {
    if let Some(h) = value.clone().try_cast::<HostError>() {
        let mut span = span;
        if let (Some(word), Some(s)) = (&h.focus, &span)
            && let Some(w) = find_word_after(sources, s, word)
        {
            span = Some(w);
        }
        let mut d = match (h.span, span) {
            (Some(inner), Some(call)) => Diagnostic::error(h.message)
                .at(inner)
                .with_label(call, "used here"),
            (Some(inner), None) => Diagnostic::error(h.message).at(inner),
            (None, span) => Diagnostic::error(h.message).at_opt(span),
        };
        d.hints = h.hints;
        d
    } else {
        Diagnostic::error(format!("script error: {value}")).at_opt(span)
    }
}

/// An unknown function: a hint for a known name with other argument types, or the closest.
fn function_not_found(sig: &str, span: Option<Span>, known: &[String]) -> Diagnostic {
    let name = sig.split(['(', ' ']).next().unwrap_or(sig).to_string();
    let mut d = Diagnostic::error(format!("unknown function `{}`", friendly_sig(sig))).at_opt(span);
    let exists = known.contains(&name);
    if exists {
        d = d.with_hint(format!(
            "`{name}` exists but not for these argument types; run `talforge doc` for its signatures"
        ));
    } else if let Some(c) = crate::diag::closest(&name, known.iter().map(String::as_str)) {
        d = d.with_hint(format!("did you mean `{c}`?"));
    }
    d
}

fn data_too_large(what: &str) -> String {
    let w = what.to_lowercase();
    let thing = if w.contains("array") {
        "an array"
    } else if w.contains("string") {
        "a string"
    } else if w.contains("map") {
        "a map"
    } else {
        "a value"
    };
    format!("{thing} grew past talforge's size limit")
}

fn friendly_sig(sig: &str) -> String {
    sig.replace("rhai::", "")
        .replace("talforge::script::api::cluster::", "")
        .replace("talforge::script::api::node::", "")
        .replace("talforge::script::api::net::", "")
        .replace("ClusterRef", "Cluster")
        .replace("NodeRef", "Node")
        .replace("IpVal", "IP")
        .replace("CidrVal", "CIDR")
        .replace("&mut ", "")
        .replace("ImmutableString", "string")
        .replace("&str | string | String", "string")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn parse_error(kind: &ParseErrorType, span: Option<Span>, text: &str) -> Diagnostic {
    let msg = match kind {
        ParseErrorType::UnexpectedEOF => "unexpected end of script".to_string(),
        ParseErrorType::MissingToken(tok, why) => format!("expected `{tok}` {why}"),
        ParseErrorType::BadInput(e) => format!("syntax error: {}", lower_first(&e.to_string())),
        ParseErrorType::VariableUndefined(name) => format!("unknown variable `{name}`"),
        other => format!("syntax error: {}", lower_first(&other.to_string())),
    };
    let d = Diagnostic::error(msg).at_opt(span);
    match kind {
        ParseErrorType::VariableUndefined(name) => unknown_variable(d, name, text),
        _ => d,
    }
}

/// The names every script has: the patch targets.
const RESERVED: [&str; 3] = ["all", "control_planes", "workers"];

/// The hint for an unknown variable, from what the file declares. Rhai functions see only
/// their parameters: a `let` outside the function is invisible inside it, and a `const`
/// outside it is read as `global::NAME` (in a module too, for the module's own constants).
fn unknown_variable(d: Diagnostic, name: &str, text: &str) -> Diagnostic {
    let declared = |keyword: &str| declarations(text, keyword).any(|n| n == name);
    if declared("const") {
        return d
            .with_note(format!(
                "`{name}` is a `const` of this file, but a function sees only its parameters"
            ))
            .with_hint(format!("inside a function, write `global::{name}`"));
    }
    if declared("let") {
        return d
            .with_note(format!(
                "`{name}` is a `let` variable of this file, but a function sees only its parameters"
            ))
            .with_hint(format!(
                "pass `{name}` to the function as a parameter, or declare it with `const` and read it as `global::{name}`"
            ));
    }
    let mut candidates: Vec<&str> = RESERVED.to_vec();
    candidates.extend(declarations(text, "let"));
    candidates.extend(declarations(text, "const"));
    candidates.extend(declarations(text, "fn"));
    match crate::diag::closest(name, candidates) {
        Some(c) => d.with_hint(format!("did you mean `{c}`?")),
        None => d.with_hint("declare it with `let` before using it"),
    }
}

/// The names after `keyword` (`let`, `const`, `fn`) in a script text.
fn declarations<'a>(text: &'a str, keyword: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(keyword).filter_map(move |(i, _)| {
        let before_ok = i == 0 || !is_ident_byte(text.as_bytes()[i - 1]);
        let rest = &text[i + keyword.len()..];
        if !before_ok || !rest.starts_with([' ', '\t']) {
            return None;
        }
        let rest = rest.trim_start();
        let rest = rest.strip_prefix("mut ").unwrap_or(rest).trim_start();
        let end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(j, _)| j);
        (end > 0).then(|| &rest[..end])
    })
}
