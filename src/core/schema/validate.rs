//! Runs a compiled validator over a document and turns its errors into plain data.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use super::VersionSchemas;
use crate::core::yaml::PathSegment;

/// A schema violation, located by its path in the document.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaError {
    /// Path to the offending value (for unknown and missing fields: to the object holding them).
    pub path: Vec<PathSegment>,
    /// The definition whose rule failed, e.g. `io.k8s.api.core.v1.PodSpec`.
    pub definition: Option<String>,
    /// What failed.
    pub kind: SchemaErrorKind,
}

/// What kind of violation.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaErrorKind {
    /// A key the type does not have; `known` lists the keys it does have.
    UnknownField {
        /// The unknown key.
        name: String,
        /// The type's fields.
        known: Vec<String>,
    },
    /// A required key is absent.
    MissingField {
        /// The absent key.
        name: String,
    },
    /// The value has the wrong JSON type.
    WrongType {
        /// The accepted types (`string`, `integer`, …), `null` left out.
        expected: Vec<String>,
        /// The type found.
        found: &'static str,
    },
    /// The value matches none of the accepted forms (e.g. int-or-string).
    NoVariantMatched {
        /// The type found.
        found: &'static str,
    },
    /// Anything else the schema rejects.
    Other {
        /// The validator's message.
        message: String,
    },
}

impl VersionSchemas {
    /// Validates `instance` against the definition `definition`.
    #[must_use]
    pub fn validate(&self, definition: &str, instance: &Value) -> Vec<SchemaError> {
        let Some(cell) = self.validator(definition) else {
            return Vec::new();
        };
        let Some(validator) = cell.get().and_then(Option::as_ref) else {
            return Vec::new();
        };
        let mut res = Vec::new();
        for error in validator.iter_errors(instance) {
            let path: Vec<PathSegment> = error
                .instance_path()
                .iter()
                .map(|segment| match segment {
                    LocationSegment::Index(i) => PathSegment::Index(i),
                    LocationSegment::Property(key) => PathSegment::Key(key.into_owned()),
                })
                .collect();
            let definition = owning_definition(error.schema_path().as_str());
            let found = json_type(error.instance());
            let kind = match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    let known: Vec<String> = definition
                        .as_deref()
                        .and_then(|it| self.definition(it))
                        .and_then(|it| it.get("properties"))
                        .and_then(Value::as_object)
                        .map(|it| it.keys().cloned().collect())
                        .unwrap_or_default();
                    for name in unexpected {
                        res.push(SchemaError {
                            path: path.clone(),
                            definition: definition.clone(),
                            kind: SchemaErrorKind::UnknownField {
                                name: name.clone(),
                                known: known.clone(),
                            },
                        });
                    }
                    continue;
                }
                ValidationErrorKind::Required { property } => SchemaErrorKind::MissingField {
                    name: property.as_str().unwrap_or_default().to_owned(),
                },
                ValidationErrorKind::Type { kind } => {
                    let mut expected: Vec<String> = match kind {
                        TypeKind::Single(one) => vec![one.to_string()],
                        TypeKind::Multiple(many) => {
                            many.into_iter().map(|it| it.to_string()).collect()
                        }
                    };
                    expected.retain(|it| it != "null");
                    SchemaErrorKind::WrongType { expected, found }
                }
                ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
                    SchemaErrorKind::NoVariantMatched { found }
                }
                _ => SchemaErrorKind::Other {
                    message: error.to_string(),
                },
            };
            res.push(SchemaError {
                path,
                definition,
                kind,
            });
        }
        res
    }
}

/// The last definition named in a schema path such as
/// `/$defs/io.k8s.api.core.v1.ContainerPort/properties/containerPort/type`.
fn owning_definition(schema_path: &str) -> Option<String> {
    let at = schema_path.rfind("/$defs/")?;
    let rest = &schema_path[at + "/$defs/".len()..];
    Some(
        rest.split('/')
            .next()
            .unwrap_or(rest)
            .replace("~1", "/")
            .replace("~0", "~"),
    )
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
