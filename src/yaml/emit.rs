//! YAML emitter that reproduces Go yaml.v3 output (indent, quoting, literal blocks).
//!
//! Talos marshals machine configs with yaml.v3-style encoders, sops writes its files the same
//! way and talhelper re-encodes with indent 2. Byte-identical output is what lets our files be
//! compared with theirs, so this follows the libyaml-derived emitter's decisions: block style
//! everywhere, `{}`/`[]` for empty collections, indentation rounded up to the next multiple of
//! the indent (a mapping inside a sequence item sits two columns after the dash), and the
//! quoting rules of `encoder.stringv` + `yaml_emitter_analyze_scalar`.

use super::Yaml;

/// How to emit: Talos and sops write 4-space indentation, talhelper 2.
#[derive(Debug, Clone, Copy)]
pub struct EmitOptions {
    /// Spaces per nesting level; sequences under a key are indented by the same amount.
    pub indent: usize,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions { indent: 4 }
    }
}

/// Emits one document (ends with a newline, no leading `---`).
pub fn emit_document(doc: &Yaml, opts: &EmitOptions) -> String {
    let mut e = Emitter {
        out: String::new(),
        best: opts.indent.max(2),
    };
    match doc {
        Yaml::Map(m) if !m.is_empty() => e.map(doc, None, false),
        Yaml::Seq(s) if !s.is_empty() => e.seq(doc, None, false),
        // A root block scalar is indented like a first-level value (yaml.v3 uses the indent).
        scalar => e.scalar_value(scalar, e.best, false, false),
    }
    if !e.out.ends_with('\n') {
        e.out.push('\n');
    }
    e.out
}

