//! `api-version-removed`: a built-in kind under an apiVersion Kubernetes no longer serves.

use super::{ApiStatus, classify};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A built-in kind under an apiVersion that the chosen Kubernetes version no longer serves,
    /// such as a Deployment in `extensions/v1beta1`, `apps/v1beta1` or `apps/v1beta2` (all
    /// removed in 1.16) or an Ingress in `networking.k8s.io/v1beta1` (removed in 1.22). The
    /// message names the release that removed it and the apiVersion to use instead.
    ///
    /// ## Why it matters
    /// The API server answers `no matches for kind "Deployment" in version
    /// "extensions/v1beta1"` and creates nothing. The removal dates come from the OpenAPI specs
    /// of every release since 1.7 (see `schemas/README.md`).
    ///
    /// Moving an old Deployment to `apps/v1` often also needs a `spec.selector`: the old
    /// versions defaulted it from the template labels, `apps/v1` requires it.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: extensions/v1beta1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// ```
    pub(crate) ApiVersionRemoved {
        id: "api-version-removed",
        severity: Error,
    }
}

impl Rule for ApiVersionRemoved {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some((api_version, kind, ApiStatus::Removed(removed))) = classify(ctx) else {
            return;
        };
        let Some(entry) = ctx.manifest.root.entry("apiVersion") else {
            return;
        };
        let message = match &removed.replacement {
            Some(replacement) => format!(
                "`{api_version}` {kind} was removed in Kubernetes {}; use `apiVersion: {replacement}`",
                removed.removed_in
            ),
            None => format!(
                "`{api_version}` {kind} was removed in Kubernetes {} and has no replacement",
                removed.removed_in
            ),
        };
        let range = entry.value.range;
        if let Some(diagnostic) = sink.report(&Self::META, range, message)
            && let Some(replacement) = &removed.replacement
        {
            diagnostic.fix = Some(Fix {
                title: format!("Change apiVersion to `{replacement}`"),
                edits: vec![TextEdit {
                    range,
                    new_text: replacement.clone(),
                }],
            });
        }
    }
}
