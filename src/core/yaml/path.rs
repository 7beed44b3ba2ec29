//! Maps a path into the JSON form of a document (as a validator reports it) back to nodes.

use super::node::{Entry, Node, NodeKind};

/// One step of a path: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// A key of a mapping.
    Key(String),
    /// An index into a sequence.
    Index(usize),
}

/// Follows `path` from `root`. Returns the node at the end and, when the last step was a
/// mapping key, the entry holding it (so a caller can point at the key). Stops early, at the
/// deepest node found, when the path leaves the tree; the `bool` says whether it got to the end.
#[must_use]
pub fn lookup<'a>(root: &'a Node, path: &[PathSegment]) -> (&'a Node, Option<&'a Entry>, bool) {
    let mut node = root;
    let mut entry = None;
    for segment in path {
        let next = match (&node.kind, segment) {
            (NodeKind::Mapping(entries), PathSegment::Key(key)) => {
                entries.iter().rev().find(|it| it.key.key_eq(key))
            }
            (NodeKind::Mapping(entries), PathSegment::Index(i)) => {
                let key = i.to_string();
                entries.iter().rev().find(|it| it.key.key_eq(&key))
            }
            (NodeKind::Sequence(items), PathSegment::Index(i)) => {
                if let Some(item) = items.get(*i) {
                    node = item;
                    entry = None;
                    continue;
                }
                None
            }
            _ => None,
        };
        match next {
            Some(found) => {
                node = &found.value;
                entry = Some(found);
            }
            None => return (node, entry, false),
        }
    }
    (node, entry, true)
}