/// Emits several documents separated by `---` lines, as Talos writes multi-document configs.
pub fn emit_documents(docs: &[Yaml], opts: &EmitOptions) -> String {
    docs.iter()
        .map(|d| emit_document(d, opts))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// Whether a string can be written as a plain (unquoted) scalar in block context.
pub fn emit_scalar_plain_ok(s: &str) -> bool {
    matches!(string_style(s, false), Style::Plain)
}

struct Emitter {
    out: String,
    best: usize,
}

impl Emitter {
    /// The indentation of a collection nested under a parent at `parent` (None = document
    /// root). Inside a sequence item the content skips the `- `; elsewhere it is rounded up
    /// to the next multiple of the indent, as yaml.v3 does ("more regular" indentation).
    fn child_indent(&self, parent: Option<usize>, in_seq_item: bool) -> usize {
        match parent {
            None => 0,
            Some(p) if in_seq_item => p + 2,
            Some(p) => self.best * ((p + self.best) / self.best),
        }
    }

    fn start_line(&mut self, indent: usize) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    fn map(&mut self, value: &Yaml, parent: Option<usize>, in_seq_item: bool) {
        let Yaml::Map(m) = value else { return };
        let indent = self.child_indent(parent, in_seq_item);
        for (i, (k, v)) in m.iter().enumerate() {
            if !(i == 0 && in_seq_item) {
                self.start_line(indent);
            }
            self.key(k);
            self.out.push(':');
            self.value_after_indicator(v, indent, false);
        }
    }

    fn seq(&mut self, value: &Yaml, parent: Option<usize>, in_seq_item: bool) {
        let Yaml::Seq(items) = value else { return };
        let indent = self.child_indent(parent, in_seq_item);
        for (i, item) in items.iter().enumerate() {
            if !(i == 0 && in_seq_item) {
                self.start_line(indent);
            }
            self.out.push('-');
            self.value_after_indicator(item, indent, true);
        }
    }

    /// Writes the value that follows `key:` or `-` at `indent`.
    fn value_after_indicator(&mut self, v: &Yaml, indent: usize, after_dash: bool) {
        match v {
            Yaml::Map(m) if !m.is_empty() => {
                if after_dash {
                    self.out.push(' ');
                    self.map(v, Some(indent), true);
                } else {
                    self.map(v, Some(indent), false);
                }
            }
            Yaml::Seq(s) if !s.is_empty() => {
                if after_dash {
                    self.out.push(' ');
                    self.seq(v, Some(indent), true);
                } else {
                    self.seq(v, Some(indent), false);
                }
            }
            scalar => {
                self.out.push(' ');
                // A block scalar's lines are indented like a nested collection would be.
                let block_indent = self.child_indent(Some(indent), after_dash);
                // An indentation indicator (always the indent) is only right when the block
                // sits exactly one indent below its parent's column.
                self.scalar_value(
                    scalar,
                    block_indent,
                    false,
                    block_indent - indent == self.best,
                );
            }
        }
    }

    fn key(&mut self, k: &str) {
        match string_style(k, true) {
            Style::Plain => self.out.push_str(k),
            Style::Single => single_quoted(&mut self.out, k),
            Style::Double | Style::Literal => double_quoted(&mut self.out, k),
        }
    }

    /// A scalar (or an empty collection) at the current position; `block_indent` is where
    /// the lines of a literal block go.
    fn scalar_value(&mut self, v: &Yaml, block_indent: usize, as_key: bool, hint_ok: bool) {
        match v {
            Yaml::Null => self.out.push_str("null"),
            Yaml::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Yaml::Int(i) => self.out.push_str(&i.to_string()),
            Yaml::Float(f) => self.out.push_str(&format_float(*f)),
            Yaml::Map(_) => self.out.push_str("{}"),
            Yaml::Seq(_) => self.out.push_str("[]"),
            Yaml::Str(s) => match string_style(s, as_key) {
                Style::Plain => self.out.push_str(s),
                Style::Single => single_quoted(&mut self.out, s),
                Style::Double => double_quoted(&mut self.out, s),
                // yaml.v3 writes the indicator as the indent even where the block sits
                // elsewhere, which does not read back; those strings are quoted instead.
                Style::Literal if !hint_ok && s.starts_with(' ') => double_quoted(&mut self.out, s),
                Style::Literal => self.literal(s, block_indent),
            },
        }
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.out.push('|');
        if s.starts_with(' ') || s.starts_with('\n') {
            self.out.push_str(&self.best.to_string());
        }
        let trailing = s.len() - s.trim_end_matches('\n').len();
        match trailing {
            0 => self.out.push('-'),
            1 if s.len() > 1 => {}
            _ => self.out.push('+'),
        }
        let mut at_break = true;
        for c in s.chars() {
            if c == '\n' {
                self.out.push('\n');
                at_break = true;
            } else {
                if at_break {
                    if !self.out.ends_with('\n') {
                        self.out.push('\n');
                    }
                    self.out.extend(std::iter::repeat_n(' ', indent));
                    at_break = false;
                }
                self.out.push(c);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// The style yaml.v3 picks for a string: `stringv` decides plain/literal/double from how the
/// text would resolve, then the emitter's scalar analysis may demote plain to single quotes
/// and single quotes or literal blocks to double quotes.
fn string_style(s: &str, simple_key: bool) -> Style {
    let a = analyze(s);
    // yaml.v3 writes a literal block for a string that starts with a line break but loses
    // that first break when reading it back; we quote such strings so they round-trip.
    let requested = if s.starts_with('\n') {
        Style::Double
    } else if s.contains('\n') {
        Style::Literal
    } else if resolves_to_str(s) && !is_base60_float(s) && !is_old_bool(s) {
        Style::Plain
    } else {
        Style::Double
    };
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && simple_key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::Double;
    }
    style
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable` (which, as written there, excludes characters outside the BMP).
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let followed_by_ws = next.is_none_or(|n| n == ' ' || n == '\t' || is_break(n));
        let last = i + 1 == chars.len();
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_ws => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_ws => block_indicators = true,
                '#' if preceded_by_ws => block_indicators = true,
                _ => {}
            }
        }
        if c == '\t' {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = c == ' ' || c == '\t' || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break || line_breaks {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space || space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    // Line breaks other than `\n` never get a literal block from stringv; keep them escaped.
    if s.chars().any(|c| is_break(c) && c != '\n') {
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    a
}

/// Whether a plain scalar with this text would read back as a string (yaml.v3 `resolve`).
pub(crate) fn resolves_to_str(s: &str) -> bool {
    match s {
        "" | "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False"
        | "FALSE" | ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf"
        | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | "<<" => return false,
        _ => {}
    }
    let first = s.as_bytes()[0];
    match first {
        b'.' => s.parse::<f64>().is_err() || s.contains(['i', 'I', 'n', 'N']),
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            !(parses_go_int(&plain) || is_yaml_float(&plain) || parses_prefixed(&plain))
        }
        _ => true,
    }
}

/// `strconv.ParseInt(s, 0, 64)` / `ParseUint`: sign, then `0x`, `0o`, `0b`, a leading `0`
/// (octal) or decimal digits.
fn parses_go_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return false;
    }
    let (digits, radix) = if let Some(r) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (r, 2)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
}

fn parses_prefixed(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    if let Some(r) = body.strip_prefix("0b") {
        return !r.is_empty() && r.chars().all(|c| c == '0' || c == '1');
    }
    if let Some(r) = body.strip_prefix("0o") {
        return !r.is_empty() && r.chars().all(|c| c.is_digit(8));
    }
    false
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match b.find(['e', 'E']) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let mant_ok = if let Some(frac) = mant.strip_prefix('.') {
        !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit())
    } else {
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        !int.is_empty()
            && int.bytes().all(|c| c.is_ascii_digit())
            && frac.bytes().all(|c| c.is_ascii_digit())
    };
    let exp_ok = exp.is_none_or(|e| {
        let d = e.strip_prefix(['+', '-']).unwrap_or(e);
        !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())
    });
    mant_ok && exp_ok
}

/// The date/time forms yaml.v3 resolves to `!!timestamp` (YYYY-M-D, optionally with a time).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let rest = &s[5..];
    let (date, time) = match rest.find(['T', 't', ' ']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let Some((m, d)) = date.split_once('-') else {
        return false;
    };
    let small = |x: &str| (1..=2).contains(&x.len()) && x.bytes().all(|c| c.is_ascii_digit());
    if !small(m) || !small(d) {
        return false;
    }
    match time {
        None => true,
        Some(t) => {
            let t = t.trim_end_matches('Z');
            let t = t.split(['+', '-']).next().unwrap_or(t);
            let t = t.split('.').next().unwrap_or(t);
            let parts: Vec<&str> = t.split(':').collect();
            parts.len() == 3 && parts.iter().all(|p| small(p))
        }
    }
}

fn is_base60_float(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first == '+' || first == '-' || first.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, frac) = body.split_once('.').unwrap_or((body, ""));
    if !frac.bytes().all(|c| c.is_ascii_digit() || c == b'_') {
        return false;
    }
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.bytes().all(|c| c.is_ascii_digit() || c == b'_')
    {
        return false;
    }
    let mut any = false;
    for p in parts {
        any = true;
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    any
}

fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

fn single_quoted(out: &mut String, s: &str) {
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

fn double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        let escape = !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\';
        if !escape {
            out.push(c);
            continue;
        }
        out.push('\\');
        match c {
            '\0' => out.push('0'),
            '\u{07}' => out.push('a'),
            '\u{08}' => out.push('b'),
            '\t' => out.push('t'),
            '\n' => out.push('n'),
            '\u{0B}' => out.push('v'),
            '\u{0C}' => out.push('f'),
            '\r' => out.push('r'),
            '\u{1B}' => out.push('e'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '\u{85}' => out.push('N'),
            '\u{A0}' => out.push('_'),
            '\u{2028}' => out.push('L'),
            '\u{2029}' => out.push('P'),
            c => {
                let u = c as u32;
                let s = if u <= 0xFF {
                    format!("x{u:02X}")
                } else if u <= 0xFFFF {
                    format!("u{u:04X}")
                } else {
                    format!("U{u:08X}")
                };
                out.push_str(&s);
            }
        }
    }
    out.push('"');
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` with yaml.v3's `.inf`/`.nan` spellings.
fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Shortest round-trip digits and decimal exponent, from Rust's `{:e}`.
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if neg { "-" } else { "" };
    // Go switches to an exponent when exp < -4 or exp >= 6 for shortest 'g' output.
    if !(-4..6).contains(&exp) {
        return go_exp(sign, &digits, exp);
    }
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let exp = exp as usize;
    if digits.len() > exp + 1 {
        format!("{sign}{}.{}", &digits[..=exp], &digits[exp + 1..])
    } else {
        format!("{sign}{digits}{}", "0".repeat(exp + 1 - digits.len()))
    }
}

fn go_exp(sign: &str, digits: &str, exp: i32) -> String {
    let (first, rest) = digits.split_at(1);
    let frac = if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    };
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Map;

    fn emit4(y: &Yaml) -> String {
        emit_document(y, &EmitOptions { indent: 4 })
    }

    fn m(pairs: Vec<(&str, Yaml)>) -> Yaml {
        Yaml::from_pairs(pairs)
    }

    #[test]
    fn nested_maps_and_sequences_indent_like_yaml_v3() {
        let doc = m(vec![
            ("version", Yaml::str("v1alpha1")),
            (
                "cluster",
                m(vec![(
                    "network",
                    m(vec![("podSubnets", Yaml::str_seq(["10.244.0.0/16"]))]),
                )]),
            ),
            (
                "admissionControl",
                Yaml::Seq(vec![m(vec![
                    ("name", Yaml::str("PodSecurity")),
                    (
                        "configuration",
                        m(vec![(
                            "exemptions",
                            m(vec![("namespaces", Yaml::str_seq(["a"]))]),
                        )]),
                    ),
                ])]),
            ),
            ("empty", Yaml::map()),
            ("none", Yaml::Seq(vec![])),
        ]);
        assert_eq!(
            emit4(&doc),
            "version: v1alpha1\ncluster:\n    network:\n        podSubnets:\n            - 10.244.0.0/16\n\
             admissionControl:\n    - name: PodSecurity\n      configuration:\n        exemptions:\n            namespaces:\n                - a\n\
             empty: {}\nnone: []\n"
        );
    }

    #[test]
    fn two_space_indent_for_talhelper() {
        let doc = m(vec![(
            "nodes",
            Yaml::Seq(vec![m(vec![
                ("hostname", Yaml::str("cp-1")),
                ("patches", Yaml::str_seq(["@./patches/a.yaml"])),
            ])]),
        )]);
        assert_eq!(
            emit_document(&doc, &EmitOptions { indent: 2 }),
            "nodes:\n  - hostname: cp-1\n    patches:\n      - '@./patches/a.yaml'\n"
        );
    }

    #[test]
    fn quoting_follows_resolution() {
        let cases = [
            ("", "\"\""),
            ("true", "\"true\""),
            ("off", "\"off\""),
            ("123", "\"123\""),
            ("0755", "\"0755\""),
            ("1.5", "\"1.5\""),
            ("1e3", "\"1e3\""),
            ("1:20", "\"1:20\""),
            ("2024-01-02", "\"2024-01-02\""),
            ("null", "\"null\""),
            ("~", "\"~\""),
            ("10.244.0.0/16", "10.244.0.0/16"),
            ("https://base:6443", "https://base:6443"),
            ("802.3ad", "802.3ad"),
            ("v1.12.0", "v1.12.0"),
            ("*.talosconfig", "'*.talosconfig'"),
            ("!*.sops.yaml", "'!*.sops.yaml'"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            ("a#b", "a#b"),
            ("- x", "'- x'"),
            ("-x", "-x"),
            (" lead", "' lead'"),
            ("it's", "it's"),
            ("'q", "'''q'"),
            ("tab\there", "\"tab\\there\""),
            ("é", "é"),
            ("😀", "\"\\U0001F600\""),
            ("a\u{7}", "\"a\\a\""),
            ("layer3+4", "layer3+4"),
            ("+5", "\"+5\""),
            ("0x1F", "\"0x1F\""),
            ("08", "\"08\""),
            (".5", "\".5\""),
            (".hidden", ".hidden"),
            ("1_000", "\"1_000\""),
        ];
        for (input, want) in cases {
            let doc = m(vec![("k", Yaml::str(input))]);
            assert_eq!(emit4(&doc), format!("k: {want}\n"), "input {input:?}");
        }
    }

    #[test]
    fn literal_blocks_and_chomping() {
        let doc = m(vec![
            ("a", Yaml::str("line1\nline2\n")),
            ("b", Yaml::str("x\ny")),
            ("c", Yaml::str("x\n\n")),
            ("d", Yaml::str("x\n\ny\n")),
            ("e", Yaml::str(" lead\n")),
            ("f", Yaml::str("trail \nx")),
        ]);
        assert_eq!(
            emit4(&doc),
            "a: |\n    line1\n    line2\nb: |-\n    x\n    y\nc: |+\n    x\n\nd: |\n    x\n\n    y\ne: |4\n     lead\nf: \"trail \\nx\"\n"
        );
        let seq = Yaml::Seq(vec![Yaml::str("a\nb\n")]);
        assert_eq!(emit4(&seq), "- |\n  a\n  b\n");
    }

    #[test]
    fn scalars_and_keys() {
        let mut map = Map::new();
        map.insert("n".into(), Yaml::Null);
        map.insert("b".into(), Yaml::Bool(false));
        map.insert("i".into(), Yaml::Int(-7));
        map.insert("f".into(), Yaml::Float(0.5));
        map.insert("g".into(), Yaml::Float(1e6));
        map.insert("true".into(), Yaml::Int(1));
        map.insert("node.kubernetes.io/role".into(), Yaml::str(""));
        assert_eq!(
            emit4(&Yaml::Map(map)),
            "\"n\": null\nb: false\ni: -7\nf: 0.5\ng: 1e+06\n\"true\": 1\nnode.kubernetes.io/role: \"\"\n"
        );
        assert_eq!(emit4(&Yaml::map()), "{}\n");
        assert_eq!(emit4(&Yaml::str("x")), "x\n");
    }

    #[test]
    fn floats_like_go() {
        for (f, want) in [
            (1.0, "1"),
            (1.5, "1.5"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.25, "-2.25"),
        ] {
            assert_eq!(format_float(f), want, "{f}");
        }
    }

    #[test]
    fn nested_sequences() {
        let doc = Yaml::Seq(vec![Yaml::str_seq(["a", "b"]), Yaml::str("c")]);
        assert_eq!(emit4(&doc), "- - a\n  - b\n- c\n");
        let doc = m(vec![("k", Yaml::Seq(vec![Yaml::str_seq(["a"])]))]);
        assert_eq!(emit4(&doc), "k:\n    - - a\n");
    }

    #[test]
    fn multiple_documents() {
        let a = m(vec![("a", Yaml::Int(1))]);
        let b = m(vec![("b", Yaml::Int(2))]);
        assert_eq!(
            emit_documents(&[a, b], &EmitOptions::default()),
            "a: 1\n---\nb: 2\n"
        );
    }
}

#[cfg(test)]
mod golden {
    use super::*;
    use crate::testutil::oracle_text;
    use crate::yaml::parse_documents;

    /// Upstream files written by Go encoders come back byte for byte from parse → emit.
    #[test]
    fn upstream_files_round_trip_byte_for_byte() {
        let mut files = vec![
            "talos-examples/gen-v1.12-base-controlplane.yaml".to_string(),
            "talos-examples/gen-v1.12-base-worker.yaml".to_string(),
        ];
        for n in crate::testutil::NETWORK_EXAMPLES {
            files.push(format!("talos-examples/network/{n}.yaml"));
        }
        for f in files {
            let Some(text) = oracle_text(&f) else { return };
            let docs: Vec<Yaml> = parse_documents(&text)
                .unwrap_or_else(|e| panic!("{f}: {e:?}"))
                .into_iter()
                .map(|d| d.value)
                .collect();
            let out = emit_documents(&docs, &EmitOptions { indent: 4 });
            assert_eq!(out, text, "{f}");
        }
    }
}
