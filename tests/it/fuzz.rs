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

/// A small random generator (xorshift), seeded so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces random documents and edits are made of, multi-byte characters and CRLF included.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "  ",
    "- ",
    ": ",
    "name",
    "image",
    "containers",
    "spec",
    "kind: Pod",
    "apiVersion: v1",
    "---\n",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "&a ",
    "*a",
    "<<: ",
    "#",
    "80",
    "1e23",
    "é",
    "日本",
    "😀",
    "\t",
    "|\n",
    "metadata:\n  name: x\n",
    "replicas: ",
];

/// The 0-based line and UTF-16 column of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> serde_json::Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |it| it + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    serde_json::json!({ "line": line, "character": character })
}

/// A random character boundary of `text`.
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `kls lsp` gets random and mutated documents, random edits and random requests, sent back
/// to back; every request must be answered, none with an internal error, and the server must
/// never report a crash. `KLS_FUZZ_LSP_SECS` runs it for longer, `KLS_FUZZ_SEED` replays one.
#[test]
fn the_language_server_survives_random_edits_and_requests() {
    use serde_json::json;

    let seconds: u64 = std::env::var("KLS_FUZZ_LSP_SECS")
        .ok()
        .and_then(|it| it.parse().ok())
        .unwrap_or(0);
    let seed: u64 = std::env::var("KLS_FUZZ_SEED")
        .ok()
        .and_then(|it| it.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(seed | 1);
    let dir = crate::lsp::TempDir::new();
    let mut server = crate::lsp::Server::start_plain(&dir.0);
    let started = std::time::Instant::now();
    let (mut documents, mut requests) = (0usize, 0usize);
    let methods = [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/codeAction",
        "textDocument/diagnostic",
    ];
    loop {
        let enough = if seconds == 0 {
            documents >= 24
        } else {
            started.elapsed().as_secs() >= seconds
        };
        if enough {
            break;
        }
        documents += 1;
        let uri = dir.file_uri(&format!("doc-{documents}.yaml"));
        let mut text = if rng.below(2) == 0 {
            (*rng.pick(SEEDS)).to_owned()
        } else {
            (0..rng.below(60)).map(|_| *rng.pick(PIECES)).collect()
        };
        server.open(&uri, 1, &text);
        let mut asked = Vec::new();
        for version in 2..40 {
            // An edit: replace a random range by random pieces.
            let a = boundary(&mut rng, &text);
            let b = boundary(&mut rng, &text);
            let (start, end) = (a.min(b), a.max(b).min(a.min(b) + 40));
            let mut end = end;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let insert: String = (0..rng.below(4)).map(|_| *rng.pick(PIECES)).collect();
            let range = json!({ "start": position(&text, start), "end": position(&text, end) });
            server.change(&uri, version, json!([{ "range": range, "text": insert }]));
            text.replace_range(start..end, &insert);
            // A few requests at random places, now and then beyond the end of the text.
            for _ in 0..rng.below(3) {
                let method = *rng.pick(&methods);
                let at = if rng.below(10) == 0 {
                    json!({ "line": 100_000, "character": 7 })
                } else {
                    position(&text, boundary(&mut rng, &text))
                };
                let mut params = json!({ "textDocument": { "uri": uri } });
                match method {
                    "textDocument/codeAction" => {
                        params["range"] = json!({ "start": at, "end": at });
                        params["context"] = json!({ "diagnostics": [] });
                    }
                    "textDocument/references" => {
                        params["position"] = at;
                        params["context"] = json!({ "includeDeclaration": true });
                    }
                    "textDocument/documentSymbol"
                    | "textDocument/foldingRange"
                    | "textDocument/diagnostic" => {}
                    _ => params["position"] = at,
                }
                asked.push((method, server.send_request(method, params)));
                requests += 1;
            }
        }
        for (method, id) in asked {
            let response = server.response(id);
            if let Some(error) = response.get("error") {
                let modified = error["code"] == -32801 && method == "textDocument/codeAction";
                assert!(modified, "{method} failed (seed {seed}): {response}");
            }
        }
        server.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }
    // Every answer has come, so any report of a panic has come before it.
    let crashes = server.crash_reports();
    assert!(crashes.is_empty(), "seed {seed}: {crashes:?}");
    eprintln!(
        "lsp fuzz: {documents} documents, {requests} requests, {:.1} s, seed {seed}",
        started.elapsed().as_secs_f64()
    );
    assert!(server.stop().success());
}
