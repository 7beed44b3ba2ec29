//! Problems found by validating a document against its JSON schema: unknown fields, wrong
//! types and missing required fields, each mapped back to the key or value it is about.

mod container_name_missing;
mod deployment_selector_missing;
mod deployment_template_missing;
mod env_name_missing;
mod required_field_missing;
mod type_mismatch;
mod unknown_field;
mod volume_mount_name_missing;
mod volume_mount_path_missing;
mod volume_name_missing;

pub(crate) use container_name_missing::ContainerNameMissing;
pub(crate) use deployment_selector_missing::DeploymentSelectorMissing;
pub(crate) use deployment_template_missing::DeploymentTemplateMissing;
pub(crate) use env_name_missing::EnvNameMissing;
pub(crate) use required_field_missing::RequiredFieldMissing;
pub(crate) use type_mismatch::{TypeMismatch, number_ranges};
pub(crate) use unknown_field::UnknownField;
pub(crate) use volume_mount_name_missing::VolumeMountNameMissing;
pub(crate) use volume_mount_path_missing::VolumeMountPathMissing;
pub(crate) use volume_name_missing::VolumeNameMissing;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &UnknownField,
    &TypeMismatch,
    &RequiredFieldMissing,
    &DeploymentSelectorMissing,
    &DeploymentTemplateMissing,
    &ContainerNameMissing,
    &EnvNameMissing,
    &VolumeNameMissing,
    &VolumeMountNameMissing,
    &VolumeMountPathMissing,
];

use serde_json::Value;

use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::rules::Sink;
use crate::core::schema::{SchemaError, SchemaErrorKind, VersionSchemas, short_name};
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node, PathSegment, ScalarStyle, ScalarValue, lookup};

/// Required fields that have a rule of their own: (type, field, rule id).
const REQUIRED_FIELD_RULES: &[(&str, &str, &str)] = &[
    ("DeploymentSpec", "selector", "deployment-selector-missing"),
    ("DeploymentSpec", "template", "deployment-template-missing"),
    ("PodSpec", "containers", "pod-containers-missing"),
    ("Container", "name", "container-name-missing"),
    ("EphemeralContainer", "name", "container-name-missing"),
    ("ContainerPort", "containerPort", "container-port-missing"),
    ("EnvVar", "name", "env-name-missing"),
    ("Volume", "name", "volume-name-missing"),
    ("VolumeMount", "name", "volume-mount-name-missing"),
    ("VolumeMount", "mountPath", "volume-mount-path-missing"),
];

