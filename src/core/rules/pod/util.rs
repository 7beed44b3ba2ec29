//! Helpers shared by the pod-spec and container rules: enum checks with a case fix, id ranges,
//! and where to point for a missing field.

use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{RuleMeta, Sink};
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node, ScalarStyle};

/// The largest user or group id the API accepts (`math.MaxInt32`).
pub(in crate::core::rules) const MAX_ID: i64 = 2_147_483_647;

/// Where a problem with a whole mapping goes: its first key, else where it starts.
pub(in crate::core::rules) fn first_key(node: &Node) -> TextRange {
    node.entries()
        .and_then(<[Entry]>::first)
        .map_or(node.range, |it| it.key.range)
}

/// `allowed` as prose: "`A`, `B` or `C`".
pub(in crate::core::rules) fn one_of(allowed: &[&str]) -> String {
    let quoted: Vec<String> = allowed.iter().map(|it| format!("`{it}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// The text that replaces a scalar with `value`, keeping the scalar's quotes.
pub(in crate::core::rules) fn scalar_replacement(node: &Node, value: &str) -> String {
    match node.scalar().map(|it| it.style) {
        Some(ScalarStyle::DoubleQuoted) => format!("\"{value}\""),
        Some(ScalarStyle::SingleQuoted) => format!("'{value}'"),
        _ => value.to_owned(),
    }
}

/// Reports `entry`'s string value under `meta` unless it is one of `allowed` (compared as the
/// API does, case-sensitively). A value that differs only in case gets a fix. Values that are
/// not strings are left to the schema pass.
pub(in crate::core::rules) fn check_enum(
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
        None => format!(
            "{field} `{value}` is not supported: use {}",
            one_of(allowed)
        ),
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

/// The reason a user or group id is out of range, if it is.
pub(in crate::core::rules) fn id_out_of_range(value: i64) -> Option<String> {
    (!(0..=MAX_ID).contains(&value)).then(|| format!("must be between 0 and {MAX_ID}, inclusive"))
}
