//! `volume-mount-path-duplicate`: two mounts of one container at the same path.

use std::collections::HashMap;

use super::util::{devices, mounts};
use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Entry;

declare_rule! {
    /// ## What it flags
    /// A `volumeMounts[].mountPath` that an earlier mount of the same container already uses,
    /// or that is also a `volumeDevices[].devicePath` of that container. The paths are compared
    /// as written (`/data` and `/data/` differ). Two containers may mount at the same path.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `volumeMounts[1].mountPath: Invalid value: "/data": must
    /// be unique`. One directory cannot show two volumes.
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
    ///         - name: config
    ///           mountPath: /etc/web
    ///         - name: secrets
    ///           mountPath: /etc/web
    ///   volumes:
    ///     - name: config
    ///       configMap:
    ///         name: web-config
    ///     - name: secrets
    ///       secret:
    ///         secretName: web-secrets
    /// ```
    pub(crate) VolumeMountPathDuplicate {
        id: "volume-mount-path-duplicate",
        severity: Error,
    }
}

impl Rule for VolumeMountPathDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            let device_paths: Vec<&Entry> = devices(&container)
                .into_iter()
                .filter_map(|it| it.entry("devicePath"))
                .filter(|it| it.value.as_str().is_some_and(|path| !path.is_empty()))
                .collect();
            let mut seen: HashMap<&str, &Entry> = HashMap::new();
            for mount in mounts(&container) {
                let Some(entry) = mount.entry("mountPath") else {
                    continue;
                };
                let Some(path) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                    continue;
                };
                if let Some(first) = seen.get(path) {
                    if let Some(diagnostic) = sink.report(
                        &Self::META,
                        value_range(entry),
                        format!("`{path}` is already a mount path of this container; each mount needs its own path"),
                    ) {
                        diagnostic.related.push(Related {
                            range: value_range(first),
                            message: format!("`{path}` first mounted here"),
                        });
                    }
                } else {
                    seen.insert(path, entry);
                }
                if let Some(device) = device_paths.iter().find(|it| it.value.as_str() == Some(path))
                    && let Some(diagnostic) = sink.report(
                        &Self::META,
                        value_range(entry),
                        format!("`{path}` is also the path of a volume device of this container; use another path"),
                    )
                {
                    diagnostic.related.push(Related {
                        range: value_range(device),
                        message: format!("device at `{path}`"),
                    });
                }
            }
        }
    }
}
