//! The cluster shell against the test API server: apply, conflicts, dry runs on the right
//! lines, diff, logs, events, port-forward, unreachable clusters, exec plugins; and the test
//! server itself checked with the real `kubectl`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use kls::cluster::{
    Applied, ClusterError, ClusterHandle, ClusterSettings, Command, Event, Object, ObjectError,
    Outcome,
};
use kls::core::cluster::rejection_diagnostics;
use serde_json::{Value, json};

use crate::apiserver::ApiServer;

use crate::support::Scratch;

/// A handle on the test server's kubeconfig.
struct Client {
    handle: ClusterHandle,
    events: Receiver<Event>,
    settings: ClusterSettings,
    /// The progress events seen, as `(done, total, object)`.
    progress: Vec<(usize, usize, String)>,
    _scratch: Scratch,
}

impl Client {
    fn new(server: &ApiServer, name: &str) -> Client {
        let scratch = Scratch::new(name);
        let kubeconfig = scratch.write("kubeconfig", &server.kubeconfig());
        Client::with_kubeconfig(scratch, kubeconfig)
    }

    fn with_kubeconfig(scratch: Scratch, kubeconfig: PathBuf) -> Client {
        let (sender, events) = crossbeam_channel::unbounded();
        Client {
            handle: ClusterHandle::new(sender),
            events,
            settings: ClusterSettings {
                kubeconfig: Some(kubeconfig),
                context: None,
            },
            progress: Vec::new(),
            _scratch: scratch,
        }
    }

    fn run(&mut self, command: Command) -> Result<Outcome, ClusterError> {
        let id = self.handle.request(self.settings.clone(), command);
        loop {
            match self.events.recv_timeout(Duration::from_secs(30)) {
                Ok(Event::Finished { id: done, result }) if done == id => return result,
                Ok(Event::Progress {
                    id: of,
                    done,
                    total,
                    object,
                }) if of == id => self.progress.push((done, total, object)),
                Ok(_) => {}
                Err(error) => panic!("no answer from the cluster thread: {error}"),
            }
        }
    }

    fn apply(&mut self, objects: Vec<Object>, force: bool) -> Vec<Result<Applied, ObjectError>> {
        match self.run(Command::Apply { objects, force }) {
            Ok(Outcome::Applied { results, .. }) => {
                results.into_iter().map(|it| it.outcome).collect()
            }
            other => panic!("not an apply outcome: {other:?}"),
        }
    }
}

fn deployment(replicas: i64, image: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: {image}\n"
    )
}

/// The objects of a YAML text, tagged by document index.
fn objects(text: &str) -> Vec<Object> {
    kls::core::yaml::parse(text)
        .documents
        .iter()
        .enumerate()
        .filter_map(|(i, doc)| Object::from_json(i, doc.root.as_ref()?.to_json()))
        .collect()
}

fn line_of(text: &str, offset: u32) -> usize {
    text[..offset as usize].matches('\n').count() + 1
}

/// A server-side apply as another client sends it, with raw HTTP.
fn foreign_apply(server: &ApiServer, manager: &str, path: &str, body: &Value) -> u16 {
    let body = body.to_string();
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    write!(
        stream,
        "PATCH {path}?fieldManager={manager} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/apply-patch+yaml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.addr,
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
        .split(' ')
        .nth(1)
        .and_then(|it| it.parse().ok())
        .expect("a status line")
}

#[test]
fn apply_creates_then_updates_in_dependency_order_as_kls() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "apply");
    assert!(
        !client.handle.is_started(),
        "the runtime starts only on demand"
    );
    let text = format!(
        "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
        deployment(2, "nginx:1.27")
    );
    let results = client.apply(objects(&text), false);
    assert_eq!(results, vec![Ok(Applied::Created); 3]);
    assert_eq!(
        client.progress,
        vec![
            (1, 3, "namespace/shop".to_owned()),
            (2, 3, "configmap/settings".to_owned()),
            (3, 3, "deployment/web".to_owned())
        ]
    );
    assert!(client.handle.is_started());
    let patches: Vec<String> = server
        .seen()
        .into_iter()
        .filter(|it| it.method == "PATCH")
        .inspect(|it| {
            assert_eq!(
                it.content_type.as_deref(),
                Some("application/apply-patch+yaml")
            );
            assert!(it.uri.contains("fieldManager=kls"), "{}", it.uri);
            assert!(!it.uri.contains("dryRun"), "{}", it.uri);
            assert_eq!(it.authorization.as_deref(), Some("Bearer test-token"));
        })
        .map(|it| it.uri)
        .collect();
    assert_eq!(patches.len(), 3);
    assert!(
        patches[0].starts_with("/api/v1/namespaces/shop?"),
        "{patches:?}"
    );
    assert!(patches[1].starts_with("/api/v1/namespaces/default/configmaps/settings?"));
    assert!(patches[2].starts_with("/apis/apps/v1/namespaces/default/deployments/web?"));

    let stored = server
        .object("deployments", "default", "web")
        .expect("created");
    assert_eq!(stored["spec"]["replicas"], json!(2));
    assert!(stored["metadata"]["uid"].is_string());
    assert_eq!(
        stored["metadata"]["managedFields"][0]["manager"],
        json!("kls")
    );
    let version = stored["metadata"]["resourceVersion"].clone();

    // The text as it is now (an edit not saved anywhere) is what is applied.
    let edited = deployment(4, "nginx:1.27");
    assert_eq!(
        client.apply(objects(&edited), false),
        vec![Ok(Applied::Configured)]
    );
    let stored = server
        .object("deployments", "default", "web")
        .expect("kept");
    assert_eq!(stored["spec"]["replicas"], json!(4));
    assert_ne!(stored["metadata"]["resourceVersion"], version);
    assert_eq!(
        client.apply(objects(&edited), false),
        vec![Ok(Applied::Unchanged)]
    );
}

