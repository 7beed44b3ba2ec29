//! The one place where byte offsets meet LSP positions: core types to `lsp_types` and back,
//! in the negotiated position encoding.

use std::path::PathBuf;

use lsp_types::{
    ClientCapabilities, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent, Uri,
};
use ropey::Rope;
use serde_json::json;

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::text::{PositionEncoding, TextRange, to_u32};

/// What goes into `Diagnostic.source`.
pub(crate) const SOURCE: &str = "kls";

/// UTF-8 when the client offers it (no counting of UTF-16 units), else the LSP default, UTF-16.
pub(crate) fn negotiate_encoding(capabilities: &ClientCapabilities) -> PositionEncoding {
    let offered = capabilities
        .general
        .as_ref()
        .and_then(|it| it.position_encodings.as_ref());
    if offered.is_some_and(|it| it.contains(&PositionEncodingKind::UTF8)) {
        PositionEncoding::Utf8
    } else {
        PositionEncoding::Utf16
    }
}

/// The LSP name of an encoding.
pub(crate) fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// Converts positions of one version of one document, using the rope's own line and UTF-16
/// index: each conversion is O(log n), and nothing is built per version.
#[derive(Clone, Copy)]
pub(crate) struct Positions<'a> {
    pub(crate) rope: &'a Rope,
    pub(crate) encoding: PositionEncoding,
}

impl Positions<'_> {
    pub(crate) fn position(&self, offset: u32) -> Position {
        let rope = self.rope;
        let offset = (offset as usize).min(rope.len_bytes());
        let line = rope.byte_to_line(offset);
        let col = match self.encoding {
            PositionEncoding::Utf8 => offset - rope.line_to_byte(line),
            PositionEncoding::Utf16 => {
                rope.char_to_utf16_cu(rope.byte_to_char(offset))
                    - rope.char_to_utf16_cu(rope.line_to_char(line))
            }
            PositionEncoding::Utf32 => rope.byte_to_char(offset) - rope.line_to_char(line),
        };
        Position::new(to_u32(line), to_u32(col))
    }

    pub(crate) fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of a position; positions past a line's end or the text's end are clamped.
    pub(crate) fn offset(&self, position: Position) -> u32 {
        to_u32(
            self.rope
                .char_to_byte(char_index(self.rope, position, self.encoding)),
        )
    }

    /// The 0-based line of an offset (the same in every encoding).
    pub(crate) fn line(&self, offset: u32) -> u32 {
        to_u32(
            self.rope
                .byte_to_line((offset as usize).min(self.rope.len_bytes())),
        )
    }

    /// A core diagnostic as an LSP one. The fix, if any, goes into `data` with LSP ranges, for
    /// code actions.
    pub(crate) fn diagnostic(&self, uri: &Uri, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
        let related_information = (!diagnostic.related.is_empty()).then(|| {
            diagnostic
                .related
                .iter()
                .map(|it| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), self.range(it.range)),
                    message: it.message.clone(),
                })
                .collect()
        });
        let data = diagnostic.fix.as_ref().map(|fix| {
            let edits: Vec<_> = fix
                .edits
                .iter()
                .map(|it| json!({ "range": self.range(it.range), "newText": it.new_text }))
                .collect();
            json!({ "fix": { "title": fix.title, "edits": edits } })
        });
        lsp_types::Diagnostic {
            range: self.range(diagnostic.range),
            severity: Some(severity(diagnostic.severity)),
            code: Some(NumberOrString::String(diagnostic.code.to_owned())),
            code_description: None,
            source: Some(SOURCE.to_owned()),
            message: diagnostic.message.clone(),
            related_information,
            tags: None,
            data,
        }
    }
}

pub(crate) fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Hint => DiagnosticSeverity::HINT,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Error => DiagnosticSeverity::ERROR,
    }
}

/// Applies one `didChange` content change to a rope. Positions out of range are clamped, as
/// the protocol asks.
pub(crate) fn apply_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    encoding: PositionEncoding,
) {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return;
    };
    let mut start = char_index(rope, range.start, encoding);
    let mut end = char_index(rope, range.end, encoding);
    if end < start {
        std::mem::swap(&mut start, &mut end);
    }
    rope.remove(start..end);
    rope.insert(start, &change.text);
}

