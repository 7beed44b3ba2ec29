//! The bounds of `docs/limits.md`: deep documents are checked on the stack the checking threads
//! get, and each check that once took quadratic time scales linearly (doubling the input at
//! most about doubles the time; the ratio is generous, so a loaded machine does not fail it).

use std::time::{Duration, Instant};

use kls::core::analysis;
use kls::core::diagnostic::Diagnostic;
use kls::core::limits::{SCHEMA_DEPTH, WORKER_STACK_SIZE};
use kls::core::schema::SchemaStore;
use kls::core::settings::Settings;
use kls::core::text::TextRange;
use kls::core::yaml::{Node, NodeKind, Scalar, ScalarStyle, ScalarValue};

fn store() -> &'static SchemaStore {
    static STORE: std::sync::OnceLock<SchemaStore> = std::sync::OnceLock::new();
    STORE.get_or_init(SchemaStore::bundled)
}

fn check(text: &str) -> Vec<Diagnostic> {
    analysis::check(text, store(), &Settings::default())
}

/// Runs `test` on a thread with the stack the checking threads get.
fn on_worker_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(WORKER_STACK_SIZE)
        .spawn(test)
        .expect("a thread")
        .join()
        .expect("the test passes");
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|it| it.code).collect()
}

/// `levels` nested one-item lists around `x`, built directly.
fn nested(levels: usize) -> Node {
    let range = TextRange::empty(0);
    let mut node = Node {
        range,
        kind: NodeKind::Scalar(Scalar {
            text: "x".to_owned(),
            style: ScalarStyle::Plain,
            value: ScalarValue::String,
        }),
    };
    for _ in 0..levels {
        node = Node {
            range,
            kind: NodeKind::Sequence(vec![node]),
        };
    }
    node
}

#[test]
fn deep_trees_convert_and_walk_without_recursion() {
    on_worker_stack(|| {
        let node = nested(100_000);
        let mut count = 0;
        node.walk(&mut |_| count += 1);
        assert_eq!(count, 100_001);
        let (json, cut) = node.to_json_within(usize::MAX);
        assert!(!cut);
        // Take the value apart level by level: its own drop would recurse.
        let mut value = json;
        let mut levels = 0;
        while let serde_json::Value::Array(mut items) = value {
            value = items.pop().expect("one item");
            levels += 1;
        }
        assert_eq!((levels, value), (100_000, serde_json::json!("x")));
        let (json, cut) = node.to_json_within(3);
        assert_eq!((json, cut), (serde_json::json!([[[[]]]]), true));
    });
}

#[test]
fn a_document_nested_ten_thousand_levels_is_checked() {
    on_worker_stack(|| {
        let deep = "- ".repeat(10_000);
        let text =
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  {deep}x\n");
        // The reader cuts the tree at its nesting limit and says so; the rest is checked.
        assert_eq!(
            sorted(codes(&check(&text))),
            ["type-mismatch", "yaml-nesting-too-deep"]
        );
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      extra:\n        {deep}x\n"
        );
        assert_eq!(
            sorted(codes(&check(&text))),
            ["unknown-field", "yaml-nesting-too-deep"]
        );
    });
}

/// A CustomResourceDefinition whose schema nests `allOf` `levels` times (each a key and an
/// index: two levels of the document), with `type: 5` (not a string) at the bottom and at
/// the top.
fn nested_crd(levels: usize) -> String {
    let mut text = String::from(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n",
    );
    let mut indent = " ".repeat(8);
    text.push_str(&format!("{indent}type: 5\n{indent}allOf:\n"));
    for level in 1..=levels {
        text.push_str(&format!("{indent}- "));
        text.push_str(if level == levels {
            "type: 5\n"
        } else {
            "allOf:\n"
        });
        indent.push_str("  ");
    }
    text
}

