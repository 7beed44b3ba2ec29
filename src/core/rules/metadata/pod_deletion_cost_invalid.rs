//! `pod-deletion-cost-invalid`: a `controller.kubernetes.io/pod-deletion-cost` annotation that
//! is not a 32-bit integer.

use super::util::pod_metadata;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

/// The annotation that ranks Pods for deletion when their `ReplicaSet` scales down.
const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

declare_rule! {
    /// ## What it flags
    /// A `controller.kubernetes.io/pod-deletion-cost` annotation, on a Pod or a workload's
    /// pod template, whose value is not a 32-bit integer written in plain decimal: no `+`
    /// sign, no leading zeros, between -2147483648 and 2147483647.
    ///
    /// ## Why it matters
    /// The API server rejects the Pod or the Deployment: `Invalid value: "1.5": must be a
    /// 32bit integer`. The value must be quoted in YAML (`"100"`); an unquoted number is a
    /// `type-mismatch`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     controller.kubernetes.io/pod-deletion-cost: "high"
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     controller.kubernetes.io/pod-deletion-cost: "-100"
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodDeletionCostInvalid {
        id: "pod-deletion-cost-invalid",
        severity: Error,
    }
}

impl Rule for PodDeletionCostInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        if let Some(metadata) = pod_metadata(ctx) {
            let Some(entry) = metadata
                .get("annotations")
                .and_then(|it| it.entry(POD_DELETION_COST))
            else {
                return;
            };
            // A number is a type error, which the schema pass reports.
            let Some(value) = entry.value.as_str() else {
                return;
            };
            if !is_deletion_cost(value) {
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!(
                        "pod deletion cost `{value}` is not valid: must be a 32-bit integer in plain decimal, e.g. \"100\" or \"-5\""
                    ),
                );
            }
        }
    }
}

/// Whether the API server reads `value` as a deletion cost: a decimal int32 whose first
/// character is `-`, a non-zero digit, or which is exactly `0`.
fn is_deletion_cost(value: &str) -> bool {
    let first_ok = match value.as_bytes().first() {
        Some(b'-' | b'1'..=b'9') => true,
        Some(b'0') => value == "0",
        _ => false,
    };
    first_ok && value.parse::<i32>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::is_deletion_cost;

    #[test]
    fn deletion_costs() {
        for valid in ["0", "100", "-5", "-08", "2147483647", "-2147483648"] {
            assert!(is_deletion_cost(valid), "{valid}");
        }
        for invalid in ["", "+1", "08", "1.5", "2147483648", "-", "1e3", " 1", "-+1"] {
            assert!(!is_deletion_cost(invalid), "{invalid}");
        }
    }
}
