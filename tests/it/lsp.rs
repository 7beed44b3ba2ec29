//! `kls lsp` end to end: the real binary, JSON-RPC over its stdin and stdout.
//!
//! Every wait has a deadline, so a server that stops answering fails the test instead of
//! hanging it.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);

/// A Deployment with one error: the misspelt `imagePullPolicyy` on line 16 (0-based), columns
/// 10 to 26.
const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-kiamol-4
spec:
  selector:
    matchLabels:
      app: hello-kiamol-4
  template:
    metadata:
      labels:
        app: hello-kiamol-4
    spec:
      containers:
        - name: web
          image: kiamol/ch02-hello-kiamol:1.0
          imagePullPolicyy: Always
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
            limits:
              cpu: 200m
              memory: 64Mi
";
const ERROR_LINE: u64 = 16;

/// A running `kls lsp`.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages received while waiting for another one.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Server {
    /// Starts the server and initializes it.
    fn start(root: &Path, capabilities: Value, init_options: Value) -> (Server, Value) {
        let mut server = Server::spawn(root);
        let root_uri = uri(root);
        let mut params = json!({
            "processId": null,
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "root" }],
        });
        params["capabilities"] = capabilities;
        params["initializationOptions"] = init_options;
        let response = server.request("initialize", params);
        server.notify("initialized", json!({}));
        (server, response)
    }

    /// Starts the server without initializing it.
    fn spawn(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kls"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("kls starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(body) = read_frame(&mut reader) {
                let message = serde_json::from_slice(&body).expect("the server writes JSON");
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
        }
    }

    fn start_plain(root: &Path) -> Server {
        Server::start(root, json!({}), Value::Null).0
    }

    fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.stdin
            .write_all(header.as_bytes())
            .expect("write header");
        self.stdin.write_all(body).expect("write body");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, message: &Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    /// Sends a request and returns the whole response message.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for the answer; returns its id.
    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        id
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("the response to request {id}"), |it| {
            it["id"] == id && it.get("method").is_none()
        })
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        message["params"] = params;
        self.send(&message);
    }

    /// The first message (earlier ones not yet taken included) that matches.
    fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&matches) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if matches(&message) => return message,
                Ok(message) => self.backlog.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server exited while waiting for {what}")
                }
            }
        }
    }

    /// The diagnostics published for `uri` at `version`, earlier publishes skipped.
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of {uri} at {version:?}"), |it| {
            it["method"] == "textDocument/publishDiagnostics"
                && it["params"]["uri"] == uri
                && version.is_none_or(|v| it["params"]["version"] == v)
        });
        message["params"]["diagnostics"]
            .as_array()
            .expect("a list of diagnostics")
            .clone()
    }

    fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": version, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        let mut params = json!({ "textDocument": { "uri": uri, "version": version } });
        params["contentChanges"] = changes;
        self.notify("textDocument/didChange", params);
    }

    /// `shutdown`, then `exit`; returns how the process ended.
    fn stop(mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_frame(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("kls-lsp-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path.canonicalize().expect("canonical temp dir"))
    }

    fn file_uri(&self, name: &str) -> String {
        uri(&self.0.join(name))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|it| it["code"].as_str())
        .collect()
}

fn range(start: (u64, u64), end: (u64, u64)) -> Value {
    json!({
        "start": { "line": start.0, "character": start.1 },
        "end": { "line": end.0, "character": end.1 },
    })
}

#[test]
fn initialize_announces_capabilities_and_negotiates_the_position_encoding() {
    let dir = TempDir::new();
    let utf8 = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let (server, response) = Server::start(&dir.0, utf8, Value::Null);
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-8", "{response}");
    assert_eq!(capabilities["textDocumentSync"]["openClose"], true);
    assert_eq!(
        capabilities["textDocumentSync"]["change"], 2,
        "incremental sync"
    );
    assert_eq!(capabilities["documentSymbolProvider"], true);
    assert_eq!(capabilities["foldingRangeProvider"], true);
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(
        capabilities["diagnosticProvider"]["interFileDependencies"],
        false
    );
    assert_eq!(response["result"]["serverInfo"]["name"], "kls");
    assert!(server.stop().success());

    let (server, response) = Server::start(&dir.0, json!({}), Value::Null);
    assert_eq!(
        response["result"]["capabilities"]["positionEncoding"],
        "utf-16"
    );
    assert!(
        server.stop().success(),
        "shutdown then exit ends with status 0"
    );
}

#[test]
fn diagnostics_follow_incremental_edits() {
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("deploy.yaml");
    server.open(&uri, 1, DEPLOYMENT);
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diagnostics), ["unknown-field"], "{diagnostics:?}");
    let error = &diagnostics[0];
    assert_eq!(error["range"], range((ERROR_LINE, 10), (ERROR_LINE, 26)));
    assert_eq!(error["severity"], 1);
    assert_eq!(error["source"], "kls");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("imagePullPolicyy")
    );
    // The fix travels in `data`, with LSP ranges.
    let edit = &error["data"]["fix"]["edits"][0];
    assert_eq!(edit["newText"], "imagePullPolicy");
    assert_eq!(edit["range"], range((ERROR_LINE, 10), (ERROR_LINE, 26)));

    // Delete the extra `y`: the error is gone in version 2.
    server.change(
        &uri,
        2,
        json!([{ "range": range((ERROR_LINE, 25), (ERROR_LINE, 26)), "text": "" }]),
    );
    assert_eq!(server.diagnostics(&uri, Some(2)), Vec::<Value>::new());

    // Two changes in one notification, applied in order: break the replica count, then add a
    // line above it, which moves the error down a line.
    let changes = json!([
        { "range": range((5, 0), (5, 0)), "text": "  replicas: \"two\"\n" },
        { "range": range((5, 0), (5, 0)), "text": "  minReadySeconds: 5\n" },
    ]);
    server.change(&uri, 3, changes);
    let diagnostics = server.diagnostics(&uri, Some(3));
    assert_eq!(codes(&diagnostics), ["type-mismatch"], "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 6);

    // A full replacement.
    server.change(&uri, 4, json!([{ "text": DEPLOYMENT }]));
    assert_eq!(codes(&server.diagnostics(&uri, Some(4))), ["unknown-field"]);

    // Closing clears them.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(server.diagnostics(&uri, None), Vec::<Value>::new());
    assert!(server.stop().success());
}

