//! `volume-deprecated-plugin`: a volume of a deprecated or removed volume plugin.

use super::util::source_entries;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A volume using a deprecated in-tree plugin: `gitRepo`, `cephfs`, `rbd`, `glusterfs`,
    /// `flocker`, `quobyte`, `storageos`, `scaleIO` or `photonPersistentDisk`. The API server
    /// accepts the pod but answers with a warning; most of these plugins no longer work at all.
    ///
    /// ## Why it matters
    /// A pod with a removed plugin is scheduled but its volume never mounts. `gitRepo` can be
    /// replaced by an init container that clones into an `emptyDir`; the storage plugins by
    /// their CSI drivers.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///   volumes:
    ///     - name: site
    ///       gitRepo:
    ///         repository: https://example.com/site.git
    /// ```
    pub(crate) VolumeDeprecatedPlugin {
        id: "volume-deprecated-plugin",
        severity: Warning,
    }
}

/// The deprecated plugins and what the API server's warning says about them.
const DEPRECATED: &[(&str, &str)] = &[
    (
        "photonPersistentDisk",
        "deprecated in v1.11, non-functional in v1.16+",
    ),
    (
        "gitRepo",
        "deprecated in v1.11; clone the repository in an init container into an `emptyDir` instead",
    ),
    ("scaleIO", "deprecated in v1.16, non-functional in v1.22+"),
    ("flocker", "deprecated in v1.22, non-functional in v1.25+"),
    ("storageos", "deprecated in v1.22, non-functional in v1.25+"),
    ("quobyte", "deprecated in v1.22, non-functional in v1.25+"),
    ("glusterfs", "deprecated in v1.25, non-functional in v1.26+"),
    (
        "cephfs",
        "deprecated in v1.28, non-functional in v1.31+; use the CephFS CSI driver",
    ),
    (
        "rbd",
        "deprecated in v1.28, non-functional in v1.31+; use the Ceph RBD CSI driver",
    ),
];

impl Rule for VolumeDeprecatedPlugin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for volume in spec.volumes() {
            for source in source_entries(volume) {
                let Some((name, note)) =
                    DEPRECATED.iter().find(|(name, _)| source.key.key_eq(name))
                else {
                    continue;
                };
                sink.report(
                    &Self::META,
                    source.key.range,
                    format!("the `{name}` volume plugin is {note}"),
                );
            }
        }
    }
}
