//! YAML emitter that reproduces Go yaml.v3 output (indent, quoting, literal blocks).

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
pub fn emit_document(_doc: &Yaml, _opts: &EmitOptions) -> String {
    String::new() // STUB: implemented by the yaml helper
}

/// Emits several documents separated by `---` lines, as Talos writes multi-document configs.
pub fn emit_documents(docs: &[Yaml], opts: &EmitOptions) -> String {
    docs.iter()
        .map(|d| emit_document(d, opts))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// Whether a string can be written as a plain (unquoted) scalar.
pub fn emit_scalar_plain_ok(_s: &str) -> bool {
    true // STUB
}
