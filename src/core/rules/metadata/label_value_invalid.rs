//! `label-value-invalid`: a label value that is not a valid label value.

use super::util::label_maps;
use crate::core::formats::label_value;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A label value that is not a valid label value, in the `metadata.labels` of any built-in
    /// kind, a workload's pod template labels, or a workload's
    /// `spec.selector.matchLabels`. A label value is empty, or at most 63 letters, digits,
    /// `-`, `_` or `.`, starting and ending with a letter or digit.
    ///
    /// Values that YAML reads as numbers or booleans (`version: 1.0`) are a different
    /// problem, reported as `type-mismatch`.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `metadata.labels: Invalid value: "v1 beta": a valid
    /// label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     owner: team@example.com
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     version: "1.0"
    ///     track: ""
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) LabelValueInvalid {
        id: "label-value-invalid",
        severity: Error,
    }
}

impl Rule for LabelValueInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        for map in label_maps(ctx) {
            for entry in map.node.entries().unwrap_or_default() {
                // Numbers and booleans are type errors, which the schema pass reports.
                let Some(value) = entry.value.as_str() else {
                    continue;
                };
                let Err(reason) = label_value(value) else {
                    continue;
                };
                let key = entry.key.json_key().unwrap_or_default();
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!(
                        "{} value `{value}` of `{key}` is not valid: {reason}",
                        map.what
                    ),
                );
            }
        }
    }
}
