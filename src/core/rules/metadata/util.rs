//! Where the metadata rules look: object metadata, template metadata and label maps, for
//! every stored built-in kind (see `kinds.rs`).

use super::kinds::{KindRules, object_kind};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::rules::Context;
use crate::core::text::TextRange;
use crate::core::yaml::Node;

/// A label map and what it belongs to, for messages.
pub(super) struct LabelMap<'a> {
    /// The mapping of labels.
    pub(super) node: &'a Node,
    /// What the map is, e.g. "label" or "selector label".
    pub(super) what: &'static str,
}

/// The object's `metadata` mapping and its kind's rules, for every stored built-in kind.
pub(super) fn object_metadata<'a>(ctx: &Context<'a>) -> Option<(&'a Node, &'static KindRules)> {
    let rules = object_kind(ctx)?;
    let metadata = ctx
        .manifest
        .root
        .get("metadata")
        .filter(|it| it.entries().is_some())?;
    Some((metadata, rules))
}

/// The `metadata` of a workload's pod template, which the API server validates like an
/// object's (`ValidatePodTemplateSpec`); its name is not validated.
pub(super) fn template_metadata<'a>(ctx: &Context<'a>) -> Option<&'a Node> {
    let path = object_kind(ctx)?.pod_template?;
    ctx.manifest
        .root
        .get_path(path)?
        .get("metadata")
        .filter(|it| it.entries().is_some())
}

/// The metadata whose labels and annotations the API server validates: the object's, and its
/// pod template's.
pub(super) fn labelled_metadata<'a>(ctx: &Context<'a>) -> Vec<&'a Node> {
    object_metadata(ctx)
        .map(|it| it.0)
        .into_iter()
        .chain(template_metadata(ctx))
        .collect()
}

/// The metadata of a pod: a Pod's own, or a workload's pod template's.
pub(super) fn pod_metadata<'a>(ctx: &Context<'a>) -> Option<&'a Node> {
    if ctx.manifest.is("v1", "Pod") {
        return object_metadata(ctx).map(|it| it.0);
    }
    template_metadata(ctx)
}

/// Every label map the API server validates: object labels, template labels, and a
/// workload's `spec.selector.matchLabels`.
pub(super) fn label_maps<'a>(ctx: &Context<'a>) -> Vec<LabelMap<'a>> {
    let mut res: Vec<LabelMap<'a>> = labelled_metadata(ctx)
        .into_iter()
        .filter_map(|it| it.get("labels"))
        .map(|node| LabelMap {
            node,
            what: "label",
        })
        .collect();
    let has_selector = object_kind(ctx).is_some_and(|it| {
        matches!(
            (it.group, it.kind),
            (
                "apps",
                "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
            ) | ("batch", "Job")
        )
    });
    if has_selector
        && let Some(node) = ctx
            .manifest
            .root
            .get_path(&["spec", "selector", "matchLabels"])
    {
        res.push(LabelMap {
            node,
            what: "selector label",
        });
    }
    res.retain(|it| it.node.entries().is_some());
    res
}

/// A fix that lower-cases a name, when that alone makes it valid.
pub(super) fn lowercase_fix(
    range: TextRange,
    value: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Option<Fix> {
    let lower = value.to_ascii_lowercase();
    (lower != value && check(&lower).is_ok()).then(|| Fix {
        title: format!("Change to `{lower}`"),
        edits: vec![TextEdit {
            range,
            new_text: lower,
        }],
    })
}
