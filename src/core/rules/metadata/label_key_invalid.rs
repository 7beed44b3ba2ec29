//! `label-key-invalid`: a label key that is not a qualified name.

use super::util::label_maps;
use crate::core::formats::qualified_name;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A label key that is not a qualified name, in the `metadata.labels` of any built-in kind,
    /// a workload's pod template labels, or a workload's `spec.selector.matchLabels`. A qualified
    /// name is an optional DNS subdomain prefix and `/`, then 1 to 63 letters, digits, `-`,
    /// `_` or `.`, starting and ending with a letter or digit.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `metadata.labels: Invalid value: "app name": name
    /// part must consist of alphanumeric characters, '-', '_' or '.'`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app name: web
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
    ///     app.kubernetes.io/name: web
    ///     Tier: Front_End
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) LabelKeyInvalid {
        id: "label-key-invalid",
        severity: Error,
    }
}

impl Rule for LabelKeyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        for map in label_maps(ctx) {
            for entry in map.node.entries().unwrap_or_default() {
                let Some(key) = entry.key.json_key() else {
                    continue;
                };
                if let Err(reason) = qualified_name(&key) {
                    sink.report(
                        &Self::META,
                        entry.key.range,
                        format!(
                            "{} key `{key}` is not a valid qualified name: {reason}",
                            map.what
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::testing::diagnostics;

    #[test]
    fn template_labels_are_checked_without_a_pod_spec() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels:\n            -bad: x\n";
        let found: Vec<_> = diagnostics(text, 37)
            .into_iter()
            .filter(|it| it.code == "label-key-invalid")
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
