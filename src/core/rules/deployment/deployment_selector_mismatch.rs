//! `deployment-selector-mismatch`: pod template labels that the Deployment's selector does not
//! select.

use super::util::{
    Operator, Requirement, deployment_spec, is_flow_mapping, parse_selector, string_value,
    yaml_string,
};
use crate::core::diagnostic::{Fix, Related, TextEdit};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node};

declare_rule! {
    /// ## What it flags
    /// A Deployment whose pod template labels do not satisfy its `spec.selector`: every
    /// `matchLabels` pair must be present with the same value, and every `matchExpressions`
    /// item must hold (`In`, `NotIn`, `Exists`, `DoesNotExist`). Extra template labels are
    /// fine. The message names the first requirement that fails, and points at it.
    ///
    /// A missing, empty or invalid selector is reported by `deployment-selector-missing`,
    /// `deployment-selector-empty` and `selector-requirement-invalid` instead.
    ///
    /// ## Why it matters
    /// The Deployment would create Pods it cannot find again. The API server rejects it:
    /// `spec.template.metadata.labels: Invalid value: ...: `selector` does not match template
    /// `labels``.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: frontend
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///     matchExpressions:
    ///       - { key: tier, operator: NotIn, values: [test] }
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///         version: "1.0"
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub(crate) DeploymentSelectorMismatch {
        id: "deployment-selector-mismatch",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for DeploymentSelectorMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = deployment_spec(ctx.manifest) else {
            return;
        };
        // A missing, empty or unparsable selector has its own rule.
        let Some(requirements) = spec.get("selector").and_then(parse_selector) else {
            return;
        };
        if requirements.is_empty() {
            return;
        }
        let Some(template) = TemplateLabels::read(spec) else {
            return;
        };
        let Some(failed) = requirements
            .iter()
            .find(|it| !it.matches(template.get(&it.key).map(|(value, _)| value.as_str())))
        else {
            return;
        };
        let message = format!(
            "the template labels do not match `spec.selector`: {}",
            describe(failed, &template)
        );
        let Some(diagnostic) = sink.report(&Self::META, template.range, message) else {
            return;
        };
        diagnostic.related.push(Related {
            range: failed.range,
            message: "required by this selector".to_owned(),
        });
        diagnostic.fix = fix(ctx.text, failed, &template);
        diagnostic
            .alternatives
            .extend(reverse_fix(spec, failed, &template));
    }
}

/// The other way round: set the selector's `matchLabels` value to the template's, when the
/// template has the label with another value.
fn reverse_fix(
    spec: &Node,
    requirement: &Requirement,
    template: &TemplateLabels<'_>,
) -> Option<Fix> {
    if requirement.operator != Operator::Equals {
        return None;
    }
    let (value, _) = template.get(&requirement.key)?;
    let entry = spec
        .get_path(&["selector", "matchLabels"])?
        .entry(&requirement.key)
        .filter(|it| !it.merged && it.value.scalar().is_some() && !it.value.range.is_empty())?;
    Some(Fix {
        title: format!(
            "Set the selector to `{}: {}`",
            requirement.key,
            yaml_string(value)
        ),
        edits: vec![TextEdit {
            range: entry.value.range,
            new_text: yaml_string(value),
        }],
    })
}

/// The pod template's labels, as the selector sees them.
struct TemplateLabels<'a> {
    /// The label mapping, when there is one.
    node: Option<&'a Node>,
    /// The labels: key, value and entry.
    labels: Vec<(String, String, &'a Entry)>,
    /// Where to report: the `labels` key, else the template's `metadata` key, else `template`.
    range: TextRange,
}

impl<'a> TemplateLabels<'a> {
    /// Reads `spec.template.metadata.labels`; `None` when the template is missing (its own
    /// rule) or a part has the wrong type (a type error).
    fn read(spec: &'a Node) -> Option<Self> {
        let template_entry = spec.entry("template")?;
        let template = &template_entry.value;
        template.entries()?;
        let Some(metadata_entry) = template.entry("metadata") else {
            return Some(Self::empty(template_entry.key.range));
        };
        if metadata_entry.value.is_null() {
            return Some(Self::empty(metadata_entry.key.range));
        }
        metadata_entry.value.entries()?;
        let Some(labels_entry) = metadata_entry.value.entry("labels") else {
            return Some(Self::empty(metadata_entry.key.range));
        };
        if labels_entry.value.is_null() {
            return Some(Self::empty(labels_entry.key.range));
        }
        let mut labels = Vec::new();
        for entry in labels_entry.value.entries()? {
            labels.push((entry.key.json_key()?, string_value(&entry.value)?, entry));
        }
        Some(Self {
            node: Some(&labels_entry.value),
            labels,
            range: labels_entry.key.range,
        })
    }

