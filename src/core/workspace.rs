//! A summary of each object in a file, kept by the language server for the whole workspace:
//! names to complete, selectors to follow, and the workspace-wide checks.

use std::collections::HashMap;

use crate::core::manifest::Manifest;
use crate::core::text::TextRange;
use crate::core::yaml::{self, Node};

/// A label or selector pair and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
    /// The range of the key in the file.
    pub range: TextRange,
}

/// A label that a controller adds to the pods it creates, on top of the template's labels.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RuntimeLabel {
    /// The label key, e.g. `pod-template-hash`.
    pub key: &'static str,
    /// The values it can take.
    pub value: RuntimeValue,
}

/// The values a controller's label can take.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeValue {
    /// Any value: a hash or a UID, known only once the object exists.
    Any,
    /// Exactly this value (a Job's name).
    Exact(String),
    /// `<prefix>-<n>` for a whole number `n` (a StatefulSet pod's name, the name of a Job a
    /// CronJob creates).
    Numbered(String),
    /// A whole number (a StatefulSet ordinal, an indexed Job's completion index).
    Index,
}

impl RuntimeValue {
    /// Whether the label can have `value`.
    #[must_use]
    pub fn accepts(&self, value: &str) -> bool {
        match self {
            RuntimeValue::Any => true,
            RuntimeValue::Exact(it) => it == value,
            RuntimeValue::Numbered(prefix) => value
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(is_whole_number),
            RuntimeValue::Index => is_whole_number(value),
        }
    }
}

/// A number as Go's `strconv.Itoa` writes a non-negative int: digits, no leading zero.
fn is_whole_number(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
}

/// What the workspace needs to know of one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSummary {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`, if set.
    pub namespace: Option<String>,
    /// Where the name is (or the kind, when there is no name).
    pub name_range: TextRange,
    /// The labels its pods get: a Pod's labels, or a workload's template labels.
    pub pod_labels: Option<Vec<Label>>,
    /// The labels that its controller adds to its pods when it creates them.
    pub runtime_labels: Vec<RuntimeLabel>,
    /// A Service's `spec.selector`.
    pub service_selector: Option<Vec<Label>>,
    /// Where a Service's `selector` key is.
    pub selector_range: Option<TextRange>,
}

impl ObjectSummary {
    /// The same summary with every range moved by `by` bytes.
    #[must_use]
    pub fn shifted(mut self, by: u32) -> Self {
        let shift = |range: TextRange| range.shifted(by);
        self.name_range = shift(self.name_range);
        self.selector_range = self.selector_range.map(shift);
        for label in self
            .pod_labels
            .iter_mut()
            .chain(self.service_selector.iter_mut())
            .flatten()
        {
            label.range = shift(label.range);
        }
        self
    }
}

/// Summarises every object of a file (ranges are in bytes of the file).
#[must_use]
pub fn summarize(text: &str) -> Vec<ObjectSummary> {
    let mut res = Vec::new();
    for chunk in yaml::split_documents(text) {
        let parsed = yaml::parse(&text[chunk.to_usize()]);
        for document in &parsed.documents {
            let Some(root) = &document.root else { continue };
            res.extend(summarize_root(root, chunk.start));
        }
    }
    res
}

/// Summarises the object of one document root whose ranges start at `base` in the file;
/// nothing for a patch (a document with a `$patch` directive).
#[must_use]
pub fn summarize_root(root: &Node, base: u32) -> Option<ObjectSummary> {
    // A patch is part of an object defined elsewhere: it adds nothing to the workspace.
    let manifest = Manifest::new(root).filter(|it| !it.patch)?;
    let kind_entry = root.entry("kind")?;
    let shift = |range: TextRange| range.shifted(base);
    let name_node = root.get_path(&["metadata", "name"]);
    let pod_labels = manifest.pod_spec().map(|pod| {
        pod.metadata
            .and_then(|it| it.get("labels"))
            .map(|labels| pairs(labels, &shift))
            .unwrap_or_default()
    });
    let is_service = manifest.kind() == Some("Service") && manifest.api_version() == Some("v1");
    let selector_entry = root
        .get("spec")
        .and_then(|it| it.entry("selector"))
        .filter(|_| is_service);
    let service_selector = selector_entry.map(|it| pairs(&it.value, &shift));
    let selector_range = selector_entry.map(|it| shift(it.key.range));
    let runtime_labels = runtime_labels(&manifest);
    Some(ObjectSummary {
        api_version: manifest.api_version()?.to_owned(),
        kind: manifest.kind()?.to_owned(),
        name: name_node
            .and_then(Node::scalar_text)
            .unwrap_or_default()
            .to_owned(),
        namespace: root
            .get_path(&["metadata", "namespace"])
            .and_then(Node::scalar_text)
            .map(str::to_owned),
        name_range: shift(name_node.map_or(kind_entry.value.range, |it| it.range)),
        pod_labels,
        runtime_labels,
        service_selector,
        selector_range,
    })
}

