//! Completion: keys from the schema at the cursor, values Kubernetes accepts, names from the
//! document and the workspace, and whole-resource snippets in an empty document.

use crate::core::cursor::{Cursor, CursorKind, cursor_at};
use crate::core::diagnostic::TextEdit;
use crate::core::schema::{FieldSchema, Shape, VersionSchemas, short_name};
use crate::core::text::{TextRange, to_u32};
use crate::core::values::{allowed_item_values, allowed_values};
use crate::core::workspace::ObjectSummary;
use crate::core::yaml::{self, Node, PathSegment};

/// What a completion item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A field name.
    Field,
    /// A value of a field.
    Value,
    /// A whole resource.
    Snippet,
    /// The name of something defined elsewhere (a volume, a ConfigMap, …).
    Reference,
}

/// One completion, ready for any editor.
#[derive(Clone, Debug, PartialEq)]
pub struct CompletionItem {
    /// What the list shows.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A short detail: the type, or where a name comes from.
    pub detail: Option<String>,
    /// Markdown documentation.
    pub documentation: Option<String>,
    /// The text replacing `range`; a snippet (`$0`, `${1:x}`) when `is_snippet`.
    pub insert_text: String,
    /// Whether `insert_text` is a snippet.
    pub is_snippet: bool,
    /// The range replaced (the part of the word already typed).
    pub range: TextRange,
    /// Sorting key: required fields first.
    pub sort_text: String,
    /// Other edits made with it (choosing a kind fills in its apiVersion).
    pub additional_edits: Vec<TextEdit>,
}

/// Completions at `offset` in `text`, the text of one document; ranges are relative to it.
#[must_use]
pub fn complete(
    text: &str,
    offset: u32,
    schemas: &VersionSchemas,
    workspace: &[ObjectSummary],
) -> Vec<CompletionItem> {
    if text.lines().all(|it| {
        let it = it.trim();
        it.is_empty() || it.starts_with('#') || it == "---"
    }) {
        return snippets(offset);
    }
    let cursor = cursor_at(text, offset);
    let definition = match (&cursor.api_version, &cursor.object_kind) {
        (Some(api_version), Some(kind)) => schemas.definition_for(api_version, kind),
        _ => None,
    };
    let tree = parse_without_cursor_line(text, offset);
    match &cursor.kind {
        CursorKind::Key => complete_key(&cursor, definition, schemas, tree.as_ref()),
        CursorKind::Value { key } => complete_value(
            text,
            &cursor,
            key,
            definition,
            schemas,
            tree.as_ref(),
            workspace,
        ),
    }
}

