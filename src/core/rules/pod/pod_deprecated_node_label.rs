//! `pod-deprecated-node-label`: node selection by a deprecated node label.

use super::util::scalar_replacement;
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Node;

/// Deprecated node labels, as the API server's warnings list them (`pkg/api/node/util.go`):
/// the label, the release that deprecated it when the warning names one, and its replacement
/// where there is one.
const DEPRECATED_NODE_LABELS: &[(&str, Option<&str>, Option<&str>)] = &[
    (
        "beta.kubernetes.io/arch",
        Some("1.14"),
        Some("kubernetes.io/arch"),
    ),
    (
        "beta.kubernetes.io/os",
        Some("1.14"),
        Some("kubernetes.io/os"),
    ),
    (
        "failure-domain.beta.kubernetes.io/region",
        Some("1.17"),
        Some("topology.kubernetes.io/region"),
    ),
    (
        "failure-domain.beta.kubernetes.io/zone",
        Some("1.17"),
        Some("topology.kubernetes.io/zone"),
    ),
    (
        "beta.kubernetes.io/instance-type",
        Some("1.17"),
        Some("node.kubernetes.io/instance-type"),
    ),
    ("app.kubernetes.io/created-by", Some("1.9"), None),
    (
        "scheduler.alpha.kubernetes.io/preferAvoidPods",
        Some("1.22"),
        None,
    ),
    (
        "node-role.kubernetes.io/master",
        None,
        Some("node-role.kubernetes.io/control-plane"),
    ),
];

declare_rule! {
    /// ## What it flags
    /// A deprecated node label used to pick nodes: as a `nodeSelector` key, as the `key` of a
    /// node affinity `matchExpressions` item (required or preferred), or as a
    /// `topologySpreadConstraints` `topologyKey`. For example `beta.kubernetes.io/arch`
    /// (use `kubernetes.io/arch`) or `failure-domain.beta.kubernetes.io/zone` (use
    /// `topology.kubernetes.io/zone`). A fix offers the replacement where there is one.
    ///
    /// ## Why it matters
    /// The API server accepts the object with a warning. Current nodes may no longer carry
    /// the old labels, so the pod may fit no node, or spread over the wrong domains.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   nodeSelector:
    ///     beta.kubernetes.io/os: linux
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodDeprecatedNodeLabel {
        id: "pod-deprecated-node-label",
        severity: Warning,
    }
}

impl Rule for PodDeprecatedNodeLabel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        if let Some(entries) = spec.node.get("nodeSelector").and_then(Node::entries) {
            for entry in entries {
                report(&entry.key, sink);
            }
        }
        if let Some(affinity) = spec.node.get_path(&["affinity", "nodeAffinity"]) {
            let mut terms: Vec<&Node> = Vec::new();
            if let Some(required) = affinity
                .get_path(&[
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    "nodeSelectorTerms",
                ])
                .and_then(Node::items)
            {
                terms.extend(required);
            }
            if let Some(preferred) = affinity
                .get("preferredDuringSchedulingIgnoredDuringExecution")
                .and_then(Node::items)
            {
                terms.extend(preferred.iter().filter_map(|it| it.get("preference")));
            }
            for term in terms {
                for expression in term
                    .get("matchExpressions")
                    .and_then(Node::items)
                    .unwrap_or_default()
                {
                    if let Some(key) = expression.get("key") {
                        report(key, sink);
                    }
                }
            }
        }
        for constraint in spec
            .node
            .get("topologySpreadConstraints")
            .and_then(Node::items)
            .unwrap_or_default()
        {
            if let Some(key) = constraint.get("topologyKey") {
                report(key, sink);
            }
        }
    }
}

fn report(node: &Node, sink: &mut Sink<'_>) {
    let Some(label) = node.as_str() else {
        return;
    };
    let Some((_, since, replacement)) = DEPRECATED_NODE_LABELS
        .iter()
        .find(|(it, _, _)| *it == label)
    else {
        return;
    };
    let since = since
        .map(|it| format!(" since Kubernetes {it}"))
        .unwrap_or_default();
    let instead = replacement
        .map(|it| format!("; use `{it}`"))
        .unwrap_or_default();
    let message = format!("node label `{label}` is deprecated{since}{instead}");
    if let Some(diagnostic) = sink.report(&PodDeprecatedNodeLabel::META, node.range, message)
        && let Some(replacement) = replacement
    {
        diagnostic.fix = Some(Fix {
            title: format!("Change to `{replacement}`"),
            edits: vec![TextEdit {
                range: node.range,
                new_text: scalar_replacement(node, replacement),
            }],
        });
    }
}
