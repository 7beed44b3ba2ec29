//! kls's YAML reader against libyaml itself: PyYAML's C parser (`yaml.CSafeLoader`) decides
//! which texts `kubectl` would refuse, and `yaml_reference.py` builds the values as go-yaml v2
//! and sigs.k8s.io/yaml do. Documents come from the corpus as they are, mutated, and from a
//! generator of the constructs where YAML readers differ.
//!
//! `cargo test` runs a sample (CI sets `KLS_REQUIRE_LIBYAML`, so there it cannot be skipped);
//! a longer run:
//! `KLS_YAML_DIFF_COUNT=200000 KLS_YAML_DIFF_SEED=7 cargo test --release --test it yaml_diff`.
//! The figures are in `docs/yaml.md`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kls::core::yaml::{self, SyntaxErrorKind};
use serde_json::Value;

/// A small deterministic generator (xorshift64*), so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces of lines where YAML readers differ: flow collections across lines, quoted scalars
/// continued at any column, block scalars, comments, anchors, tabs, document markers.
const PIECES: &[&str] = &[
    "key: ",
    "a: ",
    "- ",
    "-",
    "? ",
    ": ",
    "  ",
    " ",
    "    ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ",",
    "[a, b]",
    "{x: 1}",
    "'single",
    "quoted'",
    "'it''s'",
    "\"double",
    "quoted\"",
    "\"esc \\n \\t \\\" \\x41 \\u00e9 \\U0001F600\"",
    "\"bad \\q\"",
    "\"\\uDC00\"",
    "\\",
    "|",
    "|-",
    "|+",
    ">",
    ">-",
    "|2",
    "# comment",
    " # c",
    "&anc ",
    "*anc",
    "&x",
    "*x",
    "<<: ",
    "!!str ",
    "!!int ",
    "!tag ",
    "---",
    "...",
    "--- ",
    "%YAML 1.1",
    "0644",
    "yes",
    "1e23",
    "~",
    "null",
    "é",
    "日本",
    "😀",
    "@",
    "`",
    "%",
    "x",
    "value",
    "1",
    ":",
    "\"",
    "'",
    "#",
    "\"it\\'s\"",
    "\"a\\/b\"",
    "<<: *x",
    "<<: [*x]",
];

fn generated(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..=rng.below(8) {
        let indent = rng.below(4) * 2 + usize::from(rng.below(5) == 0);
        text.push_str(&" ".repeat(indent));
        for _ in 0..=rng.below(4) {
            text.push_str(rng.pick(PIECES));
        }
        if rng.below(12) != 0 {
            text.push('\n');
        }
    }
    text
}

fn mutated(rng: &mut Rng, seed: &str) -> String {
    let mut lines: Vec<String> = seed.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return generated(rng);
    }
    // Keep documents small: a window of the file.
    let start = rng.below(lines.len());
    let end = (start + 5 + rng.below(40)).min(lines.len());
    lines = lines[start.saturating_sub(rng.below(10))..end].to_vec();
    for _ in 0..=rng.below(3) {
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => lines.insert(i, generated(rng).trim_end_matches('\n').to_owned()),
            1 => {
                let line = &mut lines[i];
                let at = rng.below(line.len() + 1);
                if line.is_char_boundary(at) {
                    line.insert_str(at, rng.pick(PIECES));
                }
            }
            2 => {
                let line = &mut lines[i];
                let trimmed = line.trim_start().to_owned();
                *line = format!("{}{trimmed}", " ".repeat(rng.below(9)));
            }
            3 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            4 => {
                let line = &mut lines[i];
                if let Some(at) = line.find(' ') {
                    line.replace_range(at..=at, "\t");
                }
            }
            _ => {
                lines.remove(i);
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
        }
    }
    let mut text = lines.join("\n");
    if rng.below(8) != 0 {
        text.push('\n');
    }
    text
}

fn corpus_files() -> Vec<String> {
    let dir = std::env::var_os("KLS_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|it| it == "yaml" || it == "yml")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                files.push(text);
            }
        }
    }
    files.sort();
    files
}

