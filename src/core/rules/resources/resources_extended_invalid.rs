//! `resources-extended-invalid`: an extended resource or huge pages requested without an equal
//! limit, or an extended resource that is not a whole number.

use super::util::{
    container_resources, is_extended, is_overcommit_allowed, is_whole_milli, round_up_milli,
};
use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// Resources that cannot be overcommitted: extended resources (a name with a domain outside
    /// `kubernetes.io`, such as `nvidia.com/gpu`) and huge pages (`hugepages-2Mi`). For them:
    ///
    /// - a request needs a limit (a limit alone is fine: the request defaults to it in a Pod, and
    ///   the scheduler reads it from the limit in a template);
    /// - a request must equal its limit;
    /// - an extended resource must be a whole number (`nvidia.com/gpu: 0.5` is rejected).
    ///
    /// ## Why it matters
    /// The API server rejects the pod, e.g. `resources.limits: Required value: Limit must be
    /// set for non overcommitable resources` or `resources.requests: Invalid value: "1": must
    /// be equal to nvidia.com/gpu limit of 2`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: trainer
    /// spec:
    ///   containers:
    ///     - name: trainer
    ///       image: example.com/trainer:1.0
    ///       resources:
    ///         requests:
    ///           nvidia.com/gpu: 1
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: trainer
    /// spec:
    ///   containers:
    ///     - name: trainer
    ///       image: example.com/trainer:1.0
    ///       resources:
    ///         limits:
    ///           nvidia.com/gpu: 1
    /// ```
    pub(crate) ResourcesExtendedInvalid {
        id: "resources-extended-invalid",
        severity: Error,
    }
}

impl Rule for ResourcesExtendedInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for resources in container_resources(&spec) {
            for item in resources.requests.iter().chain(&resources.limits) {
                let Some(quantity) = item.parsed() else {
                    continue;
                };
                if is_extended(&item.name) && !is_whole_milli(quantity) {
                    sink.report(
                        &Self::META,
                        value_range(item.entry),
                        format!(
                            "extended resource `{}` must be a whole number, not `{}`",
                            item.name,
                            item.text()
                        ),
                    );
                }
            }
            for request in &resources.requests {
                let name = &request.name;
                if is_overcommit_allowed(name) {
                    continue;
                }
                let Some(limit) = resources.limits.iter().find(|it| it.name == *name) else {
                    sink.report(
                        &Self::META,
                        request.entry.key.range,
                        format!(
                            "`{name}` is requested without a limit; it cannot be overcommitted, so set a limit equal to the request (or only the limit)"
                        ),
                    );
                    continue;
                };
                let (Some(wanted), Some(allowed)) = (request.parsed(), limit.parsed()) else {
                    continue;
                };
                if round_up_milli(wanted) == round_up_milli(allowed) {
                    continue;
                }
                let message = format!(
                    "`{name}` request `{}` differs from its limit `{}`; it cannot be overcommitted, so the request must equal the limit",
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
