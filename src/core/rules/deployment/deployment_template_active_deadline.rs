//! `deployment-template-active-deadline`: a Deployment pod template with
//! `activeDeadlineSeconds`.

use super::util::deployment_spec;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment whose pod template sets `activeDeadlineSeconds`.
    ///
    /// ## Why it matters
    /// A deadline would kill Pods that are meant to run indefinitely. The API server rejects
    /// the Deployment: `spec.template.spec.activeDeadlineSeconds: Forbidden:
    /// activeDeadlineSeconds in ReplicaSet is not Supported`. Pods that should stop after a
    /// time belong in a Job.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: { app: web }
    ///   template:
    ///     metadata:
    ///       labels: { app: web }
    ///     spec:
    ///       activeDeadlineSeconds: 3600
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub(crate) DeploymentTemplateActiveDeadline {
        id: "deployment-template-active-deadline",
        severity: Error,
    }
}

impl Rule for DeploymentTemplateActiveDeadline {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(entry) = deployment_spec(ctx.manifest)
            .and_then(|it| it.get_path(&["template", "spec"]))
            .and_then(|it| it.entry("activeDeadlineSeconds"))
        else {
            return;
        };
        if entry.value.is_null() {
            return;
        }
        sink.report(
            &Self::META,
            entry.key.range,
            "a Deployment's pod template must not set `activeDeadlineSeconds`; remove it, or use a Job for Pods that should stop",
        );
    }
}