#[test]
fn a_conflict_names_the_owner_and_a_forced_apply_takes_the_field() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "conflict");
    let theirs = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"}, "spec": {"replicas": 5}});
    assert_eq!(
        foreign_apply(
            &server,
            "kubectl",
            "/apis/apps/v1/namespaces/default/deployments/web",
            &theirs
        ),
        201
    );
    let text = deployment(2, "nginx");
    let results = client.apply(objects(&text), false);
    let Err(ObjectError::Rejected(rejection)) = &results[0] else {
        panic!("not a conflict: {results:?}");
    };
    assert_eq!(rejection.code, 409);
    assert_eq!(rejection.causes[0].field, ".spec.replicas");
    let root = kls::core::yaml::parse(&text).documents[0]
        .root
        .clone()
        .expect("a root");
    let diagnostics = rejection_diagnostics(&root, rejection);
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].message.contains("field manager \"kubectl\""),
        "{}",
        diagnostics[0].message
    );
    assert_eq!(&text[diagnostics[0].range.to_usize()], "replicas");
    assert_eq!(
        server
            .object("deployments", "default", "web")
            .expect("theirs")["spec"]["replicas"],
        json!(5)
    );

    assert_eq!(
        client.apply(objects(&text), true),
        vec![Ok(Applied::Configured)]
    );
    let stored = server
        .object("deployments", "default", "web")
        .expect("kept");
    assert_eq!(stored["spec"]["replicas"], json!(2));
    let forced = server
        .seen()
        .into_iter()
        .rev()
        .find(|it| it.method == "PATCH")
        .expect("a patch");
    assert!(forced.uri.contains("force=true"), "{}", forced.uri);
}

