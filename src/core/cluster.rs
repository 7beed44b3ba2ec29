//! What the API server says about a document, put back on the document's lines.
//!
//! The cluster shell sends objects to an API server and gets back rejections: a `Status` whose
//! `details.causes[].field` names a field path (`spec.template.spec.containers[0].image`,
//! `spec.resources.requests[cpu]`), a server-side-apply conflict whose paths use
//! structured-merge-diff syntax (`.spec.template.spec.containers[name="web"].image`), or a
//! message with no causes at all (strict decoding: `unknown field "spec.foo"`,
//! `.spec.foo: field not declared in schema`). This module maps each of them to the text range
//! of that field in the positioned YAML tree, or of its nearest existing parent when the field
//! is not written. Pure logic: the shell does the talking.

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::text::TextRange;
use crate::core::yaml::{Node, NodeKind};

/// The code of a diagnostic for an API server rejection of a dry run or an apply.
pub const REJECTED: &str = "cluster-rejected";
/// The code of a diagnostic for a server-side-apply conflict with another field manager.
pub const CONFLICT: &str = "cluster-conflict";
/// What goes into a cluster diagnostic's `source`.
pub const SOURCE: &str = "cluster";

/// The `source` of a diagnostic with this code: `cluster` for what the API server said, else
/// `kls`.
#[must_use]
pub fn source_of(code: &str) -> &'static str {
    if code == REJECTED || code == CONFLICT {
        SOURCE
    } else {
        "kls"
    }
}

/// The documentation of the cluster codes, for outputs that describe every code (SARIF).
pub const CODES: [(&str, &str, &str); 2] = [
    (
        REJECTED,
        "The API server rejected the object in a server-side-apply dry run",
        "The Kubernetes API server refused this object when it was sent as a server-side apply \
         with `dryRun=All` and `fieldValidation=Strict`. The message is the server's own; it is \
         placed on the field the server named, or on the nearest parent written in the file \
         when the field is missing.",
    ),
    (
        CONFLICT,
        "Another field manager owns a field this object sets",
        "Server-side apply found that a field this object sets is owned by another field \
         manager (for example `kubectl` or a controller). Apply with force to take the field \
         over, or stop setting it here.",
    ),
];

/// One cause of a rejection, as in `Status.details.causes[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cause {
    /// A machine-readable reason, e.g. `FieldValueInvalid` or `FieldManagerConflict`.
    pub reason: String,
    /// What is wrong, in the server's words.
    pub message: String,
    /// The field path the cause is about; empty when it names none.
    pub field: String,
}

/// A refusal by the API server: the interesting parts of a failure `Status`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status code (409 conflict, 422 invalid, 400 bad request, ...).
    pub code: u16,
    /// The `Status.reason`, e.g. `Invalid` or `Conflict`.
    pub reason: String,
    /// The `Status.message`.
    pub message: String,
    /// The `Status.details.causes`.
    pub causes: Vec<Cause>,
}

/// One step of a field path as the API server writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldStep {
    /// A mapping key (`.spec`, or `[cpu]` after a map field).
    Key(String),
    /// A list index (`[0]`).
    Index(usize),
    /// The list item whose `key` equals `value` (`[name="web"]`, server-side-apply syntax).
    Item {
        /// The key of the item's mapping.
        key: String,
        /// The value it must have.
        value: String,
    },
}

/// Splits a field path into steps. Reads both the validation syntax
/// (`spec.containers[0].image`, `spec.resources.requests[cpu]`) and the structured-merge-diff
/// syntax (`.spec.containers[name="web"].image`, `[=value]` for set items).
#[must_use]
pub fn parse_field_path(path: &str) -> Vec<FieldStep> {
    let mut steps = Vec::new();
    let mut rest = path.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let (inside, remainder) = split_bracket(after);
            steps.push(bracket_step(inside));
            rest = remainder;
        } else {
            let body = rest.strip_prefix('.').unwrap_or(rest);
            let end = body.find(['.', '[']).unwrap_or(body.len());
            if end > 0 {
                steps.push(FieldStep::Key(body[..end].to_owned()));
            }
            rest = &body[end..];
            if end == 0 && rest.starts_with('.') {
                // `..`: skip the empty step.
                rest = &rest[1..];
            }
        }
    }
    steps
}

