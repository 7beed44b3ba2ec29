//! `pod-tolerations-invalid`: a toleration the API server rejects.

use super::util::{check_enum, first_key};
use crate::core::formats::{label_value, qualified_name};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::{TAINT_EFFECTS, TOLERATION_OPERATORS};
use crate::core::yaml::{Entry, Node};

declare_rule! {
    /// ## What it flags
    /// A toleration that:
    /// - has a `key` that is not a qualified name (like a label key);
    /// - has no `key` but an `operator` other than `Exists` (only `Exists` may match every key);
    /// - has an `operator` other than `Equal` (the default) or `Exists`;
    /// - has a `value` that is not a label value with `Equal`, or any `value` with `Exists`;
    /// - has an `effect` other than `NoSchedule`, `PreferNoSchedule` or `NoExecute`;
    /// - sets `tolerationSeconds` without `effect: NoExecute`.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.tolerations[0].operator: Invalid value`, ...).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   tolerations:
    ///     - key: dedicated
    ///       operator: Exists
    ///       value: gpu
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
    /// spec:
    ///   tolerations:
    ///     - operator: Exists
    ///     - key: node.kubernetes.io/unreachable
    ///       operator: Exists
    ///       effect: NoExecute
    ///       tolerationSeconds: 300
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodTolerationsInvalid {
        id: "pod-tolerations-invalid",
        severity: Error,
    }
}

impl Rule for PodTolerationsInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(items) = spec.node.get("tolerations").and_then(Node::items) else {
            return;
        };
        for item in items.iter().filter(|it| it.entries().is_some()) {
            check_toleration(item, sink);
        }
    }
}

/// A string field: `Some("")` when absent or null, `None` when it has another type.
fn text<'a>(item: &'a Node, key: &str) -> Option<&'a str> {
    match item.entry(key) {
        None => Some(""),
        Some(entry) if entry.value.is_null() => Some(""),
        Some(entry) => entry.value.as_str(),
    }
}

fn check_toleration(item: &Node, sink: &mut Sink<'_>) {
    let meta = &PodTolerationsInvalid::META;
    let key_entry = item.entry("key");
    let operator_entry = item.entry("operator");
    let value_entry = item.entry("value");
    let effect_entry = item.entry("effect");
    let place = |entry: Option<&Entry>| entry.map(value_range);

    let key = text(item, "key");
    let operator = text(item, "operator");
    if let (Some(key), Some(entry)) = (key.filter(|it| !it.is_empty()), key_entry)
        && let Err(reason) = qualified_name(key)
    {
        sink.report(
            meta,
            value_range(entry),
            format!("toleration key `{key}` is not a valid label key: {reason}"),
        );
    }
    if key == Some("")
        && let Some(operator) = operator
        && operator != "Exists"
    {
        let range = place(operator_entry)
            .or(place(key_entry))
            .unwrap_or_else(|| first_key(item));
        sink.report(
            meta,
            range,
            "a toleration without a `key` must use `operator: Exists`, which matches every taint",
        );
    }
    if item.get("tolerationSeconds").is_some()
        && let Some(effect) = text(item, "effect")
        && effect != "NoExecute"
    {
        let range = place(effect_entry)
            .or_else(|| item.entry("tolerationSeconds").map(|it| it.key.range))
            .unwrap_or_else(|| first_key(item));
        sink.report(
            meta,
            range,
            "`tolerationSeconds` only applies to `effect: NoExecute`; set that effect or remove `tolerationSeconds`",
        );
    }
    match operator {
        Some("" | "Equal") => {
            if let (Some(value), Some(entry)) = (text(item, "value"), value_entry)
                && let Err(reason) = label_value(value)
            {
                sink.report(
                    meta,
                    value_range(entry),
                    format!("toleration value `{value}` is not a valid label value: {reason}"),
                );
            }
        }
        Some("Exists") => {
            if let (Some(value), Some(entry)) = (text(item, "value"), value_entry)
                && !value.is_empty()
            {
                sink.report(
                    meta,
                    value_range(entry),
                    format!("a toleration with `operator: Exists` must not have a value; remove `value: {value}` or use `operator: Equal`"),
                );
            }
        }
        Some(_) => {
            if let Some(entry) = operator_entry {
                check_enum(sink, meta, entry, TOLERATION_OPERATORS);
            }
        }
        None => {}
    }
    if let Some(entry) = effect_entry
        && entry.value.as_str().is_some_and(|it| !it.is_empty())
    {
        check_enum(sink, meta, entry, TAINT_EFFECTS);
    }
}
