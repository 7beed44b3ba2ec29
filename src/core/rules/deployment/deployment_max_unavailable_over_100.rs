//! `deployment-max-unavailable-over-100`: a `maxUnavailable` percentage above 100%.

use super::util::{IntOrString, deployment_spec, rolling_update};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment whose `strategy.rollingUpdate.maxUnavailable` is a percentage above
    /// `100%`. (`maxSurge` may exceed 100%.)
    ///
    /// ## Why it matters
    /// The API server rejects the Deployment: `spec.strategy.rollingUpdate.maxUnavailable:
    /// Invalid value: "150%": must not be greater than 100%`.
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
    ///       maxUnavailable: 150%
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
    ///       maxSurge: 200%
    ///       maxUnavailable: 100%
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
    pub(crate) DeploymentMaxUnavailableOver100 {
        id: "deployment-max-unavailable-over-100",
        severity: Error,
    }
}

impl Rule for DeploymentMaxUnavailableOver100 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(entry) = deployment_spec(ctx.manifest)
            .and_then(rolling_update)
            .and_then(|it| it.entry("maxUnavailable"))
        else {
            return;
        };
        let Some(value) = IntOrString::read(&entry.value) else {
            return;
        };
        let (Some(percent), IntOrString::Str(text)) = (value.percent(), &value) else {
            return;
        };
        if percent <= 100 {
            return;
        }
        let range = value_range(entry);
        if let Some(diagnostic) = sink.report(
            &Self::META,
            range,
            format!("`maxUnavailable` must not be more than 100%, not `{text}`"),
        ) {
            diagnostic.fix = Some(Fix {
                title: "Change to `100%`".to_owned(),
                edits: vec![TextEdit {
                    range,
                    new_text: "100%".to_owned(),
                }],
            });
        }
    }
}
