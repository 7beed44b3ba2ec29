//! `suppression-unused`: a suppression that suppresses nothing.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A rule id in a `# kls: ignore[…]` or `# kls: ignore-file[…]` comment, or in a
    /// `kls.dev/ignore` annotation, that suppresses no finding where it applies. Reported on
    /// the id, only when asked for: `kls lint --report-unused-suppressions`.
    ///
    /// ## Why it matters
    /// A suppression outlives the finding it was written for once the manifest is fixed, and
    /// would then silence the next, unrelated finding of that rule at the same place.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web # kls: ignore[unknown-field]
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) SuppressionUnused {
        id: "suppression-unused",
        severity: Warning,
    }
}

impl Rule for SuppressionUnused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported once every finding of the file is known ([`crate::core::suppression`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
