//! Adding creation rules to `.sops.yaml` by editing its text, so nothing already there changes.

use super::{CONFIG_NAME, RulesError, keys, parse};
use crate::yaml::{self, EmitOptions, ParsedDoc, PathSeg, Yaml};
use std::path::Path;

/// Adds the `(path_regex, age recipient)` rules that `existing` lacks, editing the text so
/// everything already there (comments, order, formatting) stays byte-for-byte. Returns `None`
/// when nothing needs adding, or when `existing` cannot be parsed (loading it then reports the
/// error with its span; it is never overwritten).
pub fn ensure_rules(existing: Option<&str>, wanted: &[(String, String)]) -> Option<String> {
    try_ensure_rules(existing, wanted).ok().flatten()
}

/// [`ensure_rules`] that reports why an existing file cannot be edited.
pub fn try_ensure_rules(
    existing: Option<&str>,
    wanted: &[(String, String)],
) -> Result<Option<String>, RulesError> {
    let text = existing.unwrap_or("");
    let cfg = parse(text, Path::new(CONFIG_NAME))?;
    // A rule is present when one with the same path_regex exists; its keys are the user's.
    let missing: Vec<&(String, String)> = wanted
        .iter()
        .filter(|(re, _)| {
            !cfg.rules
                .iter()
                .any(|r| r.path_regex.as_deref() == Some(re.as_str()))
        })
        .fold(Vec::new(), |mut acc, w| {
            if !acc.iter().any(|a: &&(String, String)| a.0 == w.0) {
                acc.push(w);
            }
            acc
        });
    if missing.is_empty() {
        return Ok(None);
    }
    let docs = yaml::parse_documents(text)
        .map_err(|e| RulesError::new(&cfg, e.message.clone(), Some(e.span.clone())))?;
    let new = insert_rules(text, docs.first(), &missing).ok_or_else(|| {
        RulesError::new(
            &cfg,
            "cannot add creation rules to this `creation_rules` layout",
            cfg.rules_span(),
        )
    })?;
    // Never hand back text that does not parse or lacks a rule we meant to add.
    let check = parse(&new, Path::new(CONFIG_NAME))?;
    let all = missing.iter().all(|(re, _)| {
        check
            .rules
            .iter()
            .any(|r| r.path_regex.as_deref() == Some(re.as_str()))
    });
    let kept = check.rules.len() == cfg.rules.len() + missing.len();
    if !all || !kept {
        return Err(RulesError::new(
            &cfg,
            "adding creation rules would change existing ones",
            cfg.rules_span(),
        ));
    }
    Ok(Some(new))
}

/// The new rules as block-sequence items, each line prefixed by `indent` spaces.
fn rule_items(missing: &[&(String, String)], indent: usize) -> String {
    let items = Yaml::Seq(
        missing
            .iter()
            .map(|(re, age)| {
                Yaml::from_pairs([("path_regex", Yaml::str(re)), ("age", Yaml::str(age))])
            })
            .collect(),
    );
    let body = yaml::emit_document(&items, &EmitOptions { indent: 2 });
    body.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(indent)))
        .collect()
}

fn insert_rules(
    text: &str,
    doc: Option<&ParsedDoc>,
    missing: &[&(String, String)],
) -> Option<String> {
    let mut out = text.to_string();
    let rules_key = keys(&["creation_rules"]);
    let has_key = doc.is_some_and(|d| d.value.get("creation_rules").is_some());
    if !has_key {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("creation_rules:\n");
        out.push_str(&rule_items(missing, 2));
        return Some(out);
    }
    let doc = doc?;
    let value_span = doc.value_span(&rules_key)?;
    let key_span = doc.key_span(&rules_key)?;
    let value_text = text.get(value_span.clone()).unwrap_or("");
    let seq = doc
        .value
        .get("creation_rules")
        .and_then(Yaml::as_seq)
        .unwrap_or_default();
    if seq.is_empty() {
        // `creation_rules:` (null) or `creation_rules: []`: a block list after the key's line.
        let key_col = key_span.start - line_start(text, key_span.start);
        if value_text.trim_start().starts_with('[') {
            let open = value_span.start + value_text.find('[')?;
            let close = flow_close(text, open)?;
            let from = text[..open].trim_end_matches(' ').len();
            out.replace_range(from..=close, "");
        }
        let at = if let Some(i) = out[key_span.end..].find('\n') {
            key_span.end + i + 1
        } else {
            out.push('\n');
            out.len()
        };
        out.insert_str(at, &rule_items(missing, key_col + 2));
        return Some(out);
    }
    if value_text.trim_start().starts_with('[') {
        // A flow list: add flow mappings before the closing bracket.
        let close = flow_close(text, value_span.start + value_text.find('[')?)?;
        let add: String = missing
            .iter()
            .map(|(re, age)| {
                format!(
                    ", {{path_regex: {}, age: {}}}",
                    flow_scalar(re),
                    flow_scalar(age)
                )
            })
            .collect();
        out.insert_str(close, &add);
        return Some(out);
    }
    // A block list: append items after the last one, indented like the first.
    let first = doc.key_span(&[rules_key[0].clone(), PathSeg::Index(0)])?;
    // The parser's item span starts at the value; the item's column is its `-`.
    let ls = line_start(text, first.start);
    let before = text[ls..first.start].trim_end_matches(' ');
    let dash_col = if before.ends_with('-') {
        before.len() - 1
    } else {
        first.start - ls
    };
    let last_end = doc
        .nodes
        .iter()
        .filter(|(p, _, _)| p.first() == rules_key.first())
        .map(|(_, k, v)| k.end.max(v.end))
        .max()?;
    let end = text[..last_end].trim_end().len();
    let at = if let Some(i) = text[end..].find('\n') {
        end + i + 1
    } else {
        out.push('\n');
        out.len()
    };
    out.insert_str(at, &rule_items(missing, dash_col));
    Some(out)
}

/// The `]` closing the flow sequence opened at `open` (quotes skipped; the parser's span of
/// a flow collection may run past it into a trailing comment).
fn flow_close(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, b) in text.bytes().enumerate().skip(open) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'[' | b'{') => depth += 1,
            (None, b']' | b'}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn line_start(text: &str, o: usize) -> usize {
    text[..o].rfind('\n').map_or(0, |i| i + 1)
}

/// A scalar safe inside a flow mapping: plain when the emitter would write it plain and it has
/// no flow indicators, else single-quoted.
fn flow_scalar(s: &str) -> String {
    if yaml::emit_scalar_plain_ok(s) && !s.contains([',', '[', ']', '{', '}']) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}
