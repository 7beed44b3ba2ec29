//! Byte ranges and the line index that turns them into line/column positions.

use std::fmt;

/// A half-open range of byte offsets into a document's text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl TextRange {
    /// A range from `start` to `end` (byte offsets).
    #[must_use]
    pub fn new(start: u32, end: u32) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }

    /// An empty range at `offset`.
    #[must_use]
    pub fn empty(offset: u32) -> Self {
        Self::new(offset, offset)
    }

    /// Number of bytes covered.
    #[must_use]
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the range covers no byte.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` lies inside the range or at its end.
    #[must_use]
    pub fn contains_inclusive(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// The smallest range covering both.
    #[must_use]
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The same range `by` bytes further on (from a document's own offsets to its file's).
    #[must_use]
    pub fn shifted(self, by: u32) -> TextRange {
        TextRange::new(self.start + by, self.end + by)
    }

    /// The range as `usize` offsets, for slicing.
    #[must_use]
    pub fn to_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A 0-based line and column. What the column counts depends on the [`PositionEncoding`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Default)]
pub struct LineCol {
    /// 0-based line.
    pub line: u32,
    /// 0-based column in the chosen encoding's code units.
    pub col: u32,
}

/// What a column counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum PositionEncoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default, and SARIF's).
    #[default]
    Utf16,
    /// Unicode scalar values (what people and terminals count).
    Utf32,
}

/// Maps byte offsets of one text to lines and columns, and back.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r`, as in the Language Server Protocol.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    line_starts: Vec<u32>,
    /// Total length of the text in bytes.
    len: u32,
    /// Whether the whole text is ASCII, so every encoding counts the same.
    ascii: bool,
}

impl LineIndex {
    /// Index `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(to_u32(i + 1)),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(to_u32(i + 1));
                }
                _ => {}
            }
            i += 1;
        }
        Self {
            line_starts,
            len: to_u32(text.len()),
            ascii: text.is_ascii(),
        }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    #[must_use]
    pub fn line_count(&self) -> u32 {
        to_u32(self.line_starts.len())
    }

    /// Byte offset where `line` starts, or the text's end past the last line.
    #[must_use]
    pub fn line_start(&self, line: u32) -> u32 {
        self.line_starts
            .get(line as usize)
            .copied()
            .unwrap_or(self.len)
    }

    /// The 0-based line holding `offset`.
    #[must_use]
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        to_u32(self.line_starts.partition_point(|&start| start <= offset) - 1)
    }

    /// Byte range of `line` without its line break.
    #[must_use]
    pub fn line_range(&self, text: &str, line: u32) -> TextRange {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end as usize - 1], b'\n' | b'\r') {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// Line and column of `offset` in `text`, columns counted in `encoding`.
    #[must_use]
    pub fn line_col(&self, text: &str, offset: u32, encoding: PositionEncoding) -> LineCol {
        let offset = clamp_to_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize];
        let col = if self.ascii {
            offset - start
        } else {
            let prefix = &text[start as usize..offset as usize];
            match encoding {
                PositionEncoding::Utf8 => offset - start,
                PositionEncoding::Utf16 => to_u32(prefix.encode_utf16().count()),
                PositionEncoding::Utf32 => to_u32(prefix.chars().count()),
            }
        };
        LineCol { line, col }
    }

    /// Byte offset of a line and column. A column past the end of its line lands on the line's
    /// end; a line past the last one lands on the end of the text; a column inside a character
    /// lands on that character's start.
    #[must_use]
    pub fn offset(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> u32 {
        if pos.line as usize >= self.line_starts.len() {
            return self.len;
        }
        let line = self.line_range(text, pos.line);
        if self.ascii || encoding == PositionEncoding::Utf8 {
            let offset = (line.start + pos.col).min(line.end);
            return clamp_to_char_boundary(text, offset);
        }
        let mut units = 0;
        for (i, ch) in text[line.to_usize()].char_indices() {
            if units >= pos.col {
                return line.start + to_u32(i);
            }
            units += match encoding {
                PositionEncoding::Utf16 => to_u32(ch.len_utf16()),
                _ => 1,
            };
            if units > pos.col {
                // The column points inside a surrogate pair: stay on the character.
                return line.start + to_u32(i);
            }
        }
        line.end
    }
}

/// Converts a length or offset to `u32`; documents over 4 GiB are not supported.
#[must_use]
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn clamp_to_char_boundary(text: &str, mut offset: u32) -> u32 {
    while offset > 0 && !text.is_char_boundary(offset as usize) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip() {
        let text = "a: 1\nnote: \"héllo 😀 x\"\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        let x = text.find('x').unwrap() as u32;
        let pos = index.line_col(text, x, PositionEncoding::Utf16);
        assert_eq!(pos, LineCol { line: 1, col: 16 });
        assert_eq!(index.offset(text, pos, PositionEncoding::Utf16), x);
        let pos8 = index.line_col(text, x, PositionEncoding::Utf8);
        assert_eq!(pos8, LineCol { line: 1, col: 19 });
        assert_eq!(index.offset(text, pos8, PositionEncoding::Utf8), x);
        // A column past the end of the line stays on the line.
        let end = index.offset(text, LineCol { line: 1, col: 99 }, PositionEncoding::Utf16);
        assert_eq!(&text[end as usize..end as usize + 2], "\r\n");
    }

    #[test]
    fn lone_cr_and_line_separator() {
        // U+2028 is not a line break in LSP.
        let text = "a\rb\u{2028}c\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_of(text.find('c').unwrap() as u32), 1);
    }
}
