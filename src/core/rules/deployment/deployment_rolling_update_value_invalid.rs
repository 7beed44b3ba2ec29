//! `deployment-rolling-update-value-invalid`: a `maxSurge` or `maxUnavailable` that is neither
//! a non-negative integer nor a percentage.

use super::util::{IntOrString, deployment_spec, rolling_update};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::text::TextRange;

declare_rule! {
    /// ## What it flags
    /// A Deployment whose `strategy.rollingUpdate.maxSurge` or `maxUnavailable` is a negative
    /// number, or a string that is not a percentage (`^[0-9]+%$`). A quoted number such as
    /// `"1"` is a string, so it must end in `%`; write `1` without quotes for a count.
    ///
    /// ## Why it matters
    /// The API server rejects the Deployment: `spec.strategy.rollingUpdate.maxSurge: Invalid
    /// value: "1": a valid percent string must be a numeric string followed by an ending '%'`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   strategy:
    ///     rollingUpdate:
    ///       maxSurge: "1"
    ///       maxUnavailable: 10 %
    ///   selector:
    ///     matchLabels: { app: web }
    ///   template:
    ///     metadata:
    ///       labels: { app: web }
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   strategy:
    ///     rollingUpdate:
    ///       maxSurge: 1
    ///       maxUnavailable: 10%
    ///   selector:
    ///     matchLabels: { app: web }
    ///   template:
    ///     metadata:
    ///       labels: { app: web }
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub(crate) DeploymentRollingUpdateValueInvalid {
        id: "deployment-rolling-update-value-invalid",
        severity: Error,
    }
}

impl Rule for DeploymentRollingUpdateValueInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(rolling_update) = deployment_spec(ctx.manifest).and_then(rolling_update) else {
            return;
        };
        for field in ["maxUnavailable", "maxSurge"] {
            let Some(entry) = rolling_update.entry(field) else {
                continue;
            };
            let Some(value) = IntOrString::read(&entry.value) else {
                continue;
            };
            let range = value_range(entry);
            match value {
                IntOrString::Int(n) if n < 0 => {
                    sink.report(
                        &Self::META,
                        range,
                        format!("`{field}` must be 0 or more, not `{n}`"),
                    );
                }
                IntOrString::Int(_) => {}
                IntOrString::Str(text) => {
                    if value.percent().is_some() {
                        continue;
                    }
                    check_string(field, text, range, sink);
                }
            }
        }
    }
}

fn check_string(field: &str, text: &str, range: TextRange, sink: &mut Sink<'_>) {
    let trimmed: String = text.chars().filter(|it| !it.is_whitespace()).collect();
    let is_count = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let (message, fix) = if text.is_empty() {
        (
            format!(
                "`{field}` is an empty string; use a number of Pods or a percentage such as `25%`"
            ),
            None,
        )
    } else if is_count {
        (
            format!(
                "`{field}` is the string `\"{text}\"`, which must be a percentage such as `{text}%`; remove the quotes for a count of Pods"
            ),
            Some(Fix {
                title: "Remove the quotes".to_owned(),
                edits: vec![TextEdit {
                    range,
                    new_text: text.to_owned(),
                }],
            }),
        )
    } else if trimmed != text && IntOrString::Str(&trimmed).percent().is_some() {
        (
            format!(
                "`{field}` value `{text}` is not a valid percentage: it must be digits followed by `%`, with no spaces"
            ),
            Some(Fix {
                title: format!("Change to `{trimmed}`"),
                edits: vec![TextEdit {
                    range,
                    new_text: trimmed.clone(),
                }],
            }),
        )
    } else {
        (
            format!("`{field}` value `{text}` is neither a number nor a percentage such as `25%`"),
            None,
        )
    };
    if let Some(diagnostic) =
        sink.report(&DeploymentRollingUpdateValueInvalid::META, range, message)
    {
        diagnostic.fix = fix;
    }
}