#[test]
fn a_dry_run_rejection_lands_on_the_field_and_nothing_changes() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "dry-run");
    let text = deployment(2, "nginx:::bad");
    match client.run(Command::DryRun {
        objects: objects(&text),
        force: false,
    }) {
        Ok(Outcome::Applied {
            dry_run: true,
            results,
            target,
        }) => {
            assert_eq!(target.context, "test");
            assert_eq!(target.namespace, "default");
            assert_eq!(results[0].outcome, Ok(Applied::Created));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        server.object("deployments", "default", "web").is_none(),
        "a dry run stores nothing"
    );
    let dry = server
        .seen()
        .into_iter()
        .find(|it| it.method == "PATCH")
        .expect("a patch");
    assert!(
        dry.uri.contains("dryRun=All") && dry.uri.contains("fieldValidation=Strict"),
        "{}",
        dry.uri
    );

    server.reject(
        "Deployment",
        "web",
        &json!([
            {"reason": "FieldValueInvalid", "message": "Invalid value: \"nginx:::bad\": invalid reference format",
             "field": "spec.template.spec.containers[0].image"},
            {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.template.spec.containers[0].resources.limits[cpu]"},
        ]),
    );
    let results = match client.run(Command::DryRun {
        objects: objects(&text),
        force: false,
    }) {
        Ok(Outcome::Applied { results, .. }) => results,
        other => panic!("{other:?}"),
    };
    let Err(ObjectError::Rejected(rejection)) = &results[0].outcome else {
        panic!("not rejected: {results:?}");
    };
    assert_eq!(rejection.code, 422);
    let root = kls::core::yaml::parse(&text).documents[0]
        .root
        .clone()
        .expect("a root");
    let diagnostics = rejection_diagnostics(&root, rejection);
    assert_eq!(diagnostics.len(), 2);
    assert_eq!(
        line_of(&text, diagnostics[0].range.start),
        17,
        "the image line"
    );
    assert!(diagnostics[0].message.contains("invalid reference format"));
    // No resources are written: the nearest parent is the container.
    assert_eq!(line_of(&text, diagnostics[1].range.start), 16);
}

#[test]
fn a_rejection_named_only_in_its_message_lands_on_the_field() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "strict");
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\nspec:\n  foo: 1\n";
    server.reject_strictly("ConfigMap", "settings", ".spec.foo");
    let results = match client.run(Command::DryRun {
        objects: objects(text),
        force: false,
    }) {
        Ok(Outcome::Applied { results, .. }) => results,
        other => panic!("{other:?}"),
    };
    let Err(ObjectError::Rejected(rejection)) = &results[0].outcome else {
        panic!("not rejected: {results:?}");
    };
    assert_eq!(rejection.code, 400);
    assert!(rejection.causes.is_empty());
    let root = kls::core::yaml::parse(text).documents[0]
        .root
        .clone()
        .expect("a root");
    let diagnostics = rejection_diagnostics(&root, rejection);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(&text[diagnostics[0].range.to_usize()], "foo");
    assert!(
        diagnostics[0]
            .message
            .contains("field not declared in schema")
    );
}

#[test]
fn diff_shows_what_an_apply_would_change() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "diff");
    client.apply(objects(&deployment(2, "nginx:1.27")), false);
    let text = match client.run(Command::Diff {
        objects: objects(&deployment(3, "nginx:1.27")),
    }) {
        Ok(Outcome::Diff { text, .. }) => text,
        other => panic!("{other:?}"),
    };
    assert!(text.contains("--- live/deployment/web"), "{text}");
    assert!(text.contains("\n-  replicas: 2\n"), "{text}");
    assert!(text.contains("\n+  replicas: 3\n"), "{text}");
    assert!(
        !text.contains("managedFields") && !text.contains("resourceVersion"),
        "{text}"
    );
    assert_eq!(
        server
            .object("deployments", "default", "web")
            .expect("kept")["spec"]["replicas"],
        json!(2),
        "a diff changes nothing"
    );
    match client.run(Command::Diff {
        objects: objects(&deployment(2, "nginx:1.27")),
    }) {
        Ok(Outcome::Diff { text, .. }) => assert_eq!(text, ""),
        other => panic!("{other:?}"),
    }
}

