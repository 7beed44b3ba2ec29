//! `--format github`: workflow commands that GitHub Actions shows as annotations.

use std::io::{self, Write};

use crate::cli::lint::LintOutcome;
use crate::core::diagnostic::Severity;
use crate::core::text::PositionEncoding;

pub(super) fn write(out: &mut dyn Write, outcome: &LintOutcome) -> io::Result<()> {
    for file in &outcome.files {
        for diagnostic in &file.diagnostics {
            let level = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            // GitHub counts columns in characters, 1-based.
            let start = file.line_index.line_col(
                &file.text,
                diagnostic.range.start,
                PositionEncoding::Utf32,
            );
            let end =
                file.line_index
                    .line_col(&file.text, diagnostic.range.end, PositionEncoding::Utf32);
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&file.path),
                start.line + 1,
                start.col + 1,
                end.line + 1,
                end.col + 1,
                escape_property(&format!("kls ({})", diagnostic.code)),
                escape_data(&diagnostic.message),
            )?;
        }
    }
    for note in &outcome.notes {
        writeln!(
            out,
            "::notice file={},title=kls::{}",
            escape_property(&note.path),
            escape_data(&note.message),
        )?;
    }
    Ok(())
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
