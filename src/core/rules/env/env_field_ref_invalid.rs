//! `env-field-ref-invalid`: a downward API `fieldRef` or `resourceFieldRef` the API server
//! does not support.

use super::util::{env_items, mapping, string_or_empty};
use crate::core::formats::{self, Quantity};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Entry;

/// The pod fields an environment variable can read.
const FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The container resources an environment variable can read (plus `*.hugepages-<size>`).
const RESOURCES: [&str; 6] = [
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

declare_rule! {
    /// ## What it flags
    /// In `env[].valueFrom`:
    /// - a `fieldRef.fieldPath` other than `metadata.name`, `metadata.namespace`,
    ///   `metadata.uid`, `spec.nodeName`, `spec.serviceAccountName`, `status.hostIP`,
    ///   `status.hostIPs`, `status.podIP`, `status.podIPs`, `metadata.labels['<key>']` or
    ///   `metadata.annotations['<key>']` (with a valid key), or a `fieldRef.apiVersion` other
    ///   than `v1`;
    /// - a `resourceFieldRef.resource` other than `limits.*` / `requests.*` of `cpu`, `memory`,
    ///   `ephemeral-storage` or `hugepages-<size>`, or a `divisor` the resource does not allow
    ///   (`1m` or `1` for cpu; `1`, `1k`…`1E`, `1Ki`…`1Ei` for the others).
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `env[0].valueFrom.fieldRef.fieldPath: Unsupported value:
    /// "status.phase"`. Only a few pod fields can be passed as environment variables; labels
    /// and annotations as a whole, for instance, only through a downward API volume.
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
    ///       env:
    ///         - name: LABELS
    ///           valueFrom:
    ///             fieldRef:
    ///               fieldPath: metadata.labels
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
    ///       env:
    ///         - name: APP
    ///           valueFrom:
    ///             fieldRef:
    ///               fieldPath: metadata.labels['app']
    ///         - name: MEMORY_MB
    ///           valueFrom:
    ///             resourceFieldRef:
    ///               resource: limits.memory
    ///               divisor: 1Mi
    /// ```
    pub(crate) EnvFieldRefInvalid {
        id: "env-field-ref-invalid",
        severity: Error,
    }
}

impl Rule for EnvFieldRefInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            for item in env_items(&container) {
                let Some(value_from) = mapping(item, "valueFrom") else {
                    continue;
                };
                if let Some(field_ref) = value_from
                    .entry("fieldRef")
                    .filter(|it| it.value.entries().is_some())
                {
                    check_field_ref(field_ref, sink);
                }
                if let Some(resource_ref) = value_from
                    .entry("resourceFieldRef")
                    .filter(|it| it.value.entries().is_some())
                {
                    check_resource_ref(resource_ref, sink);
                }
            }
        }
    }
}

fn check_field_ref(field_ref: &Entry, sink: &mut Sink<'_>) {
    let selector = &field_ref.value;
    // An empty apiVersion is defaulted to v1.
    let Some(api_version) = string_or_empty(selector, "apiVersion") else {
        return;
    };
    if !api_version.is_empty() && api_version != "v1" {
        if let Some(entry) = selector.entry("apiVersion") {
            sink.report(
                &EnvFieldRefInvalid::META,
                value_range(entry),
                format!("`fieldRef.apiVersion` `{api_version}` is not supported; use `v1` or leave it out"),
            );
        }
        return;
    }
    let Some(entry) = selector.entry("fieldPath") else {
        return;
    };
    let Some(path) = entry.value.as_str() else {
        return;
    };
    if let Some(problem) = field_path_problem(path) {
        sink.report(&EnvFieldRefInvalid::META, value_range(entry), problem);
    }
}

/// What is wrong with a `fieldRef.fieldPath` of an environment variable, if anything.
fn field_path_problem(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some(
            "`fieldPath` is empty; name the pod field to read, e.g. `metadata.name`".to_owned(),
        );
    }
    if let Some((base, subscript)) = split_subscript(path) {
        let key = match base {
            "metadata.annotations" => subscript.to_ascii_lowercase(),
            "metadata.labels" => subscript.to_owned(),
            _ => {
                return Some(format!(
                    "`fieldPath` `{path}`: `{base}` does not support a subscript"
                ));
            }
        };
        return formats::qualified_name(&key).err().map(|reason| {
            format!("`fieldPath` `{path}`: `{subscript}` is not a valid key: {reason}")
        });
    }
    // `spec.host` is an old name of `spec.nodeName`, still converted by the API server.
    if path == "spec.host" || FIELD_PATHS.contains(&path) {
        return None;
    }
    let hint = match path {
        "metadata.labels" | "metadata.annotations" => {
            format!(
                "; read one key with `{path}['<key>']`, or all of them through a downward API volume"
            )
        }
        _ => String::new(),
    };
    Some(format!(
        "`fieldPath` `{path}` cannot be read into an environment variable; use one of {}{hint}",
        quote_list(&FIELD_PATHS)
    ))
}

/// Splits `metadata.labels['app']` into `metadata.labels` and `app`, as the API server does.
fn split_subscript(path: &str) -> Option<(&str, &str)> {
    let inner = path.strip_suffix("']")?;
    let (base, subscript) = inner.split_once("['")?;
    (!base.is_empty()).then_some((base, subscript))
}