/// The labels the controller of a workload adds to each pod it creates, as the Kubernetes
/// controllers do: `pkg/controller/deployment` (`pod-template-hash`), `pkg/controller/statefulset`
/// (`statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`,
/// `controller-revision-hash`), `pkg/controller/daemon` (`controller-revision-hash`,
/// `pod-template-generation`), `pkg/registry/batch/job/strategy.go` (`job-name`,
/// `controller-uid` and their `batch.kubernetes.io/` forms, unless `manualSelector: true`),
/// `pkg/controller/job` (`batch.kubernetes.io/job-completion-index` for an indexed Job) and
/// `pkg/controller/cronjob` (Jobs named `<cronjob>-<scheduled minute>`).
fn runtime_labels(manifest: &Manifest<'_>) -> Vec<RuntimeLabel> {
    let label = |key: &'static str, value: RuntimeValue| RuntimeLabel { key, value };
    let name = manifest.name().filter(|it| !it.is_empty());
    let root = manifest.root;
    match (manifest.api_version(), manifest.kind()) {
        (Some("apps/v1"), Some("Deployment")) => {
            vec![label("pod-template-hash", RuntimeValue::Any)]
        }
        (Some("apps/v1"), Some("StatefulSet")) => {
            let pod_name = name.map_or(RuntimeValue::Any, |it| {
                RuntimeValue::Numbered(it.to_owned())
            });
            vec![
                label("controller-revision-hash", RuntimeValue::Any),
                label("statefulset.kubernetes.io/pod-name", pod_name),
                label("apps.kubernetes.io/pod-index", RuntimeValue::Index),
            ]
        }
        (Some("apps/v1"), Some("DaemonSet")) => vec![
            label("controller-revision-hash", RuntimeValue::Any),
            label("pod-template-generation", RuntimeValue::Index),
        ],
        (Some("batch/v1"), Some("Job")) => {
            let job_name = name.map_or(RuntimeValue::Any, |it| RuntimeValue::Exact(it.to_owned()));
            job_labels(root.get("spec"), job_name)
        }
        (Some("batch/v1"), Some("CronJob")) => {
            let job_name = name.map_or(RuntimeValue::Any, |it| {
                RuntimeValue::Numbered(it.to_owned())
            });
            job_labels(root.get_path(&["spec", "jobTemplate", "spec"]), job_name)
        }
        _ => Vec::new(),
    }
}

/// The labels of a Job's pods, from its `spec`.
fn job_labels(spec: Option<&Node>, job_name: RuntimeValue) -> Vec<RuntimeLabel> {
    let field = |name: &str| spec.and_then(|it| it.get(name));
    if field("manualSelector").and_then(Node::as_bool) == Some(true) {
        return Vec::new();
    }
    let mut res = vec![
        RuntimeLabel {
            key: "job-name",
            value: job_name.clone(),
        },
        RuntimeLabel {
            key: "batch.kubernetes.io/job-name",
            value: job_name,
        },
        RuntimeLabel {
            key: "controller-uid",
            value: RuntimeValue::Any,
        },
        RuntimeLabel {
            key: "batch.kubernetes.io/controller-uid",
            value: RuntimeValue::Any,
        },
    ];
    if field("completionMode").and_then(Node::as_str) == Some("Indexed") {
        res.push(RuntimeLabel {
            key: "batch.kubernetes.io/job-completion-index",
            value: RuntimeValue::Index,
        });
    }
    res
}

