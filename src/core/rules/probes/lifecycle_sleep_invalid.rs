//! `lifecycle-sleep-invalid`: a `sleep` hook outside 0..terminationGracePeriodSeconds.

use super::util::hooks;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

/// The pod's `terminationGracePeriodSeconds` when it is not set.
const DEFAULT_GRACE_PERIOD: i64 = 30;

declare_rule! {
    /// ## What it flags
    /// A lifecycle hook's `sleep.seconds` that is negative or longer than the pod's
    /// `terminationGracePeriodSeconds` (30 when not set). `0` is accepted from Kubernetes 1.33
    /// on (PodLifecycleSleepActionAllowZero) and rejected before.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `lifecycle.preStop.sleep: Invalid value: 60: must be
    /// non-negative and less than terminationGracePeriodSeconds (30)`. The kubelet would kill
    /// the container before the sleep ends anyway.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       lifecycle:
    ///         preStop:
    ///           sleep:
    ///             seconds: 60
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   terminationGracePeriodSeconds: 90
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       lifecycle:
    ///         preStop:
    ///           sleep:
    ///             seconds: 60
    /// ```
    pub(crate) LifecycleSleepInvalid {
        id: "lifecycle-sleep-invalid",
        severity: Error,
    }
}

impl Rule for LifecycleSleepInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        // A grace period of the wrong type is a decode error; nothing to compare against.
        let grace_period = match spec.node.get("terminationGracePeriodSeconds") {
            None => DEFAULT_GRACE_PERIOD,
            Some(node) => match node.as_i64() {
                Some(value) => value,
                None => return,
            },
        };
        let zero_allowed = ctx.version.minor >= 33;
        for hook in hooks(&spec) {
            let Some(sleep) = hook.handler_named("sleep") else {
                continue;
            };
            let Some(entry) = sleep.entry("seconds") else {
                continue;
            };
            let Some(seconds) = entry.value.as_i64() else {
                continue;
            };
            let message = if seconds < 0 || (seconds == 0 && !zero_allowed) {
                let lower = if zero_allowed {
                    "0 or more"
                } else {
                    "greater than 0"
                };
                let note = if zero_allowed || seconds < 0 {
                    String::new()
                } else {
                    format!(
                        " (Kubernetes {} rejects 0; 1.33 and later accept it)",
                        ctx.version
                    )
                };
                format!(
                    "`sleep.seconds` of the {} is {seconds}; it must be {lower}{note}",
                    hook.kind.describe()
                )
            } else if seconds > grace_period {
                format!(
                    "`sleep.seconds` of the {} is {seconds}, longer than the pod's terminationGracePeriodSeconds ({grace_period}); shorten the sleep or raise `terminationGracePeriodSeconds`",
                    hook.kind.describe()
                )
            } else {
                continue;
            };
            sink.report(&Self::META, value_range(entry), message);
        }
    }
}

#[cfg(test)]
mod tests {
    fn count(text: &str, minor: u32) -> usize {
        crate::core::rules::testing::diagnostics(text, minor)
            .into_iter()
            .filter(|it| it.code == "lifecycle-sleep-invalid")
            .count()
    }

    const ZERO: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      lifecycle:
        preStop:
          sleep:
            seconds: 0
";

    #[test]
    fn zero_rejected_before_1_33() {
        assert_eq!(count(ZERO, 32), 1);
        assert_eq!(count(ZERO, 30), 1);
    }

    #[test]
    fn zero_accepted_from_1_33() {
        assert_eq!(count(ZERO, 33), 0);
        assert_eq!(count(ZERO, 37), 0);
    }

    #[test]
    fn bound_is_the_grace_period() {
        let long = ZERO.replace("seconds: 0", "seconds: 31");
        assert_eq!(count(&long, 37), 1);
        let raised = long.replace("spec:\n", "spec:\n  terminationGracePeriodSeconds: 31\n");
        assert_eq!(count(&raised, 37), 0);
    }
}
