//! Rule tests: annotated fixtures for every rule, the examples in every rule's documentation,
//! and the shape of the rule registry.

use std::path::{Path, PathBuf};

use kls::core::analysis;
use kls::core::diagnostic::Diagnostic;
use kls::core::rules;
use kls::core::schema::SchemaStore;
use kls::core::settings::Settings;
use kls::core::text::{LineIndex, PositionEncoding};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn check(text: &str) -> Vec<Diagnostic> {
    static STORE: std::sync::OnceLock<SchemaStore> = std::sync::OnceLock::new();
    // Every report on, the one that is only given when asked for included.
    let settings = Settings {
        report_unused_suppressions: true,
        ..Settings::default()
    };
    analysis::check(text, STORE.get_or_init(SchemaStore::bundled), &settings)
}

/// An expected diagnostic: `(line, start column, length, severity, code)`, columns in characters.
type Expected = (u32, u32, u32, String, String);

/// Reads the caret annotations: a comment line `#   ^^^ error[code]` under the line it marks.
fn annotations(text: &str) -> Vec<Expected> {
    let mut res = Vec::new();
    let mut target_line = None;
    for (number, line) in text.lines().enumerate() {
        let number = u32::try_from(number).expect("small fixture");
        let is_annotation =
            line.starts_with('#') && line.trim_start_matches(['#', ' ']).starts_with('^');
        if !is_annotation {
            target_line = Some(number);
            continue;
        }
        let Some(target) = target_line else {
            panic!("annotation on line {} has no line above it", number + 1);
        };
        let start = line.find('^').expect("a caret");
        let carets = line[start..].chars().take_while(|c| *c == '^').count();
        let label = line[start + carets..].trim();
        let (severity, code) = label
            .strip_suffix(']')
            .and_then(|it| it.split_once('['))
            .unwrap_or_else(|| panic!("annotation on line {} needs `severity[code]`", number + 1));
        res.push((
            target,
            u32::try_from(line[..start].chars().count()).expect("short line"),
            u32::try_from(carets).expect("short line"),
            severity.to_owned(),
            code.to_owned(),
        ));
    }
    res
}

/// The diagnostics of `code` in the same shape as the annotations.
fn actual(text: &str, code: &str) -> Vec<Expected> {
    let index = LineIndex::new(text);
    let mut res: Vec<Expected> = check(text)
        .into_iter()
        .filter(|it| it.code == code)
        .map(|it| {
            let start = index.line_col(text, it.range.start, PositionEncoding::Utf32);
            let line_end = index.line_range(text, start.line).end;
            let end = index.line_col(text, it.range.end.min(line_end), PositionEncoding::Utf32);
            (
                start.line,
                start.col,
                (end.col - start.col).max(1),
                it.severity.as_str().to_owned(),
                it.code.to_owned(),
            )
        })
        .collect();
    res.sort();
    res
}

#[test]
fn every_rule_has_fixtures_that_behave() {
    let mut failures = Vec::new();
    for rule in rules::all() {
        let id = rule.meta().id;
        let dir = fixtures_dir().join(id);
        let invalid = dir.join("invalid.yaml");
        let valid = dir.join("valid.yaml");
        let (Ok(invalid_text), Ok(valid_text)) = (
            std::fs::read_to_string(&invalid),
            std::fs::read_to_string(&valid),
        ) else {
            failures.push(format!(
                "{id}: missing {}/{{invalid,valid}}.yaml",
                dir.display()
            ));
            continue;
        };
        let mut expected = annotations(&invalid_text);
        expected.sort();
        if expected.is_empty() {
            failures.push(format!("{id}: invalid.yaml has no annotation"));
        }
        if let Some(other) = expected.iter().find(|it| it.4 != id) {
            failures.push(format!(
                "{id}: invalid.yaml annotates another rule: {other:?}"
            ));
        }
        let got = actual(&invalid_text, id);
        if got != expected {
            failures.push(format!(
                "{id}: invalid.yaml\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
        let noise: Vec<String> = check(&valid_text)
            .into_iter()
            .map(|it| format!("{}: {}", it.code, it.message))
            .collect();
        if !noise.is_empty() {
            failures.push(format!("{id}: valid.yaml is not clean: {noise:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let ids: Vec<&str> = rules::all().iter().map(|it| it.meta().id).collect();
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures exist") {
        let name = entry
            .expect("readable")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            ids.contains(&name.as_str()),
            "fixture folder `{name}` has no rule"
        );
    }
}

/// Every rule's documentation has the three headings and an example that fires; plain `yaml`
/// examples must stay quiet.
#[test]
fn documentation_examples_behave() {
    let mut failures = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        for heading in ["## What it flags", "## Why it matters", "## Example"] {
            if !meta.docs.contains(heading) {
                failures.push(format!("{}: no `{heading}`", meta.id));
            }
        }
        let mut firing = 0;
        for (info, example) in code_blocks(meta.docs) {
            let fired = check(&example).iter().any(|it| it.code == meta.id);
            match info.as_str() {
                "yaml,expect_diagnostic" => {
                    firing += 1;
                    if !fired {
                        failures.push(format!("{}: example does not fire:\n{example}", meta.id));
                    }
                }
                "yaml" if fired => {
                    failures.push(format!("{}: quiet example fires:\n{example}", meta.id));
                }
                _ => {}
            }
        }
        if firing == 0 {
            failures.push(format!("{}: no `yaml,expect_diagnostic` example", meta.id));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn code_blocks(docs: &str) -> Vec<(String, String)> {
    let mut res = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in docs.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        if let Some(fence) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => res.push(block),
                None => current = Some((fence.trim().to_owned(), String::new())),
            }
        } else if let Some((_, body)) = &mut current {
            body.push_str(line);
            body.push('\n');
        }
    }
    res
}

#[test]
fn rule_ids_are_unique_kebab_case_and_sorted() {
    let ids: Vec<&str> = rules::all().iter().map(|it| it.meta().id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "ids must be unique and listed in order");
    for id in ids {
        assert!(
            id.split('-').all(|part| !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "`{id}` is not kebab-case"
        );
    }
}

/// Every rule id of the validation spec (sections A to J) has a rule.
#[test]
fn every_rule_of_the_spec_exists() {
    // The spec sits beside the corpus; CI names the corpus, so there it must be found.
    let shared = std::env::var_os("KLS_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        |corpus| Path::new(&corpus).join(".."),
    );
    let spec = shared.join("spec/validation-rules.md");
    let Ok(spec) = std::fs::read_to_string(&spec) else {
        assert!(
            std::env::var_os("KLS_CORPUS").is_none(),
            "KLS_CORPUS is set but {} is missing",
            spec.display()
        );
        eprintln!("NOTE: the validation spec is not beside the checkout; this check did nothing");
        return;
    };
    let mut missing = Vec::new();
    for line in spec.lines().filter(|it| it.starts_with("| `")) {
        let id = line[3..].split('`').next().unwrap_or_default();
        if !id.is_empty() && id.contains('-') && rules::by_id(id).is_none() {
            missing.push(id.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "rules of the spec without an implementation: {missing:?}"
    );
}

/// A rule about something missing cannot be right about a patch, which leaves out on purpose
/// what the object it is merged into has.
#[test]
fn rules_about_missing_fields_skip_patches() {
    let checking: Vec<&str> = rules::all()
        .iter()
        .map(|it| it.meta())
        .filter(|it| it.id.ends_with("-missing") && it.in_patches)
        .map(|it| it.id)
        .collect();
    assert!(
        checking.is_empty(),
        "declare these with `in_patches: false`: {checking:?}"
    );
}