fn pairs(node: &Node, shift: &dyn Fn(TextRange) -> TextRange) -> Vec<Label> {
    node.entries()
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            Some(Label {
                key: entry.key.scalar_text()?.to_owned(),
                value: entry.value.scalar_text().unwrap_or_default().to_owned(),
                range: shift(entry.key.range),
            })
        })
        .collect()
}

/// Whether a pod with `labels` is selected by a Service selector (every pair present).
#[must_use]
pub fn selects(selector: &[Label], labels: &[Label]) -> bool {
    selects_with(selector, labels, &[])
}

/// Whether a pod with `labels`, to which its controller adds `runtime`, can be selected by a
/// Service selector: every pair is one of the labels, or a value the controller's label can
/// take.
#[must_use]
pub fn selects_with(selector: &[Label], labels: &[Label], runtime: &[RuntimeLabel]) -> bool {
    !selector.is_empty()
        && selector.iter().all(|want| {
            labels
                .iter()
                .any(|it| it.key == want.key && it.value == want.value)
                || runtime
                    .iter()
                    .any(|it| it.key == want.key && it.value.accepts(&want.value))
        })
}

impl ObjectSummary {
    /// Whether the pods of this object (a Pod, or a workload's pods) can be selected by a
    /// Service selector, counting the labels their controller adds.
    #[must_use]
    pub fn pods_match(&self, selector: &[Label]) -> bool {
        self.pod_labels
            .as_deref()
            .is_some_and(|labels| selects_with(selector, labels, &self.runtime_labels))
    }
}

/// The Services (indices into `objects`) whose selector matches the pod labels of no workload
/// in the same namespace. Empty when `objects` holds no workload at all, since then the pods
/// are defined somewhere else.
#[must_use]
pub fn services_selecting_nothing(objects: &[&ObjectSummary]) -> Vec<usize> {
    services_selecting_nothing_counted(objects).0
}

/// A Service's namespace and its selector's pairs, sorted.
type Query<'a> = (Option<&'a str>, Vec<(&'a str, &'a str)>);

/// [`services_selecting_nothing`], and how many (selector, workload) pairs it compared: the
/// workloads are indexed by label, so each selector is compared only with the workloads that
/// have its rarest pair, and the same selector in the same namespace is answered once.
fn services_selecting_nothing_counted(objects: &[&ObjectSummary]) -> (Vec<usize>, usize) {
    let mut by_label: HashMap<(&str, &str), Vec<&ObjectSummary>> = HashMap::new();
    for workload in objects {
        for label in workload.pod_labels.iter().flatten() {
            by_label
                .entry((label.key.as_str(), label.value.as_str()))
                .or_default()
                .push(workload);
        }
    }
    if !objects.iter().any(|it| it.pod_labels.is_some()) {
        return (Vec::new(), 0);
    }
    // A pair is matched by a label written in the template, or by one its controller adds.
    let mut by_runtime_key: HashMap<&str, Vec<&ObjectSummary>> = HashMap::new();
    for workload in objects.iter().filter(|it| it.pod_labels.is_some()) {
        for label in &workload.runtime_labels {
            by_runtime_key.entry(label.key).or_default().push(workload);
        }
    }
    let mut compared = 0;
    let mut answered: HashMap<Query<'_>, bool> = HashMap::new();
    let mut res = Vec::new();
    for (i, service) in objects.iter().enumerate() {
        let Some(selector) = service.service_selector.as_deref() else {
            continue;
        };
        if selector.is_empty() {
            continue;
        }
        let mut pairs: Vec<(&str, &str)> = selector
            .iter()
            .map(|it| (it.key.as_str(), it.value.as_str()))
            .collect();
        pairs.sort_unstable();
        let namespace = service.namespace.as_deref();
        let selects_some = *answered
            .entry((namespace, pairs))
            .or_insert_with_key(|(_, pairs)| {
                let (written, added) = pairs
                    .iter()
                    .map(|pair| {
                        (
                            by_label.get(pair).map_or(&[][..], Vec::as_slice),
                            by_runtime_key.get(pair.0).map_or(&[][..], Vec::as_slice),
                        )
                    })
                    .min_by_key(|(written, added)| written.len() + added.len())
                    .unwrap_or_default();
                written.iter().chain(added).any(|workload| {
                    compared += 1;
                    same_namespace(namespace, workload.namespace.as_deref())
                        && workload.pods_match(selector)
                })
            });
        if !selects_some {
            res.push(i);
        }
    }
    (res, compared)
}