/// Splits at the `]` that closes a bracket, skipping brackets inside quotes.
fn split_bracket(after: &str) -> (&str, &str) {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in after.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ']' if !in_quotes => return (&after[..i], &after[i + 1..]),
            _ => {}
        }
    }
    (after, "")
}

fn bracket_step(inside: &str) -> FieldStep {
    if let Ok(index) = inside.parse::<usize>() {
        return FieldStep::Index(index);
    }
    if let Some((key, value)) = inside.split_once('=')
        && (value.starts_with('"') || key.is_empty())
    {
        return FieldStep::Item {
            key: key.to_owned(),
            value: unquote(value),
        };
    }
    FieldStep::Key(unquote(inside))
}

fn unquote(text: &str) -> String {
    let text = text.trim();
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Number(n)) => n.to_string(),
        Ok(serde_json::Value::Bool(b)) => b.to_string(),
        _ => text.to_owned(),
    }
}

/// Where a field path lands in a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldLocation {
    /// The range to point at: the field's key, a list item's first key, or a scalar item.
    pub range: TextRange,
    /// Whether the whole path was found (`false`: the range is of the nearest parent).
    pub exact: bool,
}

/// Finds the text of `path` under `root`; when the path leaves the tree, the nearest existing
/// parent. Map keys that hold dots (`app.kubernetes.io/name` under `.metadata.labels`) are
/// found even when the path syntax split them.
#[must_use]
pub fn locate_field(root: &Node, path: &str) -> FieldLocation {
    let steps = parse_field_path(path);
    let mut node = root;
    let mut key_range: Option<TextRange> = None;
    let mut i = 0;
    let mut exact = true;
    while i < steps.len() {
        let found = match (&node.kind, &steps[i]) {
            (NodeKind::Mapping(_), FieldStep::Key(key)) => {
                // Try the key alone, then joined with the following steps (a dotted map key).
                let mut found = None;
                let mut joined = key.clone();
                for (j, step) in steps.iter().enumerate().skip(i) {
                    if j > i {
                        let FieldStep::Key(next) = step else {
                            break;
                        };
                        joined.push('.');
                        joined.push_str(next);
                    }
                    if let Some(entry) = node
                        .entries()
                        .and_then(|it| it.iter().rev().find(|entry| entry.key.key_eq(&joined)))
                    {
                        found = Some((entry.key.range, &entry.value, j + 1));
                        break;
                    }
                }
                found.map(|(range, value, next)| (Some(range), value, next))
            }
            (NodeKind::Sequence(items), FieldStep::Index(index)) => {
                items.get(*index).map(|item| (None, item, i + 1))
            }
            (NodeKind::Sequence(items), FieldStep::Item { key, value }) => items
                .iter()
                .find(|item| {
                    if key.is_empty() {
                        item.scalar_text() == Some(value.as_str())
                    } else {
                        item.get(key).and_then(Node::scalar_text) == Some(value.as_str())
                    }
                })
                .map(|item| (None, item, i + 1)),
            _ => None,
        };
        let Some((range, next, next_step)) = found else {
            exact = false;
            break;
        };
        key_range = range;
        node = next;
        i = next_step;
    }
    let range = key_range.unwrap_or_else(|| head_of(node));
    FieldLocation { range, exact }
}

/// A short range that stands for a node: a mapping's first key, else the node itself.
fn head_of(node: &Node) -> TextRange {
    match &node.kind {
        NodeKind::Mapping(entries) if !entries.is_empty() => entries[0].key.range,
        NodeKind::Sequence(items) if !items.is_empty() => head_of(&items[0]),
        _ => node.range,
    }
}