/// The char index of an LSP position in a rope.
fn char_index(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let slice = rope.line(line);
    let mut content = slice.len_chars();
    if content > 0 && slice.char(content - 1) == '\n' {
        content -= 1;
    }
    if content > 0 && slice.char(content - 1) == '\r' {
        content -= 1;
    }
    let col = position.character as usize;
    let chars = match encoding {
        PositionEncoding::Utf8 => slice.byte_to_char(col.min(slice.len_bytes())),
        PositionEncoding::Utf16 => slice.utf16_cu_to_char(col.min(slice.len_utf16_cu())),
        PositionEncoding::Utf32 => col,
    };
    line_start + chars.min(content)
}

/// The local path of a `file:` URI.
pub(crate) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // Skip the authority (usually empty, or `localhost`).
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    // `/C:/x` on Windows.
    let bytes = decoded.as_bytes();
    if cfg!(windows) && bytes.len() > 2 && bytes[2] == b':' && bytes[1].is_ascii_alphabetic() {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of a local path.
pub(crate) fn file_uri(path: &std::path::Path) -> Option<Uri> {
    let path = path.to_str()?;
    let mut res = String::from("file://");
    if cfg!(windows) {
        res.push('/');
    }
    for byte in path.bytes() {
        match byte {
            b'\\' if cfg!(windows) => res.push('/'),
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => res.push(char::from(byte)),
            other => res.push_str(&format!("%{other:02X}")),
        }
    }
    res.parse().ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut res = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            res.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            res.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(res).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0.0, range.0.1),
                Position::new(range.1.0, range.1.1),
            )),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn edits_in_utf16_and_utf8_columns() {
        let mut rope = Rope::from_str("a: \"😀x\"\r\nb: 1\r\n");
        // After the emoji: 2 UTF-16 units, 4 bytes.
        apply_change(
            &mut rope,
            &change(((0, 6), (0, 7)), "y"),
            PositionEncoding::Utf16,
        );
        assert_eq!(rope.to_string(), "a: \"😀y\"\r\nb: 1\r\n");
        apply_change(
            &mut rope,
            &change(((0, 8), (0, 9)), "z"),
            PositionEncoding::Utf8,
        );
        assert_eq!(rope.to_string(), "a: \"😀z\"\r\nb: 1\r\n");
        // A column past the end of a CRLF line stays before the line break.
        apply_change(
            &mut rope,
            &change(((1, 99), (1, 99)), "0"),
            PositionEncoding::Utf16,
        );
        assert_eq!(rope.to_string(), "a: \"😀z\"\r\nb: 10\r\n");
        // A line past the end appends.
        apply_change(
            &mut rope,
            &change(((9, 0), (9, 0)), "c: 2"),
            PositionEncoding::Utf16,
        );
        assert_eq!(rope.to_string(), "a: \"😀z\"\r\nb: 10\r\nc: 2");
    }

    #[test]
    fn offsets_and_positions_agree_with_the_line_index() {
        use crate::core::text::{LineCol, LineIndex};
        let text = "a: \"😀é\"\r\nb: x\rc: \"ü\"\n\nd: 1";
        let rope = Rope::from_str(text);
        let index = LineIndex::new(text);
        for encoding in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let positions = Positions {
                rope: &rope,
                encoding,
            };
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let offset = offset as u32;
                let LineCol { line, col } = index.line_col(text, offset, encoding);
                let position = positions.position(offset);
                assert_eq!(
                    (position.line, position.character),
                    (line, col),
                    "{encoding:?} at {offset}"
                );
                assert_eq!(positions.line(offset), line);
                // Offsets inside a line break have no position of their own.
                if !matches!(text.as_bytes().get(offset as usize), Some(b'\n'))
                    || offset == 0
                    || text.as_bytes()[offset as usize - 1] != b'\r'
                {
                    assert_eq!(
                        positions.offset(position),
                        offset,
                        "{encoding:?} at {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/my%20dir/a.yaml".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/my dir/a.yaml")));
        let back = file_uri(&PathBuf::from("/tmp/my dir/a#1é.yaml")).unwrap();
        assert_eq!(back.as_str(), "file:///tmp/my%20dir/a%231%C3%A9.yaml");
        assert_eq!(
            file_path(&back),
            Some(PathBuf::from("/tmp/my dir/a#1é.yaml"))
        );
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&untitled), None);
    }
}