/// Namespaces match when equal, or when either is unset (it is applied to a namespace chosen
/// at deploy time).
fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controller_label_values_are_read_as_the_controllers_write_them() {
        let pod_name = RuntimeValue::Numbered("web".to_owned());
        assert!(pod_name.accepts("web-0"));
        assert!(pod_name.accepts("web-12"));
        for other in [
            "web-", "web-01", "web-a", "webx-0", "web0", "api-0", "web--1",
        ] {
            assert!(!pod_name.accepts(other), "{other}");
        }
        assert!(RuntimeValue::Index.accepts("0"));
        assert!(!RuntimeValue::Index.accepts("-1"));
        assert!(RuntimeValue::Exact("job".to_owned()).accepts("job"));
        assert!(!RuntimeValue::Exact("job".to_owned()).accepts("job-1"));
    }

    #[test]
    fn a_job_with_a_manual_selector_gets_no_generated_labels() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  manualSelector: true\n  template:\n    metadata:\n      labels:\n        app: j\n    spec:\n      containers: []\n";
        let summary = &summarize(text)[0];
        assert!(summary.runtime_labels.is_empty());
        let automatic = &summarize(&text.replace("manualSelector: true", "parallelism: 1"))[0];
        let keys: Vec<&str> = automatic.runtime_labels.iter().map(|it| it.key).collect();
        assert!(keys.contains(&"batch.kubernetes.io/job-name"), "{keys:?}");
        assert!(!keys.contains(&"batch.kubernetes.io/job-completion-index"));
    }

    fn label(key: &str, value: &str) -> Label {
        Label {
            key: key.to_owned(),
            value: value.to_owned(),
            range: TextRange::empty(0),
        }
    }

    /// `n` workloads labelled `app: w<i>, tier: web`, and `n` Services, the odd ones selecting
    /// a workload and the even ones a tier no workload has.
    fn objects(n: usize) -> Vec<ObjectSummary> {
        let object = |kind: &str, i: usize| ObjectSummary {
            api_version: "v1".to_owned(),
            kind: kind.to_owned(),
            name: format!("{kind}-{i}"),
            namespace: None,
            name_range: TextRange::empty(0),
            pod_labels: None,
            service_selector: None,
            selector_range: Some(TextRange::empty(0)),
            runtime_labels: Vec::new(),
        };
        let mut res = Vec::new();
        for i in 0..n {
            res.push(ObjectSummary {
                pod_labels: Some(vec![label("app", &format!("w{i}")), label("tier", "web")]),
                ..object("Pod", i)
            });
            let tier = if i % 2 == 1 { "web" } else { "db" };
            res.push(ObjectSummary {
                service_selector: Some(vec![label("app", &format!("w{i}")), label("tier", tier)]),
                ..object("Service", i)
            });
        }
        res
    }

    fn run(n: usize) -> (Vec<usize>, usize) {
        let objects = objects(n);
        let refs: Vec<&ObjectSummary> = objects.iter().collect();
        services_selecting_nothing_counted(&refs)
    }

    #[test]
    fn services_that_select_nothing() {
        let (unmatched, _) = run(4);
        // Objects alternate Pod, Service: the Services of workloads 0 and 2 select a `db` tier.
        assert_eq!(unmatched, [1, 5]);
    }

    #[test]
    fn selectors_are_compared_with_few_workloads() {
        // Each selector meets only the workloads that have its rarest pair: one, not all.
        let (unmatched, compared) = run(1_000);
        assert_eq!(unmatched.len(), 500);
        let (_, compared_twice) = run(2_000);
        assert!(compared <= 1_000, "{compared}");
        assert!(
            compared_twice <= 2 * compared + 10,
            "{compared} then {compared_twice}"
        );
    }

    #[test]
    fn the_same_selector_is_answered_once() {
        let mut objects = objects(2);
        let copies: Vec<ObjectSummary> = (0..100).map(|_| objects[1].clone()).collect();
        objects.extend(copies);
        let refs: Vec<&ObjectSummary> = objects.iter().collect();
        let (unmatched, compared) = services_selecting_nothing_counted(&refs);
        assert_eq!(unmatched.len(), 101);
        assert!(compared <= 2, "{compared}");
    }
}
