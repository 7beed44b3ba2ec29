//! `--format gitlab`: a GitLab Code Quality report, a JSON array of issues with the fields
//! GitLab reads: `description`, `check_name`, `fingerprint`, `severity` and `location` (`path`
//! and `lines.begin`).
//!
//! The fingerprint names a finding by its file, rule, message and the number of equal findings
//! before it, never by its line: GitLab compares fingerprints between the merge request and its
//! target branch, and a finding that only moved must not show up as fixed and new.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::cli::lint::LintOutcome;
use crate::core::diagnostic::Severity;
use crate::core::fingerprint;

/// The Code Quality report, one issue per diagnostic.
#[must_use]
pub fn to_gitlab(outcome: &LintOutcome) -> Value {
    let mut issues = Vec::new();
    for file in &outcome.files {
        let path = file.path.strip_prefix("./").unwrap_or(&file.path);
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for diagnostic in &file.diagnostics {
            let ordinal = seen
                .entry((diagnostic.code, diagnostic.message.as_str()))
                .or_default();
            let line = file.line_index.line_of(diagnostic.range.start) + 1;
            let end = file.line_index.line_of(diagnostic.range.end) + 1;
            issues.push(json!({
                "type": "issue",
                "description": diagnostic.message,
                "check_name": diagnostic.code,
                "categories": ["Bug Risk"],
                "fingerprint": fingerprint::finding(path, diagnostic.code, &diagnostic.message, *ordinal),
                "severity": severity(diagnostic.severity),
                "location": {"path": path, "lines": {"begin": line, "end": end}},
            }));
            *ordinal += 1;
        }
    }
    Value::Array(issues)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Information | Severity::Hint => "info",
    }
}
