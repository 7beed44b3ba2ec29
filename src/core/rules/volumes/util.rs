//! What the volume rules share: the volume source fields, the mounts of a container, and the
//! volumes the API server registers (the ones a mount may name).

use crate::core::diagnostic::{Fix, Related};
use crate::core::manifest::{Container, PodSpec};
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node};

use super::{volume_name_invalid, volume_source_invalid, volume_source_multiple};

/// Every volume source field of `io.k8s.api.core.v1.Volume` (all its properties but `name`),
/// in the order the API server checks them.
pub(super) const SOURCES: &[&str] = &[
    "emptyDir",
    "hostPath",
    "gitRepo",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "flocker",
    "persistentVolumeClaim",
    "rbd",
    "cinder",
    "cephfs",
    "quobyte",
    "downwardAPI",
    "fc",
    "flexVolume",
    "configMap",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "storageos",
    "projected",
    "scaleIO",
    "csi",
    "ephemeral",
    "image",
];

/// A problem found in a volume, before it is reported.
pub(super) struct Problem {
    /// Where to report it.
    pub range: TextRange,
    /// What is wrong.
    pub message: String,
    /// A suggested fix.
    pub fix: Option<Fix>,
    /// Other places that take part.
    pub related: Vec<Related>,
}

impl Problem {
    pub(super) fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self {
            range,
            message: message.into(),
            fix: None,
            related: Vec::new(),
        }
    }
}

/// The source entries a volume sets, in document order. A `null` source is absent for the API.
pub(super) fn source_entries(volume: &Node) -> Vec<&Entry> {
    volume
        .entries()
        .unwrap_or_default()
        .iter()
        .filter(|it| !it.value.is_null() && SOURCES.iter().any(|source| it.key.key_eq(source)))
        .collect()
}

/// A volume of the pod spec as the API server sees it after validating it.
pub(super) struct VolumeInfo<'a> {
    /// The volume's mapping.
    pub node: &'a Node,
    /// Its `name` entry, when the name is a string.
    pub name: Option<&'a Entry>,
    /// Whether the volume's name and source passed their checks.
    pub valid: bool,
    /// The `name` of an earlier registered volume with the same name (this one is then not
    /// registered either, but its name is).
    pub duplicate_of: Option<&'a Entry>,
}

impl<'a> VolumeInfo<'a> {
    /// The volume's name, when it is a string.
    pub(super) fn name_str(&self) -> Option<&'a str> {
        self.name.and_then(|it| it.value.as_str())
    }
}

/// The volumes of a pod spec, each with the verdict of the API server's `ValidateVolumes`: a
/// volume with a bad name or source is not registered, and a name is only a duplicate of an
/// earlier registered volume.
pub(super) fn volume_table<'a>(spec: &PodSpec<'a>) -> Vec<VolumeInfo<'a>> {
    let mut res: Vec<VolumeInfo<'a>> = Vec::new();
    // The first registered volume of each name, so that a pod with thousands of volumes is
    // not checked in quadratic time.
    let mut registered: std::collections::HashMap<&'a str, &'a Entry> =
        std::collections::HashMap::new();
    for node in spec.volumes() {
        let name = node.entry("name").filter(|it| it.value.as_str().is_some());
        let own_problems = node.get("name").is_none()
            || volume_name_invalid::name_problem(node).is_some()
            || !volume_source_multiple::extra_sources(node).is_empty()
            || !volume_source_invalid::source_problems(node, spec).is_empty();
        let name_text = name.and_then(|it| it.value.as_str());
        let duplicate_of = name_text.and_then(|text| registered.get(text).copied());
        if let (Some(entry), Some(text), None, false) =
            (name, name_text, duplicate_of, own_problems)
        {
            registered.insert(text, entry);
        }
        res.push(VolumeInfo {
            node,
            name,
            valid: !own_problems,
            duplicate_of,
        });
    }
    res
}

/// The mapping items of a container's `volumeMounts`.
pub(super) fn mounts<'a>(container: &Container<'a>) -> Vec<&'a Node> {
    mapping_items(container.node.get("volumeMounts"))
}

/// The mapping items of a container's `volumeDevices`.
pub(super) fn devices<'a>(container: &Container<'a>) -> Vec<&'a Node> {
    mapping_items(container.node.get("volumeDevices"))
}

/// The mapping items of a list.
pub(super) fn mapping_items(list: Option<&Node>) -> Vec<&Node> {
    list.and_then(Node::items)
        .map(|items| items.iter().filter(|it| it.entries().is_some()).collect())
        .unwrap_or_default()
}

/// The number of single-character edits that turn `a` into `b`.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Why a relative path in a volume is not accepted (`validateLocalDescendingPath`): it must not
/// be absolute and must not have a `..` element.
pub(super) fn local_descending_path(path: &str) -> Result<(), &'static str> {
    if path.starts_with('/') {
        return Err("must be a relative path");
    }
    no_backsteps(path)
}

/// Why a path is rejected for holding a `..` element.
pub(super) fn no_backsteps(path: &str) -> Result<(), &'static str> {
    if path.split('/').any(|it| it == "..") {
        Err("must not contain '..'")
    } else {
        Ok(())
    }
}

/// Why a file path inside a volume is not accepted (`ValidateLocalNonReservedPath`): relative,
/// no `..` element, and not starting with `..`.
pub(super) fn local_non_reserved_path(path: &str) -> Result<(), &'static str> {
    local_descending_path(path)?;
    if path.starts_with("..") {
        return Err("must not start with '..'");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("data", "data"), 0);
        assert_eq!(edit_distance("config", "configs"), 1);
        assert_eq!(edit_distance("cache", "cahce"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn paths() {
        assert!(local_non_reserved_path("a/b").is_ok());
        assert!(local_non_reserved_path("..a").is_err());
        assert!(local_non_reserved_path("a/../b").is_err());
        assert!(local_non_reserved_path("/a").is_err());
        assert!(local_descending_path("..a").is_ok());
        assert!(no_backsteps("/var/log").is_ok());
        assert!(no_backsteps("/var/../etc").is_err());
    }
}
