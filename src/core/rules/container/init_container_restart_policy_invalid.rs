//! `init-container-restart-policy-invalid`: an init container `restartPolicy` the API server
//! does not accept.

use crate::core::manifest::ContainerKind;
use crate::core::rules::pod::util::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::schema::KubeVersion;

declare_rule! {
    /// ## What it flags
    /// An init container whose `restartPolicy` is set to anything but `Always` (which makes it
    /// a sidecar). From Kubernetes 1.35, where container restart rules are on by default,
    /// `OnFailure` and `Never` are accepted too. The values are case-sensitive.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.initContainers[0].restartPolicy: Unsupported
    /// value`). To run an init container to completion, leave `restartPolicy` out.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   initContainers:
    ///     - name: proxy
    ///       image: envoyproxy/envoy:v1.31.0
    ///       restartPolicy: always
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) InitContainerRestartPolicyInvalid {
        id: "init-container-restart-policy-invalid",
        severity: Error,
    }
}

/// The container `restartPolicy` values that `version` accepts.
pub(super) fn container_restart_policies(version: KubeVersion) -> &'static [&'static str] {
    if version >= KubeVersion::new(35) {
        &["Always", "OnFailure", "Never"]
    } else {
        &["Always"]
    }
}

impl Rule for InitContainerRestartPolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let allowed = container_restart_policies(ctx.version);
        for container in spec.containers() {
            if container.kind != ContainerKind::Init {
                continue;
            }
            if let Some(entry) = container.node.entry("restartPolicy") {
                check_enum(sink, &Self::META, entry, allowed);
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
            .filter(|it| *it == "init-container-restart-policy-invalid")
            .collect()
    }

    const NEVER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
    - name: setup
      image: busybox:1.36
      restartPolicy: Never
  containers:
    - name: web
      image: nginx:1.27
";

    #[test]
    fn never_depends_on_the_version() {
        assert_eq!(codes(NEVER, 34), ["init-container-restart-policy-invalid"]);
        assert!(codes(NEVER, 35).is_empty());
        assert_eq!(codes(&NEVER.replace("Never", "Sometimes"), 37).len(), 1);
    }
}