fn complete_key(
    cursor: &Cursor,
    definition: Option<&str>,
    schemas: &VersionSchemas,
    tree: Option<&Node>,
) -> Vec<CompletionItem> {
    let mut res = Vec::new();
    let indent = " ".repeat(cursor.column + 2);
    if let Some(field) = field_at(schemas, definition, &cursor.path) {
        for info in field.fields(schemas) {
            if cursor.siblings.iter().any(|it| it == info.name) || info.name == "status" {
                continue;
            }
            let type_name = info.schema.type_name(schemas);
            let owner = field.definition.map(short_name).unwrap_or_default();
            let insert_text = match info.schema.shape() {
                Shape::Object => format!("{}:\n{indent}$0", info.name),
                Shape::Array => format!("{}:\n{indent}- $0", info.name),
                Shape::Scalar => match allowed_values(owner, info.name) {
                    Some(values) => format!("{}: ${{1|{}|}}", info.name, values.join(",")),
                    None => format!("{}: $0", info.name),
                },
            };
            res.push(CompletionItem {
                label: info.name.to_owned(),
                kind: CompletionKind::Field,
                detail: Some(if info.required {
                    format!("{type_name} (required)")
                } else {
                    type_name
                }),
                documentation: info.schema.description().map(str::to_owned),
                insert_text,
                is_snippet: true,
                range: cursor.prefix_range,
                sort_text: format!("{}{}", u8::from(!info.required), info.name),
                additional_edits: Vec::new(),
            });
        }
    } else if cursor.path.is_empty() {
        for (name, insert) in [
            ("apiVersion", "apiVersion: $0"),
            ("kind", "kind: $0"),
            ("metadata", "metadata:\n  name: $0"),
        ] {
            if !cursor.siblings.iter().any(|it| it == name) {
                res.push(CompletionItem {
                    label: name.to_owned(),
                    kind: CompletionKind::Field,
                    detail: Some("string".to_owned()),
                    documentation: None,
                    insert_text: insert.to_owned(),
                    is_snippet: true,
                    range: cursor.prefix_range,
                    sort_text: format!("0{name}"),
                    additional_edits: Vec::new(),
                });
            }
        }
    }
    // Label keys under a selector, from the template, and the reverse.
    if let Some(tree) = tree {
        let (here, there): (&[&str], &[&str]) = (
            &["selector", "matchLabels"],
            &["template", "metadata", "labels"],
        );
        for (from, to) in [(here, there), (there, here)] {
            if ends_with_keys(&cursor.path, from)
                && let Some(other) =
                    sibling_path(&cursor.path, from, to).and_then(|path| node_at(tree, &path))
            {
                for entry in other.entries().unwrap_or_default() {
                    let (Some(key), Some(value)) =
                        (entry.key.scalar_text(), entry.value.scalar_text())
                    else {
                        continue;
                    };
                    if cursor.siblings.iter().any(|it| it == key) {
                        continue;
                    }
                    res.push(CompletionItem {
                        label: format!("{key}: {value}"),
                        kind: CompletionKind::Reference,
                        detail: Some(format!("from {}", to.join("."))),
                        documentation: None,
                        insert_text: format!("{key}: {value}"),
                        is_snippet: false,
                        range: cursor.prefix_range,
                        sort_text: format!("0{key}"),
                        additional_edits: Vec::new(),
                    });
                }
            }
        }
    }
    res
}

