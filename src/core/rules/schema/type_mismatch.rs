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

#[cfg(test)]
mod tests {
    use crate::core::rules::testing::diagnostics;

    #[test]
    fn an_unrendered_number_is_called_a_placeholder() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${REPLICAS}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";
        let messages: Vec<String> = diagnostics(text, 37)
            .into_iter()
            .filter(|it| it.code == "type-mismatch")
            .map(|it| it.message)
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with(
                "`replicas` must be an integer, but `${REPLICAS}` looks like an unexpanded placeholder; substitute the variables first"
            ),
            "{messages:?}"
        );
    }
}
