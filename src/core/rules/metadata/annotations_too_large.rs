//! `annotations-too-large`: annotations whose total size exceeds 256 KiB.

use super::util::labelled_metadata;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

/// The API server's limit on the sum of the lengths of all annotation keys and values.
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

declare_rule! {
    /// ## What it flags
    /// Annotations, on an object of any built-in kind or a workload's pod template, whose keys and
    /// values add up to more than 256 KiB (262144 bytes).
    ///
    /// ## Why it matters
    /// The API server rejects the object: `metadata.annotations: Too long: must have at most
    /// 262144 bytes`. A common cause is `kubectl apply` storing a large manifest in the
    /// `kubectl.kubernetes.io/last-applied-configuration` annotation; use server-side apply
    /// (`kubectl apply --server-side`) or `kubectl create` for such objects.
    ///
    /// ## Example
    /// A 2 KiB value, repeated through a YAML alias by 127 more keys (merged in with `<<`);
    /// `kubectl` expands the aliases, so the annotations add up to more than 256 KiB:
    ///
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     example.com/blob: &blob |
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    ///     <<: { b1: *blob, b2: *blob, b3: *blob, b4: *blob, b5: *blob, b6: *blob, b7: *blob, b8: *blob, b9: *blob,
    ///           b10: *blob, b11: *blob, b12: *blob, b13: *blob, b14: *blob, b15: *blob, b16: *blob, b17: *blob, b18: *blob,
    ///           b19: *blob, b20: *blob, b21: *blob, b22: *blob, b23: *blob, b24: *blob, b25: *blob, b26: *blob, b27: *blob,
    ///           b28: *blob, b29: *blob, b30: *blob, b31: *blob, b32: *blob, b33: *blob, b34: *blob, b35: *blob, b36: *blob,
    ///           b37: *blob, b38: *blob, b39: *blob, b40: *blob, b41: *blob, b42: *blob, b43: *blob, b44: *blob, b45: *blob,
    ///           b46: *blob, b47: *blob, b48: *blob, b49: *blob, b50: *blob, b51: *blob, b52: *blob, b53: *blob, b54: *blob,
    ///           b55: *blob, b56: *blob, b57: *blob, b58: *blob, b59: *blob, b60: *blob, b61: *blob, b62: *blob, b63: *blob,
    ///           b64: *blob, b65: *blob, b66: *blob, b67: *blob, b68: *blob, b69: *blob, b70: *blob, b71: *blob, b72: *blob,
    ///           b73: *blob, b74: *blob, b75: *blob, b76: *blob, b77: *blob, b78: *blob, b79: *blob, b80: *blob, b81: *blob,
    ///           b82: *blob, b83: *blob, b84: *blob, b85: *blob, b86: *blob, b87: *blob, b88: *blob, b89: *blob, b90: *blob,
    ///           b91: *blob, b92: *blob, b93: *blob, b94: *blob, b95: *blob, b96: *blob, b97: *blob, b98: *blob, b99: *blob,
    ///           b100: *blob, b101: *blob, b102: *blob, b103: *blob, b104: *blob, b105: *blob, b106: *blob, b107: *blob, b108: *blob,
    ///           b109: *blob, b110: *blob, b111: *blob, b112: *blob, b113: *blob, b114: *blob, b115: *blob, b116: *blob, b117: *blob,
    ///           b118: *blob, b119: *blob, b120: *blob, b121: *blob, b122: *blob, b123: *blob, b124: *blob, b125: *blob, b126: *blob,
    ///           b127: *blob }
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) AnnotationsTooLarge {
        id: "annotations-too-large",
        severity: Error,
    }
}

impl Rule for AnnotationsTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        for metadata in labelled_metadata(ctx) {
            let Some(entry) = metadata.entry("annotations") else {
                continue;
            };
            let Some(annotations) = entry.value.entries() else {
                continue;
            };
            let total: usize = annotations
                .iter()
                .map(|it| {
                    let key = it.key.json_key().map_or(0, |key| key.len());
                    let value = it.value.scalar_text().map_or(0, str::len);
                    key + value
                })
                .sum();
            if total > TOTAL_ANNOTATION_SIZE_LIMIT {
                sink.report(
                    &Self::META,
                    entry.key.range,
                    format!(
                        "annotations take {total} bytes, more than the limit of {TOTAL_ANNOTATION_SIZE_LIMIT} bytes (256 KiB); move large data to a ConfigMap"
                    ),
                );
            }
        }
    }
}
