//! `suppression-unknown-rule`: a suppression that names a rule kls does not have.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A rule id in a `# kls: ignore[…]` or `# kls: ignore-file[…]` comment, or in a
    /// `kls.dev/ignore` annotation, that is not the id of any rule (`kls rules` lists them).
    /// Reported on the id.
    ///
    /// ## Why it matters
    /// A misspelt id suppresses nothing, so the finding it was meant to silence is still
    /// reported, or, worse, the comment looks like it covers a finding that appears later.
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
    ///       image: nginx:1.27 # kls: ignore[image-tag-latset]
    /// ```
    pub(crate) SuppressionUnknownRule {
        id: "suppression-unknown-rule",
        severity: Warning,
    }
}

impl Rule for SuppressionUnknownRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported when the suppressions of a document are read.
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
