//! Where the metadata rules look: object metadata, template metadata and label maps.

use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::formats::dns1123_subdomain;
use crate::core::manifest::Manifest;
use crate::core::text::TextRange;
use crate::core::yaml::Node;

/// A label map and what it belongs to, for messages.
pub(super) struct LabelMap<'a> {
    /// The mapping of labels.
    pub(super) node: &'a Node,
    /// What the map is, e.g. "label" or "selector label".
    pub(super) what: &'static str,
}

/// Whether the document is a Pod (`v1`) or a Deployment (`apps/v1`).
pub(super) fn is_pod_or_deployment(manifest: Manifest<'_>) -> bool {
    manifest.is("v1", "Pod") || is_deployment(manifest)
}

/// Whether the document is an `apps/v1` Deployment.
pub(super) fn is_deployment(manifest: Manifest<'_>) -> bool {
    manifest.is("apps/v1", "Deployment")
}

/// The object's `metadata` mapping, for Pods and Deployments.
pub(super) fn object_metadata(manifest: Manifest<'_>) -> Option<&Node> {
    if !is_pod_or_deployment(manifest) {
        return None;
    }
    manifest
        .root
        .get("metadata")
        .filter(|it| it.entries().is_some())
}

/// A Deployment's `spec.template.metadata` mapping.
pub(super) fn template_metadata(manifest: Manifest<'_>) -> Option<&Node> {
    if !is_deployment(manifest) {
        return None;
    }
    manifest
        .root
        .get_path(&["spec", "template", "metadata"])
        .filter(|it| it.entries().is_some())
}

/// The metadata whose labels and annotations the API server validates: the object's, and a
/// Deployment's pod template's.
pub(super) fn labelled_metadata(manifest: Manifest<'_>) -> Vec<&Node> {
    object_metadata(manifest)
        .into_iter()
        .chain(template_metadata(manifest))
        .collect()
}

/// The metadata of a pod: a Pod's own, or a Deployment's pod template's.
pub(super) fn pod_metadata(manifest: Manifest<'_>) -> Option<&Node> {
    if manifest.is("v1", "Pod") {
        return object_metadata(manifest);
    }
    template_metadata(manifest)
}

/// Every label map the API server validates: object labels, template labels, and a
/// Deployment's `spec.selector.matchLabels`.
pub(super) fn label_maps<'a>(manifest: Manifest<'a>) -> Vec<LabelMap<'a>> {
    let mut res: Vec<LabelMap<'a>> = labelled_metadata(manifest)
        .into_iter()
        .filter_map(|it| it.get("labels"))
        .map(|node| LabelMap {
            node,
            what: "label",
        })
        .collect();
    if is_deployment(manifest)
        && let Some(node) = manifest.root.get_path(&["spec", "selector", "matchLabels"])
    {
        res.push(LabelMap {
            node,
            what: "selector label",
        });
    }
    res.retain(|it| it.node.entries().is_some());
    res
}

/// A DNS-1123 subdomain check for a name prefix (`generateName`), which may end with `-`
/// because a random suffix follows. The API server checks it twice: the prefix itself, with
/// its last two characters masked by one letter when it ends with `-` (so `web-` is checked as
/// `wa`), and then the generated name (the prefix cut to 58 characters, plus 5 letters and
/// digits).
pub(super) fn generate_name(value: &str) -> Result<(), String> {
    match value.strip_suffix('-') {
        Some(_) if value.len() > 1 && value.is_ascii() => {
            let masked = format!("{}a", &value[..value.len() - 2]);
            dns1123_subdomain(&masked)?;
        }
        _ => dns1123_subdomain(value)?,
    }
    let prefix: String = value.chars().take(GENERATED_PREFIX_LENGTH).collect();
    dns1123_subdomain(&format!("{prefix}x"))
}

/// How much of `generateName` the API server keeps before it appends a random suffix.
const GENERATED_PREFIX_LENGTH: usize = 58;

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

#[cfg(test)]
mod tests {
    use super::generate_name;

    #[test]
    fn generate_names() {
        for valid in ["web-", "web", "web.v2-", "x-", "web--"] {
            assert!(generate_name(valid).is_ok(), "{valid}");
        }
        // `web_-` passes the masked prefix check (`weba`) but not as a generated name.
        for invalid in ["-", "Web-", "web_-", "-web-", "web.-x", "web."] {
            assert!(generate_name(invalid).is_err(), "{invalid}");
        }
    }
}
