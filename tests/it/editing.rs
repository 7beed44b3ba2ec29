//! The editing features of the core, on real schemas: completion, hover, navigation.

use kls::core::complete::{CompletionKind, complete};
use kls::core::hover::hover;
use kls::core::navigate::{Target, definition, references};
use kls::core::schema::{KubeVersion, SchemaStore, VersionSchemas};
use kls::core::workspace::summarize;

fn schemas() -> std::sync::Arc<VersionSchemas> {
    static STORE: std::sync::OnceLock<SchemaStore> = std::sync::OnceLock::new();
    STORE
        .get_or_init(SchemaStore::bundled)
        .version(KubeVersion::newest())
        .expect("bundled schemas load")
}

/// Splits `|` out of the text and returns (text, offset).
fn cursor(text: &str) -> (String, u32) {
    let offset = text.find('|').expect("a cursor");
    (
        text.replacen('|', "", 1),
        u32::try_from(offset).expect("small"),
    )
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 80
          readinessProbe:
            httpGet:
              path: /
              port: http
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          emptyDir: {}
";

fn labels(items: &[kls::core::complete::CompletionItem]) -> Vec<&str> {
    items.iter().map(|it| it.label.as_str()).collect()
}

#[test]
fn container_keys_in_a_half_typed_line() {
    let text = DEPLOYMENT.replace(
        "          image: nginx:1.27\n",
        "          image: nginx:1.27\n          imag|\n",
    );
    let (text, offset) = cursor(&text);
    let items = complete(&text, offset, &schemas(), &[]);
    let names = labels(&items);
    for expected in ["imagePullPolicy", "env", "resources", "livenessProbe"] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    // Keys already present are left out.
    assert!(!names.contains(&"image"), "{names:?}");
    assert!(!names.contains(&"name"), "{names:?}");
    let env = items.iter().find(|it| it.label == "env").expect("env");
    assert_eq!(env.insert_text, "env:\n            - $0");
    assert_eq!(env.kind, CompletionKind::Field);
    assert!(
        env.documentation
            .as_deref()
            .is_some_and(|it| it.contains("environment variables"))
    );
    let prefix = &text[env.range.start as usize..env.range.end as usize];
    assert_eq!(prefix, "imag");
}

#[test]
fn required_keys_come_first() {
    let (text, offset) = cursor("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - |\n");
    let items = complete(&text, offset, &schemas(), &[]);
    let name = items.iter().find(|it| it.label == "name").expect("name");
    assert!(
        name.detail
            .as_deref()
            .is_some_and(|it| it.contains("required"))
    );
    let min_optional = items
        .iter()
        .filter(|it| it.label != "name")
        .map(|it| it.sort_text.clone())
        .min();
    assert!(Some(name.sort_text.clone()) < min_optional);
}

#[test]
fn image_pull_policy_values() {
    let text = DEPLOYMENT.replace(
        "          image: nginx:1.27\n",
        "          image: nginx:1.27\n          imagePullPolicy: |\n",
    );
    let (text, offset) = cursor(&text);
    let items = complete(&text, offset, &schemas(), &[]);
    assert_eq!(labels(&items), vec!["Always", "IfNotPresent", "Never"]);
}

#[test]
fn kinds_fill_in_their_api_version() {
    let (text, offset) = cursor("apiVersion: v1\nkind: Dep|\n");
    let items = complete(&text, offset, &schemas(), &[]);
    let deployment = items
        .iter()
        .find(|it| it.label == "Deployment")
        .expect("Deployment");
    assert_eq!(deployment.detail.as_deref(), Some("apps/v1"));
    let edit = &deployment.additional_edits[0];
    assert_eq!(
        &text[edit.range.start as usize..edit.range.end as usize],
        " v1"
    );
    assert_eq!(edit.new_text, " apps/v1");
}

#[test]
fn cross_field_values() {
    // Volume names for a mount.
    let text = DEPLOYMENT.replace(
        "            - name: data\n              mountPath",
        "            - name: |\n              mountPath",
    );
    let (text, offset) = cursor(&text);
    assert_eq!(
        labels(&complete(&text, offset, &schemas(), &[])),
        vec!["data"]
    );
    // Named ports for a probe.
    let text = DEPLOYMENT.replace("              port: http", "              port: |");
    let (text, offset) = cursor(&text);
    assert!(labels(&complete(&text, offset, &schemas(), &[])).contains(&"http"));
    // Selector keys from the template labels.
    let text = DEPLOYMENT.replace(
        "      app: web\n  template",
        "      app: web\n      |\n  template",
    );
    let (text, offset) = cursor(&text);
    assert_eq!(
        labels(&complete(&text, offset, &schemas(), &[])),
        vec!["tier: front"]
    );
    // ConfigMap names from the workspace.
    let workspace = summarize("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
    let (text, offset) = cursor(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      envFrom:\n        - configMapRef:\n            name: |\n",
    );
    assert_eq!(
        labels(&complete(&text, offset, &schemas(), &workspace)),
        vec!["settings"]
    );
}

#[test]
fn snippets_in_an_empty_document() {
    let items = complete("", 0, &schemas(), &[]);
    assert_eq!(
        labels(&items),
        vec!["Pod", "Deployment", "Service", "ConfigMap"]
    );
    let deployment = &items[1];
    assert!(
        deployment
            .insert_text
            .contains("    matchLabels:\n      app: ${1:web}")
    );
    assert!(deployment.insert_text.contains("        app: ${1:web}"));
}

#[test]
fn hover_on_a_field_and_a_kind() {
    let offset = u32::try_from(DEPLOYMENT.find("image:").expect("image")).expect("small");
    let info = hover(DEPLOYMENT, offset + 1, &schemas()).expect("a hover");
    assert!(
        info.markdown
            .starts_with("**image** `string` · optional · in Container"),
        "{}",
        info.markdown
    );
    assert!(
        info.markdown.contains("Container image name"),
        "{}",
        info.markdown
    );
    assert!(info.markdown.contains(
        "https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.37/#container-v1-core"
    ));
    let offset = u32::try_from(DEPLOYMENT.find("path: /").expect("path")).expect("small");
    let info = hover(DEPLOYMENT, offset + 1, &schemas()).expect("a hover");
    assert!(info.markdown.contains("Default: `/`"), "{}", info.markdown);
    let offset = u32::try_from(DEPLOYMENT.find("Deployment").expect("kind")).expect("small");
    let info = hover(DEPLOYMENT, offset, &schemas()).expect("a hover");
    assert!(
        info.markdown.starts_with("**Deployment** (`apps/v1`)"),
        "{}",
        info.markdown
    );
}

#[test]
fn definitions_and_references_in_the_document() {
    let at = |needle: &str, nth: usize| -> u32 {
        let offset = DEPLOYMENT.match_indices(needle).nth(nth).expect("needle").0;
        u32::try_from(offset + 1).expect("small")
    };
    // The mount's name goes to the volume.
    let volume_name = DEPLOYMENT.rfind("name: data").expect("volume") + "name: ".len();
    let targets = definition(DEPLOYMENT, at("name: data", 0) + 6, &[]);
    assert_eq!(
        targets,
        vec![Target::Here(kls::core::text::TextRange::new(
            u32::try_from(volume_name).expect("small"),
            u32::try_from(volume_name + 4).expect("small")
        ))]
    );
    // And back.
    let uses = references(DEPLOYMENT, u32::try_from(volume_name + 1).expect("small"));
    assert_eq!(uses.len(), 1);
    // The probe's named port goes to the container port.
    let targets = definition(DEPLOYMENT, at("port: http", 0) + 7, &[]);
    let Target::Here(range) = targets[0] else {
        panic!("in the document")
    };
    assert_eq!(
        &DEPLOYMENT[range.start as usize..range.end as usize],
        "http"
    );
    // The selector label goes to the template label.
    let targets = definition(DEPLOYMENT, at("app: web", 0), &[]);
    let Target::Here(range) = targets[0] else {
        panic!("in the document")
    };
    assert_eq!(
        range.start as usize,
        DEPLOYMENT
            .match_indices("app: web")
            .nth(1)
            .expect("label")
            .0
    );
}

#[test]
fn a_service_selector_goes_to_what_it_selects() {
    let workspace = summarize(&format!(
        "{DEPLOYMENT}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: other\n  labels: {{app: api}}\nspec:\n  containers: [{{name: a, image: b}}]\n"
    ));
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n";
    let offset = u32::try_from(service.find("app: web").expect("selector")).expect("small");
    let targets = definition(service, offset, &workspace);
    assert_eq!(targets, vec![Target::Object(0)]);
    assert_eq!(workspace[0].name, "web");
}

fn apply(text: &str, edits: &[kls::core::diagnostic::TextEdit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|it| std::cmp::Reverse(it.range.start));
    let mut res = text.to_owned();
    for edit in edits {
        res.replace_range(
            edit.range.start as usize..edit.range.end as usize,
            &edit.new_text,
        );
    }
    res
}

fn check(text: &str) -> Vec<kls::core::diagnostic::Diagnostic> {
    static STORE: std::sync::OnceLock<SchemaStore> = std::sync::OnceLock::new();
    kls::core::analysis::check(
        text,
        STORE.get_or_init(SchemaStore::bundled),
        &kls::core::settings::Settings::default(),
    )
}

#[test]
fn moving_the_misplaced_template_fixes_the_broken_example() {
    let text = include_str!("../../examples/deployment-broken.yaml");
    let diagnostics = check(text);
    let fix = diagnostics
        .iter()
        .find(|it| it.code == "unknown-field")
        .and_then(|it| it.fix.clone())
        .expect("a fix for the misplaced template");
    assert_eq!(fix.title, "Move `template` under `spec`");
    // Edits that touch the same offset can be applied in either order by a client (Neovim
    // applied the deletion after the insertion and undid the move): they must be apart.
    for (i, a) in fix.edits.iter().enumerate() {
        for b in &fix.edits[i + 1..] {
            assert!(
                a.range.end < b.range.start || b.range.end < a.range.start,
                "edits touch: {:?}",
                fix.edits
            );
        }
    }
    let fixed = apply(text, &fix.edits);
    assert_eq!(fixed, format!("{}", include_str!("../../examples/deployment.yaml").replace(
        "apiVersion: apps/v1",
        "# The Deployment from deployment.yaml with `template:` at the document root\n# instead of under `spec:`, as it circulates in widely shared study notes.\napiVersion: apps/v1"
    )));
    assert!(check(&fixed).is_empty(), "{:?}", check(&fixed));
}

#[test]
fn quick_fixes_for_typos_and_missing_fields() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  contianers:\n    - name: web\n      image: nginx:1.27\n";
    let fix = check(text)
        .into_iter()
        .find_map(|it| it.fix)
        .expect("a rename");
    assert_eq!(fix.title, "Rename to `containers`");
    assert!(check(&apply(text, &fix.edits)).is_empty());
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      protocol: TCP\n";
    let fixed = check(text)
        .into_iter()
        .filter_map(|it| it.fix)
        .fold(text.to_owned(), |acc, fix| apply(&acc, &fix.edits));
    assert_eq!(fixed, text);
    let text =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n";
    let fix = check(text)
        .into_iter()
        .find(|it| it.code == "deployment-selector-missing")
        .and_then(|it| it.fix)
        .expect("add the selector");
    assert_eq!(
        apply(text, &fix.edits),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {}\n  replicas: 1\n"
    );
}
