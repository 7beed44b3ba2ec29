//! The node tree that every other part of the core reads.

use crate::core::text::TextRange;

/// A YAML node with the byte range of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node's text is, in bytes of the whole file. For an alias, where the alias is.
    pub range: TextRange,
    /// What the node holds.
    pub kind: NodeKind,
}

/// The three kinds of YAML node.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar, resolved.
    Scalar(Scalar),
    /// A sequence of nodes.
    Sequence(Vec<Node>),
    /// A mapping in source order, merge keys applied and duplicate keys reduced to the last.
    Mapping(Vec<Entry>),
}

/// One key/value pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key node.
    pub key: Node,
    /// The value node; an empty scalar (null) when the key has no value.
    pub value: Node,
    /// Whether the entry came from a merge key (`<<`) rather than being written in this mapping.
    pub merged: bool,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// No quotes.
    Plain,
    /// `'…'`.
    SingleQuoted,
    /// `"…"`.
    DoubleQuoted,
    /// `|` block.
    Literal,
    /// `>` block.
    Folded,
}

/// A scalar: its text after unquoting, how it was written and what it means.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The scalar's content (quotes and escapes resolved).
    pub text: String,
    /// How it was written.
    pub style: ScalarStyle,
    /// What YAML 1.1 (as `kubectl` reads it) makes of it.
    pub value: ScalarValue,
}

/// A resolved scalar value.
#[derive(Clone, Debug, PartialEq)]
pub enum ScalarValue {
    /// `~`, `null` or nothing.
    Null,
    /// `true`, `yes`, `on`, … (YAML 1.1).
    Bool(bool),
    /// An integer (decimal, `0644` octal, `0x` hex, `0b` binary, `_` separators).
    Int(i64),
    /// A float, including integral ones such as `1.0`.
    Float(f64),
    /// Anything else, and every quoted or block scalar.
    String,
}

impl Node {
    /// The mapping entries, if this is a mapping.
    #[must_use]
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    #[must_use]
    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The scalar, if this is one.
    #[must_use]
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The entry whose key is `key` (compared as the JSON key `kubectl` would produce).
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()?.iter().find(|it| it.key.key_eq(key))
    }

    /// The value under `key`, ignoring a null value.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key)
            .map(|it| &it.value)
            .filter(|it| !it.is_null())
    }

    /// Follows a chain of keys.
    #[must_use]
    pub fn get_path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// A string scalar's text (numbers and booleans are not strings here).
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self.scalar()? {
            Scalar {
                text,
                value: ScalarValue::String,
                ..
            } => Some(text),
            _ => None,
        }
    }

    /// Any scalar's text, whatever it resolves to (null gives `None`).
    #[must_use]
    pub fn scalar_text(&self) -> Option<&str> {
        match self.scalar()? {
            Scalar {
                value: ScalarValue::Null,
                ..
            } => None,
            scalar => Some(&scalar.text),
        }
    }

    /// An integer scalar's value (an integral float such as `1.0` counts, as it does for the API).
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self.scalar()?.value {
            ScalarValue::Int(n) => Some(n),
            #[allow(clippy::cast_possible_truncation)]
            ScalarValue::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// A boolean scalar's value.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.scalar()?.value {
            ScalarValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Whether the node is a null scalar (`~`, `null`, or no value at all).
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Scalar(Scalar {
                value: ScalarValue::Null,
                ..
            })
        )
    }

    /// The key this node becomes in JSON: `kubectl` turns `true`, `1` or `null` keys into strings.
    #[must_use]
    pub fn json_key(&self) -> Option<String> {
        let scalar = self.scalar()?;
        Some(match scalar.value {
            ScalarValue::String => scalar.text.clone(),
            ScalarValue::Null => "null".to_owned(),
            ScalarValue::Bool(b) => b.to_string(),
            ScalarValue::Int(n) => n.to_string(),
            ScalarValue::Float(f) => format_float(f),
        })
    }

    /// Whether this node, as a key, equals `key`.
    #[must_use]
    pub fn key_eq(&self, key: &str) -> bool {
        match self.scalar() {
            Some(Scalar {
                text,
                value: ScalarValue::String,
                ..
            }) => text == key,
            Some(_) => self.json_key().is_some_and(|it| it == key),
            None => false,
        }
    }

    /// The node as JSON, the way the API server receives it.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        self.to_json_within(usize::MAX).0
    }

    /// The node as JSON down to `max_depth` levels of nesting (the root is level 0). A mapping
    /// or list deeper than that becomes an empty one; the `bool` says whether any was cut.
    /// Built with an explicit stack, so any depth is safe.
    #[must_use]
    pub fn to_json_within(&self, max_depth: usize) -> (serde_json::Value, bool) {
        use serde_json::{Map, Value};
        /// A collection being filled: the JSON built so far and the children still to convert.
        enum Open<'a> {
            Array(Vec<Value>, std::slice::Iter<'a, Node>),
            Object(
                Map<String, Value>,
                std::slice::Iter<'a, Entry>,
                Option<String>,
            ),
        }
        let mut cut = false;
        let mut stack: Vec<Open<'_>> = Vec::new();
        // The value just finished, to be put into the collection on top of the stack.
        let mut done: Option<Value> = None;
        let mut next: Option<&Node> = Some(self);
        loop {
            if let Some(node) = next.take() {
                let deep = stack.len() >= max_depth;
                match &node.kind {
                    NodeKind::Scalar(scalar) => done = Some(scalar_json(scalar)),
                    NodeKind::Sequence(items) if deep && !items.is_empty() => {
                        cut = true;
                        done = Some(Value::Array(Vec::new()));
                    }
                    NodeKind::Mapping(entries) if deep && !entries.is_empty() => {
                        cut = true;
                        done = Some(Value::Object(Map::new()));
                    }
                    NodeKind::Sequence(items) => {
                        stack.push(Open::Array(Vec::with_capacity(items.len()), items.iter()));
                    }
                    NodeKind::Mapping(entries) => {
                        stack.push(Open::Object(Map::new(), entries.iter(), None));
                    }
                }
            }
            let Some(top) = stack.last_mut() else {
                return (done.unwrap_or(Value::Null), cut);
            };
            match top {
                Open::Array(values, rest) => {
                    values.extend(done.take());
                    if let Some(item) = rest.next() {
                        next = Some(item);
                        continue;
                    }
                }
                Open::Object(map, rest, key) => {
                    if let (Some(key), Some(value)) = (key.take(), done.take()) {
                        map.insert(key, value);
                    }
                    // Complex keys (a mapping as a key) have no JSON form and are left out.
                    if let Some((entry, name)) =
                        rest.by_ref().find_map(|it| Some((it, it.key.json_key()?)))
                    {
                        *key = Some(name);
                        next = Some(&entry.value);
                        continue;
                    }
                }
            }
            done = match stack.pop() {
                Some(Open::Array(values, _)) => Some(Value::Array(values)),
                Some(Open::Object(map, _, _)) => Some(Value::Object(map)),
                None => None,
            };
        }
    }

    /// Visits this node and every node below it, keys included, depth first. Iterative, so
    /// any depth is safe.
    pub fn walk(&self, visit: &mut dyn FnMut(&Node)) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            visit(node);
            match &node.kind {
                NodeKind::Scalar(_) => {}
                NodeKind::Sequence(items) => stack.extend(items.iter().rev()),
                NodeKind::Mapping(entries) => {
                    for entry in entries.iter().rev() {
                        stack.push(&entry.value);
                        stack.push(&entry.key);
                    }
                }
            }
        }
    }
}