/// A loopback TCP server that answers each connection with one HTTP response naming `who`
/// and echoing the request's first line.
fn backend(who: &'static str) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|it| it == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let first = String::from_utf8_lossy(&request)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned();
            let body = format!("{who} got {first}");
            let _ = write!(
                stream,
                "HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

fn http_get(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect to the forward");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(stream, "GET {path} HTTP/1.0\r\n\r\n").expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    answer
}

#[test]
fn a_port_forward_carries_bytes_follows_a_new_pod_and_stops() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "forward");
    server.add_pod("web-a", &json!({"app": "web"}), true, backend("web-a"), "");
    server.add_pod(
        "web-old",
        &json!({"app": "web"}),
        false,
        backend("web-old"),
        "",
    );
    let object = objects(&deployment(1, "nginx")).remove(0);
    let info = match client.run(Command::PortForward {
        object: object.clone(),
        remote_port: 80,
        local_port: None,
    }) {
        Ok(Outcome::Forwarding(info)) => info,
        other => panic!("{other:?}"),
    };
    assert!(info.local.ip().is_loopback());
    assert_eq!(info.pod, "web-a", "the ready pod");
    assert_eq!(info.object, "deployment/web");
    let answer = http_get(info.local, "/hello");
    assert!(
        answer.contains("200 OK") && answer.ends_with("web-a got GET /hello HTTP/1.0"),
        "{answer}"
    );
    assert!(server.seen().iter().any(|it| {
        it.uri
            .starts_with("/api/v1/namespaces/default/pods/web-a/portforward?")
            && it.uri.contains("ports=80")
    }));

    // The pod is replaced, as in a rollout: the next connection goes to the new one.
    server.remove_pod("web-a");
    server.add_pod("web-b", &json!({"app": "web"}), true, backend("web-b"), "");
    let answer = http_get(info.local, "/again");
    assert!(
        answer.ends_with("web-b got GET /again HTTP/1.0"),
        "{answer}"
    );
    assert_eq!(server.forwarded("web-b"), 1);

    match client.run(Command::ListPortForwards) {
        Ok(Outcome::Forwards(list)) => assert_eq!(list, vec![info.clone()]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        client.run(Command::StopPortForward { forward: info.id }),
        Ok(Outcome::Stopped(true))
    );
    assert_eq!(
        client.run(Command::StopPortForward { forward: info.id }),
        Ok(Outcome::Stopped(false))
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(info.local).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the listener still accepts after the stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    match client.run(Command::ListPortForwards) {
        Ok(Outcome::Forwards(list)) => assert!(list.is_empty()),
        other => panic!("{other:?}"),
    }
    // A port that is taken falls back to a free one.
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    match client.run(Command::PortForward {
        object,
        remote_port: 80,
        local_port: Some(port),
    }) {
        Ok(Outcome::Forwarding(info)) => assert_ne!(info.local.port(), port),
        other => panic!("{other:?}"),
    }
}

#[test]
fn live_status_reads_each_object_and_reconnect_reads_the_kubeconfig_again() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "status");
    let nowhere: SocketAddr = "127.0.0.1:9".parse().expect("an address");
    server.add_pod("web-1", &json!({"app": "web"}), true, nowhere, "");
    client.apply(objects(&deployment(2, "nginx")), false);
    let text = format!(
        "{}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: absent\n",
        deployment(2, "nginx")
    );
    match client.run(Command::LiveStatus {
        objects: objects(&text),
    }) {
        Ok(Outcome::Status { states, .. }) => assert_eq!(
            states,
            vec![
                (0, "deployment/web".to_owned(), "0/2 ready".to_owned()),
                (1, "pod/web-1".to_owned(), "Running, 0 restarts".to_owned()),
                (
                    2,
                    "configmap/absent".to_owned(),
                    "not in the cluster".to_owned()
                ),
            ]
        ),
        other => panic!("{other:?}"),
    }
    // The kubeconfig changes: a cached client keeps the old one until told to reconnect.
    let path = client.settings.kubeconfig.clone().expect("a path");
    std::fs::write(&path, "not: [a kubeconfig").expect("rewrite");
    assert!(
        client
            .run(Command::LiveStatus {
                objects: objects(&text)
            })
            .is_ok()
    );
    assert_eq!(client.run(Command::Reconnect), Ok(Outcome::Done));
    let error = client
        .run(Command::LiveStatus {
            objects: objects(&text),
        })
        .expect_err("the broken file is read");
    assert!(error.0.contains("cannot read the kubeconfig"), "{error}");
}

#[test]
fn logs_and_events_of_an_object_come_back_as_text() {
    let server = ApiServer::start();
    let mut client = Client::new(&server, "logs");
    let nowhere: SocketAddr = "127.0.0.1:9".parse().expect("an address");
    server.add_pod(
        "web-1",
        &json!({"app": "web"}),
        true,
        nowhere,
        "one\ntwo\nthree\n",
    );
    server.add_pod(
        "db-1",
        &json!({"app": "db"}),
        true,
        nowhere,
        "not this one\n",
    );
    server.add_event(
        "Deployment",
        "web",
        "ScalingReplicaSet",
        "Scaled up replica set web-1 to 1",
    );
    server.add_event(
        "Deployment",
        "db",
        "ScalingReplicaSet",
        "Scaled up replica set db-1 to 1",
    );
    let object = objects(&deployment(1, "nginx")).remove(0);
    let text = match client.run(Command::Logs {
        object: object.clone(),
        tail_lines: 2,
    }) {
        Ok(Outcome::Text { text, .. }) => text,
        other => panic!("{other:?}"),
    };
    assert_eq!(text, "==> pod/web-1 container main <==\ntwo\nthree\n");
    let text = match client.run(Command::Events { object }) {
        Ok(Outcome::Text { text, .. }) => text,
        other => panic!("{other:?}"),
    };
    assert!(
        text.contains("ScalingReplicaSet") && text.contains("web-1 to 1"),
        "{text}"
    );
    assert!(!text.contains("db-1"), "{text}");
}

