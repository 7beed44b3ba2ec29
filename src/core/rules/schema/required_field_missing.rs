//! `required-field-missing`: found by the schema pass.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A field that the object's schema requires is absent. The diagnostic is on the key of the
/// object that lacks it (or on the first line of a list item, or of the document). Some
/// required fields have a rule of their own with a more precise id, such as
/// `deployment-selector-missing`.
    ///
    /// ## Why it matters
    /// The API server rejects the object with `Required value`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
/// kind: Service
/// metadata:
///   name: web
/// spec:
///   ports:
///     - targetPort: 8080
    /// ```
    pub(crate) RequiredFieldMissing {
        id: "required-field-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for RequiredFieldMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the schema pass ([`super::schema_diagnostics`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
