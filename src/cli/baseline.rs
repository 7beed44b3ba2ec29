//! Baselines: the findings a repository had when it adopted kls, so that `kls lint --baseline`
//! reports only the new ones.
//!
//! The file is JSON, sorted so that it diffs well in review:
//!
//! ```json
//! {
//!   "version": 1,
//!   "files": {
//!     "deploy/web.yaml": {
//!       "unknown-field": ["unknown field `replica` in DeploymentSpec; did you mean `replicas`?"]
//!     }
//!   }
//! }
//! ```
//!
//! A finding is named by its file, its rule and its message, never by its line, so it stays in
//! the baseline when lines above it are added or removed. A message written `n` times stands
//! for `n` equal findings; a finding beyond them is new.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lint::LintOutcome;

/// The format's version, written and checked.
const VERSION: u32 = 1;

/// A baseline: for each file and rule, the messages of its findings.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    version: u32,
    files: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Baseline {
    /// The baseline of every finding in `outcome`.
    #[must_use]
    pub fn of(outcome: &LintOutcome) -> Baseline {
        let mut files: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for file in &outcome.files {
            for diagnostic in &file.diagnostics {
                files
                    .entry(key(&file.path))
                    .or_default()
                    .entry(diagnostic.code.to_owned())
                    .or_default()
                    .push(diagnostic.message.clone());
            }
        }
        for messages in files.values_mut().flat_map(BTreeMap::values_mut) {
            messages.sort();
        }
        Baseline {
            version: VERSION,
            files,
        }
    }

    /// Reads a baseline written by [`Baseline::to_json`].
    pub fn from_json(text: &str, name: &str) -> Result<Baseline, String> {
        let baseline: Baseline =
            serde_json::from_str(text).map_err(|e| format!("{name} is not a kls baseline: {e}"))?;
        if baseline.version != VERSION {
            return Err(format!(
                "{name} is a baseline of version {}; this kls reads version {VERSION}",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// The baseline as pretty JSON, with a final newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// How many findings it holds.
    #[must_use]
    pub fn count(&self) -> usize {
        self.files
            .values()
            .flat_map(BTreeMap::values)
            .map(Vec::len)
            .sum()
    }

    /// Takes out of `outcome` the findings the baseline holds; returns how many.
    pub fn filter(&self, outcome: &mut LintOutcome) -> usize {
        let mut left = self.files.clone();
        let mut removed = 0;
        for file in &mut outcome.files {
            let Some(rules) = left.get_mut(&key(&file.path)) else {
                continue;
            };
            file.diagnostics.retain(|diagnostic| {
                let Some(messages) = rules.get_mut(diagnostic.code) else {
                    return true;
                };
                match messages.iter().position(|it| *it == diagnostic.message) {
                    Some(index) => {
                        messages.swap_remove(index);
                        removed += 1;
                        false
                    }
                    None => true,
                }
            });
        }
        removed
    }
}

/// Paths as the user gave them, without a leading `./`, with forward slashes.
fn key(path: &str) -> String {
    path.strip_prefix("./").unwrap_or(path).replace('\\', "/")
}
