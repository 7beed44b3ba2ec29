//! Suppressions (`# kls: ignore[…]`, `kls.dev/ignore`) and baselines, through `kls lint`.

use std::process::Output;

use crate::support::{Scratch, kls};

/// `(line, code)` of each finding, 1-based lines, from `--format json`.
fn findings(output: &Output) -> Vec<(u64, String)> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    json.as_array()
        .expect("an array")
        .iter()
        .map(|it| {
            (
                it["range"]["start"]["line"].as_u64().expect("line") + 1,
                it["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

fn pod(name: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n    - name: web\n      image: nginx\n{extra}"
    )
}

#[test]
fn comments_and_annotations_suppress_where_they_apply() {
    let scratch = Scratch::new("scopes");
    let text = [
        // Line 1: the whole file, for one rule; a misspelt id is reported.
        "# kls: ignore-file[pod-restart-policy-invalid, no-such-rule]\n".to_owned(),
        // Lines 2-13: at the end of a line, and on the line above.
        pod(
            "Web # kls: ignore[metadata-name-invalid]",
            "      # kls: ignore[unknown-field]\n      foo: 1\n      bar: 2\n  restartPolicy: Sometimes\n",
        ),
        // Lines 14-25: the whole document, from above its first key.
        "---\n# kls: ignore[unknown-field]\n".to_owned(),
        pod("web", "      baz: 1\n      qux: 2\n"),
        // Lines 26-37: an annotation on the object.
        "---\n".to_owned(),
        pod(
            "Web\n  annotations:\n    kls.dev/ignore: metadata-name-invalid, probe-port-invalid",
            "      quux: 1\n",
        ),
    ]
    .concat();
    scratch.write("pods.yaml", &text);
    let output = kls(&["lint", "--format", "json", "pods.yaml"], None, &scratch.0);
    let found = findings(&output);
    assert_eq!(
        found,
        vec![
            (1, "suppression-unknown-rule".to_owned()),
            (12, "unknown-field".to_owned()),
            (37, "unknown-field".to_owned()),
        ],
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // Without the comments, the same file has every finding.
    let mut bare = String::new();
    for line in text.lines() {
        if !line.trim_start().starts_with("# kls") && !line.contains("kls.dev/ignore") {
            bare.push_str(line.split(" # kls").next().unwrap_or(line));
            bare.push('\n');
        }
    }
    scratch.write("bare.yaml", &bare);
    let bare = findings(&kls(
        &["lint", "--format", "json", "bare.yaml"],
        None,
        &scratch.0,
    ));
    for code in [
        "metadata-name-invalid",
        "pod-restart-policy-invalid",
        "unknown-field",
    ] {
        assert!(
            bare.iter().filter(|it| it.1 == code).count() >= 1,
            "{code}: {bare:?}"
        );
    }
    assert_eq!(
        bare.iter().filter(|it| it.1 == "unknown-field").count(),
        5,
        "{bare:?}"
    );

    // Asked for, the ids that suppressed nothing are reported where they are written.
    let output = kls(
        &[
            "lint",
            "--format",
            "json",
            "--report-unused-suppressions",
            "pods.yaml",
        ],
        None,
        &scratch.0,
    );
    let unused: Vec<(u64, String)> = findings(&output)
        .into_iter()
        .filter(|it| it.1 == "suppression-unused")
        .collect();
    assert_eq!(
        unused,
        vec![(32, "suppression-unused".to_owned())],
        "probe-port-invalid suppresses nothing: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_baseline_keeps_old_findings_out_and_lets_new_ones_in() {
    let scratch = Scratch::new("baseline");
    let broken = pod("Web", "      foo: 1\n");
    scratch.write("pod.yaml", &broken);
    let write = kls(
        &["lint", "--write-baseline", "kls-baseline.json", "."],
        None,
        &scratch.0,
    );
    assert_eq!(
        write.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    let baseline: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(scratch.0.join("kls-baseline.json")).expect("written"),
    )
    .expect("JSON");
    assert_eq!(baseline["version"], 1);
    let rules = baseline["files"]["pod.yaml"]
        .as_object()
        .expect("keyed by file");
    assert!(rules.contains_key("unknown-field"), "{baseline}");
    assert!(rules.contains_key("metadata-name-invalid"), "{baseline}");

    let quiet = kls(
        &["lint", "--baseline", "kls-baseline.json", "."],
        None,
        &scratch.0,
    );
    assert_eq!(
        quiet.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&quiet.stdout)
    );

    // Lines added above move the old findings; a second unknown field is new.
    scratch.write(
        "pod.yaml",
        &format!("# moved down\n\n{broken}      bar: 2\n"),
    );
    let output = kls(
        &[
            "lint",
            "--format",
            "json",
            "--baseline",
            "kls-baseline.json",
            ".",
        ],
        None,
        &scratch.0,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(findings(&output), vec![(12, "unknown-field".to_owned())]);

    scratch.write("bad.json", "{\"version\": 9, \"files\": {}}");
    let bad = kls(&["lint", "--baseline", "bad.json", "."], None, &scratch.0);
    assert_eq!(bad.status.code(), Some(2));
}
