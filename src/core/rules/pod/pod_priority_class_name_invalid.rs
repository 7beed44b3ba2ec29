//! `pod-priority-class-name-invalid`: a `priorityClassName` that is not a DNS subdomain.

use crate::core::formats::dns1123_subdomain;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `priorityClassName` that is not a DNS-1123 subdomain (lower case letters, digits, `-`
    /// and `.`, at most 253 characters).
    ///
    /// ## Why it matters
    /// `PriorityClass` names are DNS subdomains, so no class could ever match; the API server
    /// rejects the object (`spec.priorityClassName: Invalid value`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   priorityClassName: High_Priority
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodPriorityClassNameInvalid {
        id: "pod-priority-class-name-invalid",
        severity: Error,
    }
}

impl Rule for PodPriorityClassNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(entry) = spec.node.entry("priorityClassName") else {
            return;
        };
        let Some(name) = entry.value.as_str().filter(|it| !it.is_empty()) else {
            return;
        };
        if let Err(reason) = dns1123_subdomain(name) {
            sink.report(
                &Self::META,
                value_range(entry),
                format!("priorityClassName `{name}` is not a valid DNS subdomain: {reason}"),
            );
        }
    }
}
