//! `resources-negative`: a negative request or limit.

use super::util::container_resources;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A negative quantity in a container's `resources.requests` or `resources.limits`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `resources.limits[cpu]: Invalid value: "-1": must be
    /// greater than or equal to 0`.
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
    ///           cpu: -100m
    /// ```
    pub(crate) ResourcesNegative {
        id: "resources-negative",
        severity: Error,
    }
}

impl Rule for ResourcesNegative {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for resources in container_resources(&spec) {
            let requests = resources.requests.iter().map(|it| ("request", it));
            let limits = resources.limits.iter().map(|it| ("limit", it));
            for (kind, item) in requests.chain(limits) {
                if item.parsed().is_some_and(|it| it.is_negative()) {
                    sink.report(
                        &Self::META,
                        value_range(item.entry),
                        format!(
                            "`{}` {kind} `{}` is negative; it must be 0 or more",
                            item.name,
                            item.text()
                        ),
                    );
                }
            }
        }
    }
}
