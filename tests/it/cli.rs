//! The `kls` binary end to end: exit codes and every output format.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{Scratch, kls, root, stdout};

#[test]
fn examples_fail_with_the_broken_deployment_in_code_frames() {
    let output = kls(&["lint", "examples/"], None, &root());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(
            "error[unknown-field]: unknown field `template` in Deployment; it belongs under `spec`"
        ),
        "{text}"
    );
    assert!(
        text.contains("--> examples/deployment-broken.yaml:11:1"),
        "{text}"
    );
    assert!(
        text.contains("error[deployment-template-missing]"),
        "{text}"
    );
    assert!(text.contains("11 | template:"), "{text}");
    assert!(
        !text.contains("examples/deployment.yaml:"),
        "the good example stays quiet: {text}"
    );
    assert!(text.contains("Found 2 errors"), "{text}");
}

#[test]
fn json_output_has_lsp_ranges() {
    let output = kls(
        &[
            "lint",
            "--format",
            "json",
            "examples/deployment-broken.yaml",
        ],
        None,
        &root(),
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let items = json.as_array().expect("an array");
    let template = items
        .iter()
        .find(|it| it["code"] == "unknown-field")
        .expect("the unknown field");
    assert_eq!(template["file"], "examples/deployment-broken.yaml");
    assert_eq!(template["severity"], "error");
    assert_eq!(
        template["range"],
        serde_json::json!({"start": {"line": 10, "character": 0}, "end": {"line": 10, "character": 8}})
    );
}

#[test]
fn utf16_columns_in_json_and_characters_in_github() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations: {note: \"😀\", x: 1}\nspec:\n  containers:\n    - {name: web, image: nginx}\n";
    let output = kls(&["lint", "--format", "json", "-"], Some(text), &root());
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let error = json
        .as_array()
        .expect("array")
        .iter()
        .find(|it| it["code"] == "type-mismatch")
        .unwrap_or_else(|| panic!("a type mismatch for the number annotation: {json}"));
    // `x` follows an emoji, which is two UTF-16 code units.
    assert_eq!(
        error["range"]["start"],
        serde_json::json!({"line": 4, "character": 31})
    );
    assert_eq!(error["file"], "<stdin>");
    let output = kls(&["lint", "--format", "github", "-"], Some(text), &root());
    let github = stdout(&output);
    assert!(
        github.contains(
            "::error file=<stdin>,line=5,col=31,endLine=5,endColumn=32,title=kls (type-mismatch)::"
        ),
        "{github}"
    );
}

#[test]
fn sarif_is_valid_and_exact() {
    let output = kls(&["lint", "--format", "sarif", "examples/"], None, &root());
    assert_eq!(output.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif-2.1.0.schema.json"))
            .expect("schema"),
    )
    .expect("schema JSON");
    // The published schema's own pattern for `language` is not a valid regular expression
    // (an unbalanced `]`), which the meta-schema rejects; that one constraint is dropped.
    for owner in ["run", "toolComponent"] {
        if let Some(language) =
            schema.pointer_mut(&format!("/definitions/{owner}/properties/language"))
        {
            language
                .as_object_mut()
                .expect("an object")
                .remove("pattern");
        }
    }
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|it| it.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|it| {
        it["id"] == "deployment-selector-mismatch"
            && it["fullDescription"]["markdown"]
                .as_str()
                .is_some_and(|docs| docs.contains("## What it flags"))
    }));
    let result = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|it| it["ruleId"] == "unknown-field")
        .expect("the unknown field");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 11);
    assert_eq!(region["startColumn"], 1);
    assert_eq!(region["endColumn"], 9);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/deployment-broken.yaml"
    );
}

#[test]
fn exit_codes() {
    let clean = kls(
        &["lint", "examples/pod.yaml", "examples/deployment.yaml"],
        None,
        &root(),
    );
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("No problems found in 2 files."));
    let exit_zero = kls(&["lint", "--exit-zero", "examples/"], None, &root());
    assert_eq!(exit_zero.status.code(), Some(0));
    let bad_flag = kls(&["lint", "--format", "xml", "examples/"], None, &root());
    assert_eq!(bad_flag.status.code(), Some(2));
    // A missing path is reported, and the other files are still checked.
    let missing = kls(
        &[
            "lint",
            "does-not-exist.yaml",
            "examples/deployment-broken.yaml",
        ],
        None,
        &root(),
    );
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("cannot read does-not-exist.yaml"),
        "{stderr}"
    );
    assert!(stdout(&missing).contains("unknown field `template`"));
    let version = kls(
        &["lint", "--kubernetes-version", "1.12", "examples/"],
        None,
        &root(),
    );
    assert_eq!(version.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&version.stderr).contains("1.30 to 1.37"));
}

