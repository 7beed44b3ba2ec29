//! `selector-requirement-invalid`: a Deployment `matchExpressions` item the API server cannot
//! turn into a selector requirement.

use super::util::{OPERATORS, Operator, deployment_spec};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::formats::{label_value, qualified_name};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// A `spec.selector.matchExpressions` item of a Deployment that is not a valid selector
    /// requirement:
    /// - `operator` is not one of `In`, `NotIn`, `Exists`, `DoesNotExist` (case matters);
    /// - `In` and `NotIn` have no `values`;
    /// - `Exists` and `DoesNotExist` have `values`;
    /// - `key` is not a qualified name, or a value is not a valid label value.
    ///
    /// ## Why it matters
    /// The API server rejects the Deployment (`Unsupported value`, `Required value` or
    /// `Forbidden`), and also reports `invalid label selector`: it cannot check the pod
    /// template against a selector it cannot build.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchExpressions:
    ///       - { key: app, operator: in, values: [web] }
    ///   template:
    ///     metadata:
    ///       labels: { app: web }
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub(crate) SelectorRequirementInvalid {
        id: "selector-requirement-invalid",
        severity: Error,
    }
}

impl Rule for SelectorRequirementInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(items) = deployment_spec(ctx.manifest)
            .and_then(|it| it.get_path(&["selector", "matchExpressions"]))
            .and_then(Node::items)
        else {
            return;
        };
        for item in items.iter().filter(|it| it.entries().is_some()) {
            check_item(item, sink);
        }
    }
}

fn check_item(item: &Node, sink: &mut Sink<'_>) {
    let operator_entry = item.entry("operator");
    let operator_text = operator_entry.and_then(|it| it.value.as_str());
    let operator = operator_text.and_then(Operator::parse);
    if let (Some(entry), Some(text), None) = (operator_entry, operator_text, operator) {
        let range = value_range(entry);
        let suggestion = OPERATORS
            .iter()
            .find(|it| it.eq_ignore_ascii_case(text) && !text.is_empty());
        let mut message = format!(
            "`{text}` is not a valid selector operator; use one of `In`, `NotIn`, `Exists`, `DoesNotExist`"
        );
        if let Some(suggestion) = suggestion {
            message =
                format!("`{text}` is not a valid selector operator; did you mean `{suggestion}`?");
        }
        if let Some(diagnostic) = sink.report(&SelectorRequirementInvalid::META, range, message)
            && let Some(suggestion) = suggestion
        {
            diagnostic.fix = Some(Fix {
                title: format!("Change to `{suggestion}`"),
                edits: vec![TextEdit {
                    range,
                    new_text: (*suggestion).to_owned(),
                }],
            });
        }
    }
    let values_entry = item.entry("values");
    // `values: null` is no values; another type is a type error.
    let values: Option<&[Node]> = match values_entry {
        None => Some(&[]),
        Some(entry) if entry.value.is_null() => Some(&[]),
        Some(entry) => entry.value.items(),
    };
    if let (Some(operator), Some(values), Some(operator_entry), Some(operator_text)) =
        (operator, values, operator_entry, operator_text)
    {
        if operator.takes_values() && values.is_empty() {
            let range = values_entry.map_or_else(|| value_range(operator_entry), |it| it.key.range);
            sink.report(
                &SelectorRequirementInvalid::META,
                range,
                format!("operator `{operator_text}` needs at least one value in `values`"),
            );
        } else if !operator.takes_values()
            && !values.is_empty()
            && let Some(entry) = values_entry
        {
            sink.report(
                &SelectorRequirementInvalid::META,
                entry.key.range,
                format!(
                    "`values` must not be set when the operator is `{operator_text}`; remove them"
                ),
            );
        }
    }
    if let Some(entry) = item.entry("key")
        && let Some(key) = entry.value.as_str()
        && let Err(reason) = qualified_name(key)
    {
        sink.report(
            &SelectorRequirementInvalid::META,
            value_range(entry),
            format!("selector key `{key}` is not a valid qualified name: {reason}"),
        );
    }
    for value in values.unwrap_or_default() {
        // Numbers and booleans are type errors, which the schema pass reports.
        if let Some(text) = value.as_str()
            && let Err(reason) = label_value(text)
        {
            sink.report(
                &SelectorRequirementInvalid::META,
                value.range,
                format!("selector value `{text}` is not a valid label value: {reason}"),
            );
        }
    }
}
