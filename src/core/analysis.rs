//! The entry points: check a file, or one document of it.

use std::borrow::Borrow;

use crate::core::diagnostic::Diagnostic;
use crate::core::limits::SCHEMA_DEPTH;
use crate::core::manifest::Manifest;
use crate::core::rules::{self, Context, RuleMeta, Sink, number_ranges, schema_diagnostics};
use crate::core::schema::SchemaStore;
use crate::core::settings::Settings;
use crate::core::suppression::{self, Suppression};
use crate::core::text::TextRange;
use crate::core::workspace::{ObjectSummary, summarize_root};
use crate::core::yaml::{self, Node, SyntaxErrorKind, split_documents};

/// What checking one document (one `---` piece of a file) found.
#[derive(Clone, Debug, Default)]
pub struct ChunkReport {
    /// Diagnostics, with ranges relative to the start of the piece.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the piece holds a Kubernetes object (or what looks like a broken one).
    pub kubernetes: bool,
    /// The objects it defines, for the workspace (ranges relative to the piece).
    pub objects: Vec<ObjectSummary>,
    /// Its suppression comments and annotations (ranges relative to the piece).
    pub suppressions: Vec<Suppression>,
}

/// What checking a whole file found.
#[derive(Clone, Debug, Default)]
pub struct FileAnalysis {
    /// Diagnostics in file order of their documents.
    pub diagnostics: Vec<Diagnostic>,
    /// The objects the file defines, for workspace checks.
    pub objects: Vec<ObjectSummary>,
    /// The file's suppressions, already applied to `diagnostics`; apply them to the workspace
    /// diagnostics too, then ask which were unused ([`suppression::unused`]).
    pub suppressions: Vec<Suppression>,
}

/// Checks a whole file on its own, the workspace checks included (with the file as the whole
/// workspace). A file with no Kubernetes object in it gets no diagnostics at all, so that CI
/// configs and values files can sit next to manifests.
#[must_use]
pub fn check(text: &str, schemas: &SchemaStore, settings: &Settings) -> Vec<Diagnostic> {
    let mut analysis = analyze(text, schemas, settings);
    let mut extra: Vec<Diagnostic> = workspace_diagnostics(&[&analysis.objects], settings)
        .into_iter()
        .flatten()
        .collect();
    suppression::apply(&mut analysis.suppressions, &mut extra);
    analysis.diagnostics.extend(extra);
    let unused = suppression::unused(&analysis.suppressions, settings);
    analysis.diagnostics.extend(unused);
    analysis.diagnostics
}

/// Checks a whole file and summarises its objects for the workspace checks, which are left
/// to the caller ([`workspace_diagnostics`]).
#[must_use]
pub fn analyze(text: &str, schemas: &SchemaStore, settings: &Settings) -> FileAnalysis {
    analyze_file(text, FileKind::Manifests, schemas, settings)
}

/// What the shell knows of a file from the files around it, which changes how it is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// Objects, checked as such (a document with a `$patch` directive is still a patch).
    #[default]
    Manifests,
    /// Patches that a kustomization lists: every document is checked as a patch, for what it
    /// writes (unknown fields, types, values) and never for what it leaves out.
    Patches,
}

/// [`analyze`] for a file of a known kind.
#[must_use]
pub fn analyze_file(
    text: &str,
    kind: FileKind,
    schemas: &SchemaStore,
    settings: &Settings,
) -> FileAnalysis {
    let chunks = split_documents(text);
    let reports: Vec<ChunkReport> = chunks
        .iter()
        .map(|chunk| check_document(&text[chunk.to_usize()], kind, schemas, settings))
        .collect();
    combine(&chunks, &reports)
}

/// Puts together the reports of a file's documents (`chunks`, from
/// [`split_documents`], checked in any order or in parallel by the caller).
#[must_use]
///
/// A file where no document is a Kubernetes object gets no diagnostics at all. The
/// suppressions of the documents are applied to their diagnostics here, so every shell gets
/// them.
pub fn combine<R: Borrow<ChunkReport>>(chunks: &[TextRange], reports: &[R]) -> FileAnalysis {
    let mut res = FileAnalysis::default();
    if !reports.iter().any(|it| it.borrow().kubernetes) {
        return res;
    }
    for (chunk, report) in chunks.iter().zip(reports) {
        let report = report.borrow();
        res.diagnostics.extend(
            report
                .diagnostics
                .iter()
                .map(|it| it.clone().shifted(chunk.start)),
        );
        res.objects.extend(
            report
                .objects
                .iter()
                .map(|it| it.clone().shifted(chunk.start)),
        );
        res.suppressions.extend(
            report
                .suppressions
                .iter()
                .map(|it| it.clone().shifted(chunk.start)),
        );
    }
    suppression::apply(&mut res.suppressions, &mut res.diagnostics);
    res
}

