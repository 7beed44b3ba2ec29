//! One YAML document seen as a Kubernetes object, and the places in it that rules look at.

use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node};

/// A document that has `apiVersion` and `kind` (or is being written to have them).
#[derive(Clone, Copy, Debug)]
pub struct Manifest<'a> {
    /// The document's root mapping.
    pub root: &'a Node,
    /// Whether the document is a patch (a kustomize patch file, or a strategic merge patch
    /// with a `$patch` directive) rather than a whole object: it is merged into an object
    /// defined elsewhere, so what it leaves out is no problem, only what it writes is checked.
    pub patch: bool,
}

/// Which kind of object holds a pod spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodOwner {
    /// A Pod: `spec`.
    Pod,
    /// An `apps/v1` Deployment: `spec.template.spec`.
    Deployment,
    /// Another workload with a pod template (StatefulSet, DaemonSet, ReplicaSet, Job, …).
    OtherTemplate,
}

/// A pod spec inside a manifest.
#[derive(Clone, Copy, Debug)]
pub struct PodSpec<'a> {
    /// The `spec` mapping of the pod (or of the template).
    pub node: &'a Node,
    /// What holds it.
    pub owner: PodOwner,
    /// The pod's (or template's) `metadata`, if present.
    pub metadata: Option<&'a Node>,
}

impl PodSpec<'_> {
    /// Whether this is a pod template rather than a Pod.
    #[must_use]
    pub fn is_template(&self) -> bool {
        self.owner != PodOwner::Pod
    }
}

/// Which list a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    /// `containers`.
    Regular,
    /// `initContainers`.
    Init,
    /// `ephemeralContainers`.
    Ephemeral,
}

impl ContainerKind {
    /// The field name of the list.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Regular => "containers",
            ContainerKind::Init => "initContainers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// A container of a pod spec.
#[derive(Clone, Copy, Debug)]
pub struct Container<'a> {
    /// The container's mapping.
    pub node: &'a Node,
    /// Which list it is in.
    pub kind: ContainerKind,
    /// Its index in that list.
    pub index: usize,
}

impl<'a> Container<'a> {
    /// The container's name, if it is a string.
    #[must_use]
    pub fn name(&self) -> Option<&'a str> {
        self.node.get("name").and_then(Node::as_str)
    }

    /// Whether this is an init container with `restartPolicy: Always` (a sidecar).
    #[must_use]
    pub fn is_sidecar(&self) -> bool {
        self.kind == ContainerKind::Init
            && self.node.get("restartPolicy").and_then(Node::as_str) == Some("Always")
    }
}

impl<'a> Manifest<'a> {
    /// The manifest of a document root, if the root is a mapping.
    #[must_use]
    pub fn new(root: &'a Node) -> Option<Self> {
        root.entries().map(|_| Self {
            root,
            patch: has_patch_directive(root),
        })
    }

    /// The same document, a patch when `patch` says so (from what the shell knows of the file).
    #[must_use]
    pub fn patched(mut self, patch: bool) -> Self {
        self.patch |= patch;
        self
    }

    /// `apiVersion`, if it is a string.
    #[must_use]
    pub fn api_version(&self) -> Option<&'a str> {
        self.root.get("apiVersion").and_then(Node::scalar_text)
    }

    /// `kind`, if it is a string.
    #[must_use]
    pub fn kind(&self) -> Option<&'a str> {
        self.root.get("kind").and_then(Node::scalar_text)
    }

    /// Whether this is `kind` in `api_version`.
    #[must_use]
    pub fn is(&self, api_version: &str, kind: &str) -> bool {
        self.api_version() == Some(api_version) && self.kind() == Some(kind)
    }

    /// `metadata.name`, if it is a string.
    #[must_use]
    pub fn name(&self) -> Option<&'a str> {
        self.root
            .get_path(&["metadata", "name"])
            .and_then(Node::as_str)
    }

    /// The document's pod spec: a Pod's `spec`, or a workload's pod template spec.
    #[must_use]
    pub fn pod_spec(&self) -> Option<PodSpec<'a>> {
        let api_version = self.api_version()?;
        let kind = self.kind()?;
        let root = self.root;
        let (owner, template) = match (api_version, kind) {
            ("v1", "Pod") => {
                return Some(PodSpec {
                    node: root.get("spec").filter(|it| it.entries().is_some())?,
                    owner: PodOwner::Pod,
                    metadata: root.get("metadata"),
                });
            }
            ("apps/v1", "Deployment") => {
                (PodOwner::Deployment, root.get_path(&["spec", "template"]))
            }
            ("apps/v1", "StatefulSet" | "DaemonSet" | "ReplicaSet")
            | ("v1", "ReplicationController")
            | ("batch/v1", "Job") => (
                PodOwner::OtherTemplate,
                root.get_path(&["spec", "template"]),
            ),
            ("batch/v1", "CronJob") => (
                PodOwner::OtherTemplate,
                root.get_path(&["spec", "jobTemplate", "spec", "template"]),
            ),
            ("v1", "PodTemplate") => (PodOwner::OtherTemplate, root.get("template")),
            _ => return None,
        };
        let template = template?;
        Some(PodSpec {
            node: template.get("spec").filter(|it| it.entries().is_some())?,
            owner,
            metadata: template.get("metadata"),
        })
    }
}

impl<'a> PodSpec<'a> {
    /// Every container of the spec: regular, then init, then ephemeral.
    #[must_use]
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut res = Vec::new();
        for kind in [
            ContainerKind::Regular,
            ContainerKind::Init,
            ContainerKind::Ephemeral,
        ] {
            if let Some(items) = self.node.get(kind.field()).and_then(Node::items) {
                for (index, node) in items.iter().enumerate() {
                    if node.entries().is_some() {
                        res.push(Container { node, kind, index });
                    }
                }
            }
        }
        res
    }

    /// The `spec.volumes` items that are mappings.
    #[must_use]
    pub fn volumes(&self) -> Vec<&'a Node> {
        self.node
            .get("volumes")
            .and_then(Node::items)
            .map(|items| items.iter().filter(|it| it.entries().is_some()).collect())
            .unwrap_or_default()
    }
}

/// Where to point for a problem with an entry's value: a scalar value itself, else the key
/// (a collection's problems belong on the line of the key that holds it).
#[must_use]
pub fn value_range(entry: &Entry) -> TextRange {
    if entry.value.scalar().is_some() && !entry.value.range.is_empty() {
        entry.value.range
    } else {
        entry.key.range
    }
}

/// Whether a mapping or anything in it has a `$patch` key, the strategic merge patch
/// directive (`$patch: delete`, `replace` or `merge`), which no object has.
#[must_use]
pub fn has_patch_directive(node: &Node) -> bool {
    if let Some(entries) = node.entries() {
        entries.iter().any(|entry| {
            entry.key.scalar_text() == Some("$patch") || has_patch_directive(&entry.value)
        })
    } else {
        node.items()
            .is_some_and(|items| items.iter().any(has_patch_directive))
    }
}
