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
pub(crate) struct Server {
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

    pub(crate) fn start_plain(root: &Path) -> Server {
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
    pub(crate) fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        id
    }

    pub(crate) fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("the response to request {id}"), |it| {
            it["id"] == id && it.get("method").is_none()
        })
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        message["params"] = params;
        self.send(&message);
    }

    /// The first message (earlier ones not yet taken included) that matches.
    pub(crate) fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
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

    /// The reports of internal errors (panics) received so far.
    pub(crate) fn crash_reports(&mut self) -> Vec<Value> {
        self.backlog.extend(self.messages.try_iter());
        self.backlog
            .iter()
            .filter(|it| {
                it["method"] == "window/logMessage"
                    && it["params"]["message"]
                        .as_str()
                        .is_some_and(|it| it.contains("internal error"))
            })
            .cloned()
            .collect()
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

    pub(crate) fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": version, "text": text } }),
        );
    }

    pub(crate) fn change(&mut self, uri: &str, version: i64, changes: Value) {
        let mut params = json!({ "textDocument": { "uri": uri, "version": version } });
        params["contentChanges"] = changes;
        self.notify("textDocument/didChange", params);
    }

    /// `shutdown`, then `exit`; returns how the process ended.
    pub(crate) fn stop(mut self) -> ExitStatus {
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
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new() -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("kls-lsp-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path.canonicalize().expect("canonical temp dir"))
    }

    pub(crate) fn file_uri(&self, name: &str) -> String {
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
    let utf8 = json!({
        "general": { "positionEncodings": ["utf-8", "utf-16"] },
        "textDocument": { "diagnostic": {} },
    });
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
        true
    );
    assert_eq!(
        capabilities["completionProvider"]["triggerCharacters"],
        json!([" "])
    );
    assert_eq!(capabilities["definitionProvider"], true);
    assert_eq!(capabilities["referencesProvider"], true);
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
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
    // Outside any value or key, nothing.
    let elsewhere = json!({ "line": 5, "character": 0 });
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
    assert_eq!(
        server.wait_exit().code(),
        Some(1),
        "exit without shutdown exits with 1, as the protocol says"
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

/// `DEPLOYMENT` without its error, and with a volume mounted in the container.
fn clean_deployment() -> String {
    DEPLOYMENT
        .replace("imagePullPolicyy: Always", "imagePullPolicy: Always")
        .replace(
            "          resources:\n",
            "          volumeMounts:\n            - name: data\n              mountPath: /data\n          resources:\n",
        )
        + "      volumes:\n        - name: data\n          emptyDir: {}\n"
}

/// The capabilities of a client that takes snippets and inserts text as it is sent (VS Code).
fn snippet_client() -> Value {
    json!({ "textDocument": { "completion": { "completionItem": {
        "snippetSupport": true,
        "insertTextModeSupport": { "valueSet": [1, 2] },
    } } } })
}

/// The 0-based line and column of the first `needle` in `text` (ASCII), plus `shift` columns.
fn position_of(text: &str, needle: &str, shift: usize) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` in the text"))
        + shift;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |it| it + 1);
    json!({ "line": line, "character": column })
}

impl Server {
    fn at(&mut self, method: &str, uri: &str, position: &Value) -> Value {
        let response = self.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": position }),
        );
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    fn completion(&mut self, uri: &str, position: &Value) -> Vec<Value> {
        let result = self.at("textDocument/completion", uri, position);
        result.as_array().expect("a list of completions").clone()
    }

    /// Waits until a publish of `uri`'s diagnostics satisfies `done`; returns it.
    fn diagnostics_until(&mut self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            assert!(
                Instant::now() < deadline,
                "diagnostics of {uri} never settled"
            );
            let diagnostics = self.diagnostics(uri, None);
            if done(&diagnostics) {
                return diagnostics;
            }
        }
    }

    /// Asks until the answer is not null (the files on disk are read in the background).
    fn at_eventually(&mut self, method: &str, uri: &str, position: &Value) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let result = self.at(method, uri, position);
            if !result.is_null() || Instant::now() > deadline {
                return result;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().filter_map(|it| it["label"].as_str()).collect()
}

fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|it| it["label"] == label)
        .unwrap_or_else(|| panic!("no `{label}` in {:?}", labels(items)))
}

/// Applies LSP text edits to an ASCII text.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| -> usize {
        let number = |key: &str| {
            let n = position[key].as_u64().expect("a line or column");
            usize::try_from(n).expect("a small number")
        };
        let (line, column) = (number("line"), number("character"));
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + column
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|it| {
            (
                offset(&it["range"]["start"]),
                offset(&it["range"]["end"]),
                it["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    edits.sort_by_key(|it| std::cmp::Reverse(it.0));
    let mut res = text.to_owned();
    for (start, end, new_text) in edits {
        res.replace_range(start..end, new_text);
    }
    res
}

#[test]
fn completion_follows_what_the_client_takes() {
    let dir = TempDir::new();
    let text = clean_deployment().replace(
        "          image: kiamol/ch02-hello-kiamol:1.0\n",
        "          image: kiamol/ch02-hello-kiamol:1.0\n          res\n",
    );
    let line = 16;
    let at = json!({ "line": line, "character": 13 });
    // Snippets, but no `insertTextMode: asIs` (Neovim 0.11): the lines after the first carry
    // only the indentation that comes on top of the cursor line's.
    let plain_mode = json!({ "textDocument": { "completion": { "completionItem": {
        "snippetSupport": true,
    } } } });
    let (mut server, _) = Server::start(&dir.0, plain_mode, Value::Null);
    let uri = dir.file_uri("deploy.yaml");
    server.open(&uri, 1, &text);
    let items = server.completion(&uri, &at);
    let env = item(&items, "env");
    assert_eq!(env["insertTextMode"], Value::Null);
    assert_eq!(env["textEdit"]["newText"], "env:\n  - $0");
    // The client filters on the text from the edit's start to the cursor: `res`.
    for it in &items {
        let filter = it["filterText"].as_str().expect("a filter text");
        let start = &it["textEdit"]["range"]["start"];
        assert_eq!(start["line"], line, "{it}");
        let typed = &"          res"[start["character"].as_u64().expect("column") as usize..];
        assert!(
            filter.starts_with(typed) == it["label"].as_str().expect("label").starts_with("res"),
            "{it}"
        );
    }
    drop(server);
    // No snippets at all (Neovim 0.7): no tab stops, no line breaks, no whole-resource templates.
    let (mut server, _) = Server::start(&dir.0, json!({}), Value::Null);
    server.open(&uri, 1, &text);
    for it in server.completion(&uri, &at) {
        let new_text = it["textEdit"]["newText"].as_str().expect("new text");
        assert!(!new_text.contains('\n') && !new_text.contains('$'), "{it}");
        assert!(!new_text.chars().any(char::is_control), "{it}");
    }
    server.open(&dir.file_uri("empty.yaml"), 1, "");
    let empty = server.completion(
        &dir.file_uri("empty.yaml"),
        &json!({ "line": 0, "character": 0 }),
    );
    assert!(
        empty.iter().all(|it| it["kind"] != 15),
        "templates for a client without snippets: {empty:?}"
    );
}

#[test]
fn completion_of_keys_values_and_kinds() {
    let dir = TempDir::new();
    let (mut server, _) = Server::start(&dir.0, snippet_client(), Value::Null);
    let uri = dir.file_uri("deploy.yaml");
    // A new, empty line in the container, at the indentation of its keys.
    let text = clean_deployment().replace(
        "          image: kiamol/ch02-hello-kiamol:1.0\n",
        "          image: kiamol/ch02-hello-kiamol:1.0\n          \n",
    );
    server.open(&uri, 1, &text);
    let line = 16;
    let items = server.completion(&uri, &json!({ "line": line, "character": 10 }));
    let names = labels(&items);
    for expected in [
        "ports",
        "env",
        "livenessProbe",
        "command",
        "securityContext",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    for present in [
        "name",
        "image",
        "imagePullPolicy",
        "resources",
        "volumeMounts",
    ] {
        assert!(
            !names.contains(&present),
            "{present} is already there: {names:?}"
        );
    }
    let env = item(&items, "env");
    assert_eq!(env["kind"], 5, "a field");
    assert_eq!(env["insertTextFormat"], 2, "a snippet");
    assert_eq!(env["insertTextMode"], 1, "as is");
    assert_eq!(
        env["textEdit"],
        json!({ "range": range((line, 10), (line, 10)), "newText": "env:\n            - $0" })
    );
    assert_eq!(env["documentation"]["kind"], "markdown");
    assert!(
        env["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("environment variables")
    );
    assert!(env["sortText"].is_string());

    // Values after `imagePullPolicy: `, in a document that is not the first of its file.
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\n{}",
        text.replace("          imagePullPolicy: Always\n", "")
            .replace("          \n", "          imagePullPolicy: \n")
    );
    server.change(&uri, 2, json!([{ "text": text }]));
    let position = position_of(&text, "imagePullPolicy: ", "imagePullPolicy: ".len());
    let items = server.completion(&uri, &position);
    assert_eq!(labels(&items), ["Always", "IfNotPresent", "Never"]);
    let line = position["line"].as_u64().unwrap();
    assert_eq!(
        item(&items, "Never")["textEdit"],
        json!({ "range": range((line, 27), (line, 27)), "newText": "Never" })
    );
    assert_eq!(item(&items, "Never")["kind"], 12, "a value");
    // Typing the space after the colon opens the same list; a space elsewhere opens nothing.
    let by_space = |position: &Value| {
        json!({
            "textDocument": { "uri": uri },
            "position": position,
            "context": { "triggerKind": 2, "triggerCharacter": " " },
        })
    };
    let response = server.request("textDocument/completion", by_space(&position));
    assert_eq!(labels(response["result"].as_array().unwrap()).len(), 3);
    let response = server.request(
        "textDocument/completion",
        by_space(&json!({ "line": 4, "character": 2 })),
    );
    assert_eq!(response["result"], json!([]), "{response}");

    // A kind sets its apiVersion.
    let kind_uri = dir.file_uri("kind.yaml");
    server.open(&kind_uri, 1, "apiVersion: v1\nkind: Dep\n");
    let items = server.completion(&kind_uri, &json!({ "line": 1, "character": 9 }));
    let deployment = item(&items, "Deployment");
    assert_eq!(deployment["detail"], "apps/v1");
    assert_eq!(
        deployment["textEdit"],
        json!({ "range": range((1, 6), (1, 9)), "newText": "Deployment" })
    );
    assert_eq!(
        deployment["additionalTextEdits"],
        json!([{ "range": range((0, 11), (0, 14)), "newText": " apps/v1" }])
    );
    assert!(server.stop().success());

    // A client without snippets gets plain text.
    let (mut server, _) = Server::start(&dir.0, json!({}), Value::Null);
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      \n";
    server.open(&uri, 1, text);
    let items = server.completion(&uri, &json!({ "line": 7, "character": 6 }));
    let policy = item(&items, "imagePullPolicy");
    assert_eq!(policy["insertTextFormat"], 1, "plain text");
    assert_eq!(policy["textEdit"]["newText"], "imagePullPolicy: Always");
    // Its client may insert the text as one word, where a line break would become a NUL.
    assert_eq!(item(&items, "env")["textEdit"]["newText"], "env:");
    assert!(server.stop().success());
}

#[test]
fn completion_of_names_from_the_workspace() {
    let dir = TempDir::new();
    std::fs::write(
        dir.0.join("on-disk.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-disk\n",
    )
    .unwrap();
    let (mut server, _) = Server::start(&dir.0, snippet_client(), Value::Null);
    let other = dir.file_uri("other.yaml");
    server.open(
        &other,
        1,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-other-file\n",
    );
    server.diagnostics(&other, Some(1));
    let uri = dir.file_uri("pod.yaml");
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same-file\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      envFrom:\n        - configMapRef:\n            name: \n";
    server.open(&uri, 1, text);
    server.diagnostics(&uri, Some(1));
    let position = json!({ "line": 15, "character": 18 });
    let deadline = Instant::now() + TIMEOUT;
    let names = loop {
        let items = server.completion(&uri, &position);
        let names: Vec<String> = labels(&items).into_iter().map(str::to_owned).collect();
        if names.iter().any(|it| it == "from-disk") || Instant::now() > deadline {
            break names;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(names, ["from-disk", "from-other-file", "same-file"]);
    assert!(server.stop().success());
}

#[test]
fn hover_on_fields_kinds_and_diagnostics() {
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("deploy.yaml");
    let text = clean_deployment().replace("imagePullPolicy: Always", "imagePullPolicy: always");
    server.open(&uri, 1, &text);
    let image = position_of(&text, "image:", 2);
    let result = server.at("textDocument/hover", &uri, &image);
    let markdown = result["contents"]["value"].as_str().expect("markdown");
    assert_eq!(result["contents"]["kind"], "markdown");
    assert!(markdown.contains("Container image name"), "{markdown}");
    assert!(markdown.contains("optional"), "{markdown}");
    assert!(markdown.contains("`string`"), "{markdown}");
    assert_eq!(result["range"], range((15, 10), (15, 15)));

    let kind = server.at(
        "textDocument/hover",
        &uri,
        &json!({ "line": 1, "character": 8 }),
    );
    let markdown = kind["contents"]["value"].as_str().expect("markdown");
    assert!(
        markdown.starts_with("**Deployment** (`apps/v1`)"),
        "{markdown}"
    );

    // A wrong value: the rule first, then the field.
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diagnostics), ["container-image-pull-policy-invalid"]);
    let value = position_of(&text, "always", 1);
    let result = server.at("textDocument/hover", &uri, &value);
    let markdown = result["contents"]["value"].as_str().expect("markdown");
    let (rule, field) = markdown.split_once("\n\n---\n\n").expect("two sections");
    assert!(
        rule.contains("container-image-pull-policy-invalid") && rule.contains("## What it flags"),
        "{rule}"
    );
    assert!(field.starts_with("**imagePullPolicy** `string`"), "{field}");
    assert!(field.contains("IfNotPresent"), "{field}");
    assert!(server.stop().success());
}

#[test]
fn definitions_and_references() {
    let dir = TempDir::new();
    std::fs::write(
        dir.0.join("config.yaml"),
        "# settings\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
    )
    .unwrap();
    let mut server = Server::start_plain(&dir.0);
    let deploy = dir.file_uri("deploy.yaml");
    let text = clean_deployment();
    server.open(&deploy, 1, &text);
    server.diagnostics(&deploy, Some(1));

    // A mount's name goes to the volume.
    let mount = position_of(&text, "- name: data", 9);
    let volume_at = json!({ "line": 28, "character": 17 });
    let volume_range = range((28, 16), (28, 20));
    let result = server.at("textDocument/definition", &deploy, &mount);
    assert_eq!(result, json!([{ "uri": deploy, "range": volume_range }]));

    // References of the volume: its mount, and itself when asked.
    let mount_line = mount["line"].as_u64().unwrap();
    let mount_range = range((mount_line, 20), (mount_line, 24));
    let references = |server: &mut Server, position: &Value, include: bool| {
        let response = server.request(
            "textDocument/references",
            json!({
                "textDocument": { "uri": deploy },
                "position": position,
                "context": { "includeDeclaration": include },
            }),
        );
        response["result"].clone()
    };
    assert_eq!(
        references(&mut server, &volume_at, false),
        json!([{ "uri": deploy, "range": mount_range }])
    );
    let both = json!([
        { "uri": deploy, "range": volume_range },
        { "uri": deploy, "range": mount_range },
    ]);
    assert_eq!(references(&mut server, &volume_at, true), both);
    // From the mount, the same.
    assert_eq!(references(&mut server, &mount, true), both);
    let kind = json!({ "line": 1, "character": 2 });
    assert_eq!(references(&mut server, &kind, true), Value::Null);

    // A Service's selector goes to the Deployment in another open file.
    let service = dir.file_uri("service.yaml");
    let service_text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: hello-kiamol-4\n  ports:\n    - port: 80\n";
    server.open(&service, 1, service_text);
    let result = server.at(
        "textDocument/definition",
        &service,
        &json!({ "line": 6, "character": 5 }),
    );
    assert_eq!(
        result,
        json!([{ "uri": deploy, "range": range((3, 8), (3, 22)) }])
    );

    // A ConfigMap reference goes to the file on disk that defines it.
    let pod = dir.file_uri("pod.yaml");
    let pod_text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      envFrom:\n        - configMapRef:\n            name: settings\n";
    server.open(&pod, 1, pod_text);
    let position = json!({ "line": 10, "character": 20 });
    let result = server.at_eventually("textDocument/definition", &pod, &position);
    assert_eq!(
        result,
        json!([{ "uri": dir.file_uri("config.yaml"), "range": range((4, 8), (4, 16)) }])
    );
    assert!(server.stop().success());
}

#[test]
fn a_quick_fix_repairs_the_broken_example() {
    let text = include_str!("../../examples/deployment-broken.yaml");
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("deployment-broken.yaml");
    server.open(&uri, 1, text);
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert!(
        diagnostics.iter().any(|it| it["severity"] == 1),
        "{diagnostics:?}"
    );
    let lines = u64::try_from(text.lines().count()).unwrap();
    let response = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": range((0, 0), (lines, 0)),
            "context": { "diagnostics": diagnostics },
        }),
    );
    let actions = response["result"].as_array().expect("code actions");
    let titles: Vec<&str> = actions
        .iter()
        .filter_map(|it| it["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Ignore `deployment-template-missing` on this line",
            "Move `template` under `spec`",
            "Ignore `unknown-field` on this line"
        ],
        "{response}"
    );
    let action = &actions[1];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    assert_eq!(action["diagnostics"][0]["code"], "unknown-field");
    assert_eq!(action["diagnostics"][0]["range"], range((10, 0), (10, 8)));
    let edits = action["edit"]["changes"][&uri]
        .as_array()
        .expect("edits for the document");
    let fixed = apply_edits(text, edits);
    assert!(
        fixed.contains("\nspec:\n  selector:\n    matchLabels:\n      app: hello-kiamol-4\n  template:\n    metadata:"),
        "{fixed}"
    );

    // Asking at the diagnostic only gives its fix.
    let at = |only: Value| {
        let mut params = json!({
            "textDocument": { "uri": uri },
            "range": range((10, 3), (10, 3)),
            "context": { "diagnostics": [] },
        });
        if !only.is_null() {
            params["context"]["only"] = only;
        }
        params
    };
    let response = server.request("textDocument/codeAction", at(Value::Null));
    let titles: Vec<&str> = response["result"]
        .as_array()
        .expect("code actions")
        .iter()
        .filter_map(|it| it["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Move `template` under `spec`",
            "Ignore `unknown-field` on this line"
        ]
    );
    // Other kinds than quick fixes: none.
    let response = server.request("textDocument/codeAction", at(json!(["refactor"])));
    assert_eq!(response["result"], Value::Null, "{response}");

    // A fix that only inserts a placeholder is offered, but not preferred.
    let other = dir.file_uri("other.yaml");
    server.open(
        &other,
        1,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n",
    );
    let response = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": other },
            "range": range((4, 1), (4, 1)),
            "context": { "diagnostics": [] },
        }),
    );
    let add = response["result"]
        .as_array()
        .and_then(|it| it.iter().find(|it| it["title"] == "Add `selector`"))
        .unwrap_or_else(|| panic!("no `Add selector` in {response}"));
    assert_eq!(add["isPreferred"], false, "{add}");
    assert_eq!(
        add["edit"]["changes"][&other],
        json!([{ "range": range((5, 0), (5, 0)), "newText": "  selector: {}\n" }])
    );

    // The server agrees: no more errors.
    server.change(&uri, 2, json!([{ "text": fixed }]));
    let diagnostics = server.diagnostics(&uri, Some(2));
    assert!(
        diagnostics.iter().all(|it| it["severity"] != 1),
        "{diagnostics:?}"
    );
    assert!(server.stop().success());

    // And so does the linter.
    let mut lint = Command::new(env!("CARGO_BIN_EXE_kls"))
        .args(["lint", "-"])
        .current_dir(&dir.0)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kls lint starts");
    lint.stdin
        .take()
        .expect("stdin")
        .write_all(fixed.as_bytes())
        .expect("write the fixed text");
    let output = lint.wait_with_output().expect("kls lint ends");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_service_that_selects_nothing_in_the_workspace() {
    let dir = TempDir::new();
    // A workload on disk, with other labels.
    std::fs::write(
        dir.0.join("other.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\n  labels:\n    app: other\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n",
    )
    .unwrap();
    let mut server = Server::start_plain(&dir.0);
    let service = dir.file_uri("service.yaml");
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: hello-kiamol-4\n  ports:\n    - port: 80\n";
    server.open(&service, 1, text);
    // Once the workspace is read, the Service selects nothing there.
    let diagnostics = server.diagnostics_until(&service, |it| !it.is_empty());
    assert_eq!(codes(&diagnostics), ["service-selector-no-match"]);
    assert_eq!(diagnostics[0]["severity"], 2);
    assert_eq!(diagnostics[0]["range"], range((5, 2), (5, 10)));
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("app: hello-kiamol-4"), "{message}");
    // Published once, not again and again.
    std::thread::sleep(Duration::from_millis(300));
    let again = server.messages.try_iter().chain(server.backlog.drain(..));
    let publishes = again
        .filter(|it| it["method"] == "textDocument/publishDiagnostics")
        .count();
    assert_eq!(publishes, 0);

    // A matching Deployment in another open document clears it.
    let deploy = dir.file_uri("deploy.yaml");
    server.open(&deploy, 1, &clean_deployment());
    assert_eq!(server.diagnostics(&deploy, Some(1)), Vec::<Value>::new());
    server.diagnostics_until(&service, <[Value]>::is_empty);

    // Editing the Deployment's labels brings it back; closing the Deployment too.
    let labels_line = 11;
    server.change(
        &deploy,
        2,
        json!([{ "range": range((labels_line, 13), (labels_line, 18)), "text": "bye" }]),
    );
    server.diagnostics_until(&service, |it| codes(it) == ["service-selector-no-match"]);
    server.change(
        &deploy,
        3,
        json!([{ "range": range((labels_line, 13), (labels_line, 16)), "text": "hello" }]),
    );
    server.diagnostics_until(&service, <[Value]>::is_empty);
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": deploy } }),
    );
    server.diagnostics_until(&service, |it| codes(it) == ["service-selector-no-match"]);

    // The hover on the warning explains the rule.
    let result = server.at(
        "textDocument/hover",
        &service,
        &json!({ "line": 5, "character": 4 }),
    );
    let markdown = result["contents"]["value"].as_str().expect("markdown");
    assert!(markdown.contains("service-selector-no-match"), "{markdown}");
    assert!(server.stop().success());

    // Without any workload in the workspace, nothing to say.
    let lone = TempDir::new();
    let mut server = Server::start_plain(&lone.0);
    let uri = lone.file_uri("service.yaml");
    server.open(&uri, 1, text);
    assert_eq!(server.diagnostics(&uri, Some(1)), Vec::<Value>::new());
    assert!(server.stop().success());
}

/// A deterministic stream of pseudo-random numbers (no dependency, same run every time).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % (n.max(1) as u64)).expect("small")
    }
}

/// The server's diagnostics after many incremental edits sent back to back are exactly those
/// of a fresh check of the final text: no edit is lost, and cached results of unchanged
/// documents are moved to the right place.
#[test]
fn many_random_edits_end_where_a_fresh_check_does() {
    let mut with_findings = 0;
    for seed in [7, 11, 23, 42, 99] {
        with_findings += usize::from(random_edits_end_where_a_fresh_check_does(seed) > 0);
    }
    assert!(
        with_findings >= 3,
        "most runs should leave something to report"
    );
}

/// Returns how many diagnostics the final text has.
fn random_edits_end_where_a_fresh_check_does(seed: u64) -> usize {
    static STORE: std::sync::OnceLock<kls::core::schema::SchemaStore> = std::sync::OnceLock::new();
    use kls::core::text::{LineIndex, PositionEncoding};

    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("random.yaml");
    let mut text = format!("{DEPLOYMENT}---\n{}---\n{DEPLOYMENT}", clean_deployment());
    server.open(&uri, 1, &text);
    let snippets = [
        "a",
        "\n",
        "  ",
        "- ",
        ": ",
        "---\n",
        "é",
        "😀",
        "image: x\n",
        "#",
        "'",
        "{",
        "name: web\n",
    ];
    let mut random = Lcg(seed);
    let mut version = 1;
    for _ in 0..150 {
        version += 1;
        let index = LineIndex::new(&text);
        let boundary = |mut at: usize, text: &str| {
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let start = boundary(random.below(text.len() + 1), &text);
        let end = match random.below(3) {
            0 => boundary((start + random.below(20)).min(text.len()), &text),
            _ => start,
        };
        let new_text = if end > start && random.below(2) == 0 {
            String::new()
        } else {
            snippets[random.below(snippets.len())].to_owned()
        };
        let position = |offset: usize| {
            let at = index.line_col(
                &text,
                u32::try_from(offset).expect("small"),
                PositionEncoding::Utf16,
            );
            json!({ "line": at.line, "character": at.col })
        };
        let change = json!([{ "range": { "start": position(start), "end": position(end) }, "text": new_text }]);
        server.change(&uri, version, change);
        text.replace_range(start..end, &new_text);
    }
    let got = server.diagnostics(&uri, Some(version));
    let index = LineIndex::new(&text);
    let expected = kls::core::analysis::check(
        &text,
        STORE.get_or_init(kls::core::schema::SchemaStore::bundled),
        &kls::core::settings::Settings::default(),
    );
    let as_lsp = |offset: u32| {
        let at = index.line_col(&text, offset, PositionEncoding::Utf16);
        (u64::from(at.line), u64::from(at.col))
    };
    let mut expected: Vec<(u64, u64, u64, u64, String, String)> = expected
        .iter()
        .map(|it| {
            let (start, end) = (as_lsp(it.range.start), as_lsp(it.range.end));
            (
                start.0,
                start.1,
                end.0,
                end.1,
                it.code.to_owned(),
                it.message.clone(),
            )
        })
        .collect();
    let mut got: Vec<(u64, u64, u64, u64, String, String)> = got
        .iter()
        .map(|it| {
            let range = &it["range"];
            (
                range["start"]["line"].as_u64().expect("line"),
                range["start"]["character"].as_u64().expect("character"),
                range["end"]["line"].as_u64().expect("line"),
                range["end"]["character"].as_u64().expect("character"),
                it["code"].as_str().expect("code").to_owned(),
                it["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "seed {seed}, final text:\n{text}");
    assert!(server.stop().success());
    expected.len()
}

/// A selector that does not match its template labels can be fixed either way; making the
/// template match is the preferred fix.
#[test]
fn selector_and_template_labels_can_be_aligned_either_way() {
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("mismatch.yaml");
    let text = clean_deployment();
    let label = "app: hello-kiamol-4";
    let labels_at = text.rfind(label).expect("the template label");
    let text = format!(
        "{}app: api{}",
        &text[..labels_at],
        &text[labels_at + label.len()..]
    );
    server.open(&uri, 1, &text);
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert_eq!(
        codes(&diagnostics),
        ["deployment-selector-mismatch"],
        "{text}"
    );
    let lines = u64::try_from(text.lines().count()).expect("small");
    let response = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": range((0, 0), (lines, 0)),
            "context": { "diagnostics": diagnostics },
        }),
    );
    let actions = response["result"].as_array().expect("code actions");
    let summary: Vec<(&str, bool)> = actions
        .iter()
        .map(|it| {
            (
                it["title"].as_str().unwrap_or_default(),
                it["isPreferred"] == true,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Set the template label `app: hello-kiamol-4`", true),
            ("Set the selector to `app: api`", false),
            ("Ignore `deployment-selector-mismatch` on this line", false)
        ],
        "{response}"
    );
    assert!(server.stop().success());
}

#[test]
fn helm_templates_and_non_object_files_stay_quiet_and_patches_are_checked_as_patches() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/projects")
        .canonicalize()
        .expect("the fixture projects");
    let mut server = Server::start_plain(&root);
    let read = |name: &str| std::fs::read_to_string(root.join(name)).expect("a fixture");
    // Opens the fixture file `path` with the text of the fixture `text`; its diagnostics.
    let open = |server: &mut Server, path: &str, text: &str| {
        let file = uri(&root.join(path));
        server.open(&file, 1, &read(text));
        server.diagnostics(&file, Some(1))
    };
    let chart_note = |it: &Value| {
        it["method"] == "window/showMessage"
            && it["params"]["message"]
                .as_str()
                .is_some_and(|text| text.contains("helm/web is a Helm chart"))
    };

    // A template of a chart: no diagnostics, and one note for the chart.
    let template = "helm/web/templates/deployment.yaml";
    assert_eq!(open(&mut server, template, template), Vec::<Value>::new());
    let note = server.wait_for("the chart's note", chart_note);
    let message = note["params"]["message"].as_str().expect("a message");
    assert!(
        message.contains("`helm template helm/web | kls lint -`"),
        "{message}"
    );
    assert_eq!(note["params"]["type"], 3, "an information message");
    // Another template of the same chart: still quiet, and no second note.
    let service = "helm/web/templates/service.yaml";
    assert_eq!(open(&mut server, service, service), Vec::<Value>::new());
    // Chart.yaml (`apiVersion: v2`, no kind) and a values file that has an apiVersion.
    for name in ["helm/web/Chart.yaml", "helm/web/values-prod.yaml"] {
        assert_eq!(open(&mut server, name, name), Vec::<Value>::new(), "{name}");
    }

    // A patch listed by the kustomization: only what it writes is checked.
    let replicas = "kustomize/overlays/prod/patches/replicas.yaml";
    assert_eq!(open(&mut server, replicas, replicas), Vec::<Value>::new());
    let memory = "kustomize/overlays/prod/memory.yaml";
    let found = open(&mut server, memory, memory);
    assert_eq!(
        codes(&found),
        ["container-image-pull-policy-invalid"],
        "{found:?}"
    );
    let ops = "kustomize/overlays/prod/patches/remove-probe.yaml";
    assert_eq!(open(&mut server, ops, ops), Vec::<Value>::new());
    // The same partial Deployment in a file no kustomization lists is a whole object.
    let found = open(&mut server, "kustomize/base/replicas.yaml", replicas);
    assert!(
        codes(&found).contains(&"deployment-selector-missing"),
        "{found:?}"
    );

    let seen = server.messages.try_iter().chain(server.backlog.drain(..));
    assert_eq!(
        seen.filter(|it| chart_note(it)).count(),
        0,
        "one note per chart"
    );
    assert!(server.stop().success());
}

#[test]
fn completion_and_hover_answer_during_a_burst_of_edits() {
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("many.yaml");
    // Many documents, so that each check takes a while and edits overtake the answers.
    let mut text = String::new();
    for i in 0..200 {
        text += &clean_deployment().replace("hello-kiamol-4", &format!("web-{i}"));
        text += "---\n";
    }
    server.open(&uri, 1, &text);
    server.diagnostics(&uri, Some(1));
    // Type a new key under `image:` (line 15), one character at a time, and ask for completion
    // at the cursor and hover on `image` after every keystroke, without waiting for anything.
    let line = 16;
    server.change(
        &uri,
        2,
        json!([{ "range": range((line, 0), (line, 0)), "text": "          \n" }]),
    );
    let typed = "terminationMessagePolicy: ";
    let doc_lines = clean_deployment().lines().count() as u64 + 1;
    let mut asked = Vec::new();
    for (version, column, ch) in (3..)
        .zip(10u64..)
        .zip(typed.chars())
        .map(|((v, c), ch)| (v, c, ch))
    {
        server.change(
            &uri,
            version,
            json!([{ "range": range((line, column), (line, column)), "text": ch.to_string() }]),
        );
        let cursor = json!({ "line": line, "character": column + 1 });
        let completion = server.send_request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": cursor }),
        );
        // The `image` key of the next document, which the half-typed key leaves alone.
        let image = doc_lines + 1 + 15;
        let hover = server.send_request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": image, "character": 11 } }),
        );
        asked.push((completion, hover));
    }
    let last = asked.len() - 1;
    for (i, (completion, hover)) in asked.into_iter().enumerate() {
        let completion = server.response(completion);
        assert!(completion.get("error").is_none(), "{completion}");
        assert!(completion["result"].is_array(), "{completion}");
        let hover = server.response(hover);
        assert!(hover.get("error").is_none(), "{hover}");
        let markdown = hover["result"]["contents"]["value"].as_str().unwrap_or("");
        assert!(markdown.contains("Container image name"), "{hover}");
        if i == last {
            let items = completion["result"].as_array().expect("items").clone();
            assert_eq!(labels(&items), ["File", "FallbackToLogsOnError"]);
        }
    }
    assert!(server.stop().success());
}

#[test]
fn closing_a_file_outside_the_workspace_drops_its_names() {
    let dir = TempDir::new();
    let outside = TempDir::new();
    let outside_text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-outside\n";
    std::fs::write(outside.0.join("elsewhere.yaml"), outside_text).unwrap();
    let mut server = Server::start_plain(&dir.0);
    let elsewhere = outside.file_uri("elsewhere.yaml");
    server.open(&elsewhere, 1, outside_text);
    server.diagnostics(&elsewhere, Some(1));
    let uri = dir.file_uri("pod.yaml");
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      envFrom:\n        - configMapRef:\n            name: \n";
    server.open(&uri, 1, text);
    server.diagnostics(&uri, Some(1));
    let position = json!({ "line": 10, "character": 18 });
    assert_eq!(
        labels(&server.completion(&uri, &position)),
        ["from-outside"]
    );
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": elsewhere } }),
    );
    server.diagnostics(&elsewhere, None);
    assert!(labels(&server.completion(&uri, &position)).is_empty());
    assert!(server.stop().success());
}

#[test]
fn ignore_this_rule_here_suppresses_the_finding_on_its_line() {
    let text = include_str!("../../examples/deployment-broken.yaml");
    let dir = TempDir::new();
    let mut server = Server::start_plain(&dir.0);
    let uri = dir.file_uri("deployment-broken.yaml");
    server.open(&uri, 1, text);
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert!(diagnostics.iter().any(|it| it["code"] == "unknown-field"));
    let response = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": range((10, 3), (10, 3)),
            "context": { "diagnostics": [] },
        }),
    );
    let ignore = response["result"]
        .as_array()
        .and_then(|it| {
            it.iter()
                .find(|it| it["title"] == "Ignore `unknown-field` on this line")
        })
        .unwrap_or_else(|| panic!("no ignore action in {response}"));
    assert_eq!(ignore["isPreferred"], false);
    let fixed = apply_edits(
        text,
        ignore["edit"]["changes"][&uri].as_array().expect("edits"),
    );
    assert!(
        fixed.contains("\ntemplate: # kls: ignore[unknown-field]\n"),
        "{fixed}"
    );
    server.change(&uri, 2, json!([{ "text": fixed }]));
    let after = server.diagnostics(&uri, Some(2));
    let codes: Vec<&str> = after.iter().filter_map(|it| it["code"].as_str()).collect();
    assert_eq!(codes, ["deployment-template-missing"], "{after:?}");
    assert!(server.stop().success());
}

#[test]
fn a_pull_client_gets_diagnostics_only_by_pulling_and_is_told_when_others_change() {
    let dir = TempDir::new();
    let pull = json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostic": { "refreshSupport": true } },
    });
    let (mut server, initialized) = Server::start(&dir.0, pull, Value::Null);
    assert!(
        initialized["result"]["capabilities"]["diagnosticProvider"].is_object(),
        "{initialized}"
    );
    let service_uri = dir.file_uri("service.yaml");
    let deploy_uri = dir.file_uri("deploy.yaml");
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: hello-kiamol-4\n  ports:\n    - port: 80\n";
    server.open(&service_uri, 1, service);
    server.open(&deploy_uri, 1, &clean_deployment());
    let pulled = |server: &mut Server| -> Vec<String> {
        let response = server.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": service_uri } }),
        );
        response["result"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|it| it["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(pulled(&mut server).is_empty());
    // The workload's labels change: the Service in the other document now selects nothing.
    let text = clean_deployment().replace("app: hello-kiamol-4", "app: other");
    server.change(&deploy_uri, 2, json!([{ "text": text }]));
    let refresh = server.wait_for("a diagnostics refresh", |it| {
        it["method"] == "workspace/diagnostic/refresh" && it.get("id").is_some()
    });
    server.send(&json!({ "jsonrpc": "2.0", "id": refresh["id"], "result": null }));
    assert_eq!(pulled(&mut server), ["service-selector-no-match"]);
    let response = server.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null, "{response}");
    server.notify("exit", Value::Null);
    assert!(server.wait_exit().success());
    let rest: Vec<Value> = server.messages.try_iter().collect();
    server.backlog.extend(rest);
    let pushed: Vec<&Value> = server
        .backlog
        .iter()
        .filter(|it| it["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(pushed.is_empty(), "pushed to a pull client: {pushed:?}");
}

#[test]
fn a_push_client_is_not_offered_pull() {
    let dir = TempDir::new();
    let (server, initialized) = Server::start(&dir.0, json!({}), Value::Null);
    assert_eq!(
        initialized["result"]["capabilities"]["diagnosticProvider"],
        Value::Null,
        "{initialized}"
    );
    assert!(server.stop().success());
}

#[test]
fn a_deeply_nested_file_in_the_workspace_does_not_bring_the_server_down() {
    let dir = TempDir::new();
    let pod = |name: &str, args: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    app: {name}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      args:\n        - {args}x\n"
        )
    };
    // 100,000 levels of lists, read by the workspace indexer right after `initialize`.
    std::fs::write(dir.0.join("deep.yaml"), pod("deep", &"- ".repeat(100_000))).unwrap();
    std::fs::write(dir.0.join("other.yaml"), pod("other", "")).unwrap();
    let mut server = Server::start_plain(&dir.0);
    let services = dir.file_uri("services.yaml");
    let service = |name: &str, app: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: {app}\n  ports:\n    - port: 80\n"
        )
    };
    let text = format!(
        "{}---\n{}",
        service("deep", "deep"),
        service("none", "none")
    );
    server.open(&services, 1, &text);
    // Once both files are indexed, only the second Service selects nothing.
    let diagnostics = server.diagnostics_until(&services, |it| !it.is_empty());
    assert_eq!(codes(&diagnostics), ["service-selector-no-match"]);
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 15);

    // A 3,000-level document gets an outline, cut where it is too deep.
    let deep = dir.file_uri("open.yaml");
    server.open(&deep, 1, &pod("open", &"- ".repeat(3_000)));
    let response = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": deep } }),
    );
    let text = response["result"].to_string();
    assert!(text.contains("nested deeper than"), "{text:.500}");
    assert!(server.stop().success());
}