#[test]
fn positions_count_utf16_or_utf8_and_crlf_works() {
    let text = "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: x, annotations: {note: \"😀é\"}, colour: blue}\r\n";
    let dir = TempDir::new();
    // `colour` starts after the emoji (2 UTF-16 units, 4 bytes) and `é` (1 unit, 2 bytes); the
    // closing quote of the note is at `quote`.
    for (encodings, start, quote) in [(json!(["utf-16"]), 48, 44), (json!(["utf-8"]), 51, 47)] {
        let end = start + 6;
        let capabilities = json!({ "general": { "positionEncodings": encodings } });
        let (mut server, _) = Server::start(&dir.0, capabilities, Value::Null);
        let uri = dir.file_uri("crlf.yaml");
        server.open(&uri, 1, text);
        let diagnostics = server.diagnostics(&uri, Some(1));
        assert_eq!(codes(&diagnostics), ["unknown-field"], "{diagnostics:?}");
        assert_eq!(
            diagnostics[0]["range"],
            range((2, start), (2, end)),
            "{encodings}"
        );
        // Insert before the closing quote, counting in the same encoding: the error moves right.
        server.change(
            &uri,
            2,
            json!([{ "range": range((2, quote), (2, quote)), "text": "a" }]),
        );
        let diagnostics = server.diagnostics(&uri, Some(2));
        assert_eq!(
            diagnostics[0]["range"],
            range((2, start + 1), (2, end + 1)),
            "{encodings}"
        );
        assert!(server.stop().success());
    }
}

