//! The one diagnostic type that every check produces.

use crate::core::text::TextRange;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A hint, shown subtly.
    Hint,
    /// Information: nothing is wrong, but something is worth knowing.
    Information,
    /// Accepted by the API server, but likely a mistake.
    Warning,
    /// Rejected by `kubectl` or the API server.
    Error,
}

impl Severity {
    /// The lower-case name used in output and configuration.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Information => "information",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses a name used in configuration (`info` is accepted too).
    #[must_use]
    pub fn parse(name: &str) -> Option<Severity> {
        Some(match name {
            "hint" => Severity::Hint,
            "information" | "info" => Severity::Information,
            "warning" | "warn" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

/// A problem found in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Where the problem is (bytes of the file).
    pub range: TextRange,
    /// How serious it is.
    pub severity: Severity,
    /// The id of the rule that found it, e.g. `deployment-selector-mismatch`.
    pub code: &'static str,
    /// What is wrong, in words a person can act on.
    pub message: String,
    /// Other places that take part in the problem.
    pub related: Vec<Related>,
    /// A suggested replacement, when there is one obvious fix.
    pub fix: Option<Fix>,
    /// Other ways to fix it, when there is more than one reasonable answer.
    pub alternatives: Vec<Fix>,
}

/// Another place that takes part in a diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    /// Where.
    pub range: TextRange,
    /// What it has to do with the problem.
    pub message: String,
}

/// A fix: replace some ranges of the file with new text.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// What the fix does, as a command ("Rename to `containers`").
    pub title: String,
    /// The edits, which do not overlap.
    pub edits: Vec<TextEdit>,
}

/// Replace `range` with `new_text`.
#[derive(Clone, Debug, PartialEq)]
pub struct TextEdit {
    /// What to replace.
    pub range: TextRange,
    /// The replacement.
    pub new_text: String,
}

impl Diagnostic {
    /// A diagnostic with no related places and no fix.
    #[must_use]
    pub fn new(code: &'static str, severity: Severity, range: TextRange, message: String) -> Self {
        Self {
            range,
            severity,
            code,
            message,
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        }
    }

    /// The same diagnostic with every range moved by `by` bytes (from a document's own
    /// offsets to the file's).
    #[must_use]
    pub fn shifted(mut self, by: u32) -> Self {
        let move_range = |range: &mut TextRange| *range = range.shifted(by);
        move_range(&mut self.range);
        for related in &mut self.related {
            move_range(&mut related.range);
        }
        for fix in self.fix.iter_mut().chain(self.alternatives.iter_mut()) {
            for edit in &mut fix.edits {
                move_range(&mut edit.range);
            }
        }
        self
    }

    /// Adds a related place.
    #[must_use]
    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    /// Adds a fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}
