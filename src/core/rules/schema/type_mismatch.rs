//! `type-mismatch`: found by the schema pass.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A value of the wrong JSON type, as the API server decodes it: a string where an integer is
/// expected (`replicas: "3"`), or a number or boolean where a string is expected. YAML 1.1
/// rules apply, as in `kubectl`: unquoted `yes`, `on`, `true` are booleans and `8080`, `1.0`
/// are numbers, so label, annotation and env values that look like them must be quoted.
    ///
    /// ## Why it matters
    /// The API server cannot decode the object (`cannot unmarshal string into Go struct field
/// ... of type int32`) and rejects it.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
/// kind: Deployment
/// metadata:
///   name: web
/// spec:
///   replicas: "3"
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
    pub(crate) TypeMismatch {
        id: "type-mismatch",
        severity: Error,
    }
}

impl Rule for TypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the schema pass ([`super::schema_diagnostics`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