fn complete_value(
    text: &str,
    cursor: &Cursor,
    key: &str,
    definition: Option<&str>,
    schemas: &VersionSchemas,
    tree: Option<&Node>,
    workspace: &[ObjectSummary],
) -> Vec<CompletionItem> {
    let value = |label: &str, detail: Option<String>, kind: CompletionKind| CompletionItem {
        label: label.to_owned(),
        kind,
        detail,
        documentation: None,
        insert_text: label.to_owned(),
        is_snippet: false,
        range: cursor.prefix_range,
        sort_text: label.to_owned(),
        additional_edits: Vec::new(),
    };
    if cursor.path.is_empty() && key == "kind" {
        return kinds(text, cursor, schemas);
    }
    if cursor.path.is_empty() && key == "apiVersion" {
        let mut versions: Vec<&str> = match &cursor.object_kind {
            Some(kind) if !schemas.api_versions_of(kind).is_empty() => {
                schemas.api_versions_of(kind)
            }
            // Options of the API machinery (`DeleteOptions`, `WatchEvent`) are registered under
            // every group version, also under versions that serve no object any more
            // (`apps/v1beta1`): only versions that serve an object are offered.
            _ => schemas
                .kinds()
                .into_iter()
                .filter(|(_, kind)| is_object_kind(kind))
                .map(|(api_version, _)| api_version)
                .collect(),
        };
        versions.dedup();
        return versions
            .into_iter()
            .map(|it| value(it, None, CompletionKind::Value))
            .collect();
    }
    let mut res = Vec::new();
    let parent = field_at(schemas, definition, &cursor.path);
    let owner = parent
        .as_ref()
        .and_then(|it| it.definition)
        .map(short_name)
        .unwrap_or_default();
    let field: Option<FieldSchema<'_>> = parent
        .as_ref()
        .and_then(|it| it.child(schemas, &PathSegment::Key(key.to_owned())));
    if let Some(values) = allowed_values(owner, key) {
        res.extend(
            values
                .iter()
                .map(|it| value(it, Some(format!("{owner}.{key}")), CompletionKind::Value)),
        );
    } else if let Some(field) = &field
        && field.types() == ["boolean"]
    {
        res.extend(["true", "false"].map(|it| value(it, None, CompletionKind::Value)));
    }
    if let Some(values) = cursor
        .path
        .iter()
        .rev()
        .nth(1)
        .and_then(|it| match it {
            PathSegment::Key(list) => allowed_item_values(owner, list),
            PathSegment::Index(_) => None,
        })
        .filter(|_| matches!(cursor.path.last(), Some(PathSegment::Index(_))))
    {
        res.extend(
            values
                .iter()
                .map(|it| value(it, None, CompletionKind::Value)),
        );
    }
    // Names defined elsewhere.
    let from_workspace = |kind: &str| -> Vec<CompletionItem> {
        let mut names: Vec<&str> = workspace
            .iter()
            .filter(|it| it.kind == kind && !it.name.is_empty())
            .map(|it| it.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(|it| {
                value(
                    it,
                    Some(format!("{kind} in the workspace")),
                    CompletionKind::Reference,
                )
            })
            .collect()
    };
    let parent_key = last_key(&cursor.path);
    match (parent_key, key) {
        (Some("configMapRef" | "configMapKeyRef" | "configMap"), "name") => {
            res.extend(from_workspace("ConfigMap"));
        }
        (Some("secretRef" | "secretKeyRef"), "name") | (Some("secret"), "secretName") => {
            res.extend(from_workspace("Secret"));
        }
        (_, "serviceAccountName") => res.extend(from_workspace("ServiceAccount")),
        _ => {}
    }
    let Some(tree) = tree else { return res };
    let pod_spec = pod_spec_path(&cursor.path);
    if owner == "VolumeMount"
        && key == "name"
        && let Some(spec) = pod_spec.as_ref().and_then(|it| node_at(tree, it))
    {
        for volume in spec
            .get("volumes")
            .and_then(Node::items)
            .unwrap_or_default()
        {
            if let Some(name) = volume.get("name").and_then(Node::scalar_text) {
                res.push(value(
                    name,
                    Some("volume of this pod".to_owned()),
                    CompletionKind::Reference,
                ));
            }
        }
    }
    let named_port = (matches!(owner, "HTTPGetAction" | "TCPSocketAction") && key == "port")
        || (owner == "ServicePort" && key == "targetPort");
    if named_port {
        let containers: Vec<&Node> = if owner == "ServicePort" {
            Vec::new()
        } else {
            container_path(&cursor.path)
                .and_then(|it| node_at(tree, &it))
                .into_iter()
                .collect()
        };
        for container in containers {
            for port in container
                .get("ports")
                .and_then(Node::items)
                .unwrap_or_default()
            {
                if let Some(name) = port.get("name").and_then(Node::scalar_text) {
                    res.push(value(
                        name,
                        Some("port of this container".to_owned()),
                        CompletionKind::Reference,
                    ));
                }
            }
        }
    }
    if ends_with_keys(&cursor.path, &["selector", "matchLabels"])
        && let Some(labels) = sibling_path(
            &cursor.path,
            &["selector", "matchLabels"],
            &["template", "metadata", "labels"],
        )
        .and_then(|it| node_at(tree, &it))
        && let Some(wanted) = labels.get(key).and_then(Node::scalar_text)
    {
        res.push(value(
            wanted,
            Some("template label".to_owned()),
            CompletionKind::Reference,
        ));
    }
    res
}

/// Kinds of this version; choosing one also sets `apiVersion`.
fn kinds(text: &str, cursor: &Cursor, schemas: &VersionSchemas) -> Vec<CompletionItem> {
    let api_version_line = text
        .match_indices("apiVersion:")
        .find(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n');
    let mut res = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (api_version, kind) in schemas.kinds() {
        if kind.ends_with("List") || matches!(kind, "DeleteOptions" | "WatchEvent" | "Status") {
            continue;
        }
        // The most stable apiVersion of each kind.
        let best = schemas
            .api_versions_of(kind)
            .into_iter()
            .min_by_key(|it| (it.contains("alpha"), it.contains("beta")))
            .unwrap_or(api_version);
        if !seen.insert(kind) {
            continue;
        }
        let edit = if let Some((start, _)) = api_version_line {
            let value_start = start + "apiVersion:".len();
            let line_end = text[value_start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |it| value_start + it);
            TextEdit {
                range: TextRange::new(to_u32(value_start), to_u32(line_end)),
                new_text: format!(" {best}"),
            }
        } else {
            let line_start = text[..cursor.prefix_range.start as usize]
                .rfind('\n')
                .map_or(0, |it| it + 1);
            TextEdit {
                range: TextRange::empty(to_u32(line_start)),
                new_text: format!("apiVersion: {best}\n"),
            }
        };
        let description = schemas
            .definition_for(best, kind)
            .and_then(|it| schemas.definition(it))
            .and_then(|it| it.get("description"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        res.push(CompletionItem {
            label: kind.to_owned(),
            kind: CompletionKind::Value,
            detail: Some(best.to_owned()),
            documentation: description,
            insert_text: kind.to_owned(),
            is_snippet: false,
            range: cursor.prefix_range,
            sort_text: kind.to_owned(),
            additional_edits: vec![edit],
        });
    }
    res
}

fn snippets(offset: u32) -> Vec<CompletionItem> {
    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${1:web}\n  labels:\n    app: ${1:web}\nspec:\n  containers:\n    - name: ${1:web}\n      image: ${2:nginx:1.27}\n      ports:\n        - containerPort: ${3:80}\n";
    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${1:web}\nspec:\n  replicas: ${2:1}\n  selector:\n    matchLabels:\n      app: ${1:web}\n  template:\n    metadata:\n      labels:\n        app: ${1:web}\n    spec:\n      containers:\n        - name: ${1:web}\n          image: ${3:nginx:1.27}\n          ports:\n            - containerPort: ${4:80}\n";
    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: ${1:web}\nspec:\n  selector:\n    app: ${1:web}\n  ports:\n    - port: ${2:80}\n      targetPort: ${3:80}\n";
    const CONFIG_MAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${1:config}\ndata:\n  ${2:key}: ${3:value}\n";
    [
        ("Pod", POD),
        ("Deployment", DEPLOYMENT),
        ("Service", SERVICE),
        ("ConfigMap", CONFIG_MAP),
    ]
    .into_iter()
    .map(|(kind, body)| CompletionItem {
        label: kind.to_owned(),
        kind: CompletionKind::Snippet,
        detail: Some(format!("a new {kind}")),
        documentation: Some(format!(
            "```yaml\n{}```",
            body.replace("${1:", "")
                .replace("${2:", "")
                .replace("${3:", "")
                .replace("${4:", "")
                .replace('}', "")
        )),
        insert_text: body.to_owned(),
        is_snippet: true,
        range: TextRange::empty(offset),
        sort_text: kind.to_owned(),
        additional_edits: Vec::new(),
    })
    .collect()
}

/// Whether `kind` names objects one writes in a manifest, not the API machinery's wrappers.
fn is_object_kind(kind: &str) -> bool {
    const MACHINERY: [&str; 7] = [
        "APIGroup",
        "APIGroupList",
        "APIResourceList",
        "APIVersions",
        "DeleteOptions",
        "Status",
        "WatchEvent",
    ];
    !MACHINERY.contains(&kind) && !kind.ends_with("List")
}

/// Parses the document with the cursor's line blanked, so a half-typed key does not break it.
fn parse_without_cursor_line(text: &str, offset: u32) -> Option<Node> {
    let offset = (offset as usize).min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |it| it + 1);
    let end = text[offset..]
        .find('\n')
        .map_or(text.len(), |it| offset + it);
    let mut patched = String::with_capacity(text.len());
    patched.push_str(&text[..start]);
    patched.push_str(&" ".repeat(text[start..end].len()));
    patched.push_str(&text[end..]);
    let parsed = yaml::parse(&patched);
    parsed.documents.into_iter().find_map(|it| it.root)
}

/// The schema of the mapping at `path`. A path whose first key is not a field of the kind but
/// belongs under `spec` (`template:` written at a Deployment's root, which kls reports) is read
/// under `spec`, so that completion still works while the document is being fixed.
fn field_at<'a>(
    schemas: &'a VersionSchemas,
    definition: Option<&str>,
    path: &[PathSegment],
) -> Option<FieldSchema<'a>> {
    let definition = definition?;
    schemas.field_at(definition, path).or_else(|| {
        let first = path.first()?;
        if schemas
            .field_at(definition, std::slice::from_ref(first))
            .is_some()
        {
            return None;
        }
        let mut under_spec = vec![PathSegment::Key("spec".to_owned())];
        under_spec.extend_from_slice(path);
        schemas.field_at(definition, &under_spec)
    })
}

fn node_at<'a>(root: &'a Node, path: &[PathSegment]) -> Option<&'a Node> {
    let (node, _, complete) = yaml::lookup(root, path);
    complete.then_some(node)
}

