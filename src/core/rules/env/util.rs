//! What the environment rules share: the `env` and `envFrom` items of a container, and the
//! first key of a list item (where a missing field is reported).

use crate::core::manifest::Container;
use crate::core::text::TextRange;
use crate::core::yaml::Node;

/// The mapping items of a container's `env`.
pub(super) fn env_items<'a>(container: &Container<'a>) -> Vec<&'a Node> {
    mapping_items(container.node.get("env"))
}

/// The mapping items of a container's `envFrom`.
pub(super) fn env_from_items<'a>(container: &Container<'a>) -> Vec<&'a Node> {
    mapping_items(container.node.get("envFrom"))
}

fn mapping_items(list: Option<&Node>) -> Vec<&Node> {
    list.and_then(Node::items)
        .map(|items| items.iter().filter(|it| it.entries().is_some()).collect())
        .unwrap_or_default()
}

/// The first key of a mapping, or the mapping itself when it is empty.
pub(super) fn first_key(node: &Node) -> TextRange {
    node.entries()
        .and_then(|it| it.first())
        .map_or(node.range, |it| it.key.range)
}

/// The value under `key` when it is a mapping (`null` counts as absent, as in the API).
pub(super) fn mapping<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.get(key).filter(|it| it.entries().is_some())
}

/// A string field's value, empty when absent or null; `None` when it is not a string.
pub(super) fn string_or_empty<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    match node.get(key) {
        None => Some(""),
        Some(value) => value.as_str(),
    }
}
