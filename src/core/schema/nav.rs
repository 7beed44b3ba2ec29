//! Walks a kind's schema along a path of keys: what a field is, what it may contain.

use serde_json::Value;

use super::VersionSchemas;
use crate::core::yaml::PathSegment;

/// What the schema says about one place in a document.
#[derive(Clone, Debug)]
pub struct FieldSchema<'a> {
    /// The schema of the place, `$ref`s resolved.
    pub schema: &'a Value,
    /// The definition it is an instance of, if any (`io.k8s.api.core.v1.Container`).
    pub definition: Option<&'a str>,
    /// The description written on the field itself (it often says more than the type's).
    pub field_description: Option<&'a str>,
}

/// One field of an object type.
#[derive(Clone, Debug)]
pub struct FieldInfo<'a> {
    /// The field's name.
    pub name: &'a str,
    /// Whether the type requires it.
    pub required: bool,
    /// Its schema, resolved.
    pub schema: FieldSchema<'a>,
}

/// The shape of a value, for inserting a key with the right YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A mapping.
    Object,
    /// A list.
    Array,
    /// A string, number or boolean.
    Scalar,
}

impl<'a> FieldSchema<'a> {
    /// The description: the field's own, else its type's.
    #[must_use]
    pub fn description(&self) -> Option<&'a str> {
        self.field_description
            .or_else(|| self.schema.get("description").and_then(Value::as_str))
    }

    /// The JSON types it accepts, `null` left out.
    #[must_use]
    pub fn types(&self) -> Vec<&'a str> {
        match self.schema.get("type") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many
                .iter()
                .filter_map(Value::as_str)
                .filter(|it| *it != "null")
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A short name of the type: `Container`, `[]EnvVar`, `map[string]string`, `integer`, …
    #[must_use]
    pub fn type_name(&self, schemas: &'a VersionSchemas) -> String {
        if let Some(definition) = self.definition {
            return super::short_name(definition).to_owned();
        }
        let types = self.types();
        if types.contains(&"array") {
            let items = self
                .schema
                .get("items")
                .map(|it| resolve(schemas, it, None));
            return format!(
                "[]{}",
                items.map_or_else(|| "any".to_owned(), |it| it.type_name(schemas))
            );
        }
        if types.contains(&"object") {
            if let Some(values) = self
                .schema
                .get("additionalProperties")
                .filter(|it| it.is_object())
            {
                return format!(
                    "map[string]{}",
                    resolve(schemas, values, None).type_name(schemas)
                );
            }
            return "object".to_owned();
        }
        if types.is_empty() && self.schema.get("anyOf").is_some() {
            return "int-or-string".to_owned();
        }
        types.join(" or ")
    }

    /// The shape a value of this field takes.
    #[must_use]
    pub fn shape(&self) -> Shape {
        let types = self.types();
        if types.contains(&"array") {
            Shape::Array
        } else if types.contains(&"object") || self.schema.get("properties").is_some() {
            Shape::Object
        } else {
            Shape::Scalar
        }
    }

    /// The fields of an object type, required ones first, each group in schema order.
    #[must_use]
    pub fn fields(&self, schemas: &'a VersionSchemas) -> Vec<FieldInfo<'a>> {
        let Some(properties) = self.schema.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        let required: Vec<&str> = self
            .schema
            .get("required")
            .and_then(Value::as_array)
            .map(|it| it.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut res: Vec<FieldInfo<'a>> = properties
            .iter()
            .map(|(name, schema)| FieldInfo {
                name,
                required: required.contains(&name.as_str()),
                schema: resolve(schemas, schema, None),
            })
            .collect();
        res.sort_by_key(|it| !it.required);
        res
    }

    /// The schema one step further along.
    #[must_use]
    pub fn child(
        &self,
        schemas: &'a VersionSchemas,
        segment: &PathSegment,
    ) -> Option<FieldSchema<'a>> {
        match segment {
            PathSegment::Key(key) => {
                if let Some(field) = self
                    .schema
                    .get("properties")
                    .and_then(|it| it.get(key.as_str()))
                {
                    return Some(resolve(schemas, field, None));
                }
                self.schema
                    .get("additionalProperties")
                    .filter(|it| it.is_object())
                    .map(|it| resolve(schemas, it, None))
            }
            PathSegment::Index(_) => self
                .schema
                .get("items")
                .map(|it| resolve(schemas, it, None)),
        }
    }
}

fn resolve<'a>(
    schemas: &'a VersionSchemas,
    schema: &'a Value,
    definition: Option<&'a str>,
) -> FieldSchema<'a> {
    let field_description = schema.get("description").and_then(Value::as_str);
    let (name, target) = schemas.resolve_ref(schema);
    FieldSchema {
        schema: target,
        definition: name.or(definition),
        field_description,
    }
}

impl VersionSchemas {
    /// The schema at `path` inside a document of the kind whose definition is `definition`.
    #[must_use]
    pub fn field_at(&self, definition: &str, path: &[PathSegment]) -> Option<FieldSchema<'_>> {
        let (name, schema) = self.definitions()?.get_key_value(definition)?;
        let mut field = FieldSchema {
            schema,
            definition: Some(name.as_str()),
            field_description: None,
        };
        for segment in path {
            field = field.child(self, segment)?;
        }
        Some(field)
    }
}
