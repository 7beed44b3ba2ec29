//! `deployment-progress-deadline-invalid`: a progress deadline that is negative or not greater
//! than `minReadySeconds`.

use super::util::{deployment_spec, int_entry};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

/// What the API server fills in when `progressDeadlineSeconds` is not set.
const DEFAULT_PROGRESS_DEADLINE: i64 = 600;

declare_rule! {
    /// ## What it flags
    /// A Deployment whose `spec.progressDeadlineSeconds` is negative, or not strictly greater
    /// than `spec.minReadySeconds`. The default deadline of 600 seconds counts too: with no
    /// `progressDeadlineSeconds`, a `minReadySeconds` of 600 or more is flagged (on
    /// `minReadySeconds`).
    ///
    /// ## Why it matters
    /// A rollout could never make progress within its deadline. The API server rejects the
    /// Deployment: `spec.progressDeadlineSeconds: Invalid value: 600: must be greater than
    /// minReadySeconds`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   minReadySeconds: 600
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
    ///   minReadySeconds: 600
    ///   progressDeadlineSeconds: 900
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
    pub(crate) DeploymentProgressDeadlineInvalid {
        id: "deployment-progress-deadline-invalid",
        severity: Error,
    }
}

impl Rule for DeploymentProgressDeadlineInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = deployment_spec(ctx.manifest) else {
            return;
        };
        let min_ready = int_entry(spec, "minReadySeconds");
        let min_ready_value = min_ready.map_or(0, |(_, value)| value);
        let Some(entry) = spec
            .entry("progressDeadlineSeconds")
            .filter(|it| !it.value.is_null())
        else {
            if let Some((entry, value)) = min_ready
                && DEFAULT_PROGRESS_DEADLINE <= value
            {
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!(
                        "`minReadySeconds` ({value}) must be less than `progressDeadlineSeconds`, which defaults to {DEFAULT_PROGRESS_DEADLINE}; set `progressDeadlineSeconds` higher"
                    ),
                );
            }
            return;
        };
        // Another type is a type error, which the schema pass reports.
        let Some(deadline) = entry.value.as_i64() else {
            return;
        };
        let message = if deadline < 0 {
            format!("`progressDeadlineSeconds` must be 0 or more, not `{deadline}`")
        } else if deadline <= min_ready_value {
            format!(
                "`progressDeadlineSeconds` ({deadline}) must be greater than `minReadySeconds` ({min_ready_value})"
            )
        } else {
            return;
        };
        sink.report(&Self::META, value_range(entry), message);
    }
}
