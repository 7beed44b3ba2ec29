//! `pod-hostname-invalid`: a pod `hostname` or `subdomain` that is not a DNS label.

use crate::core::formats::dns1123_label;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `hostname` or `subdomain` that is not a DNS-1123 label: lower case letters, digits and
    /// `-`, at most 63 characters, no dots.
    ///
    /// ## Why it matters
    /// They become the pod's host name and its DNS name under a headless Service; the API
    /// server rejects the object (`spec.hostname: Invalid value`). A fully qualified name is
    /// made of both: `hostname: web-0` with `subdomain: web`, not `hostname: web-0.web`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   hostname: web-0.web
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodHostnameInvalid {
        id: "pod-hostname-invalid",
        severity: Error,
    }
}

impl Rule for PodHostnameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for field in ["hostname", "subdomain"] {
            let Some(entry) = spec.node.entry(field) else {
                continue;
            };
            let Some(value) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                continue;
            };
            if let Err(reason) = dns1123_label(value) {
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!("{field} `{value}` is not a valid DNS-1123 label: {reason}"),
                );
            }
        }
    }
}
