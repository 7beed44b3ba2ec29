//! `--format junit`: JUnit XML, the test report format of Jenkins, GitLab and Azure Pipelines.
//!
//! One `<testsuite>` per file checked, named by its path. Each diagnostic is a `<testcase>`
//! that failed (classname: the file; name: the rule and position); a file with nothing to say
//! is one passing test case, so the report lists every file that was checked.

use std::io::{self, Write};

use crate::cli::lint::LintOutcome;
use crate::core::text::PositionEncoding;

pub(super) fn write(out: &mut dyn Write, outcome: &LintOutcome) -> io::Result<()> {
    let failures: usize = outcome.files.iter().map(|it| it.diagnostics.len()).sum();
    let tests: usize = outcome
        .files
        .iter()
        .map(|it| it.diagnostics.len().max(1))
        .sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="kls" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    for file in &outcome.files {
        let path = escape(&file.path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="0" skipped="0">"#,
            file.diagnostics.len().max(1),
            file.diagnostics.len(),
        )?;
        if file.diagnostics.is_empty() {
            writeln!(
                out,
                r#"    <testcase classname="{path}" name="kls" file="{path}"/>"#
            )?;
        }
        for diagnostic in &file.diagnostics {
            let start = file.line_index.line_col(
                &file.text,
                diagnostic.range.start,
                PositionEncoding::Utf32,
            );
            let (line, col) = (start.line + 1, start.col + 1);
            writeln!(
                out,
                r#"    <testcase classname="{path}" name="{code} at line {line}, column {col}" file="{path}" line="{line}">"#,
                code = escape(diagnostic.code),
            )?;
            writeln!(
                out,
                r#"      <failure type="{code}" message="{message}">{severity}[{code}]: {message}&#10;  --&gt; {path}:{line}:{col}</failure>"#,
                code = escape(diagnostic.code),
                message = escape(&diagnostic.message),
                severity = diagnostic.severity.as_str(),
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// Text for an XML attribute or element: markup escaped, line breaks kept as character
/// references (an attribute would turn them into spaces), and the characters XML 1.0 cannot
/// hold at all (most control characters) replaced.
fn escape(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => res.push_str("&amp;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '"' => res.push_str("&quot;"),
            '\'' => res.push_str("&apos;"),
            '\n' => res.push_str("&#10;"),
            '\r' => res.push_str("&#13;"),
            '\t' => res.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => res.push('\u{fffd}'),
            _ => res.push(ch),
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\ny\u{1}"), "x&#10;y\u{fffd}");
    }
}