/// Turns schema errors of one document into diagnostics on the right keys and values.
pub(crate) fn schema_diagnostics(
    text: &str,
    root: &Node,
    schemas: &VersionSchemas,
    errors: Vec<SchemaError>,
    sink: &mut Sink<'_>,
) {
    // Errors come in batches about one mapping (thousands of unknown fields in one container):
    // its keys are indexed once instead of searched for each error.
    let mut keys = KeyIndex::default();
    for error in errors {
        let (node, entry, complete) = lookup(root, &error.path);
        if !complete {
            continue;
        }
        let type_name = error
            .definition
            .as_deref()
            .map_or("this object", short_name);
        match &error.kind {
            SchemaErrorKind::UnknownField { name, known } => {
                let Some(field) = keys.entry(node, name) else {
                    continue;
                };
                let mut message = format!("unknown field `{name}` in {type_name}");
                let mut fix = None;
                if let Some(parent) =
                    misplaced_under(schemas, error.definition.as_deref(), node, name, &mut keys)
                {
                    message.push_str(&format!("; it belongs under `{parent}`"));
                    fix = keys
                        .entry(node, parent)
                        .and_then(|target| move_under(text, field, target));
                } else if type_name == "LabelSelector" {
                    message.push_str("; labels go under `matchLabels`");
                } else if let Some(suggestion) = nearest(name, known) {
                    message.push_str(&format!("; did you mean `{suggestion}`?"));
                    fix = Some(Fix {
                        title: format!("Rename to `{suggestion}`"),
                        edits: vec![TextEdit {
                            range: field.key.range,
                            new_text: suggestion.to_owned(),
                        }],
                    });
                }
                if let Some(diagnostic) = sink.report(&UnknownField::META, field.key.range, message)
                {
                    diagnostic.fix = fix;
                }
            }
            SchemaErrorKind::MissingField { name } => {
                let range = match entry {
                    Some(entry) => entry.key.range,
                    None => first_key(node),
                };
                // When the field is written at the wrong level, moving it is the fix.
                let written_elsewhere = (0..error.path.len()).any(|depth| {
                    let (ancestor, _, _) = lookup(root, &error.path[..depth]);
                    ancestor.entry(name).is_some()
                });
                let fix = entry
                    .filter(|_| !written_elsewhere)
                    .map(|it| &it.value)
                    .or(if error.path.is_empty() {
                        Some(node)
                    } else {
                        None
                    })
                    .and_then(|object| {
                        add_field(text, schemas, error.definition.as_deref(), object, name)
                    });
                let meta = REQUIRED_FIELD_RULES
                    .iter()
                    .find(|(ty, field, _)| *ty == type_name && field == name)
                    .and_then(|(_, _, id)| super::by_id(id))
                    .map_or(&RequiredFieldMissing::META, |it| it.meta());
                if let Some(diagnostic) = sink.report(
                    meta,
                    range,
                    format!("missing required field `{name}` in {type_name}"),
                ) {
                    diagnostic.fix = fix;
                }
            }
            SchemaErrorKind::WrongType { expected, found } => {
                // `.inf` and `.nan` have no JSON form; `number_ranges` says what they are.
                if node
                    .scalar()
                    .is_some_and(|it| matches!(it.value, ScalarValue::Float(f) if !f.is_finite()))
                {
                    continue;
                }
                let field = field_name(&error.path);
                let expected_text = expected
                    .iter()
                    .map(|it| article(it))
                    .collect::<Vec<_>>()
                    .join(" or ");
                let mut message =
                    format!("`{field}` must be {expected_text}, not {}", article(found));
                let mut fix = None;
                if let Some(scalar) = node.scalar() {
                    let quoted = matches!(
                        scalar.style,
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
                    );
                    if expected.iter().any(|it| it == "string") && !quoted {
                        let why = match scalar.value {
                            ScalarValue::Bool(_) => "a boolean",
                            _ => "a number",
                        };
                        message = format!(
                            "`{field}` must be a string, but `{}` is read as {why} (YAML 1.1, as kubectl reads it); quote it",
                            scalar.text
                        );
                        fix = Some(Fix {
                            title: format!("Quote `{}`", scalar.text),
                            edits: vec![TextEdit {
                                range: node.range,
                                new_text: format!("\"{}\"", scalar.text),
                            }],
                        });
                    } else if matches!(scalar.value, ScalarValue::String)
                        && let Some(found) = crate::core::formats::placeholder(&scalar.text)
                    {
                        // `replicas: ${REPLICAS}`: the template was never rendered.
                        message =
                            format!("`{field}` must be {expected_text}, but {}", found.reason());
                    } else if quoted
                        && expected.iter().any(|it| it == "integer" || it == "number")
                        && matches!(
                            crate::core::yaml::resolve_plain(&scalar.text),
                            ScalarValue::Int(_) | ScalarValue::Float(_)
                        )
                    {
                        message = format!(
                            "`{field}` must be a number, but `\"{}\"` is quoted, which makes it a string; remove the quotes",
                            scalar.text
                        );
                        fix = Some(Fix {
                            title: "Remove the quotes".to_owned(),
                            edits: vec![TextEdit {
                                range: node.range,
                                new_text: scalar.text.clone(),
                            }],
                        });
                    }
                }
                let range = entry.map_or(node.range, crate::core::manifest::value_range);
                if let Some(diagnostic) = sink.report(&TypeMismatch::META, range, message) {
                    diagnostic.fix = fix;
                }
            }
            SchemaErrorKind::NoVariantMatched { found } => {
                let field = field_name(&error.path);
                let message = match type_name {
                    "IntOrString" => format!(
                        "`{field}` must be an integer or a string, not {}",
                        article(found)
                    ),
                    "Quantity" => format!(
                        "`{field}` must be a quantity such as `500m` or `1Gi`, not {}",
                        article(found)
                    ),
                    _ => format!("`{field}` does not match any of the forms its type allows"),
                };
                let range = entry.map_or(node.range, crate::core::manifest::value_range);
                sink.report(&TypeMismatch::META, range, message);
            }
            SchemaErrorKind::Other { message } => {
                let range = entry.map_or(node.range, crate::core::manifest::value_range);
                sink.report(&TypeMismatch::META, range, message.clone());
            }
        }
    }
}

