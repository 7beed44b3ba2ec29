//! `yaml-duplicate-key`: a key appears twice in one mapping.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A key written twice in the same mapping. The diagnostic is on the later one, and links
    /// to the first.
    ///
    /// ## Why it matters
    /// `kubectl apply -f` keeps only the last value, silently (kubernetes/kubernetes#89303),
    /// so half of what was written never reaches the cluster. kustomize and most editors
    /// reject the file outright.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) YamlDuplicateKey {
        id: "yaml-duplicate-key",
        severity: Error,
    }
}

impl Rule for YamlDuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported while parsing.
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
