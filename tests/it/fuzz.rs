//! No panic on any input: random bytes, random YAML-ish text and random mutations of real
//! manifests all go through the whole analysis.

use std::sync::OnceLock;

use kls::core::analysis;
use kls::core::schema::SchemaStore;
use kls::core::settings::Settings;
use proptest::prelude::*;

fn store() -> &'static SchemaStore {
    static STORE: OnceLock<SchemaStore> = OnceLock::new();
    STORE.get_or_init(SchemaStore::bundled)
}

fn check_all(text: &str) {
    let diagnostics = analysis::check(text, store(), &Settings::default());
    for diagnostic in diagnostics {
        assert!(diagnostic.range.end as usize <= text.len());
        assert!(text.is_char_boundary(diagnostic.range.start as usize));
        assert!(text.is_char_boundary(diagnostic.range.end as usize));
    }
}

const SEEDS: &[&str] = &[
    include_str!("../../examples/deployment.yaml"),
    include_str!("../../examples/deployment-broken.yaml"),
    include_str!("../../examples/pod.yaml"),
    "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers: [{name: a, image: b, ports: [{containerPort: 80}]}]\n",
    "a: &x {b: [1, *x]}\n---\n<<: [*y]\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text(text in "(?s).{0,300}") {
        check_all(&text);
    }

    #[test]
    fn yamlish_text(text in "([ \\t]{0,6}(-|[a-z]{1,8}:|\"|'|&a|\\*a|<<:|---|\\.\\.\\.|\\{|\\}|\\[|\\]|#|,|\\|| |[0-9]{1,4}|\u{e9}|\u{1F600})*\r?\n){0,20}") {
        check_all(&text);
    }

    /// The reader's own paths: block scalars that end the text, go-yaml's escapes (each
    /// `\'` costs a re-parse), merges, anchors, directives, document ends, control characters.
    #[test]
    fn yaml_reader_paths(text in "(( {0,4}|\t)(-|[a-z]{1,3}:|<<:|\\||\\|[-+]|>|\"|'|\\\\'|\\\\/|\\\\u[0-9A-F]{0,4}|\\\\x2|&a|\\*a|!!str|!|%YAML 1.1|\\.\\.\\.|---|\\[|\\]|\\{|\\}|,|#|\u{0}|\u{7}|\u{85}|\u{2028}| |[0-9]{1,3}|\u{e9})*(\r?\n)?){0,12}") {
        check_all(&text);
    }

    #[test]
    fn mutated_manifests(seed in 0..SEEDS.len(), edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..8)) {
        let mut text: Vec<char> = SEEDS[seed].chars().collect();
        for (at, op, ch) in edits {
            if text.is_empty() {
                text.push(ch);
                continue;
            }
            let i = at.index(text.len());
            match op {
                0 => { text.remove(i); }
                1 => text.insert(i, ch),
                2 => text[i] = ch,
                _ => {
                    // Duplicate a line, a common editing accident.
                    let line: Vec<char> = text[i..].iter().take_while(|c| **c != '\n').copied().collect();
                    let start = i;
                    for (k, c) in line.into_iter().enumerate() { text.insert(start + k, c); }
                }
            }
        }
        let text: String = text.into_iter().collect();
        check_all(&text);
    }
}

#[test]
fn deep_nesting_and_alias_bombs_do_not_crash() {
    let deep = format!(
        "apiVersion: v1\nkind: Pod\nspec: {}{}\n",
        "[".repeat(2000),
        "]".repeat(2000)
    );
    check_all(&deep);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        bomb.push_str(&format!(
            "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
            p = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            }
        ));
    }
    bomb.push_str("apiVersion: v1\nkind: ConfigMap\n");
    check_all(&bomb);
}

#[test]
fn reader_corner_cases_do_not_crash() {
    let mut many_escapes = String::from("apiVersion: v1\nkind: ConfigMap\ndata:\n");
    for i in 0..200 {
        many_escapes.push_str(&format!("  k{i}: \"it\\'s \\/\"\n"));
    }
    let just_under = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n",
        "[".repeat(998),
        "]".repeat(998)
    );
    for text in [
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: |",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: |+\n    x\n  ",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"\\",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"\\u12",
        "apiVersion: v1\nkind: ConfigMap\n...\n%YAML 1.1\n%TAG ! tag:x,2000:\n--- !a\nb: 1",
        "apiVersion: v1\nkind: ConfigMap\ndata: &d {<<: *d}\n",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  <<: [1, *x, {a: b}]\n",
        "\u{feff}apiVersion: v1\r\nkind: ConfigMap\r\ndata: {a: \"\\x00\u{85}\"}\u{2028}",
        &many_escapes,
        &just_under,
    ] {
        check_all(text);
    }
}
