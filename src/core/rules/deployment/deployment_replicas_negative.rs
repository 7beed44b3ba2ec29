//! `deployment-replicas-negative`: a Deployment with a negative `spec.replicas`.

use super::util::{deployment_spec, int_entry};
use crate::core::manifest::value_range;
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
        let Some((entry, value)) =
            deployment_spec(ctx.manifest).and_then(|it| int_entry(it, "replicas"))
        else {
            return;
        };
        if value < 0 {
            sink.report(
                &Self::META,
                value_range(entry),
                format!("`replicas` must be 0 or more, not `{value}`; use 0 to run no Pods"),
            );
        }
    }
}
