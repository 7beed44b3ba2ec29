//! `resources-quantity-invalid`: a request or limit that does not parse as a quantity.

use super::util::{Item, container_resources, pod_resources};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::formats::Quantity;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A value in `resources.requests` or `resources.limits` (of a container, or of the pod's
    /// own `spec.resources`) that is not a Kubernetes quantity: a number, optionally with a
    /// suffix from `Ki Mi Gi Ti Pi Ei` (powers of 1024), `n u m k M G T P E` (powers of 1000)
    /// or an exponent `e3`. `1GB`, `512mi`, `1 Gi` and `""` are not quantities; a bare YAML
    /// number such as `cpu: 1` or `cpu: 0.5` is.
    ///
    /// ## Why it matters
    /// The request fails to decode before validation even starts: `quantities must match the
    /// regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'` or `unable to parse
    /// quantity's suffix`.
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
    ///           memory: 512MB
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
    ///           cpu: 0.5
    ///           memory: 512Mi
    /// ```
    pub(crate) ResourcesQuantityInvalid {
        id: "resources-quantity-invalid",
        severity: Error,
    }
}

impl Rule for ResourcesQuantityInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let mut all = container_resources(&spec);
        all.extend(pod_resources(&spec));
        for resources in &all {
            for item in resources.requests.iter().chain(&resources.limits) {
                report(item, sink);
            }
        }
    }
}

fn report(item: &Item<'_>, sink: &mut Sink<'_>) {
    let Some(Err(reason)) = &item.quantity else {
        return;
    };
    let text = item.text();
    let range = value_range(item.entry);
    let name = &item.name;
    let suggestion = suggest(&text);
    let message = match (&suggestion, text.is_empty()) {
        (_, true) => {
            format!("`{name}` quantity is empty; give a value such as `1`, `500m` or `256Mi`")
        }
        (Some(suggestion), false) => format!(
            "`{name}` quantity `{text}` is not valid: {reason}; did you mean `{suggestion}`?"
        ),
        (None, false) => format!("`{name}` quantity `{text}` is not valid: {reason}"),
    };
    if let Some(diagnostic) = sink.report(&ResourcesQuantityInvalid::META, range, message)
        && let Some(suggestion) = suggestion
    {
        diagnostic.fix = Some(Fix {
            title: format!("Change to `{suggestion}`"),
            edits: vec![TextEdit {
                range,
                new_text: suggestion,
            }],
        });
    }
}

const SUFFIXES: &[&str] = &[
    "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E", "m",
];

/// A valid quantity close to a mistyped one: inner spaces dropped, a trailing `B` dropped
/// (`512MB` is `512M`) and the suffix's letter case repaired (`512mi` is `512Mi`).
fn suggest(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|it| !it.is_whitespace()).collect();
    let number_len = compact
        .char_indices()
        .find(|(i, it)| {
            !(it.is_ascii_digit() || *it == '.' || (*i == 0 && matches!(it, '+' | '-')))
        })
        .map_or(compact.len(), |(i, _)| i);
    let (number, suffix) = compact.split_at(number_len);
    if number.is_empty() {
        return None;
    }
    let (suffix, bytes) = match suffix.strip_suffix(['B', 'b']) {
        Some(rest) if !rest.is_empty() => (rest, true),
        _ => (suffix, false),
    };
    let fixed = if SUFFIXES.contains(&suffix) && !(bytes && suffix == "m") {
        suffix
    } else if bytes && suffix.eq_ignore_ascii_case("m") {
        // `mb` is a megabyte, never a thousandth of a byte.
        "M"
    } else if bytes && suffix.eq_ignore_ascii_case("k") {
        "k"
    } else {
        SUFFIXES
            .iter()
            .find(|it| it.len() == 2 && it.eq_ignore_ascii_case(suffix))
            .or_else(|| {
                SUFFIXES
                    .iter()
                    .find(|it| it.len() == 1 && it.eq_ignore_ascii_case(suffix))
            })?
    };
    let res = format!("{number}{fixed}");
    (res != text && Quantity::parse(&res).is_ok()).then_some(res)
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("512MB").as_deref(), Some("512M"));
        assert_eq!(suggest("512mb").as_deref(), Some("512M"));
        assert_eq!(suggest("1GiB").as_deref(), Some("1Gi"));
        assert_eq!(suggest("512mi").as_deref(), Some("512Mi"));
        assert_eq!(suggest("1 Gi").as_deref(), Some("1Gi"));
        assert_eq!(suggest("2g").as_deref(), Some("2G"));
        assert_eq!(suggest("10K").as_deref(), Some("10k"));
        assert_eq!(suggest("10KB").as_deref(), Some("10k"));
        assert_eq!(suggest("lots"), None);
        assert_eq!(suggest(""), None);
    }
}
