//! YAML parser (saphyr-parser events) into [`Yaml`] values with byte spans per path: the event
//! loop and its errors here; documents and their path index in [`doc`], the memory budget in
//! [`budget`], the value builder in [`builder`].

mod budget;
mod builder;
mod comments;
mod doc;
mod itself;
mod offsets;
mod resolve;
#[cfg(test)]
mod tests;

use budget::Budget;
use builder::DocBuilder;
pub use comments::comment_ranges;
pub use doc::{ParsedDoc, Path, PathSeg};
pub use itself::reparses_to_itself;
use offsets::Offsets;
use saphyr_parser::{Event, Parser, ScanError};
use std::ops::Range;

// The parser tests (`use super::*`) reach past the split.
#[cfg(test)]
use crate::yaml::Yaml;
#[cfg(test)]
use budget::MAX_DEPTH;

/// A syntax error with the byte span where the parser stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// What went wrong, lowercase, no trailing period.
    pub message: String,
    /// Where.
    pub span: Range<usize>,
}

/// Parses a (multi-document) YAML text. Plain scalars resolve like yaml.v3 (YAML 1.2 core
/// schema: `true`/`false`, ints incl. `0x`/`0o`, floats, `null`/`~`); quoted scalars are strings.
/// Duplicate mapping keys are an error.
///
/// Aliases expand to copies of their anchored value (nodes below an alias keep the spans of
/// the anchored text) and `<<` merge keys merge as in yaml.v3 (merged keys point at the `<<`
/// entry). Nesting deeper than 256 levels, alias expansion beyond a million nodes or
/// max(10 MiB, 10 × the input) and node paths beyond max(64 MiB, 32 × the input) are errors
/// (see [`Budget`]), so hostile input cannot exhaust the stack or memory.
pub fn parse_documents(text: &str) -> Result<Vec<ParsedDoc>, ParseError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut doc: Option<DocBuilder<'_>> = None;
    let mut budget = Budget::for_len(text.len());
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(text, &offsets, &e))?;
        let start = offsets.byte(span.start.index());
        let range = start..offsets.byte(span.end.index()).max(start);
        match event {
            Event::DocumentStart(_) => doc = Some(DocBuilder::new(text, range.start, budget)),
            Event::DocumentEnd => {
                // An explicit `...` belongs to the document; an implicit end is reported at
                // the next `---`, which does not.
                let end = if text[range.clone()].starts_with("...") {
                    range.end
                } else {
                    range.start
                };
                if let Some(d) = doc.take() {
                    budget = d.budget;
                    docs.push(d.finish(end)?);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            event => match doc.as_mut() {
                Some(d) => d.event(event, range, span.start.line())?,
                None => return Err(error("unexpected content outside a document", range)),
            },
        }
    }
    if let Some(d) = doc.take() {
        docs.push(d.finish(text.len())?);
    }
    Ok(docs)
}

fn error(message: impl Into<String>, span: Range<usize>) -> ParseError {
    ParseError {
        message: message.into(),
        span,
    }
}

/// Turns a scanner error into a [`ParseError`] one character wide at the error position.
fn scan_error(text: &str, offsets: &Offsets<'_>, e: &ScanError) -> ParseError {
    let start = offsets.byte(e.marker().index());
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let info = e.info().trim_end_matches('.');
    let mut chars = info.chars();
    let message = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "invalid yaml".to_owned(),
    };
    error(message, start..end)
}
