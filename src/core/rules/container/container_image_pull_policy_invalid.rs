//! `container-image-pull-policy-invalid`: an `imagePullPolicy` outside `Always`,
//! `IfNotPresent`, `Never`.

use crate::core::rules::pod::util::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::PULL_POLICIES;

declare_rule! {
    /// ## What it flags
    /// A container `imagePullPolicy` other than `Always`, `IfNotPresent` or `Never`. The values
    /// are case-sensitive: `always` and `ifNotPresent` are rejected. An empty value is
    /// defaulted (to `Always` for a `:latest` or untagged image, else `IfNotPresent`).
    ///
    /// ## Why it matters
    /// The API server rejects the object (`imagePullPolicy: Unsupported value`).
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
    ///       imagePullPolicy: always
    /// ```
    pub(crate) ContainerImagePullPolicyInvalid {
        id: "container-image-pull-policy-invalid",
        severity: Error,
    }
}

impl Rule for ContainerImagePullPolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            if let Some(entry) = container.node.entry("imagePullPolicy")
                && entry.value.as_str().is_some_and(|it| !it.is_empty())
            {
                check_enum(sink, &Self::META, entry, PULL_POLICIES);
            }
        }
    }
}