/// Checks the text of one document; ranges in the report start at 0.
#[must_use]
pub fn check_chunk(text: &str, schemas: &SchemaStore, settings: &Settings) -> ChunkReport {
    check_document(text, FileKind::Manifests, schemas, settings)
}

/// [`check_chunk`] for a document of a file of a known kind.
#[must_use]
pub fn check_document(
    text: &str,
    kind: FileKind,
    schemas: &SchemaStore,
    settings: &Settings,
) -> ChunkReport {
    let parsed = yaml::parse(text);
    let version_schemas = match schemas.version(settings.kubernetes_version) {
        Ok(it) => Some(it),
        Err(error) => {
            tracing::error!(%error, "schemas unavailable");
            None
        }
    };
    let mut report = ChunkReport {
        suppressions: suppression::comments(text),
        ..ChunkReport::default()
    };
    for document in &parsed.documents {
        let mut sink = Sink::new(settings, &mut report.diagnostics);
        for error in &document.errors {
            let meta = match error.kind {
                SyntaxErrorKind::Malformed => &rules::document::YamlSyntaxError::META,
                SyntaxErrorKind::DuplicateKey => &rules::document::YamlDuplicateKey::META,
                SyntaxErrorKind::NestingTooDeep => &rules::document::YamlNestingTooDeep::META,
                SyntaxErrorKind::NotPortable => &rules::document::YamlNotPortable::META,
            };
            if let Some(diagnostic) = sink.report(meta, error.range, error.message.clone())
                && let Some(first) = error.first
            {
                diagnostic.related.push(crate::core::diagnostic::Related {
                    range: first,
                    message: "first written here".to_owned(),
                });
            }
        }
        let Some(root) = &document.root else {
            let source = &text[document.range.to_usize()];
            report.kubernetes |= looks_like_kubernetes(source);
            continue;
        };
        if !is_object_like(root) {
            continue;
        }
        report.kubernetes = true;
        let patch = kind == FileKind::Patches;
        // A patch is part of an object defined elsewhere: it adds nothing to the workspace.
        if !patch {
            report.objects.extend(summarize_root(root, 0));
        }
        report.suppressions.extend(suppression::annotation(root));
        check_object(
            text,
            root,
            patch,
            settings,
            version_schemas.as_deref(),
            &mut sink,
        );
    }
    let mut sink = Sink::new(settings, &mut report.diagnostics);
    suppression::report_unknown(&report.suppressions, &mut sink);
    report
}

fn check_object(
    text: &str,
    root: &Node,
    patch: bool,
    settings: &Settings,
    schemas: Option<&crate::core::schema::VersionSchemas>,
    sink: &mut Sink<'_>,
) {
    // The items of a `kind: List` (which may hold Lists) are checked from this stack, not by
    // recursion, so a deep nest of Lists cannot exhaust the thread's stack.
    let mut pending = vec![root];
    while let Some(object) = pending.pop() {
        let items = check_one_object(text, object, patch, settings, schemas, sink);
        pending.extend(items.iter().rev().filter(|it| is_object_like(it)));
    }
}

/// Checks one object; returns the items to check next when it is a `kind: List`.
fn check_one_object<'a>(
    text: &str,
    root: &'a Node,
    patch: bool,
    settings: &Settings,
    schemas: Option<&crate::core::schema::VersionSchemas>,
    sink: &mut Sink<'_>,
) -> &'a [Node] {
    let Some(manifest) = Manifest::new(root).map(|it| it.patched(patch)) else {
        return &[];
    };
    // The rules that check what an object must have stay quiet on a patch.
    sink.set_patch(manifest.patch);
    let ctx = Context {
        manifest,
        text,
        version: settings.kubernetes_version,
        schemas,
    };
    for rule in rules::all() {
        rule.check(&ctx, sink);
    }
    let (Some(schemas), Some(api_version), Some(kind)) =
        (schemas, manifest.api_version(), manifest.kind())
    else {
        return &[];
    };
    if let Some(definition) = schemas.definition_for(api_version, kind) {
        // The validator recurses; below `SCHEMA_DEPTH` collections are validated as empty ones,
        // and what that would report about them is left out.
        let (mut json, _) = root.to_json_within(SCHEMA_DEPTH);
        if manifest.patch {
            drop_patch_directives(&mut json);
        }
        let mut errors = schemas.validate(definition, &json);
        errors.retain(|it| it.path.len() < SCHEMA_DEPTH);
        schema_diagnostics(text, root, schemas, errors, sink);
        number_ranges(root, schemas, definition, sink);
    }
    // `kind: List` wraps objects that `kubectl` applies one by one.
    if kind == "List" && api_version == "v1" {
        return root.get("items").and_then(Node::items).unwrap_or_default();
    }
    &[]
}