#[test]
fn an_unreachable_cluster_answers_clearly_within_five_seconds() {
    let scratch = Scratch::new("unreachable");
    // A refused port: bound, then closed.
    let refused = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    // A server that accepts and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_addr = silent.local_addr().expect("addr");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in silent.incoming() {
            held.push(stream);
        }
    });
    for (name, addr) in [("refused", refused), ("silent", silent_addr)] {
        let config = format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: far\nclusters:\n  - name: far\n    cluster:\n      server: http://{addr}\ncontexts:\n  - name: far\n    context:\n      cluster: far\n      user: u\nusers:\n  - name: u\n    user: {{}}\n"
        );
        let path = scratch.write(&format!("{name}.kubeconfig"), &config);
        let mut client =
            Client::with_kubeconfig(Scratch::new(&format!("unreachable-{name}")), path);
        let started = Instant::now();
        let result = client.run(Command::Apply {
            objects: objects(&deployment(1, "nginx")),
            force: false,
        });
        let elapsed = started.elapsed();
        let error = result.expect_err("an unreachable cluster");
        assert!(
            error
                .0
                .contains("cannot reach the cluster of context `far`"),
            "{name}: {error}"
        );
        assert!(elapsed < Duration::from_secs(5), "{name}: took {elapsed:?}");
    }
}

#[test]
fn a_missing_kubeconfig_says_so_only_when_used() {
    let scratch = Scratch::new("missing");
    let path = scratch.0.join("no-such-kubeconfig");
    let mut client = Client::with_kubeconfig(Scratch::new("missing-client"), path);
    assert!(!client.handle.is_started());
    let error = client.run(Command::Contexts).expect_err("no kubeconfig");
    assert!(error.0.contains("cannot read the kubeconfig"), "{error}");
}

fn kls_binary() -> &'static str {
    env!("CARGO_BIN_EXE_kls")
}

#[test]
fn an_exec_plugin_cannot_read_our_stdin() {
    let server = ApiServer::start();
    let scratch = Scratch::new("exec");
    let stolen = scratch.0.join("stolen");
    let plugin = scratch.write(
        "plugin.sh",
        "#!/bin/sh\ntimeout 1 head -c 64 >> \"$STOLEN\"\nprintf '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-plugin\"}}'\n",
    );
    let mut permissions = std::fs::metadata(&plugin).expect("plugin").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&plugin, permissions).expect("chmod");
    let config = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n  - name: test\n    cluster:\n      server: {}\ncontexts:\n  - name: test\n    context:\n      cluster: test\n      user: plugin\nusers:\n  - name: plugin\n    user:\n      exec:\n        apiVersion: client.authentication.k8s.io/v1beta1\n        command: {}\n        interactiveMode: Always\n        env:\n          - name: STOLEN\n            value: {}\n",
        server.url(),
        plugin.display(),
        stolen.display()
    );
    let kubeconfig = scratch.write("kubeconfig", &config);
    let manifest = scratch.write("web.yaml", &deployment(1, "nginx"));
    let mut child = Process::new(kls_binary())
        .args(["lint", "--server-dry-run", "--format", "json"])
        .arg(&manifest)
        .env("KUBECONFIG", &kubeconfig)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kls runs");
    child
        .stdin
        .as_mut()
        .expect("stdin")
        .write_all(b"Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\"}")
        .expect("write stdin");
    let output = child.wait_with_output().expect("kls finishes");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        server
            .seen()
            .iter()
            .any(|it| it.authorization.as_deref() == Some("Bearer from-plugin")),
        "the plugin's token was used"
    );
    let read = std::fs::read_to_string(&stolen).unwrap_or_default();
    assert!(
        !read.contains("jsonrpc") && !read.contains("Content-Length"),
        "the plugin read: {read}"
    );
    assert!(
        !stderr.contains("from-plugin"),
        "a token reached the log: {stderr}"
    );
}

