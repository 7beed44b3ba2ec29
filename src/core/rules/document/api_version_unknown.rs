//! `api-version-unknown`: a built-in kind under an apiVersion that never served it.

use super::{ApiStatus, classify};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A built-in kind written with a built-in apiVersion that does not serve it, such as
    /// `kind: Pod` with `apiVersion: apps/v1`, or `kind: Job` with `apiVersion: v1`. The
    /// message names the apiVersions that do serve the kind.
    ///
    /// The same kind name under a group Kubernetes does not own (a custom resource) is not
    /// flagged.
    ///
    /// ## Why it matters
    /// The API server answers `no matches for kind "Job" in version "v1"`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// ```
    pub(crate) ApiVersionUnknown {
        id: "api-version-unknown",
        severity: Error,
    }
}

impl Rule for ApiVersionUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some((api_version, kind, ApiStatus::Unknown { served })) = classify(ctx) else {
            return;
        };
        let Some(entry) = ctx.manifest.root.entry("apiVersion") else {
            return;
        };
        let list = served
            .iter()
            .map(|it| format!("`{it}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!(
            "Kubernetes {} does not serve {kind} in `{api_version}`; it is served in {list}",
            ctx.version
        );
        let range = entry.value.range;
        // Offer the most stable of the served versions (GA before beta before alpha).
        let best = served
            .iter()
            .min_by_key(|it| stability_rank(it))
            .map(|it| (*it).to_owned());
        if let Some(diagnostic) = sink.report(&Self::META, range, message)
            && let Some(best) = best
        {
            diagnostic.fix = Some(Fix {
                title: format!("Change apiVersion to `{best}`"),
                edits: vec![TextEdit {
                    range,
                    new_text: best,
                }],
            });
        }
    }
}

fn stability_rank(api_version: &str) -> u8 {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    if version.contains("alpha") {
        2
    } else {
        u8::from(version.contains("beta"))
    }
}
