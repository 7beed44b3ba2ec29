//! What the resource rules share: the `resources` of each container, the text of a quantity as
//! the API server receives it, resource name classes and exact quantity arithmetic.

use crate::core::formats::{self, Quantity};
use crate::core::manifest::{Container, PodSpec};
use crate::core::yaml::{Entry, Node, ScalarValue};

/// The `resources` of a container (or of the pod, for pod-level resources).
pub(super) struct Resources<'a> {
    /// The `resources` entry.
    pub entry: &'a Entry,
    /// The `requests` items.
    pub requests: Vec<Item<'a>>,
    /// The `limits` items.
    pub limits: Vec<Item<'a>>,
}

/// One `name: quantity` entry of `requests` or `limits`.
pub(super) struct Item<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// The resource name (the key as JSON sees it).
    pub name: String,
    /// The parsed quantity; `None` when the value is not a scalar the API reads as one (null,
    /// a boolean) and `Err` when it does not parse.
    pub quantity: Option<Result<Quantity, String>>,
}

impl Item<'_> {
    /// The quantity, when it parsed.
    pub(super) fn parsed(&self) -> Option<Quantity> {
        self.quantity
            .as_ref()
            .and_then(|it| it.as_ref().ok())
            .copied()
    }

    /// The value as written, for messages.
    pub(super) fn text(&self) -> String {
        quantity_text(&self.entry.value).unwrap_or_default()
    }
}

/// The `resources` of every container of a pod spec (regular, init and ephemeral).
pub(super) fn container_resources<'a>(spec: &PodSpec<'a>) -> Vec<Resources<'a>> {
    spec.containers()
        .iter()
        .filter_map(|it: &Container<'a>| resources_of(it.node))
        .collect()
}

/// The pod-level `spec.resources`, if set.
pub(super) fn pod_resources<'a>(spec: &PodSpec<'a>) -> Option<Resources<'a>> {
    resources_of(spec.node)
}

fn resources_of(holder: &Node) -> Option<Resources<'_>> {
    let entry = holder
        .entry("resources")
        .filter(|it| it.value.entries().is_some())?;
    Some(Resources {
        entry,
        requests: items(&entry.value, "requests"),
        limits: items(&entry.value, "limits"),
    })
}

fn items<'a>(resources: &'a Node, key: &str) -> Vec<Item<'a>> {
    let Some(entries) = resources.get(key).and_then(Node::entries) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            Some(Item {
                entry,
                name: entry.key.json_key()?,
                quantity: quantity_text(&entry.value).map(|it| Quantity::parse(&it)),
            })
        })
        .collect()
}

/// The text the API server parses as a quantity: a string as written, a number as `kubectl`
/// sends it in JSON (`0644` is octal 420, `1.0` is `1`). `None` for null, booleans and
/// collections, which are not quantities (the schema pass reports the wrong type).
pub(in crate::core::rules) fn quantity_text(node: &Node) -> Option<String> {
    let scalar = node.scalar()?;
    match scalar.value {
        ScalarValue::String => Some(scalar.text.clone()),
        ScalarValue::Int(n) => Some(n.to_string()),
        ScalarValue::Float(_) => match node.to_json() {
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        },
        ScalarValue::Null | ScalarValue::Bool(_) => None,
    }
}

/// Whether a resource name is in the `kubernetes.io` namespace: unprefixed, or with a prefix
/// containing `kubernetes.io/` (`IsNativeResource`).
pub(super) fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// Whether a resource name is a huge page size, `hugepages-<size>`.
pub(super) fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// Whether a request may be below its limit: native resources other than huge pages.
pub(super) fn is_overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

/// Whether a name is a valid extended resource name (`IsExtendedResourceName`): outside the
/// `kubernetes.io` namespace, not starting with `requests.`, and still a qualified name with
/// `requests.` put in front (as resource quotas name it).
pub(super) fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with("requests.")
        && formats::qualified_name(&format!("requests.{name}")).is_ok()
}

/// The quantity rounded to a whole number of thousandths, away from zero, as defaulting does to
/// every value of `requests` and `limits` before validation (`SetDefaults_ResourceList`).
pub(super) fn round_up_milli(quantity: Quantity) -> Quantity {
    quantity
        .rounded_away(-3)
        .map_or(quantity, |milli| Quantity::from_units(milli, -3))
}

/// Whether the quantity is a whole number once rounded to thousandths (`MilliValue() % 1000
/// == 0`), the API's test for integer resources and whole bytes.
pub(super) fn is_whole_milli(quantity: Quantity) -> bool {
    round_up_milli(quantity).is_integer()
}

/// The quantity rounded to an integer, away from zero (`Value()`).
pub(super) fn integer_value(quantity: Quantity) -> Option<i128> {
    quantity.rounded_away(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    #[test]
    fn rounding() {
        assert_eq!(round_up_milli(q("1.0001")), q("1001m"));
        assert_eq!(round_up_milli(q("100m")), q("100m"));
        assert_eq!(round_up_milli(q("-1.5")), q("-1500m"));
        assert_eq!(round_up_milli(q("-1.0001")), q("-1001m"));
        assert!(is_whole_milli(q("999999u")));
        assert!(!is_whole_milli(q("100m")));
        assert!(is_whole_milli(q("1Gi")));
        assert!(!is_whole_milli(q("0.5")));
        assert_eq!(integer_value(q("1.5")), Some(2));
        assert_eq!(integer_value(q("-1.5")), Some(-2));
        assert_eq!(integer_value(q("2Mi")), Some(2 * 1024 * 1024));
        assert_eq!(integer_value(q("2097152000m")), Some(2_097_152));
    }

    #[test]
    fn names() {
        assert!(is_native("cpu"));
        assert!(is_native("kubernetes.io/foo"));
        assert!(!is_native("nvidia.com/gpu"));
        assert!(is_extended("nvidia.com/gpu"));
        assert!(!is_extended("requests.example.com/gpu"));
        assert!(!is_extended("cpu"));
        assert!(is_overcommit_allowed("memory"));
        assert!(!is_overcommit_allowed("hugepages-2Mi"));
        assert!(!is_overcommit_allowed("example.com/dongle"));
    }
}
