//! A summary of each object in a file, kept by the language server for the whole workspace:
//! names to complete, selectors to follow, and the workspace-wide checks.

use crate::core::manifest::Manifest;
use crate::core::text::TextRange;
use crate::core::yaml::{self, Node};

/// A label or selector pair and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
    /// The range of the key in the file.
    pub range: TextRange,
}

/// What the workspace needs to know of one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSummary {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`, if set.
    pub namespace: Option<String>,
    /// Where the name is (or the kind, when there is no name).
    pub name_range: TextRange,
    /// The labels its pods get: a Pod's labels, or a workload's template labels.
    pub pod_labels: Option<Vec<Label>>,
    /// A Service's `spec.selector`.
    pub service_selector: Option<Vec<Label>>,
}

/// Summarises every object of a file (ranges are in bytes of the file).
#[must_use]
pub fn summarize(text: &str) -> Vec<ObjectSummary> {
    let mut res = Vec::new();
    for chunk in yaml::split_documents(text) {
        let parsed = yaml::parse(&text[chunk.to_usize()]);
        for document in &parsed.documents {
            let Some(root) = &document.root else { continue };
            if let Some(summary) = summarize_object(root, chunk.start) {
                res.push(summary);
            }
        }
    }
    res
}

fn summarize_object(root: &Node, base: u32) -> Option<ObjectSummary> {
    let manifest = Manifest::new(root)?;
    let kind_entry = root.entry("kind")?;
    let shift = |range: TextRange| TextRange::new(range.start + base, range.end + base);
    let name_node = root.get_path(&["metadata", "name"]);
    let pod_labels = manifest.pod_spec().map(|pod| {
        pod.metadata
            .and_then(|it| it.get("labels"))
            .map(|labels| pairs(labels, &shift))
            .unwrap_or_default()
    });
    let service_selector = (manifest.kind() == Some("Service"))
        .then(|| root.get_path(&["spec", "selector"]).map(|it| pairs(it, &shift)))
        .flatten();
    Some(ObjectSummary {
        api_version: manifest.api_version()?.to_owned(),
        kind: manifest.kind()?.to_owned(),
        name: name_node.and_then(Node::scalar_text).unwrap_or_default().to_owned(),
        namespace: root
            .get_path(&["metadata", "namespace"])
            .and_then(Node::scalar_text)
            .map(str::to_owned),
        name_range: shift(name_node.map_or(kind_entry.value.range, |it| it.range)),
        pod_labels,
        service_selector,
    })
}

fn pairs(node: &Node, shift: &dyn Fn(TextRange) -> TextRange) -> Vec<Label> {
    node.entries()
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            Some(Label {
                key: entry.key.scalar_text()?.to_owned(),
                value: entry.value.scalar_text().unwrap_or_default().to_owned(),
                range: shift(entry.key.range),
            })
        })
        .collect()
}

/// Whether a pod with `labels` is selected by a Service selector (every pair present).
#[must_use]
pub fn selects(selector: &[Label], labels: &[Label]) -> bool {
    !selector.is_empty()
        && selector
            .iter()
            .all(|want| labels.iter().any(|it| it.key == want.key && it.value == want.value))
}
