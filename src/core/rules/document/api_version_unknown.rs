//! `api-version-unknown`: a kind that the apiVersion's group does not serve: a built-in kind
//! under an apiVersion that never served it, or a kind that no apiVersion of a built-in group
//! serves.

use super::{ApiStatus, KindUnknown, classify};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::schema::api_group;

declare_rule! {
    /// ## What it flags
    /// A built-in kind written with a built-in apiVersion that does not serve it, such as
    /// `kind: Pod` with `apiVersion: apps/v1`, or `kind: Job` with `apiVersion: v1`. The
    /// message names the apiVersions that do serve the kind.
    ///
    /// It also flags a kind that no apiVersion of a group Kubernetes owns serves (the groups of
    /// the bundled schemas, and retired ones such as `extensions`): a typo such as
    /// `kind: configmap` or `kind: Deploymnet` (the message suggests the nearest kind, and a
    /// quick fix corrects the case), or a retired kind such as `policy/v1` PodSecurityPolicy
    /// (never served as `policy/v1`; `policy/v1beta1` served it until 1.24). The message names
    /// the kinds the group does serve, nearest first. These are reported on `kind:`.
    ///
    /// Any other group belongs to a custom resource or an aggregated API, even under `k8s.io`
    /// (`gateway.networking.k8s.io`, `snapshot.storage.k8s.io`, `metrics.k8s.io`,
    /// `*.x-k8s.io`), so kinds there are not flagged (see `schema-not-found`); nor is a
    /// kubeconfig (`apiVersion: v1`, `kind: Config`), which kubectl reads but never sends.
    ///
    /// ## Why it matters
    /// The API server answers `no matches for kind "Job" in version "v1"`, or `no matches for
    /// kind "configmap" in version "v1"`, and creates nothing.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// ```
    ///
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: configmap
    /// metadata:
    ///   name: settings
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
        let (api_version, kind, served) = match classify(ctx) {
            Some((api_version, kind, ApiStatus::KindUnknown(unknown))) => {
                report_kind_unknown(ctx, sink, api_version, kind, &unknown);
                return;
            }
            Some((api_version, kind, ApiStatus::Unknown { served })) => (api_version, kind, served),
            _ => return,
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

/// How many of a group's kinds a message names.
const KINDS_NAMED: usize = 8;

/// Reports a kind that `api_version`'s built-in group does not serve, on `kind:`.
fn report_kind_unknown(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    api_version: &str,
    kind: &str,
    unknown: &KindUnknown<'_>,
) {
    let Some(entry) = ctx.manifest.root.entry("kind") else {
        return;
    };
    let group = api_group(api_version);
    let version = ctx.version;
    let mut message = if unknown.retired.is_empty() {
        format!("Kubernetes {version} serves no kind `{kind}` in `{api_version}`")
    } else {
        let before = unknown
            .retired
            .iter()
            .map(|it| {
                format!(
                    "`{}` served it until {} and it was removed in {}",
                    it.api_version, it.last_served_in, it.removed_in
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        format!("{kind} was never served as `{api_version}`: {before}, with no replacement")
    };
    if unknown.retired.is_empty()
        && let Some(suggestion) = &unknown.suggestion
    {
        if suggestion.served.contains(&api_version) {
            message.push_str(&format!(": did you mean `{}`?", suggestion.kind));
        } else {
            message.push_str(&format!(
                ": did you mean `{}` (served in {})?",
                suggestion.kind,
                quoted(&suggestion.served)
            ));
        }
    } else {
        message.push('.');
    }
    let group_name = if group.is_empty() {
        "the core group".to_owned()
    } else {
        format!("`{group}`")
    };
    let kinds: Vec<&str> = unknown.kinds.iter().copied().take(KINDS_NAMED).collect();
    let mut list = quoted(&kinds);
    let more = unknown.kinds.len().saturating_sub(kinds.len());
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    if kinds.is_empty() {
        message.push_str(&format!(
            " Kubernetes {version} serves no kind in {group_name}."
        ));
    } else if unknown.group_served {
        message.push_str(&format!(
            " In Kubernetes {version}, {group_name} serves {list}."
        ));
    } else {
        message.push_str(&format!(
            " Kubernetes {version} no longer serves {group_name} at all; it served {list}."
        ));
    }
    let range = entry.value.range;
    let Some(diagnostic) = sink.report(&ApiVersionUnknown::META, range, message) else {
        return;
    };
    // Only a change of case is certain; a kind served elsewhere moves the apiVersion too, when
    // exactly one apiVersion serves it.
    let Some(suggestion) = unknown.suggestion.as_ref().filter(|it| it.same_but_case) else {
        return;
    };
    let mut edits = vec![TextEdit {
        range,
        new_text: suggestion.kind.to_owned(),
    }];
    if !suggestion.served.contains(&api_version) {
        let ([only], Some(api_entry)) = (
            suggestion.served.as_slice(),
            ctx.manifest.root.entry("apiVersion"),
        ) else {
            return;
        };
        edits.push(TextEdit {
            range: api_entry.value.range,
            new_text: (*only).to_owned(),
        });
    }
    diagnostic.fix = Some(Fix {
        title: format!("Change kind to `{}`", suggestion.kind),
        edits,
    });
}

/// `a`, `b`, `c` as a list of code spans.
fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|it| format!("`{it}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn stability_rank(api_version: &str) -> u8 {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    if version.contains("alpha") {
        2
    } else {
        u8::from(version.contains("beta"))
    }
}

#[cfg(test)]
mod tests {
    use crate::core::diagnostic::Diagnostic;
    use crate::core::rules::testing::diagnostics;

    fn unknown(text: &str, minor: u32) -> Vec<Diagnostic> {
        diagnostics(text, minor)
            .into_iter()
            .filter(|it| it.code == "api-version-unknown")
            .collect()
    }

    #[test]
    fn a_kind_in_the_wrong_case_is_fixed() {
        let text = "apiVersion: v1\nkind: configmap\nmetadata:\n  name: settings\n";
        let found = unknown(text, 37);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.starts_with(
                "Kubernetes 1.37 serves no kind `configmap` in `v1`: did you mean `ConfigMap`? In Kubernetes 1.37, the core group serves `ConfigMap`, "
            ),
            "{}",
            found[0].message
        );
        let fix = found[0].fix.as_ref().expect("a fix");
        let edits: Vec<&str> = fix.edits.iter().map(|it| it.new_text.as_str()).collect();
        assert_eq!(edits, ["ConfigMap"]);
    }

    #[test]
    fn a_kind_of_another_group_moves_the_api_version_too() {
        let text = "apiVersion: v1\nkind: deployment\nmetadata:\n  name: web\n";
        let found = unknown(text, 37);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .contains("did you mean `Deployment` (served in `apps/v1`)?"),
            "{}",
            found[0].message
        );
        let fix = found[0].fix.as_ref().expect("a fix");
        let edits: Vec<&str> = fix.edits.iter().map(|it| it.new_text.as_str()).collect();
        assert_eq!(edits, ["Deployment", "apps/v1"]);
    }

    #[test]
    fn a_typo_is_suggested_but_not_fixed() {
        let text = "apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: web\n";
        let found = unknown(text, 37);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("did you mean `Deployment`?"));
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn a_retired_kind_says_when_it_went() {
        let text = "apiVersion: policy/v1\nkind: PodSecurityPolicy\nmetadata:\n  name: psp\n";
        let found = unknown(text, 33);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "PodSecurityPolicy was never served as `policy/v1`: `policy/v1beta1` served it until 1.24 and it was removed in 1.25, with no replacement. In Kubernetes 1.33, `policy` serves `PodDisruptionBudget`."
        );
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn other_groups_are_custom_resources() {
        for api_version in [
            "gateway.networking.k8s.io/v1",
            "snapshot.storage.k8s.io/v1",
            "metrics.k8s.io/v1beta1",
            "infrastructure.cluster.x-k8s.io/v1beta1",
            "admission.k8s.io/v1",
            // No `/`: a version of the core group only when it looks like one.
            "example.com",
        ] {
            let text = format!("apiVersion: {api_version}\nkind: Thing\nmetadata:\n  name: x\n");
            assert!(unknown(&text, 37).is_empty(), "{api_version}");
        }
    }
}