/// The entries of the last mapping looked up, by key. Lookups in other mappings fall back to
/// a search; a mapping that errors come for one by one is indexed when it is first met.
#[derive(Default)]
struct KeyIndex<'a> {
    node: Option<&'a Node>,
    entries: std::collections::HashMap<String, &'a Entry>,
}

impl<'a> KeyIndex<'a> {
    /// The entry of `node` whose key is `key`, as [`Node::entry`] finds it.
    fn entry(&mut self, node: &'a Node, key: &str) -> Option<&'a Entry> {
        let entries = node.entries()?;
        if entries.len() < 16 {
            return node.entry(key);
        }
        if !self.node.is_some_and(|it| std::ptr::eq(it, node)) {
            self.node = Some(node);
            self.entries.clear();
            for entry in entries {
                if let Some(name) = entry.key.json_key() {
                    // The first entry wins, as in `Node::entry`.
                    self.entries.entry(name).or_insert(entry);
                }
            }
        }
        self.entries.get(key).copied()
    }
}

/// The first key of a mapping (where a problem with the whole mapping goes), else its start.
fn first_key(node: &Node) -> TextRange {
    node.entries()
        .and_then(|it| it.first())
        .map_or(TextRange::empty(node.range.start), |it| it.key.range)
}

fn field_name(path: &[PathSegment]) -> String {
    match path.iter().rev().find_map(|it| match it {
        PathSegment::Key(key) => Some(key.as_str()),
        PathSegment::Index(_) => None,
    }) {
        Some(key) => key.to_owned(),
        None => "value".to_owned(),
    }
}

fn article(json_type: &str) -> String {
    match json_type {
        "integer" => "an integer".to_owned(),
        "object" => "a mapping".to_owned(),
        "array" => "a list".to_owned(),
        "null" => "empty".to_owned(),
        other => format!("a {other}"),
    }
}

/// If `name` is not a field of `definition` but is a field of one of its object-valued fields
/// that this mapping has (or could have), the name of that field: `template` at a Deployment's
/// root belongs under `spec`.
fn misplaced_under<'a, 'n>(
    schemas: &'a VersionSchemas,
    definition: Option<&str>,
    node: &'n Node,
    name: &str,
    keys: &mut KeyIndex<'n>,
) -> Option<&'a str> {
    let definition = schemas.definition(definition?)?;
    let properties = definition.get("properties")?.as_object()?;
    let mut candidates: Vec<&str> = properties
        .iter()
        .filter(|(_, schema)| {
            let (_, target) = schemas.resolve_ref(schema);
            target
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|it| it.contains_key(name))
        })
        .map(|(key, _)| key.as_str())
        .filter(|it| *it != "status")
        .collect();
    // Prefer a field the document already has.
    candidates.sort_by_key(|it| keys.entry(node, it).is_none());
    candidates.first().copied()
}

