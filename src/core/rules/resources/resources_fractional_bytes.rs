//! `resources-fractional-bytes`: a memory or ephemeral-storage amount that is a fraction of a
//! byte, usually `m` (milli) written for `M` or `Mi`.

use super::util::{container_resources, is_whole_milli};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `memory` or `ephemeral-storage` request or limit that is not a whole number of bytes,
    /// such as `memory: 100m`: the suffix `m` means milli, so this is 0.1 byte. It is almost
    /// always a typo for `100M` (megabytes) or `100Mi` (mebibytes).
    ///
    /// ## Why it matters
    /// The API server accepts the pod but warns: `fractional byte value "100m" is invalid,
    /// must be an integer`. A container limited to a fraction of a byte cannot start.
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
    ///       resources:
    ///         limits:
    ///           memory: 100m
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       resources:
    ///         limits:
    ///           memory: 100Mi
    /// ```
    pub(crate) ResourcesFractionalBytes {
        id: "resources-fractional-bytes",
        severity: Warning,
    }
}

impl Rule for ResourcesFractionalBytes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for resources in container_resources(&spec) {
            for item in resources.requests.iter().chain(&resources.limits) {
                let name = item.name.as_str();
                if name != "memory" && name != "ephemeral-storage" {
                    continue;
                }
                let Some(quantity) = item.parsed() else {
                    continue;
                };
                if is_whole_milli(quantity) {
                    continue;
                }
                let text = item.text();
                let range = value_range(item.entry);
                let milli = text.strip_suffix('m');
                let message = match milli {
                    Some(number) => format!(
                        "`{name}: {text}` is a fraction of a byte (`m` means milli); write `{number}Mi` or `{number}M` for mebibytes or megabytes"
                    ),
                    None => format!("`{name}: {text}` is not a whole number of bytes"),
                };
                let Some(diagnostic) = sink.report(&Self::META, range, message) else {
                    continue;
                };
                if let Some(number) = milli {
                    diagnostic.fix = Some(Fix {
                        title: format!("Change to `{number}Mi`"),
                        edits: vec![TextEdit {
                            range,
                            new_text: format!("{number}Mi"),
                        }],
                    });
                }
            }
        }
    }
}
