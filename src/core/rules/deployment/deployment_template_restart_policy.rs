//! `deployment-template-restart-policy`: a Deployment pod template with a restart policy other
//! than `Always`.

use super::util::deployment_spec;
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment whose pod template sets `restartPolicy: OnFailure` or `Never`. A
    /// Deployment's Pods must restart `Always`, which is also the default, so the field can
    /// simply be left out. (A value that is no restart policy at all is reported by
    /// `pod-restart-policy-invalid`.)
    ///
    /// ## Why it matters
    /// The API server rejects the Deployment: `spec.template.spec.restartPolicy: Unsupported
    /// value: "OnFailure": supported values: "Always"`. Pods that run to completion belong in
    /// a Job.
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
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub(crate) DeploymentTemplateRestartPolicy {
        id: "deployment-template-restart-policy",
        severity: Error,
    }
}

impl Rule for DeploymentTemplateRestartPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(entry) = deployment_spec(ctx.manifest)
            .and_then(|it| it.get_path(&["template", "spec"]))
            .and_then(|it| it.entry("restartPolicy"))
        else {
            return;
        };
        let Some(value) = entry.value.as_str() else {
            return;
        };
        if !matches!(value, "OnFailure" | "Never") {
            return;
        }
        let range = value_range(entry);
        if let Some(diagnostic) = sink.report(
            &Self::META,
            range,
            format!("a Deployment's Pods must use `restartPolicy: Always`, not `{value}`; remove the field or use a Job"),
        ) {
            diagnostic.fix = Some(Fix {
                title: "Change to `Always`".to_owned(),
                edits: vec![TextEdit {
                    range,
                    new_text: "Always".to_owned(),
                }],
            });
        }
    }
}