/// The field paths named in a message that has no causes: strict decoding
/// (`unknown field "spec.foo"`, `duplicate field "replicas"`) and server-side apply
/// (`.spec.foo: field not declared in schema`).
#[must_use]
pub fn fields_in_message(message: &str) -> Vec<String> {
    let mut fields = Vec::new();
    for marker in ["unknown field \"", "duplicate field \""] {
        let mut rest = message;
        while let Some(at) = rest.find(marker) {
            let after = &rest[at + marker.len()..];
            let Some(end) = after.find('"') else { break };
            fields.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    let marker = ": field not declared in schema";
    let mut rest = message;
    while let Some(at) = rest.find(marker) {
        let before = &rest[..at];
        // The field starts after the last separator (which may be more than one byte).
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || *c == ',' || *c == '(' || *c == '\'')
            .map_or(0, |(i, c)| i + c.len_utf8());
        let field = &before[start..];
        if field.starts_with('.') {
            fields.push(field.to_owned());
        }
        rest = &rest[at + marker.len()..];
    }
    fields
}

/// Turns a rejection of the object in `root` into diagnostics on its lines (offsets of the
/// document). A rejection that names no field is put on the document's first key.
#[must_use]
pub fn rejection_diagnostics(root: &Node, rejection: &Rejection) -> Vec<Diagnostic> {
    let conflict = rejection.code == 409;
    let code = if conflict { CONFLICT } else { REJECTED };
    let mut out = Vec::new();
    for cause in &rejection.causes {
        if cause.field.is_empty() {
            continue;
        }
        let location = locate_field(root, &cause.field);
        let message = if conflict {
            conflict_message(cause)
        } else {
            let mut text = format!(
                "the API server rejected `{}`: {}",
                cause.field,
                cause.message.trim()
            );
            if !location.exact {
                text.push_str(" (the field is not written here)");
            }
            text
        };
        out.push(Diagnostic::new(
            code,
            Severity::Error,
            location.range,
            message,
        ));
    }
    if out.is_empty() {
        let message = format!(
            "the API server rejected this object: {}",
            rejection.message.trim()
        );
        for field in fields_in_message(&rejection.message) {
            let location = locate_field(root, &field);
            out.push(Diagnostic::new(
                code,
                Severity::Error,
                location.range,
                message.clone(),
            ));
        }
        if out.is_empty() {
            out.push(Diagnostic::new(
                code,
                Severity::Error,
                head_of(root),
                message,
            ));
        }
    }
    out
}

/// "`.spec.replicas` is owned by field manager "kubectl" …": names the owner of the field.
#[must_use]
pub fn conflict_message(cause: &Cause) -> String {
    let manager = cause
        .message
        .split_once("conflict with \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(manager, _)| manager);
    match manager {
        Some(manager) => format!(
            "`{}` is owned by field manager \"{manager}\" ({}); apply with force to take it over",
            cause.field,
            cause.message.trim()
        ),
        None => format!(
            "`{}` conflicts with another field manager: {}; apply with force to take it over",
            cause.field,
            cause.message.trim()
        ),
    }
}

/// The order in which objects of a file are applied: what others need first (Namespaces, CRDs,
/// then configuration and accounts), workloads after, lower first. As `helm` and `kubectl`
/// users expect; objects of one rank keep their order in the file.
#[must_use]
pub fn apply_rank(api_version: &str, kind: &str) -> u8 {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    match (group, kind) {
        ("", "Namespace") => 0,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => 1,
        ("", "ResourceQuota" | "LimitRange") => 2,
        ("", "ServiceAccount") | ("policy", "PodSecurityPolicy") => 3,
        ("", "Secret" | "ConfigMap") => 4,
        ("storage.k8s.io", "StorageClass") | ("", "PersistentVolume") => 5,
        ("", "PersistentVolumeClaim") => 6,
        ("rbac.authorization.k8s.io", _) => 7,
        ("", "Service") => 8,
        (
            "apps" | "batch" | "",
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "Job"
            | "CronJob"
            | "Pod"
            | "ReplicationController",
        ) => 9,
        _ => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::yaml::parse;

    const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: sidecar
          image: busybox
        - name: web
          image: nginx
          resources:
            requests:
              cpu: 10x
";

    fn root(text: &str) -> Node {
        parse(text).documents[0].root.clone().expect("a root")
    }

    fn text_at(text: &str, location: FieldLocation) -> &str {
        &text[location.range.to_usize()]
    }

    fn line_of(text: &str, range: TextRange) -> usize {
        text[..range.start as usize].matches('\n').count() + 1
    }

    #[test]
    fn both_path_syntaxes_are_read() {
        assert_eq!(
            parse_field_path("spec.template.spec.containers[0].image"),
            vec![
                FieldStep::Key("spec".into()),
                FieldStep::Key("template".into()),
                FieldStep::Key("spec".into()),
                FieldStep::Key("containers".into()),
                FieldStep::Index(0),
                FieldStep::Key("image".into()),
            ]
        );
        assert_eq!(
            parse_field_path("spec.resources.requests[cpu]"),
            vec![
                FieldStep::Key("spec".into()),
                FieldStep::Key("resources".into()),
                FieldStep::Key("requests".into()),
                FieldStep::Key("cpu".into()),
            ]
        );
        assert_eq!(
            parse_field_path(".spec.containers[name=\"web\"].ports[=\"a]b\"]"),
            vec![
                FieldStep::Key("spec".into()),
                FieldStep::Key("containers".into()),
                FieldStep::Item {
                    key: "name".into(),
                    value: "web".into()
                },
                FieldStep::Key("ports".into()),
                FieldStep::Item {
                    key: String::new(),
                    value: "a]b".into()
                },
            ]
        );
        assert_eq!(parse_field_path(""), Vec::new());
        assert_eq!(parse_field_path("[").len(), 1);
        assert_eq!(parse_field_path("a..b").len(), 2);
    }

    #[test]
    fn a_field_is_found_on_its_line() {
        let root = root(DEPLOYMENT);
        let image = locate_field(&root, "spec.template.spec.containers[1].image");
        assert!(image.exact);
        assert_eq!(text_at(DEPLOYMENT, image), "image");
        assert_eq!(line_of(DEPLOYMENT, image.range), 15);
        let cpu = locate_field(
            &root,
            "spec.template.spec.containers[1].resources.requests[cpu]",
        );
        assert!(cpu.exact);
        assert_eq!(line_of(DEPLOYMENT, cpu.range), 18);
        let by_name = locate_field(&root, ".spec.template.spec.containers[name=\"web\"].image");
        assert_eq!(by_name, image);
        let item = locate_field(&root, "spec.template.spec.containers[0]");
        assert!(item.exact);
        assert_eq!(line_of(DEPLOYMENT, item.range), 12);
    }

    #[test]
    fn a_missing_field_lands_on_its_nearest_parent() {
        let root = root(DEPLOYMENT);
        let missing = locate_field(
            &root,
            "spec.template.spec.containers[0].ports[0].containerPort",
        );
        assert!(!missing.exact);
        assert_eq!(line_of(DEPLOYMENT, missing.range), 12);
        let selector = locate_field(&root, "spec.selector");
        assert!(!selector.exact);
        assert_eq!(text_at(DEPLOYMENT, selector), "spec");
        let beyond = locate_field(&root, "spec.template.spec.containers[7].image");
        assert_eq!(text_at(DEPLOYMENT, beyond), "containers");
    }

    #[test]
    fn dotted_map_keys_are_found() {
        let root = root(DEPLOYMENT);
        let label = locate_field(&root, ".metadata.labels.app.kubernetes.io/name");
        assert!(label.exact);
        assert_eq!(text_at(DEPLOYMENT, label), "app.kubernetes.io/name");
        let bracket = locate_field(&root, "metadata.labels[app.kubernetes.io/name]");
        assert_eq!(bracket, label);
    }

    #[test]
    fn fields_are_read_from_messages_without_causes() {
        assert_eq!(
            fields_in_message(
                "strict decoding error: unknown field \"spec.foo\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""
            ),
            vec![
                "spec.foo".to_owned(),
                "spec.template.spec.containers[0].imagePullPolicyy".to_owned()
            ]
        );
        assert_eq!(
            fields_in_message(
                "failed to create typed patch object (apps/v1, Kind=Deployment): .spec.foo: field not declared in schema"
            ),
            vec![".spec.foo".to_owned()]
        );
        assert!(fields_in_message("the server could not find the requested resource").is_empty());
        assert!(fields_in_message("unknown field \"unterminated").is_empty());
    }

    #[test]
    fn a_rejection_becomes_diagnostics_on_its_fields() {
        let text = DEPLOYMENT;
        let root = root(text);
        let rejection = Rejection {
            code: 422,
            reason: "Invalid".into(),
            message: "Deployment.apps \"web\" is invalid: ...".into(),
            causes: vec![
                Cause {
                    reason: "FieldValueInvalid".into(),
                    message: "Invalid value: \"10x\": quantities must match the regular expression"
                        .into(),
                    field: "spec.template.spec.containers[1].resources.requests[cpu]".into(),
                },
                Cause {
                    reason: "FieldValueRequired".into(),
                    message: "Required value".into(),
                    field: "spec.selector".into(),
                },
            ],
        };
        let diagnostics = rejection_diagnostics(&root, &rejection);
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(diagnostics[0].code, REJECTED);
        assert_eq!(line_of(text, diagnostics[0].range), 18);
        assert!(diagnostics[0].message.contains("quantities must match"));
        assert_eq!(line_of(text, diagnostics[1].range), 7);
        assert!(diagnostics[1].message.contains("not written here"));
    }

    #[test]
    fn a_rejection_without_causes_is_mapped_from_its_message() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nspec:\n  foo: 1\n";
        let root = root(text);
        let mut rejection = Rejection {
            code: 400,
            reason: "BadRequest".into(),
            message: "strict decoding error: unknown field \"spec.foo\"".into(),
            causes: Vec::new(),
        };
        let diagnostics = rejection_diagnostics(&root, &rejection);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(&text[diagnostics[0].range.to_usize()], "foo");
        rejection.message = "namespaces \"nowhere\" not found".into();
        let diagnostics = rejection_diagnostics(&root, &rejection);
        assert_eq!(&text[diagnostics[0].range.to_usize()], "apiVersion");
        assert!(diagnostics[0].message.contains("nowhere"));
    }

    #[test]
    fn a_conflict_names_the_manager_that_owns_the_field() {
        let root = root(DEPLOYMENT);
        let rejection = Rejection {
            code: 409,
            reason: "Conflict".into(),
            message: "Apply failed with 1 conflict".into(),
            causes: vec![Cause {
                reason: "FieldManagerConflict".into(),
                message: "conflict with \"kubectl\" using apps/v1".into(),
                field: ".spec.replicas".into(),
            }],
        };
        let diagnostics = rejection_diagnostics(&root, &rejection);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, CONFLICT);
        assert!(diagnostics[0].message.contains("field manager \"kubectl\""));
        assert_eq!(line_of(DEPLOYMENT, diagnostics[0].range), 8);
    }

    #[test]
    fn a_separator_of_several_bytes_is_not_cut() {
        assert_eq!(
            fields_in_message("x\u{a0}.spec.foo: field not declared in schema"),
            vec![".spec.foo".to_owned()]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_path_or_message_is_read_without_panic(text in "\\PC{0,40}") {
            let root = root(DEPLOYMENT);
            let location = locate_field(&root, &text);
            proptest::prop_assert!(location.range.end as usize <= DEPLOYMENT.len());
            let _ = fields_in_message(&text);
            let rejection = Rejection { code: 422, message: text.clone(), causes: vec![Cause { field: text, ..Cause::default() }], ..Rejection::default() };
            proptest::prop_assert!(!rejection_diagnostics(&root, &rejection).is_empty());
        }
    }

    #[test]
    fn namespaces_and_definitions_go_first() {
        let mut kinds = [
            ("apps/v1", "Deployment"),
            ("v1", "ConfigMap"),
            ("example.com/v1", "Widget"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ("v1", "Namespace"),
            ("v1", "Secret"),
        ];
        kinds.sort_by_key(|(api_version, kind)| apply_rank(api_version, kind));
        let kinds: Vec<&str> = kinds.iter().map(|it| it.1).collect();
        assert_eq!(
            kinds,
            [
                "Namespace",
                "CustomResourceDefinition",
                "ConfigMap",
                "Secret",
                "Deployment",
                "Widget"
            ]
        );
    }
}
