//! `pod-dns-policy-invalid`: a `dnsPolicy` the API server does not know.

use super::util::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::DNS_POLICIES;

declare_rule! {
    /// ## What it flags
    /// A `dnsPolicy` other than `ClusterFirstWithHostNet`, `ClusterFirst`, `Default` or `None`
    /// (case-sensitive). An empty value is defaulted to `ClusterFirst`.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.dnsPolicy: Unsupported value`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   dnsPolicy: ClusterFirstWithHostNetwork
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodDnsPolicyInvalid {
        id: "pod-dns-policy-invalid",
        severity: Error,
    }
}

impl Rule for PodDnsPolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(entry) = spec.node.entry("dnsPolicy") else {
            return;
        };
        // An empty value is defaulted to `ClusterFirst` before validation.
        if entry.value.as_str().is_some_and(|it| !it.is_empty()) {
            check_enum(sink, &Self::META, entry, DNS_POLICIES);
        }
    }
}