fn check_resource_ref(resource_ref: &Entry, sink: &mut Sink<'_>) {
    let selector = &resource_ref.value;
    let Some(resource_entry) = selector.entry("resource") else {
        return;
    };
    let Some(resource) = resource_entry.value.as_str() else {
        return;
    };
    if resource.is_empty() {
        sink.report(
            &EnvFieldRefInvalid::META,
            value_range(resource_entry),
            "`resource` is empty; name the resource to read, e.g. `limits.memory`",
        );
    } else if !RESOURCES.contains(&resource) && !is_hugepages(resource) {
        sink.report(
            &EnvFieldRefInvalid::META,
            value_range(resource_entry),
            format!(
                "`resource` `{resource}` cannot be read into an environment variable; use one of {} or `limits.hugepages-<size>`",
                quote_list(&RESOURCES)
            ),
        );
    }
    let Some(divisor_entry) = selector.entry("divisor") else {
        return;
    };
    let Some(divisor) = divisor_entry.value.scalar_text() else {
        return;
    };
    if let Some(problem) = divisor_problem(resource, divisor) {
        sink.report(
            &EnvFieldRefInvalid::META,
            value_range(divisor_entry),
            problem,
        );
    }
}

fn is_hugepages(resource: &str) -> bool {
    resource.starts_with("limits.hugepages-") || resource.starts_with("requests.hugepages-")
}

/// How the API server would write a quantity back, which decides whether a divisor is accepted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// What is wrong with a `divisor` for `resource`, if anything. The API server compares the
/// quantity's canonical form (`1000m` is `1`, `1024Ki` is `1Mi`, `1e3` stays `1e3`) with a short
/// list per resource.
fn divisor_problem(resource: &str, divisor: &str) -> Option<String> {
    let quantity = Quantity::parse(divisor).ok()?;
    if quantity.is_zero() {
        return None;
    }
    let cpu = matches!(resource, "limits.cpu" | "requests.cpu");
    let bytes = matches!(
        resource,
        "limits.memory"
            | "requests.memory"
            | "limits.ephemeral-storage"
            | "requests.ephemeral-storage"
    ) || is_hugepages(resource);
    if !cpu && !bytes {
        return None;
    }
    let parse = |text: &str| Quantity::parse(text).ok();
    if parse("1") == Some(quantity) {
        return None;
    }
    let mut format = format_of(divisor);
    // Binary quantities below 1Ki are written in decimal.
    if format == Format::BinarySi && parse("1024").is_some_and(|limit| quantity < limit) {
        format = Format::DecimalSi;
    }
    let allowed: &[&str] = match (cpu, format) {
        (_, Format::DecimalExponent) | (true, Format::BinarySi) => &[],
        (true, Format::DecimalSi) => &["1m"],
        (false, Format::DecimalSi) => &["1k", "1M", "1G", "1T", "1P", "1E"],
        (false, Format::BinarySi) => &["1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"],
    };
    if allowed.iter().any(|it| parse(it) == Some(quantity)) {
        return None;
    }
    Some(if cpu {
        format!("`divisor` `{divisor}` is not supported for `{resource}`; use `1m` or `1`")
    } else {
        format!(
            "`divisor` `{divisor}` is not supported for `{resource}`; use `1`, `1k`, `1M`, `1G`, `1T`, `1P`, `1E`, `1Ki`, `1Mi`, `1Gi`, `1Ti`, `1Pi` or `1Ei`"
        )
    })
}

fn format_of(text: &str) -> Format {
    let text = text.trim();
    let suffix = text
        .trim_start_matches(['+', '-'])
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    match suffix {
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => Format::BinarySi,
        _ if suffix.starts_with(['e', 'E']) && suffix.len() > 1 => Format::DecimalExponent,
        _ => Format::DecimalSi,
    }
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|it| format!("`{it}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::{divisor_problem, field_path_problem};

    #[test]
    fn field_paths() {
        assert!(field_path_problem("metadata.name").is_none());
        assert!(field_path_problem("spec.host").is_none());
        assert!(field_path_problem("metadata.labels['app.kubernetes.io/name']").is_none());
        assert!(field_path_problem("metadata.annotations['Example.com/Key']").is_none());
        assert!(field_path_problem("metadata.labels").is_some());
        assert!(field_path_problem("status.phase").is_some());
        assert!(field_path_problem("spec.nodeName['x']").is_some());
        assert!(field_path_problem("metadata.labels['-bad']").is_some());
    }

    #[test]
    fn divisors() {
        assert!(divisor_problem("limits.cpu", "1m").is_none());
        assert!(divisor_problem("limits.cpu", "1").is_none());
        assert!(divisor_problem("limits.cpu", "1000m").is_none());
        assert!(divisor_problem("limits.cpu", "0").is_none());
        assert!(divisor_problem("limits.cpu", "100m").is_some());
        assert!(divisor_problem("limits.cpu", "1e-3").is_some());
        assert!(divisor_problem("limits.memory", "1Mi").is_none());
        assert!(divisor_problem("limits.memory", "1024Ki").is_none());
        assert!(divisor_problem("limits.memory", "1000").is_none());
        assert!(divisor_problem("limits.memory", "1M").is_none());
        assert!(divisor_problem("limits.memory", "1024").is_some());
        assert!(divisor_problem("limits.memory", "1e3").is_some());
        assert!(divisor_problem("limits.memory", "2Mi").is_some());
        assert!(divisor_problem("requests.hugepages-2Mi", "1Gi").is_none());
        assert!(divisor_problem("limits.unknown", "3").is_none());
    }
}
