//! `volume-mount-unknown-volume`: a volume mount that names no volume of the pod.

use super::util::{VolumeInfo, edit_distance, mapping_items, mounts, volume_table};
use crate::core::diagnostic::{Fix, Related, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// A `volumeMounts[].name` (of a container, init container or ephemeral container) that is
    /// not the name of a volume in `spec.volumes` (or, in a `StatefulSet`, of one of its
    /// `volumeClaimTemplates`). When a volume has a close name, the quick fix renames the mount
    /// to it.
    ///
    /// A mount that names a volume which is itself invalid is not flagged: the API server
    /// reports it too (the invalid volume is not registered), but the problem to fix is the
    /// volume's, and kls reports it there.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `containers[0].volumeMounts[0].name: Not found:
    /// "config"`. Usually a typo, or a volume that was renamed or removed.
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
    ///         - name: confg
    ///           mountPath: /etc/web
    ///   volumes:
    ///     - name: config
    ///       configMap:
    ///         name: web-config
    /// ```
    ///
    /// ```yaml
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
    ///   volumes:
    ///     - name: config
    ///       configMap:
    ///         name: web-config
    /// ```
    pub(crate) VolumeMountUnknownVolume {
        id: "volume-mount-unknown-volume",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for VolumeMountUnknownVolume {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let table = volume_table(&spec);
        // Any volume with a name counts: mounts of an invalid volume are not reported again.
        let claims = claim_template_names(ctx);
        // A set: a pod may mount thousands of volumes.
        let mut all_names: std::collections::HashSet<&str> = table
            .iter()
            .filter_map(|it| it.node.get("name").and_then(Node::scalar_text))
            .collect();
        all_names.extend(&claims);
        let mut registered: Vec<&str> = table
            .iter()
            .filter(|it| it.valid && it.duplicate_of.is_none())
            .filter_map(VolumeInfo::name_str)
            .collect();
        registered.extend(&claims);
        let volumes_key = spec.node.entry("volumes").map(|it| it.key.range);
        for container in spec.containers() {
            for mount in mounts(&container) {
                let Some(entry) = mount.entry("name") else {
                    continue;
                };
                let Some(name) = entry.value.as_str() else {
                    continue;
                };
                if all_names.contains(&name) {
                    continue;
                }
                let range = value_range(entry);
                let nearest = nearest(name, &registered);
                let message = if name.is_empty() {
                    "volume mount name is empty; use the name of a volume in `volumes`".to_owned()
                } else if let Some(nearest) = nearest {
                    format!(
                        "volume mount names `{name}`, which is not a volume of this pod; did you mean `{nearest}`?"
                    )
                } else if volumes_key.is_none() {
                    format!(
                        "volume mount names `{name}`, but the pod has no `volumes`; add a volume named `{name}`"
                    )
                } else if registered.is_empty() {
                    format!(
                        "volume mount names `{name}`, which is not a volume of this pod; add it to `volumes`"
                    )
                } else {
                    let known: Vec<String> =
                        registered.iter().map(|it| format!("`{it}`")).collect();
                    format!(
                        "volume mount names `{name}`, which is not a volume of this pod; add it to `volumes` or use one of {}",
                        known.join(", ")
                    )
                };
                let Some(diagnostic) = sink.report(&Self::META, range, message) else {
                    continue;
                };
                if let Some(volumes_key) = volumes_key {
                    diagnostic.related.push(Related {
                        range: volumes_key,
                        message: "the pod's volumes".to_owned(),
                    });
                }
                if let Some(nearest) = nearest {
                    diagnostic.fix = Some(Fix {
                        title: format!("Change to `{nearest}`"),
                        edits: vec![TextEdit {
                            range,
                            new_text: nearest.to_owned(),
                        }],
                    });
                }
            }
        }
    }
}

/// The names of a `StatefulSet`'s `volumeClaimTemplates`: the controller adds a volume of that
/// name to each pod, so mounts may name them.
fn claim_template_names<'a>(ctx: &Context<'a>) -> Vec<&'a str> {
    if !ctx.manifest.is("apps/v1", "StatefulSet") {
        return Vec::new();
    }
    mapping_items(
        ctx.manifest
            .root
            .get_path(&["spec", "volumeClaimTemplates"]),
    )
    .into_iter()
    .filter_map(|it| it.get_path(&["metadata", "name"]).and_then(Node::as_str))
    .collect()
}

/// The registered volume name closest to `name`, if it is close enough to be a typo.
fn nearest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    if name.is_empty() {
        return None;
    }
    let limit = (name.chars().count() / 3).clamp(1, 3);
    names
        .iter()
        .map(|it| (edit_distance(name, it), *it))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, it)| it)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn nearest_names() {
        assert_eq!(nearest("confg", &["config", "data"]), Some("config"));
        assert_eq!(nearest("cache", &["config", "data"]), None);
        assert_eq!(nearest("db", &["da", "data"]), Some("da"));
    }
}
