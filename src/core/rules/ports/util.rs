//! What the port rules share: a container's `ports` items, read the way the API server reads
//! them after defaulting.

use crate::core::manifest::{Container, ContainerKind, PodSpec};
use crate::core::text::TextRange;
use crate::core::yaml::Node;

/// One `ports[]` item of a container.
#[derive(Clone, Copy, Debug)]
pub(super) struct Port<'a> {
    /// The item's mapping.
    pub node: &'a Node,
    /// The container that declares it.
    pub container: Container<'a>,
}

impl<'a> Port<'a> {
    /// `containerPort`, if it is an integer.
    pub fn container_port(&self) -> Option<i64> {
        self.node.get("containerPort").and_then(Node::as_i64)
    }

    /// `protocol` after defaulting (an absent or empty protocol is `TCP`); `None` when it is
    /// not a string.
    pub fn protocol(&self) -> Option<&'a str> {
        match self.node.get("protocol") {
            None => Some("TCP"),
            Some(node) => node
                .as_str()
                .map(|it| if it.is_empty() { "TCP" } else { it }),
        }
    }

    /// `hostIP`, empty when absent; `None` when it is not a string.
    pub fn host_ip(&self) -> Option<&'a str> {
        match self.node.get("hostIP") {
            None => Some(""),
            Some(node) => node.as_str(),
        }
    }

    /// `hostPort` after defaulting: 0 when absent, and the `containerPort` when a Pod (not a
    /// template) has `hostNetwork: true` and leaves it unset. `None` when it is not an integer.
    pub fn host_port(&self, host_network_pod: bool) -> Option<i64> {
        let explicit = match self.node.get("hostPort") {
            None => 0,
            Some(node) => node.as_i64()?,
        };
        if explicit == 0 && host_network_pod {
            return self.container_port();
        }
        Some(explicit)
    }

    /// Where a problem with the host binding is shown: `hostPort`, else `containerPort`, else
    /// the item.
    pub fn host_range(&self) -> TextRange {
        ["hostPort", "containerPort"]
            .iter()
            .find_map(|key| self.node.entry(key))
            .map_or(self.node.range, crate::core::manifest::value_range)
    }
}

/// The mapping items of every container's `ports`, in container order.
pub(super) fn ports<'a>(containers: &[Container<'a>]) -> Vec<Port<'a>> {
    let mut res = Vec::new();
    for container in containers {
        let Some(items) = container.node.get("ports").and_then(Node::items) else {
            continue;
        };
        for node in items.iter().filter(|it| it.entries().is_some()) {
            res.push(Port {
                node,
                container: *container,
            });
        }
    }
    res
}

/// Whether the spec is a Pod's with `hostNetwork: true`, where an unset `hostPort` becomes the
/// `containerPort`.
pub(super) fn host_network_pod(spec: &PodSpec<'_>) -> bool {
    !spec.is_template() && spec.node.get("hostNetwork").and_then(Node::as_bool) == Some(true)
}

/// How a message names a container: "container `web`", or its place when it has no name.
pub(super) fn describe(container: &Container<'_>) -> String {
    let noun = match container.kind {
        ContainerKind::Regular => "container",
        ContainerKind::Init => "init container",
        ContainerKind::Ephemeral => "ephemeral container",
    };
    match container.name() {
        Some(name) => format!("{noun} `{name}`"),
        None => format!("`{}[{}]`", container.kind.field(), container.index),
    }
}
