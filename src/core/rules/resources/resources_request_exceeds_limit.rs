//! `resources-request-exceeds-limit`: a request above the limit of the same resource.

use super::util::{container_resources, is_overcommit_allowed, round_up_milli};
use crate::core::diagnostic::Related;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A container resource whose request is larger than its limit, compared as quantities
    /// (`500m` is less than `1`, `1Gi` is more than `512Mi`). The diagnostic is on the request
    /// and points at the limit. Only resources with both a request and a limit are compared:
    /// a limit alone is fine (in a Pod the request defaults to it).
    ///
    /// Extended resources and huge pages, whose request must equal the limit, are checked by
    /// `resources-extended-invalid`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `resources.requests: Invalid value: "2": must be less
    /// than or equal to cpu limit of 1`.
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
    ///       resources:
    ///         requests:
    ///           memory: 1Gi
    ///         limits:
    ///           memory: 512Mi
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
    ///       resources:
    ///         requests:
    ///           cpu: 500m
    ///         limits:
    ///           cpu: 1
    /// ```
    pub(crate) ResourcesRequestExceedsLimit {
        id: "resources-request-exceeds-limit",
        severity: Error,
    }
}

impl Rule for ResourcesRequestExceedsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for resources in container_resources(&spec) {
            for request in &resources.requests {
                if !is_overcommit_allowed(&request.name) {
                    continue;
                }
                let Some(limit) = resources.limits.iter().find(|it| it.name == request.name) else {
                    continue;
                };
                let (Some(wanted), Some(allowed)) = (request.parsed(), limit.parsed()) else {
                    continue;
                };
                if round_up_milli(wanted) <= round_up_milli(allowed) {
                    continue;
                }
                let name = &request.name;
                let message = format!(
                    "`{name}` request `{}` is more than its limit `{}`; a request must be less than or equal to the limit",
                    request.text(),
                    limit.text()
                );
                if let Some(diagnostic) = sink.report(&Self::META, request.entry.key.range, message)
                {
                    diagnostic.related.push(Related {
                        range: limit.entry.key.range,
                        message: format!("`{name}` limit"),
                    });
                }
            }
        }
    }
}
