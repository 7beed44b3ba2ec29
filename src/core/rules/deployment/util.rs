//! The parts of a Deployment that the section C rules read: its spec, its label selector and
//! its rolling update parameters, read the way the API server reads them.

use crate::core::formats::{label_value, qualified_name};
use crate::core::manifest::Manifest;
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node, ScalarValue, resolve_plain};

/// An `apps/v1` Deployment's `spec` mapping.
pub(super) fn deployment_spec(manifest: Manifest<'_>) -> Option<&Node> {
    if !manifest.is("apps/v1", "Deployment") {
        return None;
    }
    manifest
        .root
        .get("spec")
        .filter(|it| it.entries().is_some())
}

/// A label selector operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operator {
    /// A `matchLabels` pair.
    Equals,
    /// `In`.
    In,
    /// `NotIn`.
    NotIn,
    /// `Exists`.
    Exists,
    /// `DoesNotExist`.
    DoesNotExist,
}

impl Operator {
    /// The operator of a `matchExpressions` item.
    pub(super) fn parse(text: &str) -> Option<Operator> {
        Some(match text {
            "In" => Operator::In,
            "NotIn" => Operator::NotIn,
            "Exists" => Operator::Exists,
            "DoesNotExist" => Operator::DoesNotExist,
            _ => return None,
        })
    }

    /// Whether the operator needs values (`In`, `NotIn`) rather than forbidding them.
    pub(super) fn takes_values(self) -> bool {
        matches!(self, Operator::Equals | Operator::In | Operator::NotIn)
    }
}

/// The operators a `matchExpressions` item may use.
pub(super) const OPERATORS: [&str; 4] = ["In", "NotIn", "Exists", "DoesNotExist"];

/// One requirement of a label selector.
#[derive(Debug)]
pub(super) struct Requirement {
    /// The label key.
    pub(super) key: String,
    /// How the label is matched.
    pub(super) operator: Operator,
    /// The values, for `Equals`, `In` and `NotIn`.
    pub(super) values: Vec<String>,
    /// Where the requirement is written: the `matchLabels` entry or the `matchExpressions` item.
    pub(super) range: TextRange,
}

