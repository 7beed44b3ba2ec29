//! `pod-active-deadline-invalid`: an `activeDeadlineSeconds` outside 1..2147483647.

use crate::core::manifest::{PodOwner, value_range};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

use super::util::MAX_ID;

declare_rule! {
    /// ## What it flags
    /// A pod `activeDeadlineSeconds` below 1 or above 2147483647. Deployments may not set it at
    /// all (see `deployment-template-active-deadline`), so their templates are left to that
    /// rule; Pods and the templates of other workloads, such as Jobs, get the range check.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.activeDeadlineSeconds: Invalid value: must be
    /// between 1 and 2147483647, inclusive`). To give a pod no deadline, leave the field out.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: job
    /// spec:
    ///   activeDeadlineSeconds: 0
    ///   restartPolicy: Never
    ///   containers:
    ///     - name: job
    ///       image: busybox:1.36
    /// ```
    pub(crate) PodActiveDeadlineInvalid {
        id: "pod-active-deadline-invalid",
        severity: Error,
    }
}

impl Rule for PodActiveDeadlineInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        if spec.owner == PodOwner::Deployment {
            return;
        }
        let Some(entry) = spec.node.entry("activeDeadlineSeconds") else {
            return;
        };
        let Some(value) = entry.value.as_i64() else {
            return;
        };
        if !(1..=MAX_ID).contains(&value) {
            sink.report(
                &Self::META,
                value_range(entry),
                format!("activeDeadlineSeconds `{value}` must be between 1 and {MAX_ID}, inclusive; leave it out for no deadline"),
            );
        }
    }
}