fn last_key(path: &[PathSegment]) -> Option<&str> {
    path.iter().rev().find_map(|it| match it {
        PathSegment::Key(key) => Some(key.as_str()),
        PathSegment::Index(_) => None,
    })
}

fn ends_with_keys(path: &[PathSegment], keys: &[&str]) -> bool {
    path.len() >= keys.len()
        && path[path.len() - keys.len()..]
            .iter()
            .zip(keys)
            .all(|(segment, key)| matches!(segment, PathSegment::Key(it) if it == key))
}

/// `path` with its `from` suffix replaced by `to`.
fn sibling_path(path: &[PathSegment], from: &[&str], to: &[&str]) -> Option<Vec<PathSegment>> {
    let base = path.len().checked_sub(from.len())?;
    let mut res = path[..base].to_vec();
    res.extend(to.iter().map(|it| PathSegment::Key((*it).to_owned())));
    Some(res)
}

/// The path of the pod spec the cursor is in (`spec` or `spec.template.spec`).
fn pod_spec_path(path: &[PathSegment]) -> Option<Vec<PathSegment>> {
    let at = path.iter().rposition(|it| {
        matches!(it, PathSegment::Key(key) if key == "containers" || key == "initContainers" || key == "ephemeralContainers")
    })?;
    Some(path[..at].to_vec())
}

