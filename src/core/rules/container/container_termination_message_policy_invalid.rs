//! `container-termination-message-policy-invalid`: a `terminationMessagePolicy` outside
//! `File`, `FallbackToLogsOnError`.

use crate::core::rules::pod::util::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::TERMINATION_MESSAGE_POLICIES;

declare_rule! {
    /// ## What it flags
    /// A container `terminationMessagePolicy` other than `File` or `FallbackToLogsOnError`
    /// (case-sensitive). An empty value is defaulted to `File`.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`terminationMessagePolicy: Unsupported value`).
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
    ///       terminationMessagePolicy: FallbackToLogs
    /// ```
    pub(crate) ContainerTerminationMessagePolicyInvalid {
        id: "container-termination-message-policy-invalid",
        severity: Error,
    }
}

impl Rule for ContainerTerminationMessagePolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            if let Some(entry) = container.node.entry("terminationMessagePolicy")
                && entry.value.as_str().is_some_and(|it| !it.is_empty())
            {
                check_enum(sink, &Self::META, entry, TERMINATION_MESSAGE_POLICIES);
            }
        }
    }
}
