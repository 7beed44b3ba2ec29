//! `volume-name-duplicate`: two volumes of a pod with the same name.

use super::util::volume_table;
use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A volume whose name an earlier volume of the same pod already has. The diagnostic is on
    /// the later one and points at the first.
    ///
    /// As on the API server, only an earlier volume that is itself valid counts: if the first
    /// `data` volume has a bad source, the second one is the real `data` and is not flagged.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `volumes[1].name: Duplicate value: "data"`. Mounts cannot
    /// say which of the two they mean.
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
    ///     - name: data
    ///       emptyDir: {}
    ///     - name: data
    ///       configMap:
    ///         name: web-config
    /// ```
    pub(crate) VolumeNameDuplicate {
        id: "volume-name-duplicate",
        severity: Error,
    }
}

impl Rule for VolumeNameDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for volume in volume_table(&spec) {
            let (Some(entry), Some(first)) = (volume.name, volume.duplicate_of) else {
                continue;
            };
            let name = volume.name_str().unwrap_or_default();
            if let Some(diagnostic) = sink.report(
                &Self::META,
                value_range(entry),
                format!("volume name `{name}` is already used by another volume of this pod; rename one of them"),
            ) {
                diagnostic.related.push(Related {
                    range: value_range(first),
                    message: format!("first volume named `{name}`"),
                });
            }
        }
    }
}