#[test]
fn directories_honour_gitignore_and_skip_non_kubernetes_yaml() {
    let scratch = Scratch::new("walk");
    scratch.write(".gitignore", "ignored/\n");
    scratch.write("ignored/bad.yaml", "apiVersion: v1\nkind: Pod\nspec: {}\n");
    scratch.write(
        "ci.yml",
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
    );
    scratch.write(
        "values.yaml",
        "replicaCount: 1\nimage: {repository: nginx}\n",
    );
    scratch.write("notes.txt", "apiVersion: v1\nkind: Pod\n");
    scratch.write(
        "deep/ok.yml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n",
    );
    let output = kls(&["lint", "--format", "json", "."], None, &scratch.0);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output).trim(), "[]");
}

#[test]
fn kls_yaml_configures_lint() {
    let scratch = Scratch::new("config");
    scratch.write(
        ".kls.yaml",
        "kubernetesVersion: '1.31'\nrules:\n  unknown-field: warning\n  deployment-template-missing: off\n",
    );
    let broken =
        std::fs::read_to_string(root().join("examples/deployment-broken.yaml")).expect("example");
    scratch.write("broken.yaml", &broken);
    let output = kls(
        &["lint", "--format", "json", "broken.yaml"],
        None,
        &scratch.0,
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let codes: Vec<(&str, &str)> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|it| {
            (
                it["code"].as_str().unwrap_or_default(),
                it["severity"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(codes, vec![("unknown-field", "warning")]);
    assert_eq!(output.status.code(), Some(0), "only a warning is left");
    scratch.write(".kls.yaml", "rules:\n  no-such-rule: error\n");
    let output = kls(&["lint", "broken.yaml"], None, &scratch.0);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no rule `no-such-rule`"));
}

#[test]
fn rules_and_rule_print_documentation() {
    let list = kls(&["rules"], None, &root());
    assert_eq!(list.status.code(), Some(0));
    assert!(
        stdout(&list)
            .lines()
            .any(|it| it.starts_with("unknown-field") && it.contains("error"))
    );
    let one = kls(&["rule", "api-version-removed"], None, &root());
    assert_eq!(one.status.code(), Some(0));
    assert!(stdout(&one).contains("## Why it matters"));
    let none = kls(&["rule", "nope"], None, &root());
    assert_eq!(none.status.code(), Some(2));
}

/// The committed schema of `.kls.yaml` is the one the options type generates.
#[test]
fn config_schema_is_up_to_date() {
    let path = root().join("schemas/kls-config.schema.json");
    let generated = kls::config::options_schema();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated && std::env::var_os("KLS_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    assert_eq!(
        committed, generated,
        "schemas/kls-config.schema.json is out of date; run `KLS_UPDATE_SCHEMA=1 cargo test config_schema`"
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    assert!(validator.is_valid(&serde_json::json!({"kubernetesVersion": "1.33", "rules": {"unknown-field": "warning", "x": false}})));
    assert!(!validator.is_valid(&serde_json::json!({"kubernetesVersoin": "1.33"})));
}

/// Runs kls with stdout sent to `out`; returns its exit code and stderr.
fn kls_to(args: &[&str], out: impl Into<Stdio>) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kls"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::piped())
        .output()
        .expect("kls runs");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    (output.status.code(), stderr)
}

/// The commands that write to stdout, with the exit code each has when its output is read.
const WRITERS: &[(&[&str], i32)] = &[
    (&["rules"], 0),
    (&["rule", "deployment-selector-mismatch"], 0),
    (&["lint", "examples/"], 1),
    (&["lint", "examples/", "--format", "json"], 1),
    (&["lint", "examples/", "--format", "sarif"], 1),
    (&["--help"], 0),
    (&["--version"], 0),
];

#[test]
fn a_pipe_closed_before_the_output_ends_the_command_quietly() {
    for (args, code) in WRITERS {
        // The reading end is closed before kls starts, so its first write fails.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let (status, stderr) = kls_to(args, writer);
        assert_eq!(status, Some(*code), "kls {args:?}: {stderr}");
        assert!(stderr.is_empty(), "kls {args:?} said: {stderr}");
    }
}

#[test]
fn a_failed_write_is_an_error() {
    if !Path::new("/dev/full").exists() {
        eprintln!("NOTE: no /dev/full here; a failed write was not tried");
        return;
    }
    for (args, _) in WRITERS {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        let (status, stderr) = kls_to(args, full);
        assert_eq!(status, Some(2), "kls {args:?}: {stderr}");
        assert!(
            stderr.starts_with("kls: error: writing the output: ")
                && stderr.contains("No space left on device"),
            "kls {args:?} said: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

fn projects() -> PathBuf {
    root().join("tests/fixtures/projects")
}

/// The `(file name, code)` pairs of `kls lint --format json` output.
fn codes(output: &Output) -> Vec<(String, String)> {
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let mut res: Vec<(String, String)> = value
        .as_array()
        .expect("an array")
        .iter()
        .map(|it| {
            let file = it["file"].as_str().expect("file");
            let name = Path::new(file).file_name().expect("a file name");
            (
                name.to_string_lossy().into_owned(),
                it["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    res.sort();
    res
}

#[test]
fn a_helm_chart_gets_one_note_in_every_format_and_its_templates_are_left_out() {
    let dir = projects().join("helm");
    let command = "helm template web | kls lint -";
    let human = kls(&["lint", "web"], None, &dir);
    let text = stdout(&human);
    assert_eq!(human.status.code(), Some(0), "{text}");
    assert_eq!(
        text.matches("note: web is a Helm chart").count(),
        1,
        "{text}"
    );
    assert!(text.contains(command), "{text}");
    // The CRDs of a chart are plain YAML and are checked; Chart.yaml and values files are not.
    assert!(text.contains("No problems found in 1 file."), "{text}");

    let json = kls(&["lint", "web", "--format", "json"], None, &dir);
    assert_eq!(json.status.code(), Some(0));
    assert!(codes(&json).is_empty(), "{}", stdout(&json));
    let stderr = String::from_utf8_lossy(&json.stderr);
    assert_eq!(stderr.matches("kls: note: ").count(), 1, "{stderr}");
    assert!(stderr.contains(command), "{stderr}");

    let github = kls(&["lint", "web", "--format", "github"], None, &dir);
    assert_eq!(github.status.code(), Some(0));
    let lines: Vec<String> = stdout(&github).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("::notice file=web/Chart.yaml,title=kls::web is a Helm chart"),
        "{lines:?}"
    );

    let sarif = kls(&["lint", "web", "--format", "sarif"], None, &dir);
    assert_eq!(sarif.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    let run = &log["runs"][0];
    assert_eq!(run["results"], serde_json::json!([]));
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["level"], "note");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "web/Chart.yaml"
    );

    // A template named on the command line (as pre-commit does) is left out too.
    let named = kls(
        &["lint", "web/templates/deployment.yaml", "web/Chart.yaml"],
        None,
        &dir,
    );
    let text = stdout(&named);
    assert_eq!(named.status.code(), Some(0), "{text}");
    assert!(text.contains("templates (1 file)"), "{text}");
}

#[test]
fn a_file_that_a_kustomization_lists_is_checked_as_a_patch() {
    let dir = projects().join("kustomize");
    let output = kls(&["lint", ".", "--format", "json"], None, &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    // What the patches write is checked; what they leave out is not. The JSON 6902 patch (a
    // list of operations) is no object, and the kustomizations are not read as manifests.
    assert_eq!(
        codes(&output),
        [
            ("delete-config.yaml".to_owned(), "unknown-field".to_owned()),
            (
                "memory.yaml".to_owned(),
                "container-image-pull-policy-invalid".to_owned()
            ),
        ]
    );
    // The same partial Deployment, listed by no kustomization, is a Deployment with missing
    // fields.
    let scratch = Scratch::new("unlisted-patch");
    let patch = std::fs::read_to_string(dir.join("overlays/prod/patches/replicas.yaml"))
        .expect("the fixture");
    scratch.write("replicas.yaml", &patch);
    let alone = kls(&["lint", ".", "--format", "json"], None, &scratch.0);
    let found = codes(&alone);
    assert!(
        found.contains(&(
            "replicas.yaml".to_owned(),
            "deployment-selector-missing".to_owned()
        )),
        "{found:?}"
    );
    // Listed by a kustomization beside it, it is a patch again.
    scratch.write(
        "kustomization.yaml",
        "patchesStrategicMerge:\n  - replicas.yaml\n",
    );
    let listed = kls(
        &["lint", "replicas.yaml", "--format", "json"],
        None,
        &scratch.0,
    );
    assert_eq!(listed.status.code(), Some(0), "{}", stdout(&listed));
    assert!(codes(&listed).is_empty());
    // Stdin named after the patch is the patch; unnamed, it is a whole object.
    for (name, code) in [(Some("replicas.yaml"), 0), (None, 1)] {
        let mut args = vec!["lint", "-", "--format", "json"];
        args.extend(
            name.map(|it| ["--stdin-filename", it])
                .into_iter()
                .flatten(),
        );
        let piped = kls(&args, Some(&patch), &scratch.0);
        assert_eq!(
            piped.status.code(),
            Some(code),
            "{name:?}: {}",
            stdout(&piped)
        );
    }
}

#[test]
fn a_hundred_thousand_levels_of_nesting_get_one_warning_each() {
    let depth = 100_000;
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: {}{}\n---\n\
         apiVersion: v1\nkind: List\nitems:\n- {}x\n---\napiVersion: v1\nkind: ConfigMap\n\
         metadata:\n  name: deep-map\ndata: {}x{}\n",
        "[".repeat(depth),
        "]".repeat(depth),
        "- ".repeat(depth),
        "{a: ".repeat(depth),
        "}".repeat(depth)
    );
    let output = kls(&["lint", "--format", "json", "-"], Some(&text), &root());
    assert!(output.status.code().is_some(), "killed: {output:?}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let lines: Vec<u64> = json
        .as_array()
        .expect("an array")
        .iter()
        .filter(|it| it["code"] == "yaml-nesting-too-deep")
        .map(|it| it["range"]["start"]["line"].as_u64().expect("a line"))
        .collect();
    assert_eq!(lines, [5, 10, 16]);
}

#[test]
fn lsp_accepts_the_stdio_flag_that_clients_pass() {
    // vscode-languageclient appends `--stdio` to the server's arguments.
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
    let input = format!(
        "Content-Length: {}\r\n\r\n{body}Content-Length: {}\r\n\r\n{exit}",
        body.len(),
        exit.len()
    );
    let output = kls(&["lsp", "--stdio"], Some(&input), &root());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("unexpected argument"), "{stderr}");
    assert!(stdout(&output).contains(r#""capabilities""#), "{stderr}");
}

#[test]
fn files_over_the_size_limit_are_refused_while_reading() {
    let dir = Scratch::new("limits");
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n";
    dir.write("cm.yaml", manifest);
    let output = kls(&["lint", "cm.yaml", "--max-file-size", "64"], None, &dir.0);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cm.yaml: it is larger than 64 bytes"),
        "{stderr}"
    );
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    // The same limit from .kls.yaml, and for stdin.
    dir.write(".kls.yaml", "maxFileSize: 1KiB\n");
    let big = format!("{manifest}  c: {}\n", "x".repeat(2000));
    let output = kls(&["lint", "-"], Some(&big), &dir.0);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("stdin: it is larger than 1 KiB"),
        "{stderr}"
    );
    assert_eq!(
        kls(&["lint", "-"], Some(manifest), &dir.0).status.code(),
        Some(0)
    );
    std::fs::remove_file(dir.0.join(".kls.yaml")).unwrap();
    // A device reports no size: the limit stops the reading.
    let output = kls(
        &["lint", "/dev/zero", "--max-file-size", "1MiB"],
        None,
        &dir.0,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/dev/zero: it is larger than 1 MiB"),
        "{stderr}"
    );
    // The encoding is checked as the bytes come.
    let path = dir.0.join("latin1.yaml");
    std::fs::write(&path, b"apiVersion: v1\nkind: ConfigMap\n# caf\xe9\n").unwrap();
    let output = kls(&["lint", "latin1.yaml"], None, &dir.0);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not UTF-8 text (byte 36)"), "{stderr}");
    let output = kls(
        &["lint", "cm.yaml", "--max-file-size", "lots"],
        None,
        &dir.0,
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn bad_versions_and_missing_paths_say_only_what_is_wrong() {
    let dir = Scratch::new("versions");
    dir.write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    );
    let output = kls(
        &["lint", "cm.yaml", "--kubernetes-version", "9.99"],
        None,
        &dir.0,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`9.99` is not one kls bundles (1.30 to 1.37)"),
        "{stderr}"
    );
    assert!(!stderr.contains("using"), "{stderr}");
    let output = kls(&["lint", "nope.yaml"], None, &dir.0);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    // Unquoted versions, as people write them; `1.30` is not the float 1.3.
    for version in ["1.33", "1.30"] {
        dir.write(".kls.yaml", &format!("kubernetesVersion: {version}\n"));
        let output = kls(&["lint", "cm.yaml"], None, &dir.0);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{version}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    dir.write(".kls.yaml", "kubernetesVersion: 1.3\n");
    let output = kls(&["lint", "cm.yaml"], None, &dir.0);
    assert_eq!(output.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn symbolic_links_named_are_checked_and_those_in_folders_are_not_followed() {
    let dir = Scratch::new("symlinks");
    let broken = std::fs::read_to_string(root().join("examples/deployment-broken.yaml")).unwrap();
    let real = dir.write("real/deploy.yaml", &broken);
    std::fs::create_dir_all(dir.0.join("walk")).unwrap();
    std::os::unix::fs::symlink(&real, dir.0.join("link.yaml")).unwrap();
    std::os::unix::fs::symlink(&real, dir.0.join("walk/inner.yaml")).unwrap();
    let output = kls(&["lint", "link.yaml"], None, &dir.0);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("--> link.yaml:7:1"),
        "{}",
        stdout(&output)
    );
    let output = kls(&["lint", "walk"], None, &dir.0);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("in 0 files"),
        "{}",
        stdout(&output)
    );
}
