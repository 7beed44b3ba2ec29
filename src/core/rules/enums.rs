//! Fields that take one of a fixed set of values: the check, its message and its case fix.

use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::formats::placeholder;
use crate::core::manifest::value_range;
use crate::core::rules::{RuleMeta, Sink};
use crate::core::yaml::{Entry, Node, ScalarStyle};

/// `allowed` as prose: "`A`, `B` or `C`".
pub(crate) fn one_of(allowed: &[&str]) -> String {
    let quoted: Vec<String> = allowed.iter().map(|it| format!("`{it}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// The text that replaces a scalar with `value`, keeping the scalar's quotes.
pub(crate) fn scalar_replacement(node: &Node, value: &str) -> String {
    match node.scalar().map(|it| it.style) {
        Some(ScalarStyle::DoubleQuoted) => format!("\"{value}\""),
        Some(ScalarStyle::SingleQuoted) => format!("'{value}'"),
        _ => value.to_owned(),
    }
}

/// Reports `entry`'s string value under `meta` unless it is one of `allowed` (compared as the
/// API does, case-sensitively). A value that differs only in case gets a fix. Values that are
/// not strings are left to the schema pass.
pub(crate) fn check_enum(
    sink: &mut Sink<'_>,
    meta: &'static RuleMeta,
    entry: &Entry,
    allowed: &[&str],
) {
    let Some(value) = entry.value.as_str() else {
        return;
    };
    if allowed.contains(&value) {
        return;
    }
    let field = entry.key.json_key().unwrap_or_default();
    let same_but_case = allowed.iter().find(|it| it.eq_ignore_ascii_case(value));
    let message = match same_but_case {
        Some(right) => {
            format!("{field} `{value}` is not supported: values are case-sensitive, use `{right}`")
        }
        None if value.is_empty() => format!("{field} must not be empty: use {}", one_of(allowed)),
        // The allowed values say nothing useful about a variable that was never rendered.
        None => match placeholder(value) {
            Some(found) => format!(
                "{field} `{value}` is not supported: {} (it must be {})",
                found.reason(),
                one_of(allowed)
            ),
            None => format!(
                "{field} `{value}` is not supported: use {}",
                one_of(allowed)
            ),
        },
    };
    let range = value_range(entry);
    if let Some(diagnostic) = sink.report(meta, range, message)
        && let Some(right) = same_but_case
    {
        diagnostic.fix = Some(Fix {
            title: format!("Change to `{right}`"),
            edits: vec![TextEdit {
                range: entry.value.range,
                new_text: scalar_replacement(&entry.value, right),
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::testing::diagnostics;

    #[test]
    fn an_unrendered_value_is_called_a_placeholder() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      imagePullPolicy: \"{{ .Values.pullPolicy }}\"\n";
        let messages: Vec<String> = diagnostics(text, 37)
            .into_iter()
            .filter(|it| it.code == "container-image-pull-policy-invalid")
            .map(|it| it.message)
            .collect();
        assert_eq!(
            messages,
            [
                "imagePullPolicy `{{ .Values.pullPolicy }}` is not supported: `{{ .Values.pullPolicy }}` looks like an unexpanded placeholder; render the template first (`helm template … | kls lint -`) (it must be `Always`, `IfNotPresent` or `Never`)"
            ]
        );
    }
}
