//! Which values of Talos configs are secret, and the one function every view hides them with.
//!
//! [`SECRET_FIELDS`] is the list; [`secret_ranges`] finds those values in a YAML text (a
//! machine config, a patch, a decrypted file) and [`redact`] replaces them with `'******'`,
//! Talos' own redaction marker. Diagnostics use the same ranges to hide source lines
//! (`diag::Sources::add_masked`), and [`value_ranges`] covers files whose every value is
//! secret (a secrets bundle, a file given to `encrypt`).

use super::bundle::REDACTED;
use crate::yaml::{EmitOptions, ParsedDoc, PathSeg, Yaml, emit_document, parse_documents};
use std::ops::Range;

/// Where secrets live: a document kind (`None`: the `v1alpha1` document, which has no
/// `kind`; `Some("*")`: any kind) and a dotted path in which `*` stands for any key or index.
///
/// The first ten are what Talos' own `Config.Redact` hides (the values that come from the
/// secrets bundle); the rest are credentials a patch may add.
pub const SECRET_FIELDS: &[(Option<&str>, &str)] = &[
    (None, "machine.token"),
    (None, "machine.ca.key"),
    (None, "cluster.secret"),
    (None, "cluster.token"),
    (None, "cluster.aescbcEncryptionSecret"),
    (None, "cluster.secretboxEncryptionSecret"),
    (None, "cluster.ca.key"),
    (None, "cluster.aggregatorCA.key"),
    (None, "cluster.serviceAccount.key"),
    (None, "cluster.etcd.ca.key"),
    (None, "machine.registries.config.*.auth.password"),
    (None, "machine.registries.config.*.auth.auth"),
    (None, "machine.registries.config.*.auth.identityToken"),
    (None, "machine.registries.config.*.tls.clientIdentity.key"),
    (None, "machine.network.interfaces.*.wireguard.privateKey"),
    (
        None,
        "machine.network.interfaces.*.wireguard.peers.*.presharedKey",
    ),
    (
        None,
        "machine.network.interfaces.*.vip.equinixMetal.apiToken",
    ),
    (None, "machine.network.interfaces.*.vip.hcloud.apiToken"),
    (
        None,
        "machine.network.interfaces.*.vlans.*.vip.equinixMetal.apiToken",
    ),
    (
        None,
        "machine.network.interfaces.*.vlans.*.vip.hcloud.apiToken",
    ),
    (
        None,
        "machine.systemDiskEncryption.*.keys.*.static.passphrase",
    ),
    (Some("WireguardConfig"), "privateKey"),
    (Some("WireguardConfig"), "peers.*.presharedKey"),
    (Some("RegistryAuthConfig"), "password"),
    (Some("RegistryAuthConfig"), "auth"),
    (Some("RegistryAuthConfig"), "identityToken"),
    (Some("RegistryTLSConfig"), "clientIdentity.key"),
    (Some("HCloudVIPConfig"), "apiToken"),
    (Some("SideroLinkConfig"), "uniqueToken"),
    (Some("*"), "encryption.keys.*.static.passphrase"),
];

/// Whether the value at `path` in a document of `kind` is secret: it sits at one of
/// [`SECRET_FIELDS`], or it is a scalar (or a list) where a mapping holding secrets belongs
/// (`machine.ca: <key>`), which is where a misplaced secret ends up. Empty values hide
/// nothing and are not secret.
pub fn is_secret(kind: Option<&str>, path: &[&str], value: &Yaml) -> bool {
    if matches!(value, Yaml::Null) || value.as_str().is_some_and(str::is_empty) {
        return false;
    }
    SECRET_FIELDS.iter().any(|(k, pattern)| {
        let kind_ok = match k {
            None => kind.is_none(),
            Some("*") => kind.is_some(),
            Some(want) => kind == Some(*want),
        };
        if !kind_ok {
            return false;
        }
        let pat: Vec<&str> = pattern.split('.').collect();
        if path.len() > pat.len() || !path.iter().zip(&pat).all(|(s, p)| *p == "*" || p == s) {
            return false;
        }
        match pat.get(path.len()) {
            None => true,
            // A prefix of a secret's path: only a value that cannot hold the path on is one.
            Some(next) => match value {
                Yaml::Map(_) => false,
                Yaml::Seq(_) => *next != "*",
                _ => true,
            },
        }
    })
}

