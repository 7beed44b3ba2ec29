//! `unknown-field`: found by the schema pass.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A key that is not a field of its type, reported on the key, with the nearest known field
/// name when there is one (`contianers` → `containers`). Field names are case-sensitive:
/// `ContainerPort` is not `containerPort`.
    ///
    /// ## Why it matters
    /// `kubectl` sends `fieldValidation=Strict` by default, so the API server rejects the whole
/// object (`strict decoding error: unknown field "spec.contianers"`). With validation off, the
/// field is silently dropped, which is worse.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
/// kind: Pod
/// metadata:
///   name: web
/// spec:
///   contianers:
///     - name: web
///       image: nginx:1.27
    /// ```
    pub(crate) UnknownField {
        id: "unknown-field",
        severity: Error,
    }
}

impl Rule for UnknownField {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the schema pass ([`super::schema_diagnostics`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
