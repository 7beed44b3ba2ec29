//! `deployment-strategy-type-invalid`: a strategy type other than `RollingUpdate` or
//! `Recreate`.

use super::util::deployment_spec;
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

/// The strategy types of an `apps/v1` Deployment.
const STRATEGY_TYPES: [&str; 2] = ["RollingUpdate", "Recreate"];

declare_rule! {
    /// ## What it flags
    /// A Deployment whose `spec.strategy.type` is not `RollingUpdate` or `Recreate` (case
    /// matters). Leaving it out means `RollingUpdate`.
    ///
    /// ## Why it matters
    /// The API server rejects the Deployment: `spec.strategy: Unsupported value: ...:
    /// supported values: "Recreate", "RollingUpdate"`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   strategy:
    ///     type: rolling
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
    pub(crate) DeploymentStrategyTypeInvalid {
        id: "deployment-strategy-type-invalid",
        severity: Error,
    }
}

impl Rule for DeploymentStrategyTypeInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(entry) = deployment_spec(ctx.manifest)
            .and_then(|it| it.get("strategy"))
            .and_then(|it| it.entry("type"))
        else {
            return;
        };
        // An empty type is defaulted to `RollingUpdate`; another type is a type error.
        let Some(value) = entry.value.as_str().filter(|it| !it.is_empty()) else {
            return;
        };
        if STRATEGY_TYPES.contains(&value) {
            return;
        }
        let suggestion = suggest(value);
        let message = match suggestion {
            Some(suggestion) => {
                format!("`{value}` is not a Deployment strategy type; did you mean `{suggestion}`?")
            }
            None => format!(
                "`{value}` is not a Deployment strategy type; use `RollingUpdate` or `Recreate`"
            ),
        };
        let range = value_range(entry);
        if let Some(diagnostic) = sink.report(&Self::META, range, message)
            && let Some(suggestion) = suggestion
        {
            diagnostic.fix = Some(Fix {
                title: format!("Change to `{suggestion}`"),
                edits: vec![TextEdit {
                    range,
                    new_text: suggestion.to_owned(),
                }],
            });
        }
    }
}

/// The strategy type `value` was probably meant to be: the same but for case or separators,
/// or an abbreviation such as `rolling`.
fn suggest(value: &str) -> Option<&'static str> {
    let simple = value.replace(['-', '_', ' '], "").to_ascii_lowercase();
    STRATEGY_TYPES.into_iter().find(|it| {
        let candidate = it.to_ascii_lowercase();
        candidate == simple || (simple.len() >= 4 && candidate.starts_with(&simple))
    })
}
