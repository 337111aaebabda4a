//! saphyr's character indices as byte offsets.

/// Maps saphyr's character indices to byte offsets.
pub(super) struct Offsets<'t> {
    text: &'t str,
    /// Byte offset of every [`OFFSET_STEP`]th char; `None` for ASCII text, where char and
    /// byte offsets are equal. (One offset per char would take 8 bytes per input byte.)
    table: Option<Vec<usize>>,
}

/// Chars between two entries of [`Offsets::table`].
pub(super) const OFFSET_STEP: usize = 64;

impl<'t> Offsets<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(OFFSET_STEP)
                .map(|(i, _)| i)
                .collect()
        });
        Offsets { text, table }
    }

    pub(super) fn byte(&self, char_index: usize) -> usize {
        let len = self.text.len();
        match &self.table {
            None => char_index.min(len),
            Some(t) => match t.get(char_index / OFFSET_STEP) {
                Some(&at) => self.text[at..]
                    .char_indices()
                    .nth(char_index % OFFSET_STEP)
                    .map_or(len, |(i, _)| at + i),
                None => len,
            },
        }
    }
}