/// Takes out the keys of strategic merge patch directives (`$patch`, `$retainKeys`,
/// `$setElementOrder/…`, `$deleteFromPrimitiveList/…`), which the API server's merge reads and
/// no schema knows.
fn drop_patch_directives(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| !key.starts_with('$'));
            map.values_mut().for_each(drop_patch_directives);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_patch_directives),
        _ => {}
    }
}

/// A mapping with `apiVersion` or `kind`: an object, or one being written.
fn is_object_like(node: &Node) -> bool {
    node.entry("apiVersion").is_some() || node.entry("kind").is_some()
}

/// Whether text that does not parse has the look of a manifest.
fn looks_like_kubernetes(text: &str) -> bool {
    let mut api_version = false;
    let mut kind = false;
    for line in text.lines() {
        api_version |= line.starts_with("apiVersion:");
        kind |= line.starts_with("kind:");
    }
    api_version || kind
}

/// The documentation of the rule behind a diagnostic code.
#[must_use]
pub fn rule_meta(code: &str) -> Option<&'static RuleMeta> {
    rules::by_id(code).map(rules::Rule::meta)
}

/// Checks across files: `objects` lists each file's objects (as `analyze` returns them);
/// the result is, for each file, the diagnostics to add to it.
#[must_use]
pub fn workspace_diagnostics(
    objects: &[&[ObjectSummary]],
    settings: &Settings,
) -> Vec<Vec<Diagnostic>> {
    let mut res: Vec<Vec<Diagnostic>> = vec![Vec::new(); objects.len()];
    let flat: Vec<(usize, &ObjectSummary)> = objects
        .iter()
        .enumerate()
        .flat_map(|(file, list)| list.iter().map(move |it| (file, it)))
        .collect();
    let summaries: Vec<&ObjectSummary> = flat.iter().map(|(_, it)| *it).collect();
    for index in crate::core::workspace::services_selecting_nothing(&summaries) {
        let (file, service) = flat[index];
        let Some(range) = service.selector_range else {
            continue;
        };
        let selector = service
            .service_selector
            .iter()
            .flatten()
            .map(|it| format!("{}: {}", it.key, it.value))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sink = Sink::new(settings, &mut res[file]);
        sink.report(
            &rules::workspace::ServiceSelectorNoMatch::META,
            range,
            format!(
                "Service `{}` selects no pod: no Pod or workload template here has the labels `{selector}`",
                service.name
            ),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn codes(text: &str, kind: FileKind) -> Vec<&'static str> {
        static STORE: OnceLock<SchemaStore> = OnceLock::new();
        let store = STORE.get_or_init(SchemaStore::bundled);
        let mut res: Vec<&str> = analyze_file(text, kind, store, &Settings::default())
            .diagnostics
            .iter()
            .map(|it| it.code)
            .collect();
        res.sort_unstable();
        res
    }

    const REPLICAS: &str =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n";

    #[test]
    fn a_patch_is_checked_for_what_it_writes_only() {
        assert_eq!(
            codes(REPLICAS, FileKind::Manifests),
            ["deployment-selector-missing", "deployment-template-missing"]
        );
        assert!(codes(REPLICAS, FileKind::Patches).is_empty());
        let wrong = REPLICAS.replace("replicas: 3", "replicas: three\n  replica: 3");
        assert_eq!(
            codes(&wrong, FileKind::Patches),
            ["type-mismatch", "unknown-field"]
        );
    }

    #[test]
    fn a_patch_directive_makes_a_patch_whatever_the_file() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          imagePullPolicyy: Always\n        - name: sidecar\n          $patch: delete\n      $setElementOrder/containers:\n        - name: web\n";
        assert_eq!(codes(text, FileKind::Manifests), ["unknown-field"]);
        let analysis = analyze(text, &SchemaStore::bundled(), &Settings::default());
        assert!(
            analysis.objects.is_empty(),
            "a patch is no object of the workspace"
        );
    }
}