/// `text` with every secret value replaced by `'******'`. A text that is not YAML has
/// every value replaced (see [`secret_ranges`]), so nothing secret is shown by mistake.
pub fn redact(text: &str) -> String {
    let marker = emit_document(&Yaml::str(REDACTED), &EmitOptions::default());
    let marker = marker.trim_end();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in secret_ranges(text) {
        out.push_str(&text[at..r.start]);
        out.push_str(marker);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Byte ranges of the secret values of a YAML text, in order and disjoint: values at
/// [`SECRET_FIELDS`] in each document, and in JSON6902 patches the `value` of an operation
/// whose `path` leads to one. A text that does not parse gets [`value_ranges`]: without a
/// structure, any value may be a secret.
pub fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    let Ok(docs) = parse_documents(text) else {
        return value_ranges(text);
    };
    let mut ranges = Vec::new();
    for pd in &docs {
        let kind = pd.value.get("kind").and_then(Yaml::as_str);
        for (path, _, span) in &pd.nodes {
            if let Some(v) = value_at(&pd.value, path)
                && secret_node(pd, kind, path, v)
            {
                ranges.push(tidy(text, span.clone()));
            }
        }
    }
    disjoint(ranges)
}

/// [`is_secret`] for a parsed path.
pub fn is_secret_at(kind: Option<&str>, path: &[PathSeg], value: &Yaml) -> bool {
    let segs: Vec<String> = path.iter().map(seg_text).collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    is_secret(kind, &segs, value)
}

fn secret_node(pd: &ParsedDoc, kind: Option<&str>, path: &[PathSeg], v: &Yaml) -> bool {
    if is_secret_at(kind, path, v) {
        return true;
    }
    // JSON6902: `- op: add`, `path: /machine/ca/key`, `value: …` patches the v1alpha1 document.
    if let [PathSeg::Index(i), PathSeg::Key(k), rest @ ..] = path
        && k == "value"
        && let Some(pointer) = pd
            .value
            .as_seq()
            .and_then(|ops| ops.get(*i))
            .and_then(|op| op.get("path"))
            .and_then(Yaml::as_str)
    {
        let mut full: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        full.extend(rest.iter().map(seg_text));
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        return is_secret(None, &full, v);
    }
    false
}

/// A value's span as the parser gives it, made to cover exactly the value's text: a block
/// scalar's span starts at its first content line (its `|` header is taken in) and ends
/// with the indentation of the line after it (dropped).
fn tidy(text: &str, span: Range<usize>) -> Range<usize> {
    let end = span.start + text[span.clone()].trim_end().len();
    let before = text[..span.start].trim_end();
    let header = before.rsplit([' ', '\t', '\n']).next().unwrap_or("");
    let start = if before.len() < span.start
        && text[before.len()..span.start].contains('\n')
        && is_block_header(header)
    {
        before.len() - header.len()
    } else {
        span.start
    };
    start..end.max(start)
}

fn seg_text(s: &PathSeg) -> String {
    match s {
        PathSeg::Key(k) => k.clone(),
        PathSeg::Index(i) => i.to_string(),
    }
}

fn value_at<'a>(root: &'a Yaml, path: &[PathSeg]) -> Option<&'a Yaml> {
    path.iter().try_fold(root, |v, s| match (v, s) {
        (Yaml::Map(m), PathSeg::Key(k)) => m.get(k),
        (Yaml::Seq(items), PathSeg::Index(i)) => items.get(*i),
        _ => None,
    })
}

/// Sorted, with ranges inside an earlier one dropped (a secret mapping covers its children).
fn disjoint(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ if r.is_empty() => {}
            _ => out.push(r),
        }
    }
    out
}

/// Byte ranges of every value in a YAML text, line by line, so it works on broken YAML too:
/// on each line the indentation, `- ` markers, a plain `key:` and a block-scalar header
/// (`|`, `>-`) stay; the rest of the line (the value, a comment's text, a line of a
/// multi-line value) is a range. A SOPS file's top-level `sops:` block (recipients, the
/// wrapped data key, the MAC) holds nothing secret and stays whole.
pub fn value_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_sops = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.starts_with(|c: char| !c.is_whitespace() && c != '#') {
            in_sops = body.starts_with("sops:");
        }
        let keep = kept_prefix(body);
        let rest = body[keep..].trim_end();
        if !in_sops && !rest.is_empty() && !is_block_header(rest) {
            out.push(start + keep..start + keep + rest.len());
        }
        start += line.len();
    }
    out
}

/// Length of the structural start of a line: indentation, `- ` markers, a plain key with its
/// colon, a comment's `#`, a document marker.
fn kept_prefix(line: &str) -> usize {
    let mut i = line.len() - line.trim_start().len();
    if i == 0 && (line.starts_with("---") || line.starts_with("...")) {
        i = 3;
    }
    loop {
        let rest = &line[i..];
        if rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
            i += 1;
            i += line[i..].len() - line[i..].trim_start().len();
        } else {
            break;
        }
    }
    let rest = &line[i..];
    if rest.starts_with('#') {
        return i + 1;
    }
    if let Some(key) = plain_key(rest) {
        i += key;
        i += line[i..].len() - line[i..].trim_start().len();
    }
    i
}

/// Length of a plain `key:` (with its colon) at the start of `s`, if it starts with one.
fn plain_key(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    if "#'\"{}[],&*!|>%@`?:-".contains(first) {
        return None;
    }
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        if c == '#' && prev.is_whitespace() {
            return None;
        }
        if c == ':' {
            let next = s[i + 1..].chars().next();
            if next.is_none_or(char::is_whitespace) {
                return Some(i + 1);
            }
        }
        prev = c;
    }
    None
}

/// `|`, `>-`, `|+2`: the header of a block scalar (its lines follow).
fn is_block_header(s: &str) -> bool {
    let s = s.split(" #").next().unwrap_or(s).trim_end();
    let mut chars = s.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

#[cfg(test)]
mod tests;
