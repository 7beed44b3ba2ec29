//! `container-restart-policy-forbidden`: a `restartPolicy` on a regular container where the
//! Kubernetes version does not allow one.

use super::init_container_restart_policy_invalid::container_restart_policies;
use crate::core::manifest::ContainerKind;
use crate::core::rules::pod::util::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::schema::KubeVersion;

declare_rule! {
    /// ## What it flags
    /// A regular container (in `containers`) that sets `restartPolicy`, for Kubernetes 1.34
    /// and older. From 1.35, where container restart rules are on by default, the field is
    /// accepted with `Always`, `OnFailure` or `Never`, and only other values are flagged.
    ///
    /// ## Why it matters
    /// Up to 1.34 the API server rejects the object (`spec.containers[0].restartPolicy:
    /// Forbidden: may not be set for non-init containers`). A container-level `restartPolicy:
    /// Always` is meant for init containers, where it makes a sidecar; for a regular container
    /// the pod's `restartPolicy` applies.
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
    ///       restartPolicy: Sometimes
    /// ```
    pub(crate) ContainerRestartPolicyForbidden {
        id: "container-restart-policy-forbidden",
        severity: Error,
    }
}

impl Rule for ContainerRestartPolicyForbidden {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let allowed = ctx.version >= KubeVersion::new(35);
        for container in spec.containers() {
            if container.kind != ContainerKind::Regular {
                continue;
            }
            let Some(entry) = container
                .node
                .entry("restartPolicy")
                .filter(|it| !it.value.is_null())
            else {
                continue;
            };
            if allowed {
                check_enum(
                    sink,
                    &Self::META,
                    entry,
                    container_restart_policies(ctx.version),
                );
            } else {
                sink.report(
                    &Self::META,
                    entry.key.range,
                    format!(
                        "`restartPolicy` may not be set on a regular container in Kubernetes {}; remove it (the pod's `restartPolicy` applies), or move the container to `initContainers` to make it a sidecar",
                        ctx.version
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    fn codes(text: &str, minor: u32) -> Vec<&'static str> {
        crate::core::rules::testing::diagnostics(text, minor)
            .into_iter()
            .map(|it| it.code)
            .filter(|it| *it == "container-restart-policy-forbidden")
            .collect()
    }

    const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Never
  containers:
    - name: web
      image: nginx:1.27
      restartPolicy: OnFailure
";

    #[test]
    fn allowed_from_1_35() {
        assert_eq!(codes(POD, 34), ["container-restart-policy-forbidden"]);
        assert!(codes(POD, 35).is_empty());
        assert!(codes(POD, 37).is_empty());
        assert_eq!(codes(&POD.replace("OnFailure", "onFailure"), 37).len(), 1);
    }
}