#[test]
fn schema_validation_stops_at_its_depth() {
    on_worker_stack(|| {
        // The schema starts 7 levels down: spec, versions, 0, schema, openAPIV3Schema.
        let shallow = check(&nested_crd(10));
        assert_eq!(
            codes(&shallow),
            ["type-mismatch", "type-mismatch"],
            "{shallow:?}"
        );
        // Past the reader's nesting limit (no deeper than `SCHEMA_DEPTH`) the tree is cut, so
        // the error at the bottom is not read; the one at the top still is.
        let deep = check(&nested_crd(SCHEMA_DEPTH / 2 + 10));
        assert_eq!(
            sorted(codes(&deep)),
            ["type-mismatch", "yaml-nesting-too-deep"],
            "{deep:?}"
        );
    });
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

/// The shortest of three runs of `work`.
fn fastest(work: &dyn Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Checks that `make(2n)` takes less than 3.5 times as long as `make(n)` to check.
fn scales_linearly(n: usize, make: fn(usize) -> String, expect: fn(&[Diagnostic], usize)) {
    let small = make(n);
    let large = make(2 * n);
    expect(&check(&small), n);
    expect(&check(&large), 2 * n);
    let small_time = fastest(&|| drop(check(&small)));
    let large_time = fastest(&|| drop(check(&large)));
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-6);
    assert!(
        ratio < 3.5,
        "{n} took {small_time:?}, {} took {large_time:?}: {ratio:.1} times as long",
        2 * n
    );
}

/// `n` lines (or groups of lines) made by `line`.
fn lines(n: usize, line: impl Fn(usize) -> String) -> String {
    let mut res = String::new();
    for i in 0..n {
        res.push_str(&line(i));
    }
    res
}

fn pod(body: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n{body}"
    )
}

#[test]
fn identical_ports_take_linear_time() {
    scales_linearly(
        2_000,
        |n| {
            pod(&format!(
                "      ports:\n{}",
                "        - containerPort: 80\n".repeat(n)
            ))
        },
        |diagnostics, n| {
            let duplicates = diagnostics
                .iter()
                .filter(|it| it.code == "container-port-duplicate")
                .count();
            assert_eq!(duplicates, n - 1);
        },
    );
}

#[test]
fn ports_with_distinct_host_ports_take_linear_time() {
    scales_linearly(
        2_000,
        |n| {
            let ports = lines(n, |i| {
                format!("        - {{containerPort: 80, hostPort: {}}}\n", 1000 + i)
            });
            pod(&format!("      ports:\n{ports}"))
        },
        |diagnostics, _| assert_eq!(codes(diagnostics), Vec::<&str>::new()),
    );
}

#[test]
fn unknown_fields_are_reported_in_linear_time() {
    // Spread over containers, so that the parser's work per mapping stays small.
    scales_linearly(
        500,
        |n| {
            let containers = lines(n, |i| {
                let fields = lines(20, |f| format!("      extra{f}: 1\n"));
                format!("    - name: c{i}\n      image: nginx:1.27\n{fields}")
            });
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n{containers}"
            )
        },
        |diagnostics, n| {
            let unknown = diagnostics
                .iter()
                .filter(|it| it.code == "unknown-field")
                .count();
            assert_eq!(unknown, 20 * n);
        },
    );
}

#[test]
fn many_volumes_and_mounts_take_linear_time() {
    scales_linearly(
        1_000,
        |n| {
            let volumes = lines(n, |i| format!("    - {{name: v{i}, emptyDir: {{}}}}\n"));
            let mounts = lines(n, |i| {
                format!("        - {{name: v{i}, mountPath: /m/{i}}}\n")
            });
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n{volumes}  containers:\n    - name: c\n      image: nginx:1.27\n      volumeMounts:\n{mounts}"
            )
        },
        |diagnostics, _| assert_eq!(codes(diagnostics), Vec::<&str>::new()),
    );
}

#[test]
fn a_file_of_many_documents_takes_linear_time() {
    scales_linearly(
        300,
        |n| {
            lines(n, |i| {
                format!(
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  labels: {{app: a{i}}}\nspec:\n  containers:\n    - {{name: c, image: nginx:1.27}}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  selector: {{app: b{i}}}\n  ports:\n    - port: 80\n---\n"
                )
            })
        },
        |diagnostics, n| {
            let unmatched = diagnostics
                .iter()
                .filter(|it| it.code == "service-selector-no-match")
                .count();
            assert_eq!(unmatched, n);
        },
    );
}
