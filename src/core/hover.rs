//! Hover: what a field is (its documentation, type, whether it is required, the values
//! Kubernetes accepts, a link to the API reference), and what a selector label matches.

use crate::core::schema::{KubeVersion, VersionSchemas, short_name};
use crate::core::text::TextRange;
use crate::core::values::{allowed_values, default_value};
use crate::core::yaml::{self, Node, NodeKind, PathSegment};

/// A hover: markdown for a range.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    /// What the hover is about.
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

/// The place under the cursor in a parsed document.
#[derive(Clone, Debug)]
pub struct Place<'a> {
    /// Path from the root to the entry or item.
    pub path: Vec<PathSegment>,
    /// The node under the cursor (a key or a value).
    pub node: &'a Node,
    /// Whether the cursor is on a key.
    pub on_key: bool,
    /// The mapping entries on the way (outermost first), to read siblings.
    pub ancestors: Vec<&'a Node>,
}

/// Finds what is under `offset` in `root`.
#[must_use]
pub fn place_at(root: &Node, offset: u32) -> Option<Place<'_>> {
    let mut path = Vec::new();
    let mut ancestors = Vec::new();
    let mut node = root;
    loop {
        ancestors.push(node);
        match &node.kind {
            NodeKind::Mapping(entries) => {
                let entry = entries.iter().filter(|it| !it.merged).find(|it| {
                    it.key.range.contains_inclusive(offset)
                        || it.value.range.contains_inclusive(offset)
                })?;
                path.push(PathSegment::Key(entry.key.json_key()?));
                if entry.key.range.contains_inclusive(offset) {
                    return Some(Place {
                        path,
                        node: &entry.key,
                        on_key: true,
                        ancestors,
                    });
                }
                if entry.value.scalar().is_some() {
                    return Some(Place {
                        path,
                        node: &entry.value,
                        on_key: false,
                        ancestors,
                    });
                }
                node = &entry.value;
            }
            NodeKind::Sequence(items) => {
                let (i, item) = items
                    .iter()
                    .enumerate()
                    .find(|(_, it)| it.range.contains_inclusive(offset))?;
                path.push(PathSegment::Index(i));
                if item.scalar().is_some() {
                    return Some(Place {
                        path,
                        node: item,
                        on_key: false,
                        ancestors,
                    });
                }
                node = item;
            }
            NodeKind::Scalar(_) => return None,
        }
    }
}

/// The hover at `offset` in the text of one document; ranges are relative to it.
#[must_use]
pub fn hover(text: &str, offset: u32, schemas: &VersionSchemas) -> Option<Hover> {
    let parsed = yaml::parse(text);
    let root = parsed.documents.iter().find_map(|it| it.root.as_ref())?;
    let place = place_at(root, offset)?;
    let api_version = root.get("apiVersion").and_then(Node::scalar_text)?;
    let kind = root.get("kind").and_then(Node::scalar_text)?;
    let definition = schemas.definition_for(api_version, kind)?;
    if place.path.len() == 1
        && matches!(&place.path[0], PathSegment::Key(key) if key == "kind" || key == "apiVersion")
    {
        let schema = schemas.field_at(definition, &[])?;
        let mut markdown = format!("**{kind}** (`{api_version}`)\n\n");
        if let Some(description) = schema.description() {
            markdown.push_str(description);
            markdown.push_str("\n\n");
        }
        markdown.push_str(&reference_link(definition, schemas.version));
        return Some(Hover {
            range: place.node.range,
            markdown,
        });
    }
    let field = schemas.field_at(definition, &place.path)?;
    let name = match place.path.last()? {
        PathSegment::Key(key) => key.clone(),
        PathSegment::Index(i) => format!("[{i}]"),
    };
    let parent = schemas.field_at(definition, &place.path[..place.path.len() - 1]);
    let owner = parent.as_ref().and_then(|it| it.definition);
    let required = parent.as_ref().is_some_and(|it| {
        it.schema
            .get("required")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|list| list.iter().any(|it| it.as_str() == Some(name.as_str())))
    });
    let mut markdown = format!(
        "**{name}** `{}` · {}",
        field.type_name(schemas),
        if required { "required" } else { "optional" }
    );
    if let Some(owner) = owner {
        markdown.push_str(&format!(" · in {}", short_name(owner)));
    }
    markdown.push_str("\n\n");
    if let Some(description) = field.description() {
        markdown.push_str(description);
        markdown.push_str("\n\n");
    }
    if let Some(values) = owner.and_then(|it| allowed_values(short_name(it), &name)) {
        let list = values
            .iter()
            .map(|it| format!("`{it}`"))
            .collect::<Vec<_>>()
            .join(", ");
        markdown.push_str(&format!("Allowed values: {list}\n\n"));
    }
    if let Some(default) = owner.and_then(|it| default_value(short_name(it), &name)) {
        if default.contains(' ') {
            markdown.push_str(&format!("Default: {default}\n\n"));
        } else {
            markdown.push_str(&format!("Default: `{default}`\n\n"));
        }
    }
    if let Some(note) = selector_note(root, &place) {
        markdown.push_str(&note);
        markdown.push_str("\n\n");
    }
    markdown.push_str(&reference_link(
        field.definition.or(owner).unwrap_or(definition),
        schemas.version,
    ));
    Some(Hover {
        range: place.node.range,
        markdown,
    })
}

/// On a Deployment's `spec.selector.matchLabels` entry: which template label it matches.
fn selector_note(root: &Node, place: &Place<'_>) -> Option<String> {
    let keys: Vec<&str> = place
        .path
        .iter()
        .map(|it| match it {
            PathSegment::Key(key) => key.as_str(),
            PathSegment::Index(_) => "[]",
        })
        .collect();
    let ["spec", "selector", "matchLabels", label] = keys.as_slice() else {
        return None;
    };
    let wanted = root
        .get_path(&["spec", "selector", "matchLabels", label])
        .and_then(Node::scalar_text)?;
    let labels = root.get_path(&["spec", "template", "metadata", "labels"]);
    Some(
        match labels
            .and_then(|it| it.get(label))
            .and_then(Node::scalar_text)
        {
            Some(value) if value == wanted => {
                format!("Matches the template label `{label}: {value}`.")
            }
            Some(value) => format!("Does **not** match: the template has `{label}: {value}`."),
            None => format!("Does **not** match: the template has no label `{label}`."),
        },
    )
}

/// A link to the API reference of `definition` for `version`.
#[must_use]
pub fn reference_link(definition: &str, version: KubeVersion) -> String {
    let parts: Vec<&str> = definition.split('.').collect();
    let kind = parts.last().copied().unwrap_or(definition);
    let anchor = match parts.as_slice() {
        ["io", "k8s", "api", group, api_version, _] => {
            let group = match *group {
                "core" | "apps" | "batch" | "autoscaling" | "policy" => (*group).to_owned(),
                other => format!("{other}-k8s-io"),
            };
            format!("{}-{api_version}-{group}", kind.to_lowercase())
        }
        [
            "io",
            "k8s",
            "apimachinery",
            "pkg",
            "apis",
            "meta",
            api_version,
            _,
        ] => {
            format!("{}-{api_version}-meta", kind.to_lowercase())
        }
        _ => kind.to_lowercase(),
    };
    format!(
        "[{kind} in the Kubernetes {version} API reference](https://kubernetes.io/docs/reference/generated/kubernetes-api/v{version}/#{anchor})"
    )
}
