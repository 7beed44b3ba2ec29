//! `pod-service-account-name-invalid`: a `serviceAccountName` that is not a DNS subdomain.

use crate::core::formats::dns1123_subdomain;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `serviceAccountName` that is not a DNS-1123 subdomain (lower case letters, digits, `-`
    /// and `.`, at most 253 characters). When only the deprecated `serviceAccount` is set, the
    /// API server copies it into `serviceAccountName`, so it is checked the same way.
    ///
    /// ## Why it matters
    /// `ServiceAccount` names are DNS subdomains, so no account could ever match; the API server
    /// rejects the object (`spec.serviceAccountName: Invalid value`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceAccountName: Web_Reader
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodServiceAccountNameInvalid {
        id: "pod-service-account-name-invalid",
        severity: Error,
    }
}

impl Rule for PodServiceAccountNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let set = |key: &str| {
            spec.node
                .entry(key)
                .filter(|it| it.value.as_str().is_some_and(|it| !it.is_empty()))
        };
        // Conversion fills an empty `serviceAccountName` from `serviceAccount`.
        let Some(entry) = set("serviceAccountName").or_else(|| set("serviceAccount")) else {
            return;
        };
        let Some(name) = entry.value.as_str() else {
            return;
        };
        if let Err(reason) = dns1123_subdomain(name) {
            let field = entry.key.json_key().unwrap_or_default();
            sink.report(
                &Self::META,
                value_range(entry),
                format!("{field} `{name}` is not a valid DNS subdomain: {reason}"),
            );
        }
    }
}
