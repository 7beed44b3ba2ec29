//! `deployment-template-missing`: found by the schema pass.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Deployment without `spec.template`, reported on `spec:`. A common cause is a
/// `template:` indented at the wrong level (at the document root, or beside `spec:`).
    ///
    /// ## Why it matters
    /// Without a pod template there is nothing to run. The API server reports it as a selector
/// mismatch plus missing containers, which hides the real cause.
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
    /// ```
    pub(crate) DeploymentTemplateMissing {
        id: "deployment-template-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for DeploymentTemplateMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the schema pass ([`super::schema_diagnostics`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