impl Requirement {
    /// Whether labels with `value` for this key (`None`: no such label) satisfy it.
    pub(super) fn matches(&self, value: Option<&str>) -> bool {
        match self.operator {
            Operator::Equals | Operator::In => {
                value.is_some_and(|it| self.values.iter().any(|v| v == it))
            }
            Operator::NotIn => value.is_none_or(|it| self.values.iter().all(|v| v != it)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }
}

/// The requirements of a label selector, or `None` when the API server cannot turn it into a
/// selector (a bad key, value or operator, or a value count that does not fit the operator);
/// a wrongly typed part also gives `None`, as the server would not decode it.
pub(super) fn parse_selector(selector: &Node) -> Option<Vec<Requirement>> {
    selector.entries()?;
    let mut res = Vec::new();
    if let Some(match_labels) = selector.get("matchLabels") {
        for entry in match_labels.entries()? {
            let key = entry.key.json_key()?;
            let value = string_value(&entry.value)?;
            qualified_name(&key).ok()?;
            label_value(&value).ok()?;
            res.push(Requirement {
                key,
                operator: Operator::Equals,
                values: vec![value],
                range: entry.key.range.cover(entry.value.range),
            });
        }
    }
    if let Some(match_expressions) = selector.get("matchExpressions") {
        for item in match_expressions.items()? {
            let key = item.get("key")?.as_str()?;
            let operator = Operator::parse(item.get("operator")?.as_str()?)?;
            let values = match item.get("values") {
                Some(values) => values
                    .items()?
                    .iter()
                    .map(string_value)
                    .collect::<Option<Vec<_>>>()?,
                None => Vec::new(),
            };
            qualified_name(key).ok()?;
            if operator.takes_values() == values.is_empty() {
                return None;
            }
            if values.iter().any(|it| label_value(it).is_err()) {
                return None;
            }
            res.push(Requirement {
                key: key.to_owned(),
                operator,
                values,
                range: item.range,
            });
        }
    }
    Some(res)
}

/// A label or selector value as text: a string, or (when it is a number or boolean, a type
/// error reported elsewhere) the text the user most likely meant; null is the empty string.
pub(super) fn string_value(node: &Node) -> Option<String> {
    if node.is_null() {
        return Some(String::new());
    }
    node.scalar_text().map(str::to_owned)
}

/// How a scalar must be written in YAML to be read back as the string `value`.
pub(super) fn yaml_string(value: &str) -> String {
    let plain_safe = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        && value.as_bytes()[0].is_ascii_alphanumeric()
        && resolve_plain(value) == ScalarValue::String;
    if plain_safe {
        value.to_owned()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Whether a non-empty mapping is written in flow style (`{ a: b }`): its text starts before
/// its first key.
pub(super) fn is_flow_mapping(node: &Node) -> bool {
    match node.entries() {
        Some([first, ..]) => !first.merged && node.range.start < first.key.range.start,
        _ => false,
    }
}

/// An `int-or-string` field (`maxSurge`, `maxUnavailable`).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum IntOrString<'a> {
    /// A number.
    Int(i64),
    /// A string, which must be a percentage.
    Str(&'a str),
}

impl<'a> IntOrString<'a> {
    /// Reads the value; `None` for other types, which are type errors.
    pub(super) fn read(node: &'a Node) -> Option<IntOrString<'a>> {
        if let Some(text) = node.as_str() {
            return Some(IntOrString::Str(text));
        }
        node.as_i64().map(IntOrString::Int)
    }

    /// The percentage, when this is a valid percent string (`^[0-9]+%$`).
    pub(super) fn percent(&self) -> Option<u64> {
        let IntOrString::Str(text) = self else {
            return None;
        };
        let digits = text.strip_suffix('%')?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Go's Atoi saturates on overflow, which is still more than 100.
        Some(digits.parse().unwrap_or(u64::MAX))
    }

    /// Whether the API server counts the value as zero: `0`, `0%`, and any string that is
    /// neither a percentage nor a number (Go's `IntValue` gives 0 for those).
    pub(super) fn is_zero(&self) -> bool {
        match self {
            IntOrString::Int(n) => *n == 0,
            IntOrString::Str(text) => match self.percent() {
                Some(percent) => percent == 0,
                None => go_atoi_is_zero(text),
            },
        }
    }
}

/// Whether Go's `strconv.Atoi(text)` (errors ignored) is 0.
fn go_atoi_is_zero(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    digits.bytes().all(|b| b == b'0')
}

/// The `strategy.rollingUpdate` mapping that the API server validates: only when the
/// strategy type is `RollingUpdate`, which is also the default.
pub(super) fn rolling_update(spec: &Node) -> Option<&Node> {
    let strategy = spec.get("strategy")?;
    let strategy_type = match strategy.get("type") {
        Some(node) => node.as_str()?,
        None => "",
    };
    if !matches!(strategy_type, "" | "RollingUpdate") {
        return None;
    }
    strategy
        .get("rollingUpdate")
        .filter(|it| it.entries().is_some())
}

/// A non-null entry whose value is an integer.
pub(super) fn int_entry<'a>(node: &'a Node, key: &str) -> Option<(&'a Entry, i64)> {
    let entry = node.entry(key)?;
    Some((entry, entry.value.as_i64()?))
}

/// Reports `field` of the Deployment spec when it is a negative integer; `hint` follows the
/// message (e.g. "; use 0 to run no Pods").
pub(super) fn report_negative(
    ctx: &crate::core::rules::Context<'_>,
    sink: &mut crate::core::rules::Sink<'_>,
    rule: &'static crate::core::rules::RuleMeta,
    field: &str,
    hint: &str,
) {
    let Some((entry, value)) = deployment_spec(ctx.manifest).and_then(|it| int_entry(it, field))
    else {
        return;
    };
    if value < 0 {
        sink.report(
            rule,
            crate::core::manifest::value_range(entry),
            format!("`{field}` must be 0 or more, not `{value}`{hint}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings() {
        assert_eq!(yaml_string("web"), "web");
        assert_eq!(yaml_string("1.0"), "\"1.0\"");
        assert_eq!(yaml_string("yes"), "\"yes\"");
        assert_eq!(yaml_string(""), "\"\"");
        assert_eq!(
            yaml_string("app.kubernetes.io/name"),
            "app.kubernetes.io/name"
        );
    }

    #[test]
    fn zero_values() {
        assert!(IntOrString::Int(0).is_zero());
        assert!(IntOrString::Str("0%").is_zero());
        assert!(IntOrString::Str("0").is_zero());
        assert!(IntOrString::Str("abc").is_zero());
        assert!(!IntOrString::Str("1").is_zero());
        assert!(!IntOrString::Str("25%").is_zero());
        assert_eq!(
            IntOrString::Str("99999999999999999999999%").percent(),
            Some(u64::MAX)
        );
    }
}
