//! Diff: the live object against the dry-run result, without what only the server writes.

use serde_json::Value;

/// Removes what the server alone writes and every diff would show: `managedFields`,
/// `resourceVersion`, `uid`, `generation`, timestamps and `status`.
pub fn strip_server_fields(object: &mut Value) {
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
        if let Some(metadata) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            for field in [
                "managedFields",
                "resourceVersion",
                "uid",
                "generation",
                "creationTimestamp",
                "deletionTimestamp",
                "selfLink",
            ] {
                metadata.remove(field);
            }
        }
    }
}

/// A unified diff of two objects (live first) as YAML, labelled with their names; empty when
/// the two are the same once the server's own fields are removed.
pub fn unified(label: &str, live: Option<Value>, merged: Value) -> String {
    let text = |value: Option<Value>| {
        value.map_or_else(String::new, |mut value| {
            strip_server_fields(&mut value);
            let mut text = serde_saphyr::to_string(&value)
                .or_else(|_| serde_json::to_string_pretty(&value))
                .unwrap_or_default();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text
        })
    };
    let old = text(live);
    let new = text(Some(merged));
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("live/{label}"), &format!("applied/{label}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn server_fields_do_not_show_in_a_diff() {
        let live = json!({
            "metadata": {"name": "web", "uid": "1", "resourceVersion": "7", "generation": 2,
                         "creationTimestamp": "2026-01-01T00:00:00Z", "managedFields": [{}]},
            "spec": {"replicas": 2},
            "status": {"readyReplicas": 2},
        });
        let merged = json!({
            "metadata": {"name": "web", "uid": "1", "resourceVersion": "8", "generation": 3},
            "spec": {"replicas": 3},
        });
        let diff = unified("deployment/web", Some(live.clone()), merged);
        assert!(diff.contains("--- live/deployment/web"), "{diff}");
        assert!(diff.contains("\n-  replicas: 2\n"), "{diff}");
        assert!(diff.contains("\n+  replicas: 3\n"), "{diff}");
        assert!(!diff.contains("resourceVersion") && !diff.contains("readyReplicas"));
        let mut same = live.clone();
        same["metadata"]["resourceVersion"] = json!("9");
        assert_eq!(unified("deployment/web", Some(live), same), "");
    }

    #[test]
    fn a_new_object_is_all_additions() {
        let diff = unified("configmap/c", None, json!({"data": {"a": "1"}}));
        assert!(
            diff.contains("+data:\n+  a: '1'\n") || diff.contains("+data:\n+  a: \"1\"\n"),
            "{diff}"
        );
        assert!(!diff.lines().any(|it| it.starts_with("- ")));
    }
}
