//! One renderer per output format; the only place that prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};

use super::Format;
use super::lint::LintOutcome;
use crate::core::rules;

pub use json::to_json;
pub use sarif::to_sarif;

/// Prints the outcome in `format` to stdout.
///
/// # Errors
/// When stdout cannot be written.
pub fn print(outcome: &LintOutcome, format: Format) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        Format::Human => human::write(&mut out, outcome)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &to_json(outcome))?;
            writeln!(out)?;
        }
        Format::Github => github::write(&mut out, outcome)?,
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut out, &to_sarif(outcome))?;
            writeln!(out)?;
        }
    }
    out.flush()
}

/// Prints an error of kls itself (not of a manifest) to stderr.
pub fn print_error(message: &str) {
    eprintln!("kls: error: {message}");
}

/// `kls rules`.
pub fn print_rules() {
    for rule in rules::all() {
        let meta = rule.meta();
        println!(
            "{:<45} {:<11} {}",
            meta.id,
            meta.default_severity.as_str(),
            meta.summary()
        );
    }
}

/// `kls rule <id>`; false when there is no such rule.
#[must_use]
pub fn print_rule(id: &str) -> bool {
    let Some(rule) = rules::by_id(id) else {
        return false;
    };
    let meta = rule.meta();
    println!(
        "# {}\n\nDefault severity: {}\n",
        meta.id,
        meta.default_severity.as_str()
    );
    println!("{}", meta.docs.trim_end());
    true
}