#[test]
fn lint_server_dry_run_puts_rejections_on_their_lines_in_json_and_sarif() {
    let server = ApiServer::start();
    let scratch = Scratch::new("lint");
    // KUBECONFIG with two files, merged as kubectl merges them: the first names the context,
    // the second defines it.
    let first = scratch.write(
        "first",
        "apiVersion: v1\nkind: Config\ncurrent-context: test\n",
    );
    let second = scratch.write(
        "second",
        &server.kubeconfig().replace("current-context: test\n", ""),
    );
    let kubeconfig = format!("{}:{}", first.display(), second.display());
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\ndata:\n  a: b\n---\n{}",
        deployment(1, "nginx:::bad")
    );
    let manifest = scratch.write("app.yaml", &text);
    server.reject(
        "Deployment",
        "web",
        &json!([{"reason": "FieldValueInvalid", "message": "Invalid value: \"nginx:::bad\": invalid reference format",
                "field": "spec.template.spec.containers[0].image"}]),
    );
    let image_line = text
        .lines()
        .position(|it| it.contains("image:"))
        .expect("an image line");
    let lint = |format: &str, extra: &[&str]| {
        Process::new(kls_binary())
            .args(["lint", "--server-dry-run", "--format", format])
            .args(extra)
            .arg(&manifest)
            .current_dir(&scratch.0)
            .env("KUBECONFIG", &kubeconfig)
            .stdin(Stdio::null())
            .output()
            .expect("kls runs")
    };
    let output = lint("json", &[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rejected: Vec<&Value> = report
        .as_array()
        .expect("an array")
        .iter()
        .filter(|it| it["code"] == "cluster-rejected")
        .collect();
    assert_eq!(rejected.len(), 1, "{report:#}");
    assert_eq!(rejected[0]["source"], "cluster");
    assert_eq!(rejected[0]["range"]["start"]["line"], json!(image_line));
    assert!(
        rejected[0]["message"]
            .as_str()
            .expect("text")
            .contains("invalid reference format")
    );

    let output = lint("sarif", &[]);
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let result = results
        .iter()
        .find(|it| it["ruleId"] == "cluster-rejected")
        .expect("the rejection");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        json!(image_line + 1)
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.iter().any(|it| it["id"] == "cluster-rejected"));
    assert!(
        server
            .seen()
            .iter()
            .all(|it| it.method != "PATCH" || it.uri.contains("dryRun=All"))
    );
    assert!(server.object("configmaps", "default", "fine").is_none());

    let output = lint("json", &["--context", "elsewhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no context `elsewhere`"));
}

/// The real kubectl against the test server: discovery, lists and server-side apply
/// (`--validate=false`: the server has no `/openapi/v3`). kubectl's port-forward speaks SPDY
/// inside the websocket, which this server does not; the port-forward path is checked with
/// kube-rs's client above.
#[test]
fn kubectl_gets_and_applies_against_the_test_server() {
    let kubectl = Path::new("/usr/bin/kubectl");
    if !kubectl.exists() {
        eprintln!("kubectl is not installed; the test server's fidelity is not checked");
        return;
    }
    let server = ApiServer::start();
    let scratch = Scratch::new("kubectl");
    let kubeconfig = scratch.write("kubeconfig", &server.kubeconfig());
    let manifest = scratch.write("web.yaml", &deployment(2, "nginx"));
    let cache = scratch.0.join("cache");
    let run = |args: &[&str]| {
        let output = Process::new(kubectl)
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .arg("--cache-dir")
            .arg(&cache)
            .args(args)
            .env("HOME", &scratch.0)
            .stdin(Stdio::null())
            .output()
            .expect("kubectl runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "kubectl {args:?} failed: {stdout}{stderr}"
        );
        stdout
    };
    let path = manifest.display().to_string();
    let applied = run(&["apply", "--server-side", "--validate=false", "-f", &path]);
    assert!(
        applied.contains("deployment.apps/web serverside-applied"),
        "{applied}"
    );
    let stored = server
        .object("deployments", "default", "web")
        .expect("applied by kubectl");
    assert_eq!(
        stored["metadata"]["managedFields"][0]["manager"],
        json!("kubectl")
    );
    let dry = run(&[
        "apply",
        "--server-side",
        "--validate=false",
        "--dry-run=server",
        "-f",
        &path,
    ]);
    assert!(dry.contains("serverside-applied (server dry run)"), "{dry}");
    let names = run(&["get", "deployments", "-o", "name"]);
    assert_eq!(names.trim(), "deployment.apps/web");
    server.add_pod(
        "web-1",
        &json!({"app": "web"}),
        true,
        "127.0.0.1:9".parse().expect("addr"),
        "",
    );
    let pods = run(&["get", "pods", "-l", "app=web"]);
    assert!(pods.contains("web-1"), "{pods}");
    let none = run(&["get", "pods", "-l", "app=db", "-o", "name"]);
    assert_eq!(none.trim(), "");
    let json_out = run(&["get", "deployment", "web", "-o", "json"]);
    let object: Value = serde_json::from_str(&json_out).expect("JSON");
    assert_eq!(object["spec"]["replicas"], json!(2));
}
