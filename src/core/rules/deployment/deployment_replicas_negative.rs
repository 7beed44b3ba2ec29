//! `deployment-replicas-negative`: a Deployment with a negative `spec.replicas`.

use super::util::report_negative;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment whose `spec.replicas` is negative. `0` is valid (no Pods), and the default is 1.
    ///
    /// ## Why it matters
    /// The API server rejects the Deployment: `spec.replicas: Invalid value: -1: must be
    /// greater than or equal to 0`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: -1
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
    pub(crate) DeploymentReplicasNegative {
        id: "deployment-replicas-negative",
        severity: Error,
    }
}

impl Rule for DeploymentReplicasNegative {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        report_negative(ctx, sink, &Self::META, "replicas", "; use 0 to run no Pods");
    }
}
