//! `--format json`: a stable array of diagnostics with LSP-style positions.

use serde_json::{Value, json};

use crate::cli::lint::LintOutcome;
use crate::core::text::{LineIndex, PositionEncoding, TextRange};

/// The JSON array: `{file, range: {start: {line, character}, end}, severity, code, source,
/// message}`, 0-based lines and UTF-16 characters as in LSP; `source` is `kls`, or `cluster`
/// for what an API server said.
#[must_use]
pub fn to_json(outcome: &LintOutcome) -> Value {
    let mut res = Vec::new();
    for file in &outcome.files {
        for diagnostic in &file.diagnostics {
            res.push(json!({
                "file": file.path,
                "range": range(&file.line_index, &file.text, diagnostic.range),
                "severity": diagnostic.severity.as_str(),
                "code": diagnostic.code,
                "source": crate::core::cluster::source_of(diagnostic.code),
                "message": diagnostic.message,
            }));
        }
    }
    Value::Array(res)
}

fn range(index: &LineIndex, text: &str, range: TextRange) -> Value {
    let start = index.line_col(text, range.start, PositionEncoding::Utf16);
    let end = index.line_col(text, range.end, PositionEncoding::Utf16);
    json!({
        "start": {"line": start.line, "character": start.col},
        "end": {"line": end.line, "character": end.col},
    })
}
