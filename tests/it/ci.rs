//! kls in CI systems, checked by their own parsers: JUnit XML read by `junitparser`, GitLab
//! Code Quality reports, and the pre-commit hook run by the real `pre-commit`.
//!
//! `.ci/run` installs the Python tools into `target/py`; elsewhere (or with `KLS_PYTHON_VENV`
//! pointing at another venv) a test without them says plainly that it did not run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{Scratch, kls, root};

/// A program of the test venv, or `None` (and a note) where it is not installed.
fn venv_program(name: &str) -> Option<PathBuf> {
    let venv =
        std::env::var_os("KLS_PYTHON_VENV").map_or_else(|| root().join("target/py"), PathBuf::from);
    let program = venv.join("bin").join(name);
    if program.is_file() {
        return Some(program);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install {} for this test",
        program.display()
    );
    eprintln!("NOTE: no {}: this test checks nothing", program.display());
    None
}

/// A Pod with an unknown field whose name needs escaping in XML and a misspelt field.
const AWKWARD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      \"a<b>&'c\\\"\": 1\n  restartPolicyy: Always\n";

const JUNIT_SUMMARY: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        failures = [r for r in case.result if isinstance(r, Failure)]
        cases.append({
            "classname": case.classname,
            "name": case.name,
            "line": case._elem.get("line"),
            "failures": [{"type": f.type, "message": f.message, "text": f.text} for f in failures],
        })
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "cases": cases})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "suites": suites}))
"#;

#[test]
fn junit_reports_read_by_junitparser() {
    let Some(python) = venv_program("python") else {
        return;
    };
    let scratch = Scratch::new("junit");
    scratch.write("awkward.yaml", AWKWARD);
    std::fs::copy(
        root().join("examples/deployment.yaml"),
        scratch.0.join("clean.yaml"),
    )
    .expect("copy");
    let output = kls(&["lint", "--format", "junit", "."], None, &scratch.0);
    assert_eq!(output.status.code(), Some(1));
    let report = scratch.write("report.xml", &String::from_utf8_lossy(&output.stdout));
    let script = scratch.write("summary.py", JUNIT_SUMMARY);
    let parsed = Command::new(python)
        .arg(&script)
        .arg(&report)
        .output()
        .expect("python runs");
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&parsed.stdout).expect("JSON");
    assert_eq!(summary["tests"], 3, "{summary}");
    assert_eq!(summary["failures"], 2, "{summary}");
    let suites = summary["suites"].as_array().expect("suites");
    let awkward = suites
        .iter()
        .find(|it| it["name"] == "./awkward.yaml")
        .expect("a suite for the broken file");
    assert_eq!(awkward["failures"], 2);
    let cases = awkward["cases"].as_array().expect("cases");
    let escaped = &cases[0];
    assert_eq!(escaped["classname"], "./awkward.yaml");
    assert_eq!(escaped["line"], "9");
    assert_eq!(escaped["failures"][0]["type"], "unknown-field");
    let message = escaped["failures"][0]["message"].as_str().expect("message");
    assert!(message.contains(r#"a<b>&'c""#), "{message}");
    let text = escaped["failures"][0]["text"].as_str().expect("text");
    assert!(text.ends_with("--> ./awkward.yaml:9:7"), "{text}");
    assert_eq!(cases[1]["line"], "10");
    assert!(
        cases[1]["failures"][0]["message"]
            .as_str()
            .is_some_and(|it| it.contains("restartPolicy")),
        "{summary}"
    );
    let clean = suites
        .iter()
        .find(|it| it["name"] == "./clean.yaml")
        .expect("a suite for the clean file");
    assert_eq!(clean["failures"], 0);
    assert_eq!(clean["cases"][0]["failures"], serde_json::json!([]));
}

#[test]
fn gitlab_code_quality_has_the_fields_gitlab_reads() {
    let scratch = Scratch::new("gitlab");
    // The same mistake twice in one file: two issues, told apart by their fingerprints.
    let twice = format!("{AWKWARD}---\n{AWKWARD}");
    scratch.write("twice.yaml", &twice);
    let output = kls(&["lint", "--format", "gitlab", "."], None, &scratch.0);
    assert_eq!(output.status.code(), Some(1));
    let issues: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), 4, "{issues:?}");
    let mut fingerprints = std::collections::HashSet::new();
    for issue in issues {
        assert!(
            issue["description"]
                .as_str()
                .is_some_and(|it| !it.is_empty())
        );
        assert!(issue["check_name"].as_str().is_some());
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().expect("severity")),
            "{issue}"
        );
        assert_eq!(issue["location"]["path"], "twice.yaml");
        assert!(
            issue["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|it| it >= 1)
        );
        let fingerprint = issue["fingerprint"].as_str().expect("fingerprint");
        assert!(
            fingerprints.insert(fingerprint.to_owned()),
            "{fingerprint} twice"
        );
    }
    assert_eq!(issues[0]["location"]["lines"]["begin"], 9);
    assert_eq!(issues[0]["check_name"], "unknown-field");
    assert_eq!(issues[0]["severity"], "major");
    // A finding that only moved keeps its fingerprint.
    scratch.write("twice.yaml", &format!("# a comment\n\n{twice}"));
    let moved = kls(&["lint", "--format", "gitlab", "."], None, &scratch.0);
    let moved: serde_json::Value = serde_json::from_slice(&moved.stdout).expect("JSON");
    assert_eq!(moved[0]["location"]["lines"]["begin"], 11);
    for (before, after) in issues.iter().zip(moved.as_array().expect("an array")) {
        assert_eq!(before["fingerprint"], after["fingerprint"]);
    }
}

