//! `deployment-strategy-recreate-rolling-update`: `rollingUpdate` settings on a `Recreate`
//! strategy.

use super::util::deployment_spec;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment with `strategy.type: Recreate` that also sets `strategy.rollingUpdate`.
    ///
    /// ## Why it matters
    /// `Recreate` stops every old Pod before starting new ones, so `maxSurge` and
    /// `maxUnavailable` mean nothing. The API server rejects the Deployment:
    /// `spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is
    /// 'Recreate'`. This often happens when switching a Deployment to `Recreate` with
    /// `kubectl apply`, which keeps the defaulted `rollingUpdate` unless it is set to `null`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   strategy:
    ///     type: Recreate
    ///     rollingUpdate:
    ///       maxSurge: 1
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
    ///     type: Recreate
    ///     rollingUpdate: null
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
    pub(crate) DeploymentStrategyRecreateRollingUpdate {
        id: "deployment-strategy-recreate-rolling-update",
        severity: Error,
    }
}

impl Rule for DeploymentStrategyRecreateRollingUpdate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(strategy) = deployment_spec(ctx.manifest).and_then(|it| it.get("strategy")) else {
            return;
        };
        if strategy.get("type").and_then(|it| it.as_str()) != Some("Recreate") {
            return;
        }
        let Some(entry) = strategy
            .entry("rollingUpdate")
            .filter(|it| !it.value.is_null())
        else {
            return;
        };
        sink.report(
            &Self::META,
            entry.key.range,
            "`rollingUpdate` must not be set when the strategy type is `Recreate`; remove it (or set it to `null` for `kubectl apply`)",
        );
    }
}
