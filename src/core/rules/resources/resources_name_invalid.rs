//! `resources-name-invalid`: a resource name a container cannot request.

use std::fmt::Write as _;

use super::util::{container_resources, is_extended, is_hugepages, is_native};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::formats;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A key of a container's `resources.requests` or `resources.limits` that is not a
    /// resource a container can ask for:
    ///
    /// - without a `/`, it must be `cpu`, `memory`, `ephemeral-storage` or `hugepages-<size>`
    ///   (so `cpus`, `gpu`, `storage` or `Memory` are rejected);
    /// - with a `/`, it must be a qualified name; outside the `kubernetes.io/` namespace it is
    ///   an extended resource such as `nvidia.com/gpu`, which must not start with `requests.`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `resources.limits[cpus]: Invalid value: "cpus": must be
    /// a standard resource for containers`.
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
    ///           cpus: 1
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
    ///           cpu: 1
    ///           nvidia.com/gpu: 1
    /// ```
    pub(crate) ResourcesNameInvalid {
        id: "resources-name-invalid",
        severity: Error,
    }
}

const STANDARD: &[&str] = &["cpu", "memory", "ephemeral-storage"];

impl Rule for ResourcesNameInvalid {
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
                let Err(mut message) = check_name(name) else {
                    continue;
                };
                let known = nearest_standard(name);
                if let Some(known) = known {
                    let _ = write!(message, "; did you mean `{known}`?");
                }
                let range = item.entry.key.range;
                let Some(diagnostic) = sink.report(&Self::META, range, message) else {
                    continue;
                };
                if let Some(known) = known {
                    diagnostic.fix = Some(Fix {
                        title: format!("Change to `{known}`"),
                        edits: vec![TextEdit {
                            range,
                            new_text: known.to_owned(),
                        }],
                    });
                }
            }
        }
    }
}

/// Whether a container may name this resource (`validateContainerResourceName`).
fn check_name(name: &str) -> Result<(), String> {
    if let Err(reason) = formats::qualified_name(name) {
        return Err(format!(
            "resource name `{name}` is not a valid qualified name: {reason}"
        ));
    }
    if !name.contains('/') {
        if STANDARD.contains(&name) || is_hugepages(name) {
            return Ok(());
        }
        return Err(format!(
            "`{name}` is not a standard resource for containers: use `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or an extended resource with a domain, such as `nvidia.com/gpu`"
        ));
    }
    if is_native(name) || is_extended(name) {
        return Ok(());
    }
    Err(format!(
        "`{name}` does not follow the extended resource name standard: `<domain>/<name>`, not starting with `requests.`"
    ))
}

/// A standard resource name that `name` is probably a typo of.
fn nearest_standard(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    STANDARD
        .iter()
        .copied()
        .find(|it| *it == lower || lower.strip_suffix('s') == Some(*it))
        .or(match lower.as_str() {
            "mem" | "ram" => Some("memory"),
            "storage" | "ephemeral" | "ephemeralstorage" | "ephemeral_storage" => {
                Some("ephemeral-storage")
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::{check_name, nearest_standard};

    #[test]
    fn names() {
        for ok in [
            "cpu",
            "memory",
            "ephemeral-storage",
            "hugepages-2Mi",
            "nvidia.com/gpu",
            "kubernetes.io/anything",
        ] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "cpus",
            "gpu",
            "storage",
            "Memory",
            "requests.example.com/gpu",
            "a/b/c",
            "example.com/",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(nearest_standard("cpus"), Some("cpu"));
        assert_eq!(nearest_standard("Memory"), Some("memory"));
        assert_eq!(nearest_standard("gpu"), None);
    }
}
