//! `probe-http-invalid`: an `httpGet` handler with an unknown scheme or a bad header name.

use super::util::hooks;
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::enums::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::HTTP_SCHEMES;
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// In the `httpGet` handler of a probe or lifecycle hook, a `scheme` other than `HTTP` or
    /// `HTTPS` (case-sensitive; an absent scheme means `HTTP`), or an `httpHeaders[].name` that
    /// is not made of letters, digits and `-`. A missing `path` is fine: it defaults to `/`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `livenessProbe.httpGet.scheme: Unsupported value:
    /// "https": supported values: "HTTP", "HTTPS"`.
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
    ///       livenessProbe:
    ///         httpGet:
    ///           port: 443
    ///           scheme: https
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
    ///       livenessProbe:
    ///         httpGet:
    ///           port: 443
    ///           scheme: HTTPS
    ///           httpHeaders:
    ///             - name: X-Probe
    ///               value: kubelet
    /// ```
    pub(crate) ProbeHttpInvalid {
        id: "probe-http-invalid",
        severity: Error,
    }
}

impl Rule for ProbeHttpInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            let Some(http) = hook.handler_named("httpGet") else {
                continue;
            };
            if let Some(entry) = http.entry("scheme")
                && entry.value.as_str().is_some_and(|it| !it.is_empty())
            {
                check_enum(sink, &Self::META, entry, HTTP_SCHEMES);
            }
            let headers = http
                .get("httpHeaders")
                .and_then(Node::items)
                .unwrap_or_default();
            for header in headers {
                let Some(entry) = header.entry("name") else {
                    continue;
                };
                let Some(name) = entry.value.as_str() else {
                    continue;
                };
                if !formats::is_http_header_name(name) {
                    sink.report(
                        &Self::META,
                        value_range(entry),
                        format!("HTTP header name `{name}` is not valid: it must consist of letters, digits and '-'"),
                    );
                }
            }
        }
    }
}