/// The path of the container the cursor is in.
fn container_path(path: &[PathSegment]) -> Option<Vec<PathSegment>> {
    let at = path.iter().rposition(
        |it| matches!(it, PathSegment::Key(key) if key == "containers" || key == "initContainers"),
    )?;
    matches!(path.get(at + 1), Some(PathSegment::Index(_))).then(|| path[..at + 2].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schema::{KubeVersion, SchemaStore};

    #[test]
    fn api_versions_without_a_kind_are_the_served_ones() {
        let store = SchemaStore::bundled();
        let schemas = store
            .version(KubeVersion::newest())
            .expect("bundled schemas");
        let labels: Vec<String> = complete("apiVersion: \n", 12, &schemas, &[])
            .into_iter()
            .map(|it| it.label)
            .collect();
        for served in ["v1", "apps/v1", "batch/v1", "networking.k8s.io/v1"] {
            assert!(labels.iter().any(|it| it == served), "{labels:?}");
        }
        for gone in ["apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"] {
            assert!(!labels.iter().any(|it| it == gone), "{gone}: {labels:?}");
        }
    }

    #[test]
    fn a_template_written_at_the_root_still_completes() {
        let store = SchemaStore::bundled();
        let schemas = store
            .version(KubeVersion::newest())
            .expect("bundled schemas");
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\ntemplate:\n  spec:\n    containers:\n      - name: web\n        image: nginx\n        \n        imagePullPolicy: Always\n";
        let offset = to_u32(text.find("        \n").expect("the empty line") + 8);
        let labels: Vec<String> = complete(text, offset, &schemas, &[])
            .into_iter()
            .map(|it| it.label)
            .collect();
        assert!(labels.iter().any(|it| it == "ports"), "{labels:?}");
        assert!(!labels.iter().any(|it| it == "image"), "{labels:?}");
        // Values too.
        let text = text.replace("imagePullPolicy: Always", "imagePullPolicy: ");
        let offset = to_u32(text.len() - 1);
        let labels: Vec<String> = complete(&text, offset, &schemas, &[])
            .into_iter()
            .map(|it| it.label)
            .collect();
        assert_eq!(labels, ["Always", "IfNotPresent", "Never"]);
        // A key unknown everywhere completes nothing.
        let text = "apiVersion: apps/v1\nkind: Deployment\nnonsense:\n  \n";
        assert!(complete(text, to_u32(text.len() - 1), &schemas, &[]).is_empty());
    }
}
