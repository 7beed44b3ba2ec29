//! `pod-containers-missing`: a pod spec without a single container.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A pod spec (of a Pod or of a workload's pod template) with no containers: the
    /// `containers` key is missing, empty (`containers: []`) or null.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.containers: Required value`): a pod needs at
    /// least one regular container; init containers alone do not count.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers: []
    /// ```
    pub(crate) PodContainersMissing {
        id: "pod-containers-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for PodContainersMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// A missing `containers` key is reported by the schema pass under this id; this reports
    /// the key that is there but holds nothing.
    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(entry) = spec.node.entry("containers") else {
            return;
        };
        let empty = entry.value.is_null() || entry.value.items().is_some_and(<[_]>::is_empty);
        if empty {
            sink.report(
                &Self::META,
                entry.key.range,
                "`containers` is empty; a pod needs at least one container",
            );
        }
    }
}
