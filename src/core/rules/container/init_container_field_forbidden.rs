//! `init-container-field-forbidden`: probes or lifecycle hooks on an init container that is
//! not a sidecar.

use crate::core::manifest::ContainerKind;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

const FORBIDDEN_FIELDS: &[&str] = &[
    "lifecycle",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
];

declare_rule! {
    /// ## What it flags
    /// `lifecycle`, `livenessProbe`, `readinessProbe` or `startupProbe` on an init container
    /// that does not have `restartPolicy: Always`.
    ///
    /// ## Why it matters
    /// A plain init container runs to completion before the app starts, so it is never probed
    /// and has no hooks; the API server rejects the object (`spec.initContainers[0].
    /// livenessProbe: Forbidden: may not be set for init containers without
    /// restartPolicy=Always`). With `restartPolicy: Always` the init container is a sidecar,
    /// which keeps running alongside the app and may have them.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   initContainers:
    ///     - name: migrate
    ///       image: busybox:1.36
    ///       readinessProbe:
    ///         exec:
    ///           command: ["true"]
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) InitContainerFieldForbidden {
        id: "init-container-field-forbidden",
        severity: Error,
    }
}

impl Rule for InitContainerFieldForbidden {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            if container.kind != ContainerKind::Init || container.is_sidecar() {
                continue;
            }
            for field in FORBIDDEN_FIELDS {
                let Some(entry) = container.node.entry(field).filter(|it| !it.value.is_null())
                else {
                    continue;
                };
                sink.report(
                    &Self::META,
                    entry.key.range,
                    format!("`{field}` may not be set on an init container without `restartPolicy: Always`; remove it, or make the container a sidecar"),
                );
            }
        }
    }
}