/// A Python with PyYAML built on libyaml, or `None` (said plainly).
fn reference() -> Option<std::process::Child> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/yaml_reference.py");
    let probe = Command::new("python3")
        .args([
            "-c",
            "import yaml, sys; sys.exit(0 if yaml.__with_libyaml__ else 1)",
        ])
        .status();
    if !probe.is_ok_and(|it| it.success()) {
        assert!(
            std::env::var_os("KLS_REQUIRE_LIBYAML").is_none(),
            "KLS_REQUIRE_LIBYAML is set but python3 with PyYAML built on libyaml is missing"
        );
        eprintln!(
            "NOTE: python3 with PyYAML built on libyaml is missing (`pip install pyyaml`): \
             the YAML differential test checks nothing"
        );
        return None;
    }
    Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()
}

/// Whether two JSON values agree, numbers compared as numbers.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// go-yaml's own escapes: `\'` accepted, `\/` rejected (libyaml does the opposite).
fn uses_go_yaml_escapes(text: &str) -> bool {
    text.contains("\\'") || text.contains("\\/")
}

#[test]
fn yaml_reading_agrees_with_libyaml_and_go_yaml() {
    let count: usize = std::env::var("KLS_YAML_DIFF_COUNT")
        .ok()
        .and_then(|it| it.parse().ok())
        .unwrap_or(4000);
    let seed: u64 = std::env::var("KLS_YAML_DIFF_SEED")
        .ok()
        .and_then(|it| it.parse().ok())
        .unwrap_or(1);
    let Some(mut child) = reference() else {
        return;
    };
    let corpus = corpus_files();
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut documents: Vec<String> = corpus.clone();
    while documents.len() < count.max(corpus.len()) {
        let text = if !corpus.is_empty() && rng.below(2) == 0 {
            let seed = &corpus[rng.below(corpus.len())];
            mutated(&mut rng, seed)
        } else {
            generated(&mut rng)
        };
        documents.push(text);
    }
    let mut stdin = child.stdin.take().expect("piped");
    let writer = {
        let documents = documents.clone();
        std::thread::spawn(move || {
            for text in &documents {
                let ok = writeln!(stdin, "{}", text.len()).is_ok()
                    && stdin.write_all(text.as_bytes()).is_ok();
                if !ok {
                    break;
                }
            }
        })
    };
    let answers = BufReader::new(child.stdout.take().expect("piped"));
    let (mut accept_agree, mut values_tried, mut values_agree, mut escapes) = (0, 0, 0, 0);
    let mut differences = Vec::new();
    for (text, line) in documents.iter().zip(answers.lines()) {
        let answer: Value = serde_json::from_str(&line.expect("an answer")).expect("JSON");
        let parsed = yaml::parse(text);
        let rejection = parsed
            .documents
            .iter()
            .flat_map(|it| &it.errors)
            .find(|it| it.kind == SyntaxErrorKind::Malformed);
        let reference_ok = answer["ok"] == Value::Bool(true);
        if rejection.is_none() == reference_ok {
            accept_agree += 1;
        } else if uses_go_yaml_escapes(text) {
            escapes += 1;
        } else {
            differences.push(format!(
                "{text:?}\n  kls: {:?}\n  libyaml: {}",
                rejection.map(|it| &it.message),
                answer.get("error").unwrap_or(&Value::Null)
            ));
            continue;
        }
        let deep = parsed
            .documents
            .iter()
            .flat_map(|it| &it.errors)
            .any(|it| it.kind == SyntaxErrorKind::NestingTooDeep);
        if let (None, Some(Value::Array(expected)), false) = (rejection, answer.get("values"), deep)
        {
            values_tried += 1;
            let actual: Vec<Value> = parsed
                .documents
                .iter()
                .filter_map(|it| it.root.as_ref())
                .filter(|it| !it.is_null())
                .map(kls::core::yaml::Node::to_json)
                .collect();
            if same(
                &Value::Array(actual.clone()),
                &Value::Array(expected.clone()),
            ) {
                values_agree += 1;
            } else {
                differences.push(format!(
                    "{text:?}\n  kls values: {}\n  go-yaml values: {}",
                    Value::Array(actual),
                    Value::Array(expected.clone())
                ));
            }
        }
    }
    writer.join().expect("the writer");
    let _ = child.wait();
    eprintln!(
        "YAML differential (seed {seed}): {} documents, accept/reject agree on {accept_agree} \
         ({escapes} more differ only by go-yaml's escapes), values compared on {values_tried}, \
         agree on {values_agree}",
        documents.len()
    );
    assert!(
        differences.is_empty(),
        "{} differences, the first ones:\n{}",
        differences.len(),
        differences
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
