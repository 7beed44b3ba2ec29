//! `service-selector-no-match`: a Service that selects no Pod of the workspace.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Service whose `spec.selector` matches the labels of no Pod and no workload pod
    /// template among the files checked together (the editor's workspace, or the files of one
    /// `kls lint` run), in the same namespace. Reported on `selector:`.
    ///
    /// It stays quiet when those files hold no workload at all: the pods are then defined
    /// elsewhere, and a file-by-file check would only raise false alarms.
    ///
    /// A selector may use the labels that controllers add to the pods they create, and each
    /// matches only the pods of the workload that gets it, with the values it can take:
    /// `pod-template-hash` (any value) the pods of a Deployment; `controller-revision-hash`
    /// (any value) those of a StatefulSet or DaemonSet, and `pod-template-generation` (a
    /// number) those of a DaemonSet; `statefulset.kubernetes.io/pod-name: web-0` (the set's
    /// name, a dash, an ordinal) and `apps.kubernetes.io/pod-index` (a number) those of a
    /// StatefulSet; `job-name` and `batch.kubernetes.io/job-name` (the Job's name, or
    /// `<cronjob>-<number>` for a CronJob's Jobs), `controller-uid` and
    /// `batch.kubernetes.io/controller-uid` (any value) those of a Job or CronJob without
    /// `manualSelector: true`, and `batch.kubernetes.io/job-completion-index` (a number)
    /// those of an `Indexed` Job. So `statefulset.kubernetes.io/pod-name: web-0` selects a pod
    /// of the StatefulSet `web`, and nothing when there is none.
    ///
    /// ## Why it matters
    /// The Service gets no endpoints and every connection to it fails, usually because of a
    /// typo in a label or a label changed on one side only.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: wbe
    ///   ports:
    ///     - port: 80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) ServiceSelectorNoMatch {
        id: "service-selector-no-match",
        severity: Warning,
    }
}

impl Rule for ServiceSelectorNoMatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the workspace pass ([`crate::core::analysis::workspace_diagnostics`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
