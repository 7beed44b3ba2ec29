//! `volume-source-multiple`: a volume with more than one source (`emptyDir`, `configMap`, …).

use super::util::source_entries;
use crate::core::diagnostic::Related;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::{Entry, Node};

declare_rule! {
    /// ## What it flags
    /// A volume that sets more than one source type, such as both `emptyDir` and `configMap`.
    /// Every source after the first one written is flagged. A source set to `null` does not
    /// count, and a volume with no source at all is fine: it is defaulted to `emptyDir: {}`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `volumes[0].configMap: Forbidden: may not specify more
    /// than 1 volume type`. A common cause is a source pasted under the wrong `- name:` item.
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
    ///     - name: config
    ///       emptyDir: {}
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
    ///   volumes:
    ///     - name: scratch
    /// ```
    pub(crate) VolumeSourceMultiple {
        id: "volume-source-multiple",
        severity: Error,
    }
}

impl Rule for VolumeSourceMultiple {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for volume in spec.volumes() {
            let Some(first) = source_entries(volume).first().copied() else {
                continue;
            };
            let first_name = first.key.json_key().unwrap_or_default();
            for extra in extra_sources(volume) {
                let name = extra.key.json_key().unwrap_or_default();
                let message = format!(
                    "volume already has the source `{first_name}`, so it may not also set `{name}`; a volume has exactly one source"
                );
                if let Some(diagnostic) = sink.report(&Self::META, extra.key.range, message) {
                    diagnostic.related.push(Related {
                        range: first.key.range,
                        message: format!("first source: `{first_name}`"),
                    });
                }
            }
        }
    }
}

/// The sources of a volume after the first one written.
pub(super) fn extra_sources(volume: &Node) -> Vec<&Entry> {
    source_entries(volume).into_iter().skip(1).collect()
}