/// The known name closest to `name`, if it is close enough to be a typo.
fn nearest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    if let Some(same) = known.iter().find(|it| it.to_lowercase() == lower) {
        return Some(same);
    }
    known
        .iter()
        .map(|it| (edit_distance(&lower, &it.to_lowercase()), it))
        .filter(|(distance, it)| *distance <= (it.len().max(name.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, it)| it.as_str())
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// Byte offset of the start of the line holding `offset`.
fn line_start(text: &str, offset: u32) -> usize {
    text[..offset as usize].rfind('\n').map_or(0, |it| it + 1)
}

/// Byte offset just past the line break ending the line holding `offset`.
fn line_end(text: &str, offset: u32) -> usize {
    text[offset as usize..]
        .find('\n')
        .map_or(text.len(), |it| offset as usize + it + 1)
}

/// Column of `offset` on its line.
fn column(text: &str, offset: u32) -> usize {
    offset as usize - line_start(text, offset)
}

/// Moves `field` (a whole entry of a block mapping, written on lines of its own) to the end
/// of the block mapping under `target`, re-indented.
fn move_under(
    text: &str,
    field: &crate::core::yaml::Entry,
    target: &crate::core::yaml::Entry,
) -> Option<Fix> {
    let target_entries = target.value.entries()?;
    let first = target_entries.first()?;
    let from_column = column(text, field.key.range.start);
    let to_column = column(text, first.key.range.start);
    if to_column <= column(text, target.key.range.start)
        || !text[line_start(text, field.key.range.start)..field.key.range.start as usize]
            .trim()
            .is_empty()
    {
        return None;
    }
    let start = line_start(text, field.key.range.start);
    let end = line_end(text, field.value.range.end.max(field.key.range.end));
    let block: String = text[start..end]
        .split_inclusive('\n')
        .map(|line| {
            let content = line
                .get(from_column.min(line.len() - line.trim_start().len())..)
                .unwrap_or(line);
            if line.trim().is_empty() {
                line.to_owned()
            } else {
                format!("{}{content}", " ".repeat(to_column))
            }
        })
        .collect();
    let block = if block.ends_with('\n') {
        block
    } else {
        format!("{block}\n")
    };
    let insert_at = line_end(text, target.value.range.end);
    if insert_at > start && insert_at < end {
        return None;
    }
    let insert_text = if insert_at == text.len() && !text.ends_with('\n') {
        format!("\n{block}")
    } else {
        block
    };
    // One replacement from the first changed byte to the last: a deletion and an insertion
    // at the same offset can be applied in either order by a client, and one order cancels
    // the move out.
    let (range, new_text) = if insert_at <= start {
        (
            TextRange::new(insert_at as u32, end as u32),
            format!("{insert_text}{}", &text[insert_at..start]),
        )
    } else {
        (
            TextRange::new(start as u32, insert_at as u32),
            format!("{}{insert_text}", &text[end..insert_at]),
        )
    };
    Some(Fix {
        title: format!(
            "Move `{}` under `{}`",
            field.key.scalar_text().unwrap_or_default(),
            target.key.scalar_text().unwrap_or_default()
        ),
        edits: vec![TextEdit { range, new_text }],
    })
}

/// Adds a missing required field with a placeholder value, as the mapping's first key.
fn add_field(
    text: &str,
    schemas: &VersionSchemas,
    definition: Option<&str>,
    object: &Node,
    name: &str,
) -> Option<Fix> {
    let first = object.entries()?.first()?;
    if !text[line_start(text, first.key.range.start)..first.key.range.start as usize]
        .trim()
        .is_empty()
    {
        // Flow mappings and `- key:` items are left alone.
        return None;
    }
    let field = schemas.field_at(definition?, &[PathSegment::Key(name.to_owned())])?;
    let placeholder = match field.shape() {
        crate::core::schema::Shape::Object => "{}",
        crate::core::schema::Shape::Array => "[]",
        crate::core::schema::Shape::Scalar if field.types().contains(&"integer") => "0",
        crate::core::schema::Shape::Scalar if field.types().contains(&"boolean") => "false",
        crate::core::schema::Shape::Scalar => "\"\"",
    };
    let indent = " ".repeat(column(text, first.key.range.start));
    let at = line_start(text, first.key.range.start) as u32;
    Some(Fix {
        title: format!("Add `{name}`"),
        edits: vec![TextEdit {
            range: TextRange::empty(at),
            new_text: format!("{indent}{name}: {placeholder}\n"),
        }],
    })
}
