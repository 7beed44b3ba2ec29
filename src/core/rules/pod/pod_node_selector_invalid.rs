//! `pod-node-selector-invalid`: a `nodeSelector` entry that is not a valid label.

use crate::core::formats::{label_value, qualified_name};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `nodeSelector` key that is not a qualified name (an optional DNS subdomain prefix and
    /// `/`, then at most 63 letters, digits, `-`, `_` or `.`, starting and ending alphanumeric),
    /// or a value that is not a valid label value (at most 63 such characters, or empty).
    ///
    /// ## Why it matters
    /// Node selectors are matched against node labels, so they follow the label rules; the API
    /// server rejects the object (`spec.nodeSelector: Invalid value`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   nodeSelector:
    ///     disktype: fast ssd
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodNodeSelectorInvalid {
        id: "pod-node-selector-invalid",
        severity: Error,
    }
}

impl Rule for PodNodeSelectorInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(entries) = spec.node.get("nodeSelector").and_then(|it| it.entries()) else {
            return;
        };
        for entry in entries {
            let Some(key) = entry.key.json_key() else {
                continue;
            };
            if let Err(reason) = qualified_name(&key) {
                sink.report(
                    &Self::META,
                    entry.key.range,
                    format!("nodeSelector key `{key}` is not a valid label key: {reason}"),
                );
            }
            if let Some(value) = entry.value.as_str()
                && let Err(reason) = label_value(value)
            {
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!("nodeSelector value `{value}` is not a valid label value: {reason}"),
                );
            }
        }
    }
}
