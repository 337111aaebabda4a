//! YAML emitter that reproduces Go yaml.v3 output (indent, quoting, literal blocks).
//!
//! Talos marshals machine configs with yaml.v3-style encoders, sops writes its files the same
//! way and talhelper re-encodes with indent 2. Byte-identical output is what lets our files be
//! compared with theirs, so this follows the libyaml-derived emitter's decisions: block style
//! everywhere, `{}`/`[]` for empty collections, indentation rounded up to the next multiple of
//! the indent (a mapping inside a sequence item sits two columns after the dash), and the
//! quoting rules of `encoder.stringv` + `yaml_emitter_analyze_scalar`.

mod float;
mod implicit;
mod style;

#[cfg(test)]
mod golden;
#[cfg(test)]
mod tests;

use super::Yaml;
use float::format_float;
use style::{Style, double_quoted, single_quoted, string_style};

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
