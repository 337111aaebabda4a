//! Renders diagnostics as ariadne reports, short lines or JSON; the only ariadne user.

use super::{Diagnostic, Severity, Sources};
use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use std::collections::BTreeSet;

/// Output style for diagnostics (`--diagnostic-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// ariadne reports with source snippets.
    #[default]
    Human,
    /// One `file:line:col: severity: message` line each.
    Short,
    /// One JSON object per line.
    Json,
}

/// Most warnings printed per run; the rest are counted.
pub const WARNING_LIMIT: usize = 50;

/// Renders one diagnostic as text (no trailing newline guarantees). Secret-bearing sources
/// (`Sources::add_masked`) show `******` for their secret values, here and in every format.
pub fn render(d: &Diagnostic, sources: &Sources, format: Format, color: bool) -> String {
    if let Some((diags, shown)) = super::mask::view(std::slice::from_ref(d), sources) {
        return render(&diags[0], &shown, format, color);
    }
    match format {
        Format::Human => human(d, sources, color),
        Format::Short => short(d, sources),
        Format::Json => json(d, sources),
    }
}

/// Renders a batch: errors first in order, then warnings deduplicated and capped.
pub fn render_all(diags: &[Diagnostic], sources: &Sources, format: Format, color: bool) -> String {
    if let Some((diags, shown)) = super::mask::view(diags, sources) {
        return render_all(&diags, &shown, format, color);
    }
    let mut out = String::new();
    let mut seen = BTreeSet::new();
    let mut warnings = 0usize;
    let mut dropped = 0usize;
    for d in diags {
        let key = (
            d.message.clone(),
            d.span.as_ref().map(|s| (s.source, s.range.start)),
        );
        if !seen.insert(key) {
            continue;
        }
        if d.severity == Severity::Warning {
            warnings += 1;
            if warnings > WARNING_LIMIT {
                dropped += 1;
                continue;
            }
        }
        out.push_str(&render(d, sources, format, color));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    if dropped > 0 && format != Format::Json {
        out.push_str(&format!("warning: {dropped} more warnings not shown\n"));
    }
    out
}

fn location(d: &Diagnostic, sources: &Sources) -> Option<(String, usize, usize, usize, usize)> {
    let s = d.span.as_ref()?;
    let (l, c) = sources.line_col(s.source, s.range.start);
    let (el, ec) = sources.line_col(s.source, s.range.end);
    Some((sources.path(s.source).display().to_string(), l, c, el, ec))
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn short(d: &Diagnostic, sources: &Sources) -> String {
    let mut out = match location(d, sources) {
        Some((f, l, c, _, _)) => {
            format!("{f}:{l}:{c}: {}: {}", severity_word(d.severity), d.message)
        }
        None => format!("{}: {}", severity_word(d.severity), d.message),
    };
    for h in &d.hints {
        out.push_str(&format!(" (hint: {h})"));
    }
    out
}

fn json(d: &Diagnostic, sources: &Sources) -> String {
    let loc = location(d, sources);
    let v = serde_json::json!({
        "severity": severity_word(d.severity),
        "message": d.message,
        "file": loc.as_ref().map(|l| l.0.clone()),
        "line": loc.as_ref().map(|l| l.1),
        "column": loc.as_ref().map(|l| l.2),
        "end_line": loc.as_ref().map(|l| l.3),
        "end_column": loc.as_ref().map(|l| l.4),
        "labels": d.labels.iter().map(|lab| {
            let (l, c) = sources.line_col(lab.span.source, lab.span.range.start);
            serde_json::json!({
                "file": sources.path(lab.span.source).display().to_string(),
                "line": l, "column": c, "message": lab.message,
            })
        }).collect::<Vec<_>>(),
        "notes": d.notes,
        "hints": d.hints,
    });
    v.to_string()
}

fn human(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let Some(span) = &d.span else {
        // Nothing to point at: a plain header plus notes and hints.
        let mut out = format!("{}: {}\n", severity_word(d.severity), d.message);
        for n in &d.notes {
            out.push_str(&format!("  = note: {n}\n"));
        }
        for h in &d.hints {
            out.push_str(&format!("  = hint: {h}\n"));
        }
        return out;
    };
    let path = |id: super::SourceId| sources.path(id).display().to_string();
    let main_color = if d.severity == Severity::Error {
        Color::Red
    } else {
        Color::Yellow
    };
    let mut report = Report::build(kind, (path(span.source), span.range.clone()))
        .with_config(
            Config::default()
                .with_color(color)
                .with_index_type(IndexType::Byte),
        )
        .with_message(&d.message)
        .with_label(
            Label::new((path(span.source), span.range.clone()))
                .with_message(d.label.clone().unwrap_or_else(|| d.message.clone()))
                .with_color(main_color),
        );
    for l in &d.labels {
        report = report.with_label(
            Label::new((path(l.span.source), l.span.range.clone()))
                .with_message(&l.message)
                .with_color(Color::Blue),
        );
    }
    for n in &d.notes {
        report = report.with_note(n);
    }
    for h in &d.hints {
        report = report.with_help(h);
    }
    let mut ids: Vec<super::SourceId> = vec![span.source];
    ids.extend(d.labels.iter().map(|l| l.span.source));
    ids.sort();
    ids.dedup();
    let cache = ariadne::sources(
        ids.into_iter()
            .map(|id| (path(id), sources.text(id).to_string())),
    );
    let mut buf = Vec::new();
    if report.finish().write(cache, &mut buf).is_err() {
        return short(d, sources);
    }
    String::from_utf8_lossy(&buf).into_owned()
}
