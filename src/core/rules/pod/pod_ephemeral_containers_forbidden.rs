//! `pod-ephemeral-containers-forbidden`: `ephemeralContainers` in a manifest.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A non-empty `ephemeralContainers` list in a Pod or in a pod template.
    ///
    /// ## Why it matters
    /// Ephemeral containers are added to a running Pod through its `ephemeralcontainers`
    /// subresource (`kubectl debug`), never on create; the API server rejects the object
    /// (`spec.ephemeralContainers: Forbidden: cannot be set on create`, or "ephemeral
    /// containers not allowed in pod template").
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
    ///   ephemeralContainers:
    ///     - name: debug
    ///       image: busybox:1.36
    /// ```
    pub(crate) PodEphemeralContainersForbidden {
        id: "pod-ephemeral-containers-forbidden",
        severity: Error,
    }
}

impl Rule for PodEphemeralContainersForbidden {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(entry) = spec.node.entry("ephemeralContainers") else {
            return;
        };
        if entry.value.items().is_none_or(<[_]>::is_empty) {
            return;
        }
        let message = if spec.is_template() {
            "ephemeral containers are not allowed in a pod template; add them to a running Pod with `kubectl debug`"
        } else {
            "ephemeral containers cannot be set when a Pod is created; add them to the running Pod with `kubectl debug`"
        };
        sink.report(&Self::META, entry.key.range, message);
    }
}
