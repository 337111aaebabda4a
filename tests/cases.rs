//! Script fixtures under `tests/cases/**/*.rhai` with inline expectations, run through the
//! real binary (`check --diagnostic-format json`):
//!
//! ```text
//! // Error: 4:9-4:20 unknown node option `instal_disk`
//! // Hint: did you mean `install_disk`?
//! ```
//! Positions are `line:col-line:col` (1-based, end exclusive) in the fixture itself, or
//! `name.yaml:line:col-line:col` / `name.rhai:line:col-line:col` in a file next to it (a patch
//! file, a module). A file without `Error:` lines must pass `check`.

use crate::support::{repo, run_in};
use std::path::{Path, PathBuf};

#[derive(Debug, PartialEq)]
struct Expect {
    severity: String,
    range: Option<String>,
    message: String,
    hints: Vec<String>,
    notes: Vec<String>,
}

fn expectations(text: &str) -> Vec<Expect> {
    let mut out: Vec<Expect> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix("// ") else {
            continue;
        };
        for sev in ["Error", "Warning"] {
            if let Some(body) = rest.strip_prefix(&format!("{sev}: ")) {
                let (range, message) = match body.split_once(' ') {
                    Some((r, m))
                        if r.contains(':')
                            && (r.chars().next().is_some_and(|c| c.is_ascii_digit())
                                || r.contains(".yaml:")
                                || r.contains(".rhai:")) =>
                    {
                        (Some(r.to_string()), m.to_string())
                    }
                    _ => (None, body.to_string()),
                };
                out.push(Expect {
                    severity: sev.to_lowercase(),
                    range,
                    message,
                    hints: Vec::new(),
                    notes: Vec::new(),
                });
            }
        }
        if let Some(h) = rest.strip_prefix("Hint: ")
            && let Some(last) = out.last_mut()
        {
            last.hints.push(h.to_string());
        }
        if let Some(n) = rest.strip_prefix("Note: ")
            && let Some(last) = out.last_mut()
        {
            last.notes.push(n.to_string());
        }
    }
    out
}

/// The diagnostics of a run; a position in another file than `fixture` (a patch file next
/// to it) is written `name.yaml:L:C-L:C`.
fn actual(json_lines: &str, fixture: &str) -> Vec<Expect> {
    json_lines
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json diagnostic");
            let file = v["file"].as_str().unwrap_or("");
            let prefix = if file == fixture {
                String::new()
            } else {
                format!(
                    "{}:",
                    Path::new(file)
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                )
            };
            let range = v["line"].as_u64().map(|line| {
                format!(
                    "{prefix}{}:{}-{}:{}",
                    line,
                    v["column"].as_u64().unwrap_or(0),
                    v["end_line"].as_u64().unwrap_or(0),
                    v["end_column"].as_u64().unwrap_or(0)
                )
            });
            let strs = |k: &str| -> Vec<String> {
                v[k].as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            Expect {
                severity: v["severity"].as_str().unwrap_or("").to_string(),
                range,
                message: v["message"].as_str().unwrap_or("").to_string(),
                hints: strs("hints"),
                notes: strs("notes"),
            }
        })
        .collect()
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rhai") {
            out.push(p);
        }
    }
}

#[test]
fn script_cases() {
    let root = repo();
    let mut files = Vec::new();
    case_files(&root.join("tests/cases"), &mut files);
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(f).unwrap();
        let want = expectations(&text);
        let out = run_in(
            &root,
            &[
                "check".into(),
                rel.clone(),
                "--diagnostic-format".into(),
                "json".into(),
            ],
            &[],
        );
        let got = actual(&out.stderr, &rel);
        let want_code = i32::from(want.iter().any(|e| e.severity == "error"));
        // Only hints/notes the fixture names are compared, so fixtures stay short.
        let got_cmp: Vec<Expect> = got
            .iter()
            .zip(want.iter().chain(std::iter::repeat(&Expect {
                severity: String::new(),
                range: None,
                message: String::new(),
                hints: Vec::new(),
                notes: Vec::new(),
            })))
            .map(|(g, w)| Expect {
                severity: g.severity.clone(),
                range: if w.range.is_some() {
                    g.range.clone()
                } else {
                    None
                },
                message: g.message.clone(),
                hints: if w.hints.is_empty() {
                    Vec::new()
                } else {
                    g.hints.clone()
                },
                notes: if w.notes.is_empty() {
                    Vec::new()
                } else {
                    g.notes.clone()
                },
            })
            .collect();
        if out.code != want_code || got_cmp != want {
            failures.push(format!(
                "{rel}: exit {} (wanted {want_code})\n  wanted: {want:#?}\n  got:    {got:#?}\n  stderr: {}",
                out.code, out.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