#[test]
fn settings_come_from_kls_yaml_initialization_options_and_configuration_changes() {
    let dir = TempDir::new();
    std::fs::write(
        dir.0.join(".kls.yaml"),
        "kubernetesVersion: \"1.99\"\nrules:\n  unknown-field: warning\nexclude:\n  - generated/**\n",
    )
    .unwrap();
    let init = json!({ "rules": { "type-mismatch": "information" } });
    let (mut server, _) = Server::start(&dir.0, json!({}), init);
    let warning = server.wait_for("a warning about .kls.yaml", |it| {
        it["method"] == "window/showMessage" && it["params"]["type"] == 2
    });
    let message = warning["params"]["message"].as_str().unwrap();
    assert!(message.contains("1.99"), "{message}");
    let uri = dir.file_uri("deploy.yaml");
    let text = DEPLOYMENT.replace(
        "spec:\n  selector",
        "spec:\n  replicas: \"two\"\n  selector",
    );
    server.open(&uri, 1, &text);
    let diagnostics = server.diagnostics(&uri, Some(1));
    let severity = |code: &str| {
        diagnostics
            .iter()
            .find(|it| it["code"] == code)
            .map(|it| it["severity"].clone())
    };
    assert_eq!(
        severity("unknown-field"),
        Some(json!(2)),
        ".kls.yaml sets warning"
    );
    assert_eq!(
        severity("type-mismatch"),
        Some(json!(3)),
        "initializationOptions set information"
    );

    // An excluded file gets nothing.
    let excluded = dir.file_uri("generated/deploy.yaml");
    server.open(&excluded, 1, &text);
    assert_eq!(server.diagnostics(&excluded, Some(1)), Vec::<Value>::new());

    // Editor settings win over the file; a bad entry is reported once and the rest applies.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "kls": { "rules": { "unknown-field": "off", "no-such-rule": "error" }, "colour": "blue" } } }),
    );
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diagnostics), ["type-mismatch"], "{diagnostics:?}");
    let warning = server.wait_for("a warning about the editor settings", |it| {
        it["method"] == "window/showMessage" && it["params"]["type"] == 2
    });
    let message = warning["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("colour") && message.contains("no-such-rule"),
        "{message}"
    );
    assert!(
        !message.contains("1.99"),
        "each problem is shown once: {message}"
    );

    // The bare object works too.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "rules": { "type-mismatch": "off" } } }),
    );
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diagnostics), ["unknown-field"], "{diagnostics:?}");
    assert!(server.stop().success());
}

#[test]
fn document_symbols_outline_each_resource() {
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("deploy.yaml");
    let text = format!("{DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n");
    server.open(&uri, 1, &text);
    let response = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let symbols = response["result"].as_array().expect("symbols");
    assert_eq!(symbols.len(), 2, "{response}");
    assert_eq!(symbols[0]["name"], "Deployment hello-kiamol-4");
    assert_eq!(
        symbols[0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    assert_eq!(symbols[1]["name"], "Service web");
    let child = |symbol: &Value, name: &str| -> Value {
        symbol["children"]
            .as_array()
            .and_then(|it| it.iter().find(|child| child["name"] == name))
            .unwrap_or_else(|| panic!("no child `{name}` in {symbol}"))
            .clone()
    };
    let containers = ["spec", "template", "spec", "containers"]
        .iter()
        .fold(symbols[0].clone(), |symbol, name| child(&symbol, name));
    let web = child(&containers, "web");
    assert_eq!(
        web["selectionRange"]["start"],
        json!({ "line": 14, "character": 16 })
    );
    let image = child(&web, "image");
    assert_eq!(image["selectionRange"], range((15, 10), (15, 15)));
    assert_eq!(image["detail"], "kiamol/ch02-hello-kiamol:1.0");

    let response = server.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    let folds = response["result"].as_array().expect("folding ranges");
    let has = |start: u64, end: u64| {
        folds
            .iter()
            .any(|it| it["startLine"] == start && it["endLine"] == end)
    };
    assert!(has(0, 23), "the first document: {response}");
    assert!(has(13, 23), "containers: {response}");
    assert!(has(24, 28), "the second document: {response}");
    assert!(server.stop().success());
}

#[test]
fn pull_diagnostics_and_hover_on_a_diagnostic() {
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("deploy.yaml");
    server.open(&uri, 1, DEPLOYMENT);
    let response = server.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(response["result"]["kind"], "full", "{response}");
    let items = response["result"]["items"].as_array().expect("items");
    assert_eq!(codes(items), ["unknown-field"]);
    assert_eq!(items[0]["range"], range((ERROR_LINE, 10), (ERROR_LINE, 26)));

    let position = json!({ "line": ERROR_LINE, "character": 14 });
    let response = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position }),
    );
    let value = response["result"]["contents"]["value"]
        .as_str()
        .expect("markdown");
    assert!(
        value.contains("unknown-field") && value.contains("## What it flags"),
        "{value}"
    );
    assert_eq!(
        response["result"]["range"],
        range((ERROR_LINE, 10), (ERROR_LINE, 26))
    );
    let elsewhere = json!({ "line": 1, "character": 2 });
    let response = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": elsewhere }),
    );
    assert_eq!(response["result"], Value::Null, "{response}");
    assert!(server.stop().success());
}

