//! One renderer per output format; [`super::output`] decides what a failed write means.

mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

use super::Format;
use super::lint::LintOutcome;
use crate::core::rules;

pub use gitlab::to_gitlab;
pub use json::to_json;
pub use sarif::to_sarif;

/// Writes the outcome in `format`.
///
/// # Errors
/// When `out` cannot be written.
pub fn write(out: &mut dyn Write, outcome: &LintOutcome, format: Format) -> io::Result<()> {
    match format {
        Format::Human => human::write(out, outcome)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &to_json(outcome))?;
            writeln!(out)?;
        }
        Format::Github => github::write(out, outcome)?,
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &to_sarif(outcome))?;
            writeln!(out)?;
        }
        Format::Junit => junit::write(out, outcome)?,
        Format::Gitlab => {
            serde_json::to_writer_pretty(&mut *out, &to_gitlab(outcome))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Prints an error of kls itself (not of a manifest) to stderr.
pub fn print_error(message: &str) {
    super::output::error_line(message);
}

/// `kls rules`.
///
/// # Errors
/// When `out` cannot be written.
pub fn write_rules(out: &mut dyn Write) -> io::Result<()> {
    for rule in rules::all() {
        let meta = rule.meta();
        writeln!(
            out,
            "{:<45} {:<11} {}",
            meta.id,
            meta.default_severity.as_str(),
            meta.summary()
        )?;
    }
    Ok(())
}

/// `kls rule <id>`.
///
/// # Errors
/// When `out` cannot be written.
pub fn write_rule(out: &mut dyn Write, meta: &rules::RuleMeta) -> io::Result<()> {
    writeln!(
        out,
        "# {}\n\nDefault severity: {}\n",
        meta.id,
        meta.default_severity.as_str()
    )?;
    writeln!(out, "{}", meta.docs.trim_end())?;
    if !meta.in_patches {
        writeln!(
            out,
            "\n## Patches\nNot checked in kustomize patches: a patch is merged into an object that has the rest."
        )?;
    }
    Ok(())
}
