//! `type-mismatch`: found by the schema pass, and by [`number_ranges`] for numbers that a
//! JSON schema validator takes for integers but the API server's decoder does not.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::schema::{FieldSchema, VersionSchemas};
use crate::core::yaml::{Node, NodeKind, PathSegment, ScalarValue};

declare_rule! {
    /// ## What it flags
    /// A value of the wrong JSON type, as the API server decodes it: a string where an integer is
/// expected (`replicas: "3"`), or a number or boolean where a string is expected. YAML 1.1
/// rules apply, as in `kubectl`: unquoted `yes`, `on`, `true` are booleans and `8080`, `1.0`
/// are numbers, so label, annotation and env values that look like them must be quoted.
/// Where an integer is expected, a number outside the field's range (`int32`:
/// -2147483648 to 2147483647, else `int64`), a float beyond it (`replicas: 1e23`), `.inf` and
/// `.nan` are flagged too.
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

/// The range of an integer field with this `format` (`int64` when none is given): its name,
/// its bounds, and the bounds as written in messages.
fn integer_range(format: Option<&str>) -> (&'static str, f64, f64, &'static str) {
    match format {
        Some("int32") => (
            "int32",
            f64::from(i32::MIN),
            f64::from(i32::MAX),
            "-2147483648 to 2147483647",
        ),
        _ => (
            "int64",
            -9_223_372_036_854_775_808.0,
            9_223_372_036_854_775_807.0,
            "-9223372036854775808 to 9223372036854775807",
        ),
    }
}

/// Flags integer fields whose value the API server cannot decode: out of the field's range,
/// or not a finite number. A fraction (`1.5`) is left to the schema pass, which reports it.
pub(crate) fn number_ranges(
    root: &Node,
    schemas: &VersionSchemas,
    definition: &str,
    sink: &mut Sink<'_>,
) {
    let Some(top) = schemas.field_at(definition, &[]) else {
        return;
    };
    // An explicit stack: documents can nest deeply.
    let mut stack: Vec<(&Node, FieldSchema<'_>, Option<&str>)> = vec![(root, top, None)];
    while let Some((node, field, name)) = stack.pop() {
        match &node.kind {
            NodeKind::Mapping(entries) => {
                for entry in entries.iter().filter(|it| !it.merged) {
                    let Some(key) = entry.key.scalar_text() else {
                        continue;
                    };
                    let segment = PathSegment::Key(key.to_owned());
                    if let Some(child) = field.child(schemas, &segment) {
                        stack.push((&entry.value, child, Some(key)));
                    }
                }
            }
            NodeKind::Sequence(items) => {
                if let Some(child) = field.child(schemas, &PathSegment::Index(0)) {
                    stack.extend(items.iter().map(|it| (it, child.clone(), name)));
                }
            }
            NodeKind::Scalar(scalar) => {
                if field.types() != ["integer"] {
                    continue;
                }
                let format = field.schema.get("format").and_then(|it| it.as_str());
                let (format, min, max, bounds) = integer_range(format);
                #[allow(clippy::cast_precision_loss)]
                let value = match scalar.value {
                    ScalarValue::Int(n) => n as f64,
                    ScalarValue::Float(f) => f,
                    _ => continue,
                };
                let field_name = name.unwrap_or("value");
                let message = if value.is_nan() || value.is_infinite() {
                    format!(
                        "`{field_name}` must be an integer ({format}: {bounds}), not `{}`",
                        scalar.text
                    )
                } else if value.fract() == 0.0 && (value < min || value > max) {
                    format!(
                        "`{field_name}` must be an integer from {bounds} ({format}); `{}` is out of range",
                        scalar.text
                    )
                } else {
                    continue;
                };
                sink.report(&TypeMismatch::META, node.range, message);
            }
        }
    }
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

    #[test]
    fn numbers_out_of_range_name_the_range() {
        let pod = |value: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      ports:\n        - containerPort: {value}\n"
            )
        };
        let messages = |value: &str| -> Vec<String> {
            diagnostics(&pod(value), 33)
                .into_iter()
                .filter(|it| it.code == "type-mismatch")
                .map(|it| it.message)
                .collect()
        };
        assert_eq!(
            messages("3000000000"),
            [
                "`containerPort` must be an integer from -2147483648 to 2147483647 (int32); `3000000000` is out of range"
            ]
        );
        assert_eq!(
            messages("-.inf"),
            ["`containerPort` must be an integer (int32: -2147483648 to 2147483647), not `-.inf`"]
        );
        assert!(messages("2147483647").is_empty());
        assert!(messages("8.0e1").is_empty());
    }
}
