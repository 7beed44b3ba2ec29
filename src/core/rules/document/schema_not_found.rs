//! `schema-not-found`: a kind kls has no schema for (a custom resource).

use super::{ApiStatus, classify};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A document whose `apiVersion` and `kind` are not a built-in Kubernetes kind: usually a
    /// custom resource (a CRD's kind) or another tool's configuration file. It is reported as
    /// information only, naming the group, version and kind, so it is clear that only the
    /// document's YAML was checked.
    ///
    /// Only groups that Kubernetes does not own get this note, including those under `k8s.io`
    /// that belong to add-ons or aggregated APIs (`gateway.networking.k8s.io`,
    /// `snapshot.storage.k8s.io`, `metrics.k8s.io`, `*.x-k8s.io`). An unknown kind under a
    /// built-in group (`v1`, `apps`, `extensions`, …) is an error instead
    /// (`api-version-unknown`).
    ///
    /// ## Why it matters
    /// Nothing is wrong, but nothing beyond YAML syntax was checked either.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: gadget
    /// ```
    pub(crate) SchemaNotFound {
        id: "schema-not-found",
        severity: Information,
    }
}

impl Rule for SchemaNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some((api_version, kind, ApiStatus::Custom)) = classify(ctx) else {
            return;
        };
        let Some(entry) = ctx.manifest.root.entry("kind") else {
            return;
        };
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let group = if group.is_empty() { "core" } else { group };
        sink.report(
            &Self::META,
            entry.value.range,
            format!(
                "no schema for {kind} (group `{group}`, version `{version}`): not a built-in kind of Kubernetes {}, so only its YAML was checked",
                ctx.version
            ),
        );
    }
}
