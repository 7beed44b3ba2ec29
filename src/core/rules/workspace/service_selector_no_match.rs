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
