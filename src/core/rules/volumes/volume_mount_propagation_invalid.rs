//! `volume-mount-propagation-invalid`: a bad `mountPropagation` or `recursiveReadOnly`, or one
//! that the container or mount does not allow.

use super::util::mounts;
use crate::core::manifest::value_range;
use crate::core::rules::enums::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::{MOUNT_PROPAGATIONS, RECURSIVE_READ_ONLY};
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// In a volume mount:
    ///
    /// - a `mountPropagation` other than `None`, `HostToContainer` and `Bidirectional` (the
    ///   values are case-sensitive);
    /// - `mountPropagation: Bidirectional` in a container that is not
    ///   `securityContext.privileged: true`;
    /// - a `recursiveReadOnly` other than `Disabled`, `IfPossible` and `Enabled`;
    /// - `recursiveReadOnly: IfPossible` or `Enabled` without `readOnly: true`, or with a
    ///   `mountPropagation` other than `None`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod, e.g. `volumeMounts.mountPropagation: Forbidden:
    /// Bidirectional mount propagation is available only to privileged containers`.
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
    ///       volumeMounts:
    ///         - name: host
    ///           mountPath: /host
    ///           mountPropagation: Bidirectional
    ///   volumes:
    ///     - name: host
    ///       hostPath:
    ///         path: /mnt
    /// ```
    pub(crate) VolumeMountPropagationInvalid {
        id: "volume-mount-propagation-invalid",
        severity: Error,
    }
}

impl Rule for VolumeMountPropagationInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            let privileged = container
                .node
                .get_path(&["securityContext", "privileged"])
                .and_then(Node::as_bool)
                == Some(true);
            for mount in mounts(&container) {
                let propagation = mount
                    .entry("mountPropagation")
                    .and_then(|entry| Some((entry, entry.value.as_str()?)));
                if let Some((entry, value)) = propagation {
                    let range = value_range(entry);
                    if !MOUNT_PROPAGATIONS.contains(&value) {
                        check_enum(sink, &Self::META, entry, MOUNT_PROPAGATIONS);
                    } else if value == "Bidirectional" && !privileged {
                        sink.report(
                            &Self::META,
                            range,
                            "`Bidirectional` mount propagation is only available to privileged containers; set `securityContext.privileged: true` or use `HostToContainer`",
                        );
                    }
                }
                let Some(entry) = mount.entry("recursiveReadOnly") else {
                    continue;
                };
                let Some(value) = entry.value.as_str() else {
                    continue;
                };
                let range = value_range(entry);
                if !RECURSIVE_READ_ONLY.contains(&value) {
                    check_enum(sink, &Self::META, entry, RECURSIVE_READ_ONLY);
                    continue;
                }
                if value == "Disabled" {
                    continue;
                }
                if mount.get("readOnly").and_then(Node::as_bool) != Some(true) {
                    sink.report(
                        &Self::META,
                        range,
                        format!("`recursiveReadOnly: {value}` needs `readOnly: true` on the mount"),
                    );
                }
                if let Some((_, propagation)) = propagation
                    && propagation != "None"
                {
                    sink.report(
                        &Self::META,
                        range,
                        format!("`recursiveReadOnly: {value}` needs `mountPropagation` to be `None` or unset"),
                    );
                }
            }
        }
    }
}
