//! Resolved settings: the only configuration the core reads.

use std::collections::HashMap;

use crate::core::diagnostic::Severity;
use crate::core::schema::KubeVersion;

/// What to do with one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    /// Do not run it.
    Off,
    /// Report at this severity instead of the rule's default.
    Severity(Severity),
}

/// Fully resolved settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The Kubernetes version to validate against.
    pub kubernetes_version: KubeVersion,
    /// Per-rule overrides, by rule id.
    pub rules: HashMap<String, RuleLevel>,
    /// Whether to report suppressions that suppress nothing (`suppression-unused`).
    pub report_unused_suppressions: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            kubernetes_version: KubeVersion::newest(),
            rules: HashMap::new(),
            report_unused_suppressions: false,
        }
    }
}

impl Settings {
    /// The severity to report rule `id` at, or `None` when it is off.
    #[must_use]
    pub fn severity(&self, id: &str, default: Severity) -> Option<Severity> {
        match self.rules.get(id) {
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::Severity(severity)) => Some(*severity),
            None => Some(default),
        }
    }
}
