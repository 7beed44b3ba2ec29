//! `deployment-selector-empty`: a Deployment selector with no requirement at all.

use super::util::deployment_spec;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment whose `spec.selector` has no `matchLabels` entry and no
    /// `matchExpressions` item, such as `selector: {}` or `selector: { matchLabels: {} }`.
    ///
    /// ## Why it matters
    /// An empty selector would select every Pod in the namespace. The API server rejects it:
    /// `spec.selector: Invalid value: ...: empty selector is invalid for deployment`.
    ///
    /// A common cause is indentation: `matchLabels:` followed by label lines at the same
    /// indentation makes the labels siblings of `matchLabels` instead of its entries.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {}
    ///   template:
    ///     metadata:
    ///       labels: { app: web }
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub(crate) DeploymentSelectorEmpty {
        id: "deployment-selector-empty",
        severity: Error,
    }
}

impl Rule for DeploymentSelectorEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(entry) = deployment_spec(ctx.manifest).and_then(|it| it.entry("selector")) else {
            return;
        };
        // A null selector is a missing one, and another type is a type error.
        let Some(keys) = entry.value.entries() else {
            return;
        };
        // Labels written straight under `selector:` are unknown fields, reported as such.
        if keys
            .iter()
            .any(|it| !it.key.key_eq("matchLabels") && !it.key.key_eq("matchExpressions"))
        {
            return;
        }
        let count = |key: &str| -> Option<usize> {
            match entry.value.get(key) {
                None => Some(0),
                Some(node) => node
                    .entries()
                    .map(<[_]>::len)
                    .or_else(|| node.items().map(<[_]>::len)),
            }
        };
        let (Some(labels), Some(expressions)) = (count("matchLabels"), count("matchExpressions"))
        else {
            return;
        };
        if labels + expressions == 0 {
            sink.report(
                &Self::META,
                entry.key.range,
                "the selector is empty, which is invalid for a Deployment; add `matchLabels` with the template's labels",
            );
        }
    }
}