/// Runs `pre-commit try-repo` of this repository's `kls` hook on `file` of `repo`.
fn try_hook(pre_commit: &Path, repo: &Path, file: &str) -> Output {
    Command::new(pre_commit)
        .args(["try-repo", "--verbose"])
        .arg(root())
        .args(["kls", "--files", file])
        .current_dir(repo)
        // The hook's build goes to a folder of its own under target/, so reruns are
        // incremental; a quicker release profile only changes how long the build takes.
        .env("CARGO_TARGET_DIR", root().join("target/pre-commit"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("PRE_COMMIT_COLOR", "never")
        .env("GIT_AUTHOR_NAME", "kls test")
        .env("GIT_AUTHOR_EMAIL", "test@kls.invalid")
        .env("GIT_COMMITTER_NAME", "kls test")
        .env("GIT_COMMITTER_EMAIL", "test@kls.invalid")
        .stdin(Stdio::null())
        .output()
        .expect("pre-commit runs")
}

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(repo)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn pre_commit_hook_fails_on_a_broken_manifest_and_passes_a_clean_one() {
    let Some(pre_commit) = venv_program("pre-commit") else {
        return;
    };
    let scratch = Scratch::new("pre-commit");
    git(&scratch.0, &["init", "-q", "."]);
    std::fs::copy(
        root().join("examples/deployment-broken.yaml"),
        scratch.0.join("broken.yaml"),
    )
    .expect("copy");
    std::fs::copy(
        root().join("examples/pod.yaml"),
        scratch.0.join("clean.yaml"),
    )
    .expect("copy");
    git(&scratch.0, &["add", "broken.yaml", "clean.yaml"]);

    let broken = try_hook(&pre_commit, &scratch.0, "broken.yaml");
    let text = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(
        broken.status.code(),
        Some(1),
        "{text}\n{}",
        String::from_utf8_lossy(&broken.stderr)
    );
    assert!(text.contains("Failed"), "{text}");
    assert!(
        text.contains(
            "error[unknown-field]: unknown field `template` in Deployment; it belongs under `spec`"
        ),
        "{text}"
    );
    assert!(text.contains("--> broken.yaml:11:1"), "{text}");

    let clean = try_hook(&pre_commit, &scratch.0, "clean.yaml");
    let text = String::from_utf8_lossy(&clean.stdout);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(text.contains("Passed"), "{text}");
}
