//! `deployment-selector-missing`: found by the schema pass.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// An `apps/v1` Deployment without `spec.selector`, reported on `spec:`.
    ///
    /// ## Why it matters
    /// `apps/v1` requires the selector (older apiVersions defaulted it from the template labels,
/// which is why manifests moved from `extensions/v1beta1` often lack it). The API server
/// answers `spec.selector: Required value` and also reports that the selector does not match
/// the template labels.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
/// kind: Deployment
/// metadata:
///   name: web
/// spec:
///   template:
///     metadata:
///       labels: { app: web }
///     spec:
///       containers:
///         - name: web
///           image: nginx:1.27
    /// ```
    pub(crate) DeploymentSelectorMissing {
        id: "deployment-selector-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for DeploymentSelectorMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the schema pass ([`super::schema_diagnostics`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