#[test]
fn malformed_messages_and_unknown_methods_get_errors_and_the_server_goes_on() {
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    server.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    let response = server.wait_for("a parse error", |it| it["error"]["code"] == -32700);
    assert_eq!(response["id"], Value::Null);
    server.send_raw(br#"{"jsonrpc": "2.0", "id": 98, "params": {}}"#);
    let response = server.wait_for("an invalid request error", |it| it["id"] == 98);
    assert_eq!(response["error"]["code"], -32600, "{response}");

    let response = server.request("kls/noSuchMethod", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    server.notify("kls/noSuchNotification", json!({}));
    let response = server.request("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    // A cancellation of a request that is already answered changes nothing.
    server.notify("$/cancelRequest", json!({ "id": 1 }));

    let uri = dir.file_uri("deploy.yaml");
    server.open(&uri, 1, DEPLOYMENT);
    assert_eq!(codes(&server.diagnostics(&uri, Some(1))), ["unknown-field"]);
    assert!(server.stop().success());
}

#[test]
fn requests_before_initialize_and_exit_without_shutdown() {
    let dir = TempDir::new();
    let mut server = Server::spawn(&dir.0);
    let response = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///x.yaml" } }),
    );
    assert_eq!(response["error"]["code"], -32002, "{response}");
    let response = server.request("initialize", json!({ "capabilities": {} }));
    assert!(response["result"]["capabilities"].is_object(), "{response}");
    server.notify("exit", Value::Null);
    assert!(
        !server.wait_exit().success(),
        "exit without shutdown is a failure"
    );
}

#[test]
fn a_large_file_edited_in_the_middle() {
    const DOCUMENTS: usize = 5_000;
    const LINES_PER_DOCUMENT: usize = 7;
    let mut text = String::new();
    for i in 0..DOCUMENTS {
        writeln!(text, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-{i}\ndata:\n  key: value-{i}").unwrap();
    }
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("many.yaml");
    server.open(&uri, 1, &text);
    assert_eq!(server.diagnostics(&uri, Some(1)), Vec::<Value>::new());
    // A request cancelled at once is answered exactly once: with its result if a worker had
    // already started it, else with RequestCancelled.
    let id = server.send_request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    server.notify("$/cancelRequest", json!({ "id": id }));
    let response = server.response(id);
    let head: String = response.to_string().chars().take(200).collect();
    assert!(
        response["result"].is_array() || response["error"]["code"] == -32800,
        "{head}"
    );
    // Misspell `data` in the middle document.
    let line = (DOCUMENTS / 2 * LINES_PER_DOCUMENT + 5) as u64;
    server.change(
        &uri,
        2,
        json!([{ "range": range((line, 2), (line, 2)), "text": "t" }]),
    );
    let diagnostics = server.diagnostics(&uri, Some(2));
    assert_eq!(codes(&diagnostics), ["unknown-field"], "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"], range((line, 0), (line, 5)));
    // Undo: clean again.
    server.change(
        &uri,
        3,
        json!([{ "range": range((line, 2), (line, 3)), "text": "" }]),
    );
    assert_eq!(server.diagnostics(&uri, Some(3)), Vec::<Value>::new());
    assert!(server.stop().success());
}
