//! `deployment-rolling-update-both-zero`: `maxSurge` and `maxUnavailable` both zero.

use super::util::{IntOrString, deployment_spec, rolling_update};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment whose rolling update has both `maxSurge` and `maxUnavailable` at zero
    /// (`0` or `0%`). Each defaults to `25%` when left out, so setting only one of them to 0
    /// is fine.
    ///
    /// ## Why it matters
    /// A rollout could neither add a new Pod nor remove an old one. The API server rejects
    /// the Deployment: `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may
    /// not be 0 when `maxSurge` is 0`.
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
    ///       maxSurge: 0
    ///       maxUnavailable: 0%
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
    ///       maxSurge: 0
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
    pub(crate) DeploymentRollingUpdateBothZero {
        id: "deployment-rolling-update-both-zero",
        severity: Error,
    }
}

impl Rule for DeploymentRollingUpdateBothZero {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(rolling_update) = deployment_spec(ctx.manifest).and_then(rolling_update) else {
            return;
        };
        // A field left out (or null) is defaulted to 25%, which is not zero.
        let (Some(unavailable_entry), Some(surge_node)) = (
            rolling_update.entry("maxUnavailable"),
            rolling_update.get("maxSurge"),
        ) else {
            return;
        };
        let (Some(unavailable), Some(surge)) = (
            IntOrString::read(&unavailable_entry.value),
            IntOrString::read(surge_node),
        ) else {
            return;
        };
        if unavailable.is_zero() && surge.is_zero() {
            sink.report(
                &Self::META,
                value_range(unavailable_entry),
                "`maxUnavailable` and `maxSurge` are both 0, so a rollout could never replace a Pod; allow at least one of them, e.g. `maxSurge: 1`",
            );
        }
    }
}
