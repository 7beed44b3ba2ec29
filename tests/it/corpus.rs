//! The real-world corpus (`../shared/corpus`, or `KLS_CORPUS`), read in place.
//!
//! The valid side must produce no error except the genuinely broken documents listed with a
//! reason in `tests/corpus/allowlist.tsv`; every in-scope defect of the invalid side
//! (`tests/corpus/expected-invalid.tsv`, from the corpus's `invalid/EXPECTED.md`) must be
//! reported on its line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kls::cli::lint_paths;
use kls::core::diagnostic::Severity;
use kls::core::schema::SchemaStore;
use kls::core::settings::Settings;
use kls::core::text::PositionEncoding;

/// The corpus folder, or `None` (said plainly) when it is not there.
fn corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KLS_CORPUS") {
        let dir = PathBuf::from(dir);
        assert!(dir.is_dir(), "KLS_CORPUS={} is not a folder", dir.display());
        return Some(dir);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "NOTE: no corpus at {} and KLS_CORPUS is not set: the corpus tests check nothing",
            dir.display()
        );
        None
    }
}

/// `(file relative to the corpus, 1-based line, code)` for every diagnostic of `severity` or worse.
fn findings(corpus: &Path, sub: &str, min: Severity) -> BTreeSet<(String, u32, String)> {
    let store = SchemaStore::bundled();
    let target = corpus.join(sub);
    let outcome = lint_paths(
        &[target.display().to_string()],
        &[],
        "<stdin>",
        &store,
        &Settings::default(),
    );
    assert!(outcome.unreadable.is_empty(), "{:?}", outcome.unreadable);
    let mut res = BTreeSet::new();
    for file in &outcome.files {
        let relative = Path::new(&file.path)
            .strip_prefix(corpus)
            .expect("inside the corpus")
            .display()
            .to_string();
        for diagnostic in file.diagnostics.iter().filter(|it| it.severity >= min) {
            let line = file
                .line_index
                .line_col(&file.text, diagnostic.range.start, PositionEncoding::Utf16)
                .line;
            res.insert((relative.clone(), line + 1, diagnostic.code.to_owned()));
        }
    }
    res
}

fn table(name: &str) -> BTreeSet<(String, u32, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|it| !it.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let file = fields.next().expect("file").to_owned();
            let number = fields
                .next()
                .and_then(|it| it.parse().ok())
                .expect("a line number");
            let code = fields.next().expect("code").to_owned();
            let reason = fields.next().unwrap_or_default();
            assert!(
                !reason.trim().is_empty(),
                "{name}: `{line}` gives no reason"
            );
            (file, number, code)
        })
        .collect()
}

#[test]
fn no_false_errors_on_the_valid_side() {
    let Some(corpus) = corpus() else { return };
    let allowed = table("allowlist.tsv");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(&corpus).expect("corpus readable") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if path.is_dir() && name != "invalid" {
            found.extend(findings(&corpus, &name, Severity::Error));
        }
    }
    let unexpected: Vec<_> = found.difference(&allowed).collect();
    let stale: Vec<_> = allowed.difference(&found).collect();
    assert!(
        unexpected.is_empty(),
        "errors on real manifests that are not allowed: {unexpected:#?}"
    );
    assert!(
        stale.is_empty(),
        "allowlisted defects no longer reported: {stale:#?}"
    );
}

#[test]
fn intended_defects_are_reported_on_their_line() {
    let Some(corpus) = corpus() else { return };
    let found = findings(&corpus, "invalid", Severity::Warning);
    let expected = table("expected-invalid.tsv");
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(
        missing.is_empty(),
        "intended defects not reported on their line: {missing:#?}"
    );
}
