//! Go to definition and find references: from a use of a name to where it is defined, in the
//! same document and across the workspace.

use crate::core::hover::place_at;
use crate::core::text::TextRange;
use crate::core::workspace::{Label, ObjectSummary};
use crate::core::yaml::{self, Node, PathSegment};

/// Where a definition is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// In the same document (range relative to it).
    Here(TextRange),
    /// The object at this index of the workspace list.
    Object(usize),
}

/// The definitions of the name at `offset` in the text of one document.
#[must_use]
pub fn definition(text: &str, offset: u32, workspace: &[ObjectSummary]) -> Vec<Target> {
    let parsed = yaml::parse(text);
    let Some(root) = parsed.documents.iter().find_map(|it| it.root.as_ref()) else {
        return Vec::new();
    };
    let Some(place) = place_at(root, offset) else {
        return Vec::new();
    };
    let keys: Vec<&str> = place
        .path
        .iter()
        .map(|it| match it {
            PathSegment::Key(key) => key.as_str(),
            PathSegment::Index(_) => "[]",
        })
        .collect();
    let value = place.node.scalar_text().unwrap_or_default().to_owned();
    let mut res = Vec::new();
    let kind = root
        .get("kind")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    match keys.as_slice() {
        // A mount's volume.
        [.., "volumeMounts", "[]", "name"] if !place.on_key => {
            if let Some(spec) = pod_spec(root, &place.path) {
                for volume in spec
                    .get("volumes")
                    .and_then(Node::items)
                    .unwrap_or_default()
                {
                    if let Some(name) = volume
                        .get("name")
                        .filter(|it| it.scalar_text() == Some(value.as_str()))
                    {
                        res.push(Target::Here(name.range));
                    }
                }
            }
        }
        // Selector label ↔ template label.
        ["spec", "selector", "matchLabels", label] if place.on_key => {
            if let Some(entry) = root
                .get_path(&["spec", "template", "metadata", "labels"])
                .and_then(|it| it.entry(label))
            {
                res.push(Target::Here(entry.key.range));
            }
        }
        ["spec", "template", "metadata", "labels", label] if place.on_key => {
            if let Some(entry) = root
                .get_path(&["spec", "selector", "matchLabels"])
                .and_then(|it| it.entry(label))
            {
                res.push(Target::Here(entry.key.range));
            }
        }
        // A named port of a probe → the container's port.
        [.., "httpGet" | "tcpSocket", "port"] if !place.on_key && place.node.as_str().is_some() => {
            if let Some(container) = container(root, &place.path) {
                for port in container
                    .get("ports")
                    .and_then(Node::items)
                    .unwrap_or_default()
                {
                    if let Some(name) = port
                        .get("name")
                        .filter(|it| it.scalar_text() == Some(value.as_str()))
                    {
                        res.push(Target::Here(name.range));
                    }
                }
            }
        }
        // A Service's selector → the workloads and Pods it selects.
        ["spec", "selector", ..] if kind == "Service" => {
            let selector: Vec<Label> = root
                .get_path(&["spec", "selector"])
                .and_then(Node::entries)
                .unwrap_or_default()
                .iter()
                .filter_map(|entry| {
                    Some(Label {
                        key: entry.key.scalar_text()?.to_owned(),
                        value: entry.value.scalar_text().unwrap_or_default().to_owned(),
                        range: entry.key.range,
                    })
                })
                .collect();
            for (i, object) in workspace.iter().enumerate() {
                if object.pods_match(&selector) {
                    res.push(Target::Object(i));
                }
            }
        }
        // Names of ConfigMaps, Secrets and ServiceAccounts.
        [.., "configMapRef" | "configMapKeyRef" | "configMap", "name"] if !place.on_key => {
            res.extend(named(workspace, "ConfigMap", &value));
        }
        [.., "secretRef" | "secretKeyRef", "name"] | [.., "secret", "secretName"]
            if !place.on_key =>
        {
            res.extend(named(workspace, "Secret", &value));
        }
        [.., "serviceAccountName"] if !place.on_key => {
            res.extend(named(workspace, "ServiceAccount", &value));
        }
        _ => {}
    }
    res
}

/// Uses of the name at `offset` in the same document: the mounts of a volume.
#[must_use]
pub fn references(text: &str, offset: u32) -> Vec<TextRange> {
    let parsed = yaml::parse(text);
    let Some(root) = parsed.documents.iter().find_map(|it| it.root.as_ref()) else {
        return Vec::new();
    };
    let Some(place) = place_at(root, offset) else {
        return Vec::new();
    };
    let Some(value) = place.node.scalar_text() else {
        return Vec::new();
    };
    let is_volume_name = matches!(
        place.path.as_slice(),
        [.., PathSegment::Key(list), PathSegment::Index(_), PathSegment::Key(name)] if list == "volumes" && name == "name"
    );
    if !is_volume_name || place.on_key {
        return Vec::new();
    }
    let Some(spec) = pod_spec(root, &place.path) else {
        return Vec::new();
    };
    let mut res = Vec::new();
    for list in ["containers", "initContainers"] {
        for container in spec.get(list).and_then(Node::items).unwrap_or_default() {
            for mount in container
                .get("volumeMounts")
                .and_then(Node::items)
                .unwrap_or_default()
            {
                if let Some(name) = mount
                    .get("name")
                    .filter(|it| it.scalar_text() == Some(value))
                {
                    res.push(name.range);
                }
            }
        }
    }
    res
}

fn named(workspace: &[ObjectSummary], kind: &str, name: &str) -> Vec<Target> {
    workspace
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind == kind && it.name == name)
        .map(|(i, _)| Target::Object(i))
        .collect()
}

/// The pod spec holding the place at `path` (the mapping that has `containers`).
fn pod_spec<'a>(root: &'a Node, path: &[PathSegment]) -> Option<&'a Node> {
    let at = path.iter().rposition(|it| {
        matches!(it, PathSegment::Key(key) if matches!(key.as_str(), "containers" | "initContainers" | "ephemeralContainers" | "volumes"))
    })?;
    let (node, _, complete) = yaml::lookup(root, &path[..at]);
    complete.then_some(node)
}

/// The container holding the place at `path`.
fn container<'a>(root: &'a Node, path: &[PathSegment]) -> Option<&'a Node> {
    let at = path.iter().rposition(
        |it| matches!(it, PathSegment::Key(key) if key == "containers" || key == "initContainers"),
    )?;
    let end = (at + 2).min(path.len());
    let (node, _, complete) = yaml::lookup(root, &path[..end]);
    complete.then_some(node)
}
