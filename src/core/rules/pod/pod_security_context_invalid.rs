//! `pod-security-context-invalid`: a pod `securityContext` the API server rejects.

use super::util::{check_enum, id_out_of_range};
use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::FS_GROUP_CHANGE_POLICIES;
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// In a pod's `securityContext`: a `runAsUser`, `runAsGroup`, `fsGroup` or
    /// `supplementalGroups` id outside 0..2147483647, or an `fsGroupChangePolicy` other than
    /// `OnRootMismatch` or `Always`. Also `shareProcessNamespace: true` together with
    /// `hostPID: true`.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.securityContext.runAsUser: Invalid value`,
    /// `spec.shareProcessNamespace: Invalid value: ShareProcessNamespace and HostPID cannot
    /// both be enabled`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     runAsUser: -1
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodSecurityContextInvalid {
        id: "pod-security-context-invalid",
        severity: Error,
    }
}

impl Rule for PodSecurityContextInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        if let Some(context) = spec
            .node
            .get("securityContext")
            .filter(|it| it.entries().is_some())
        {
            check_context(context, sink);
        }
        if let (Some(share), Some(host_pid)) = (spec.node.entry("shareProcessNamespace"), spec.node.entry("hostPID"))
            && share.value.as_bool() == Some(true)
            && host_pid.value.as_bool() == Some(true)
            && let Some(diagnostic) = sink.report(
                &Self::META,
                value_range(share),
                "`shareProcessNamespace` and `hostPID` cannot both be true; the pod already shares the host's process namespace",
            )
        {
            diagnostic.related.push(Related {
                range: value_range(host_pid),
                message: "`hostPID` is set here".to_owned(),
            });
        }
    }
}

fn check_context(context: &Node, sink: &mut Sink<'_>) {
    let meta = &PodSecurityContextInvalid::META;
    for field in ["runAsUser", "runAsGroup", "fsGroup"] {
        if let Some(entry) = context.entry(field)
            && let Some(id) = entry.value.as_i64()
            && let Some(reason) = id_out_of_range(id)
        {
            sink.report(meta, value_range(entry), format!("{field} `{id}` {reason}"));
        }
    }
    if let Some(groups) = context.get("supplementalGroups").and_then(Node::items) {
        for group in groups {
            if let Some(id) = group.as_i64()
                && let Some(reason) = id_out_of_range(id)
            {
                sink.report(
                    meta,
                    group.range,
                    format!("supplemental group `{id}` {reason}"),
                );
            }
        }
    }
    if let Some(entry) = context.entry("fsGroupChangePolicy") {
        check_enum(sink, meta, entry, FS_GROUP_CHANGE_POLICIES);
    }
}