fn scalar_json(scalar: &Scalar) -> serde_json::Value {
    use serde_json::Value;
    match scalar.value {
        ScalarValue::Null => Value::Null,
        ScalarValue::Bool(b) => Value::Bool(b),
        ScalarValue::Int(n) => Value::from(n),
        ScalarValue::Float(f) => {
            // Go's JSON encoder writes an integral float without a fraction.
            #[allow(clippy::cast_possible_truncation)]
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Value::from(f as i64)
            } else {
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
        }
        ScalarValue::String => Value::String(scalar.text.clone()),
    }
}

/// Formats a float as Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which sigs.k8s.io/yaml
/// uses for float keys: the shortest digits, in exponent form when the exponent is below -4 or
/// at least 6 (`1e+06`, `1.5e-05`).
fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..6).contains(&exponent) {
        f.to_string()
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod float_tests {
    use super::format_float;

    #[test]
    fn float_keys_are_written_as_go_writes_them() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (100_000.0, "100000"),
            (1e6, "1e+06"),
            (1_234_567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.000_01, "1e-05"),
            (-2.5e-7, "-2.5e-07"),
            (1e21, "1e+21"),
            (1e100, "1e+100"),
            (0.0, "0"),
            (f64::INFINITY, "+Inf"),
        ];
        for (f, expected) in cases {
            assert_eq!(format_float(f), expected, "{f}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::yaml::parse;

    fn root(text: &str) -> Node {
        parse(text).documents[0].root.clone().expect("a root")
    }

    #[test]
    fn json_is_what_the_api_server_receives() {
        let node = root("a: [1, 2.5, 3.0, yes, ~]\nb: {c: d}\n1: one\n{x: 1}: complex\n");
        assert_eq!(
            node.to_json(),
            serde_json::json!({ "a": [1, 2.5, 3, true, null], "b": { "c": "d" }, "1": "one" })
        );
        assert_eq!(node.to_json_within(usize::MAX), (node.to_json(), false));
    }

    #[test]
    fn json_within_a_depth_empties_deeper_collections() {
        let node = root("a:\n  b: [1]\n  c: 2\nd: []\n");
        assert_eq!(
            node.to_json_within(1),
            (serde_json::json!({ "a": {}, "d": [] }), true)
        );
        assert_eq!(
            node.to_json_within(2),
            (
                serde_json::json!({ "a": { "b": [], "c": 2 }, "d": [] }),
                true
            )
        );
        assert!(!node.to_json_within(3).1);
    }

    #[test]
    fn walk_visits_keys_and_values_in_order() {
        let node = root("a: [b, c]\nd: e\n");
        let mut seen = Vec::new();
        node.walk(&mut |it| seen.push(it.scalar_text().unwrap_or("_").to_owned()));
        assert_eq!(seen, ["_", "a", "_", "b", "c", "d", "e"]);
    }
}
