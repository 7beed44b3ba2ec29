//! `--format human`: rustc-style code frames and a summary line.

use std::io::{self, IsTerminal, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::cli::lint::{FileReport, LintOutcome};
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::text::TextRange;

/// Related places within this many lines of the diagnostic are drawn in the same frame.
const NEARBY_LINES: u32 = 8;

pub(super) fn write(out: &mut dyn Write, outcome: &LintOutcome) -> io::Result<()> {
    let colour = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for file in &outcome.files {
        for diagnostic in &file.diagnostics {
            writeln!(out, "{}\n", render_one(&renderer, file, diagnostic))?;
        }
    }
    for note in &outcome.notes {
        let title = Level::NOTE.primary_title(note.message.as_str());
        writeln!(out, "{}\n", renderer.render(&[Group::with_title(title)]))?;
    }
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let infos = outcome.count(Severity::Information) + outcome.count(Severity::Hint);
    let with_problems = outcome
        .files
        .iter()
        .filter(|it| !it.diagnostics.is_empty())
        .count();
    let files = outcome.files.len();
    if errors + warnings + infos == 0 {
        writeln!(
            out,
            "No problems found in {files} {}.",
            plural(files, "file", "files")
        )?;
    } else {
        writeln!(
            out,
            "Found {errors} {}, {warnings} {} and {infos} {} in {with_problems} of {files} {}.",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            plural(infos, "note", "notes"),
            plural(files, "file", "files"),
        )?;
    }
    Ok(())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn render_one(renderer: &Renderer, file: &FileReport, diagnostic: &Diagnostic) -> String {
    let index = &file.line_index;
    let text: &str = &file.text;
    let first_line = index.line_of(diagnostic.range.start);
    let mut last_line = index.line_of(diagnostic.range.end);
    let mut first = first_line;
    let nearby: Vec<_> = diagnostic
        .related
        .iter()
        .filter(|it| {
            let line = index.line_of(it.range.start);
            line + NEARBY_LINES >= first_line && line <= last_line + NEARBY_LINES
        })
        .collect();
    for related in &nearby {
        first = first.min(index.line_of(related.range.start));
        last_line = last_line.max(index.line_of(related.range.end));
    }
    let window = TextRange::new(
        index.line_start(first),
        index.line_range(text, last_line).end,
    );
    let source = &text[window.to_usize()];
    let local = |range: TextRange| -> std::ops::Range<usize> {
        let start = range.start.clamp(window.start, window.end) - window.start;
        let end = range.end.clamp(window.start, window.end) - window.start;
        start as usize..end as usize
    };
    let mut snippet = Snippet::source(source)
        .line_start(first as usize + 1)
        .path(file.path.as_str())
        .annotation(AnnotationKind::Primary.span(local(diagnostic.range)));
    for related in &nearby {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(local(related.range))
                .label(related.message.as_str()),
        );
    }
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::HELP,
    };
    let mut report = vec![
        level
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code)
            .element(snippet),
    ];
    let far: Vec<String> = diagnostic
        .related
        .iter()
        .filter(|it| !nearby.iter().any(|near| std::ptr::eq(*near, *it)))
        .map(|it| {
            format!(
                "{} (line {})",
                it.message,
                index.line_of(it.range.start) + 1
            )
        })
        .collect();
    for note in &far {
        report.push(Group::with_title(
            Level::NOTE.secondary_title(note.as_str()),
        ));
    }
    if let Some(fix) = &diagnostic.fix {
        report.push(Group::with_title(
            Level::HELP.secondary_title(fix.title.as_str()),
        ));
    }
    renderer.render(&report)
}