    fn empty(range: TextRange) -> Self {
        Self {
            node: None,
            labels: Vec::new(),
            range,
        }
    }

    fn get(&self, key: &str) -> Option<(&String, &'a Entry)> {
        self.labels
            .iter()
            .find(|(it, _, _)| it == key)
            .map(|(_, value, entry)| (value, *entry))
    }
}

/// What the failed requirement asks for and what the template has instead.
fn describe(requirement: &Requirement, template: &TemplateLabels<'_>) -> String {
    let key = &requirement.key;
    let has = match template.get(key) {
        Some((value, _)) => format!("the template has `{key}: {}`", yaml_string(value)),
        None if template.labels.is_empty() => "the template has no labels".to_owned(),
        None => format!("the template has no `{key}` label"),
    };
    let values = requirement
        .values
        .iter()
        .map(|it| format!("`{}`", yaml_string(it)))
        .collect::<Vec<_>>()
        .join(", ");
    match requirement.operator {
        Operator::Equals => format!(
            "`{key}: {}` is required but {has}",
            yaml_string(&requirement.values[0])
        ),
        Operator::In => format!("`{key}` must be one of {values} but {has}"),
        Operator::NotIn => format!("`{key}` must not be one of {values} but {has}"),
        Operator::Exists => format!("a `{key}` label is required but {has}"),
        Operator::DoesNotExist => format!("`{key}` must not be set but {has}"),
    }
}

/// Sets the template label to the one value the selector requires: replaces a different
/// value, or adds the label to a non-empty flow mapping (`{ app: web }`) or, as a line of its
/// own at the same indentation, to a block mapping.
fn fix(text: &str, requirement: &Requirement, template: &TemplateLabels<'_>) -> Option<Fix> {
    let ([value], Operator::Equals | Operator::In) =
        (requirement.values.as_slice(), requirement.operator)
    else {
        return None;
    };
    let node = template.node?;
    let key = &requirement.key;
    let title = format!("Set the template label `{key}: {}`", yaml_string(value));
    let inside = |range: TextRange| node.range.start <= range.start && range.end <= node.range.end;
    let edit = match template.get(key) {
        Some((_, entry)) => {
            // An aliased or merged label is written elsewhere, maybe in the selector itself.
            if entry.merged
                || entry.value.scalar().is_none()
                || entry.value.range.is_empty()
                || !inside(entry.value.range)
            {
                return None;
            }
            TextEdit {
                range: entry.value.range,
                new_text: yaml_string(value),
            }
        }
        None if is_flow_mapping(node) => {
            let first = node.entries()?.first()?;
            if !inside(first.key.range) {
                return None;
            }
            TextEdit {
                range: TextRange::empty(first.key.range.start),
                new_text: format!("{}: {}, ", yaml_string(key), yaml_string(value)),
            }
        }
        None => {
            let first = node.entries()?.first()?;
            let start = first.key.range.start as usize;
            let line_start = text.get(..start)?.rfind('\n').map_or(0, |it| it + 1);
            let indent = text.get(line_start..start)?;
            if !inside(first.key.range) || !indent.bytes().all(|b| b == b' ') {
                return None;
            }
            TextEdit {
                range: TextRange::empty(crate::core::text::to_u32(line_start)),
                new_text: format!("{indent}{}: {}\n", yaml_string(key), yaml_string(value)),
            }
        }
    };
    Some(Fix {
        title,
        edits: vec![edit],
    })
}

#[cfg(test)]
mod tests {
    use crate::core::diagnostic::Diagnostic;
    use crate::core::schema::KubeVersion;

    fn mismatch(text: &str) -> Option<Diagnostic> {
        let diagnostics =
            crate::core::rules::testing::diagnostics(text, KubeVersion::newest().minor);
        diagnostics
            .into_iter()
            .find(|it| it.code == "deployment-selector-mismatch")
    }

    fn deployment(selector: &str, labels: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n{selector}  template:\n    metadata:\n{labels}    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
        )
    }

    /// Applies the diagnostic's fix and checks that the mismatch is gone.
    fn fixed(text: &str) -> Option<String> {
        let diagnostic = mismatch(text).expect("a mismatch");
        let fix = diagnostic.fix?;
        let mut res = text.to_owned();
        for edit in fix.edits.iter().rev() {
            res.replace_range(edit.range.to_usize(), &edit.new_text);
        }
        assert!(
            mismatch(&res).is_none(),
            "still a mismatch after the fix:\n{res}"
        );
        Some(res)
    }

    #[test]
    fn points_at_the_selector_requirement() {
        let text = deployment(
            "    matchLabels:\n      app: web\n",
            "      labels:\n        app: api\n",
        );
        let diagnostic = mismatch(&text).expect("a mismatch");
        assert_eq!(&text[diagnostic.range.to_usize()], "labels");
        assert_eq!(diagnostic.related.len(), 1);
        assert_eq!(&text[diagnostic.related[0].range.to_usize()], "app: web");
        assert_eq!(diagnostic.related[0].message, "required by this selector");
    }

    #[test]
    fn fix_replaces_a_different_value() {
        let text = deployment(
            "    matchLabels:\n      app: web\n",
            "      labels:\n        app: api\n",
        );
        let res = fixed(&text).expect("a fix");
        assert!(res.contains("      labels:\n        app: web\n"), "{res}");
    }

    #[test]
    fn fix_quotes_values_that_would_not_be_strings() {
        let text = deployment(
            "    matchLabels:\n      version: \"1.0\"\n",
            "      labels:\n        version: \"2\"\n",
        );
        let res = fixed(&text).expect("a fix");
        assert!(res.contains("        version: \"1.0\"\n"), "{res}");
    }

    #[test]
    fn fix_adds_a_label_to_a_flow_mapping() {
        let text = deployment(
            "    matchLabels:\n      app: web\n      tier: edge\n",
            "      labels: { app: web }\n",
        );
        let res = fixed(&text).expect("a fix");
        assert!(res.contains("labels: { tier: edge, app: web }"), "{res}");
    }

    #[test]
    fn the_reverse_fix_sets_the_selector() {
        let text = deployment(
            "    matchLabels:\n      app: web\n",
            "      labels:\n        app: api\n",
        );
        let diagnostic = mismatch(&text).expect("a mismatch");
        let reverse = &diagnostic.alternatives[0];
        assert_eq!(reverse.title, "Set the selector to `app: api`");
        let mut res = text.clone();
        let edit = &reverse.edits[0];
        res.replace_range(
            edit.range.start as usize..edit.range.end as usize,
            &edit.new_text,
        );
        assert!(mismatch(&res).is_none(), "{res}");
    }

    #[test]
    fn fix_adds_a_line_to_a_block_mapping() {
        let text = deployment(
            "    matchLabels:\n      app: web\n      tier: edge\n",
            "      labels:\n        app: web\n",
        );
        let res = fixed(&text).expect("a fix");
        assert!(
            res.contains("      labels:\n        tier: edge\n        app: web\n"),
            "{res}"
        );
    }

    #[test]
    fn no_fix_without_a_single_value_or_a_place() {
        let text = deployment("    matchLabels:\n      app: web\n", "      labels: {}\n");
        assert_eq!(fixed(&text), None);
        let text = deployment(
            "    matchExpressions:\n      - { key: tier, operator: In, values: [a, b] }\n",
            "      labels:\n        tier: c\n",
        );
        assert_eq!(fixed(&text), None);
    }

    #[test]
    fn no_fix_for_labels_written_elsewhere() {
        // The template labels are an alias of the Deployment's own labels: editing them there
        // would change the wrong object.
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: &common\n    app: api\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels: *common\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";
        assert_eq!(fixed(text), None);
        // A merged label is written at its anchor too.
        let text = deployment(
            "    matchLabels:\n      app: web\n",
            "      annotations: &other { app: api }\n      labels:\n        <<: *other\n        tier: x\n",
        );
        assert_eq!(fixed(&text), None);
    }
}
