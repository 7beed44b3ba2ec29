//! A Kubernetes API server for tests, on 127.0.0.1, speaking the real protocol for what kls
//! uses (no real API server can be installed where the tests run).
//!
//! It serves discovery (`/version`, `/api`, `/apis`, the resource lists of `v1` and
//! `apps/v1`), GET and LIST (label selectors, and field selectors on any dotted field),
//! server-side apply `PATCH` (`application/apply-patch+yaml`: create or update with `uid`,
//! `resourceVersion`, `generation` and `managedFields`; `dryRun=All`; a 409 with one cause per
//! field another manager owns with a different value, unless `force=true`), 422 `Status`
//! answers that a test sets up, pod logs, events, and the pod `portforward` subresource over a
//! websocket (`v4.channel.k8s.io`: each frame starts with its channel byte, data on channel
//! `2i`, errors on `2i+1`, and the first frame of each channel is the port, little-endian),
//! piped to a real TCP server that the test names for the pod.
//!
//! Simplifications, on purpose: a list in an applied object replaces the stored list (no
//! merge by key), and a field a manager stops applying is not removed. Ownership is kept per
//! leaf field, keyed by `name` inside lists, as structured-merge-diff writes it
//! (`.spec.template.spec.containers[name="web"].image`).

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::Role;

/// One resource the server knows.
struct Resource {
    group_version: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
}

const RESOURCES: [Resource; 8] = [
    Resource {
        group_version: "v1",
        plural: "pods",
        kind: "Pod",
        namespaced: true,
    },
    Resource {
        group_version: "v1",
        plural: "services",
        kind: "Service",
        namespaced: true,
    },
    Resource {
        group_version: "v1",
        plural: "configmaps",
        kind: "ConfigMap",
        namespaced: true,
    },
    Resource {
        group_version: "v1",
        plural: "secrets",
        kind: "Secret",
        namespaced: true,
    },
    Resource {
        group_version: "v1",
        plural: "namespaces",
        kind: "Namespace",
        namespaced: false,
    },
    Resource {
        group_version: "v1",
        plural: "events",
        kind: "Event",
        namespaced: true,
    },
    Resource {
        group_version: "apps/v1",
        plural: "deployments",
        kind: "Deployment",
        namespaced: true,
    },
    Resource {
        group_version: "apps/v1",
        plural: "statefulsets",
        kind: "StatefulSet",
        namespaced: true,
    },
];

fn resource(group_version: &str, plural: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|it| it.group_version == group_version && it.plural == plural)
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub content_type: Option<String>,
    pub authorization: Option<String>,
}

type Key = (&'static str, String, String);

#[derive(Default)]
struct State {
    /// (plural, namespace or "", name) → object.
    objects: BTreeMap<Key, Value>,
    /// Per object: manager → owned leaf path → the value it applied.
    owners: HashMap<Key, BTreeMap<String, BTreeMap<String, Value>>>,
    /// (kind, name) → the Status to answer an apply or dry run with.
    rejections: HashMap<(String, String), Value>,
    /// (namespace, pod, container) → log text.
    logs: HashMap<(String, String, String), String>,
    /// (namespace, pod) → where its ports really are.
    targets: HashMap<(String, String), SocketAddr>,
    /// (namespace, pod) → how many port-forward streams it served.
    forwarded: HashMap<(String, String), usize>,
    seen: Vec<Seen>,
    version: u64,
}

/// The server; it stops when dropped.
pub struct ApiServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ApiServer {
    pub fn start() -> ApiServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("an address");
        let state = Arc::new(Mutex::new(State::default()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
                let accept = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let state = shared.clone();
                        tokio::spawn(async move {
                            let service = hyper::service::service_fn(move |request| {
                                handle(state.clone(), addr, request)
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                                .with_upgrades()
                                .await;
                        });
                    }
                };
                tokio::select! {
                    () = accept => {}
                    _ = stopped => {}
                }
            });
        });
        ApiServer {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A kubeconfig for this server with one context, `test`, namespace `default`.
    pub fn kubeconfig(&self) -> String {
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n  - name: test\n    cluster:\n      server: {}\ncontexts:\n  - name: test\n    context:\n      cluster: test\n      user: test\n      namespace: default\nusers:\n  - name: test\n    user:\n      token: test-token\n",
            self.url()
        )
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state().seen.clone()
    }

    /// The stored object, if any.
    pub fn object(&self, plural: &str, namespace: &str, name: &str) -> Option<Value> {
        let resource = RESOURCES.iter().find(|it| it.plural == plural)?;
        self.state()
            .objects
            .get(&(resource.plural, namespace.to_owned(), name.to_owned()))
            .cloned()
    }

    /// Answers every apply of `kind`/`name` with this 422 `Status` cause list.
    pub fn reject(&self, kind: &str, name: &str, causes: &Value) {
        let status = json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": format!("{kind} \"{name}\" is invalid"),
            "reason": "Invalid",
            "details": {"name": name, "kind": kind, "causes": causes},
            "code": 422,
        });
        self.state()
            .rejections
            .insert((kind.to_owned(), name.to_owned()), status);
    }

    /// Answers every apply of `kind`/`name` with a 400 that names the field only in its
    /// message, as strict field validation of a server-side apply does.
    pub fn reject_strictly(&self, kind: &str, name: &str, field: &str) {
        let status = json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": format!("failed to create typed patch object (/v1, Kind={kind}): {field}: field not declared in schema"),
            "reason": "BadRequest",
            "code": 400,
        });
        self.state()
            .rejections
            .insert((kind.to_owned(), name.to_owned()), status);
    }

    /// Adds a pod with these labels; ready pods forward to `target` and log `log`.
    pub fn add_pod(&self, name: &str, labels: &Value, ready: bool, target: SocketAddr, log: &str) {
        let mut state = self.state();
        state.version += 1;
        let pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": labels,
                         "uid": format!("uid-{name}"), "resourceVersion": state.version.to_string(),
                         "creationTimestamp": "2026-12-01T00:00:00Z"},
            "spec": {"containers": [{"name": "main", "image": "nginx"}]},
            "status": {"phase": "Running", "conditions": [
                {"type": "Ready", "status": if ready { "True" } else { "False" }}]},
        });
        state
            .objects
            .insert(("pods", "default".to_owned(), name.to_owned()), pod);
        state
            .targets
            .insert(("default".to_owned(), name.to_owned()), target);
        state.logs.insert(
            ("default".to_owned(), name.to_owned(), "main".to_owned()),
            log.to_owned(),
        );
    }

    pub fn remove_pod(&self, name: &str) {
        self.state()
            .objects
            .remove(&("pods", "default".to_owned(), name.to_owned()));
    }

    /// How many port-forward streams a pod served.
    pub fn forwarded(&self, pod: &str) -> usize {
        self.state()
            .forwarded
            .get(&("default".to_owned(), pod.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Records an event about an object.
    pub fn add_event(&self, kind: &str, name: &str, reason: &str, message: &str) {
        let mut state = self.state();
        state.version += 1;
        let event_name = format!("{name}.{}", state.version);
        let event = json!({
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": event_name, "namespace": "default"},
            "involvedObject": {"kind": kind, "name": name, "namespace": "default"},
            "reason": reason, "message": message, "type": "Normal", "count": 1,
            "lastTimestamp": format!("2026-12-01T00:00:{:02}Z", state.version % 60),
        });
        state
            .objects
            .insert(("events", "default".to_owned(), event_name), event);
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

type Answer = Response<Full<Bytes>>;

fn answer(status: StatusCode, body: &Value) -> Answer {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        "application/json".parse().expect("a header"),
    );
    response
}

fn status(code: u16, reason: &str, message: &str) -> Answer {
    let body = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code,
    });
    answer(
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
        &body,
    )
}

fn query(request: &Request<Incoming>) -> HashMap<String, String> {
    request
        .uri()
        .query()
        .map(url_decode_pairs)
        .unwrap_or_default()
}

fn url_decode_pairs(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|it| !it.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn handle(
    state: Arc<Mutex<State>>,
    addr: SocketAddr,
    request: Request<Incoming>,
) -> Result<Answer, Infallible> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|it| it.to_str().ok())
            .map(str::to_owned)
    };
    let seen = Seen {
        method: request.method().to_string(),
        uri: request.uri().to_string(),
        content_type: header("content-type"),
        authorization: header("authorization"),
    };
    lock(&state).seen.push(seen);
    let path: Vec<String> = request
        .uri()
        .path()
        .split('/')
        .filter(|it| !it.is_empty())
        .map(decode)
        .collect();
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    Ok(match path.as_slice() {
        ["version"] => answer(
            StatusCode::OK,
            &json!({"major": "1", "minor": "32", "gitVersion": "v1.32.0", "platform": "linux/amd64"}),
        ),
        ["api"] => answer(
            StatusCode::OK,
            &json!({"kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": addr.to_string()}]}),
        ),
        ["apis"] => answer(
            StatusCode::OK,
            &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": [{
                "name": "apps",
                "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"},
            }]}),
        ),
        ["api", "v1", rest @ ..] => resources(&state, "v1", rest, request).await,
        ["apis", group, version, rest @ ..] => {
            let group_version = format!("{group}/{version}");
            resources(&state, &group_version, rest, request).await
        }
        _ => status(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ),
    })
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn resources(
    state: &Arc<Mutex<State>>,
    group_version: &str,
    rest: &[&str],
    request: Request<Incoming>,
) -> Answer {
    if rest.is_empty() {
        return resource_list(group_version);
    }
    // (namespace, plural, name, subresource)
    let (namespace, plural, name, sub) = match rest {
        ["namespaces", namespace, plural, tail @ ..] => (
            Some(*namespace),
            *plural,
            tail.first().copied(),
            tail.get(1).copied(),
        ),
        [plural, tail @ ..] => (None, *plural, tail.first().copied(), tail.get(1).copied()),
        [] => return resource_list(group_version),
    };
    let Some(resource) = resource(group_version, plural) else {
        return status(
            404,
            "NotFound",
            "the server could not find the requested resource",
        );
    };
    let namespace = if resource.namespaced { namespace } else { None };
    let query = query(&request);
    match (request.method().clone(), name, sub) {
        (Method::GET, None, None) => list(state, resource, namespace, &query),
        (Method::GET, Some(name), None) => {
            let key = (
                resource.plural,
                namespace.unwrap_or("").to_owned(),
                name.to_owned(),
            );
            match lock(state).objects.get(&key) {
                Some(object) => answer(StatusCode::OK, object),
                None => not_found(resource, name),
            }
        }
        (Method::PATCH, Some(name), None) => {
            let content_type = request
                .headers()
                .get("content-type")
                .and_then(|it| it.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let Ok(body) = request.into_body().collect().await else {
                return status(400, "BadRequest", "cannot read the body");
            };
            if content_type != "application/apply-patch+yaml" {
                return status(
                    415,
                    "UnsupportedMediaType",
                    &format!(
                        "the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml (got {content_type})"
                    ),
                );
            }
            apply(
                state,
                resource,
                namespace.unwrap_or(""),
                name,
                &query,
                &body.to_bytes(),
            )
        }
        (Method::GET, Some(name), Some("log")) if resource.plural == "pods" => {
            logs(state, namespace.unwrap_or(""), name, &query)
        }
        (Method::GET, Some(name), Some("portforward")) if resource.plural == "pods" => {
            port_forward(
                state,
                namespace.unwrap_or("").to_owned(),
                name.to_owned(),
                &query,
                request,
            )
        }
        _ => status(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        ),
    }
}

fn resource_list(group_version: &str) -> Answer {
    let mut resources = Vec::new();
    for it in RESOURCES
        .iter()
        .filter(|it| it.group_version == group_version)
    {
        resources.push(json!({
            "name": it.plural, "singularName": it.kind.to_lowercase(), "namespaced": it.namespaced,
            "kind": it.kind, "verbs": ["get", "list", "patch"],
        }));
        if it.plural == "pods" {
            resources.push(json!({"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}));
            resources.push(json!({"name": "pods/portforward", "singularName": "", "namespaced": true, "kind": "PodPortForwardOptions", "verbs": ["get", "create"]}));
        }
    }
    if resources.is_empty() {
        return status(
            404,
            "NotFound",
            "the server could not find the requested resource",
        );
    }
    answer(
        StatusCode::OK,
        &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}),
    )
}

fn not_found(resource: &Resource, name: &str) -> Answer {
    let group = resource
        .group_version
        .rsplit_once('/')
        .map_or("", |it| it.0);
    let what = if group.is_empty() {
        resource.plural.to_owned()
    } else {
        format!("{}.{group}", resource.plural)
    };
    let body = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": format!("{what} \"{name}\" not found"), "reason": "NotFound",
        "details": {"name": name, "group": group, "kind": resource.plural}, "code": 404,
    });
    answer(StatusCode::NOT_FOUND, &body)
}

/// Splits a selector at the commas that are not inside `( )`.
fn selector_terms(selector: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(selector[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(selector[start..].trim());
    terms.into_iter().filter(|it| !it.is_empty()).collect()
}

/// Whether the labels match a label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
/// `a notin (x)`, `a`, `!a`).
fn labels_match(labels: &Map<String, Value>, selector: &str) -> bool {
    let get = |key: &str| labels.get(key.trim()).and_then(Value::as_str);
    selector_terms(selector).iter().all(|term| {
        let set = |rest: &str| -> Vec<String> {
            rest.trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .map(|it| it.trim().to_owned())
                .collect()
        };
        if let Some((key, rest)) = term.split_once(" notin ") {
            return get(key).is_none_or(|value| !set(rest).iter().any(|it| it == value));
        }
        if let Some((key, rest)) = term.split_once(" in ") {
            return get(key).is_some_and(|value| set(rest).iter().any(|it| it == value));
        }
        if let Some((key, value)) = term.split_once("!=") {
            return get(key) != Some(value.trim());
        }
        if let Some((key, value)) = term.split_once("==").or_else(|| term.split_once('=')) {
            return get(key) == Some(value.trim());
        }
        if let Some(key) = term.strip_prefix('!') {
            return get(key).is_none();
        }
        get(term).is_some()
    })
}

/// Whether an object matches a field selector of `dotted.path=value` terms.
fn fields_match(object: &Value, selector: &str) -> bool {
    selector_terms(selector).iter().all(|term| {
        let Some((path, value)) = term.split_once('=') else {
            return false;
        };
        let found = path
            .trim_end_matches('=')
            .split('.')
            .try_fold(object, |node, key| node.get(key));
        found.and_then(Value::as_str) == Some(value.trim_start_matches('='))
    })
}

fn list(
    state: &Arc<Mutex<State>>,
    resource: &Resource,
    namespace: Option<&str>,
    query: &HashMap<String, String>,
) -> Answer {
    let state = lock(state);
    let labels = query.get("labelSelector").map_or("", String::as_str);
    let fields = query.get("fieldSelector").map_or("", String::as_str);
    let items: Vec<Value> = state
        .objects
        .iter()
        .filter(|((plural, ns, _), _)| {
            *plural == resource.plural && namespace.is_none_or(|it| it == ns)
        })
        .map(|(_, object)| object)
        .filter(|object| {
            let empty = Map::new();
            let object_labels = object
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            labels_match(object_labels, labels) && fields_match(object, fields)
        })
        .cloned()
        .collect();
    answer(
        StatusCode::OK,
        &json!({
            "kind": format!("{}List", resource.kind),
            "apiVersion": resource.group_version,
            "metadata": {"resourceVersion": state.version.to_string()},
            "items": items,
        }),
    )
}

/// Every leaf of an applied object, as structured-merge-diff paths, with its value.
fn leaves(value: &Value, path: &str, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                leaves(value, &format!("{path}.{key}"), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let step = match item.get("name").and_then(Value::as_str) {
                    Some(name) => format!("[name=\"{name}\"]"),
                    None => format!("[{i}]"),
                };
                leaves(item, &format!("{path}{step}"), out);
            }
        }
        other => {
            out.insert(path.to_owned(), other.clone());
        }
    }
}

/// Maps merge key by key; anything else is replaced.
fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (into, from) => *into = from.clone(),
    }
}

/// The `fieldsV1` of a set of paths: `{"f:spec": {"f:replicas": {}}}`.
fn fields_v1(paths: &BTreeMap<String, Value>) -> Value {
    let mut root = json!({});
    for path in paths.keys() {
        let mut node = &mut root;
        for step in kls::core::cluster::parse_field_path(path) {
            let key = match step {
                kls::core::cluster::FieldStep::Key(key) => format!("f:{key}"),
                kls::core::cluster::FieldStep::Index(i) => format!("i:{i}"),
                kls::core::cluster::FieldStep::Item { key, value } => {
                    format!("k:{}", json!({ key: value }))
                }
            };
            node = node
                .as_object_mut()
                .expect("an object")
                .entry(key)
                .or_insert_with(|| json!({}));
        }
    }
    root
}

fn apply(
    state: &Arc<Mutex<State>>,
    resource: &'static Resource,
    namespace: &str,
    name: &str,
    query: &HashMap<String, String>,
    body: &[u8],
) -> Answer {
    let Some(manager) = query.get("fieldManager").filter(|it| !it.is_empty()) else {
        return status(
            400,
            "BadRequest",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
        );
    };
    let dry_run = query.get("dryRun").is_some_and(|it| it == "All");
    let force = query.get("force").is_some_and(|it| it == "true");
    // The body is YAML (JSON is YAML); read it with kls's own parser.
    let text = String::from_utf8_lossy(body);
    let parsed = kls::core::yaml::parse(&text);
    let Some(config) = parsed
        .documents
        .first()
        .and_then(|it| it.root.as_ref())
        .map(kls::core::yaml::Node::to_json)
        .filter(Value::is_object)
    else {
        return status(400, "BadRequest", "the body is not a YAML or JSON object");
    };
    if config.pointer("/metadata/name").and_then(Value::as_str) != Some(name) {
        return status(
            400,
            "BadRequest",
            "the name of the object does not match the name on the URL",
        );
    }
    let mut state = lock(state);
    let kind = config.get("kind").and_then(Value::as_str).unwrap_or("");
    if let Some(rejection) = state.rejections.get(&(kind.to_owned(), name.to_owned())) {
        let code = rejection["code"]
            .as_u64()
            .and_then(|it| u16::try_from(it).ok());
        let code = code.and_then(|it| StatusCode::from_u16(it).ok());
        return answer(code.unwrap_or(StatusCode::UNPROCESSABLE_ENTITY), rejection);
    }
    let key: Key = (resource.plural, namespace.to_owned(), name.to_owned());
    let mut applied = BTreeMap::new();
    leaves(&config, "", &mut applied);
    for identity in [
        ".apiVersion",
        ".kind",
        ".metadata.name",
        ".metadata.namespace",
    ] {
        applied.remove(identity);
    }
    let mut owners = state.owners.get(&key).cloned().unwrap_or_default();
    let mut conflicts = Vec::new();
    for (other, fields) in &owners {
        if other == manager {
            continue;
        }
        for (path, value) in fields {
            if applied.get(path).is_some_and(|it| it != value) {
                conflicts.push((other.clone(), path.clone()));
            }
        }
    }
    if !conflicts.is_empty() && !force {
        let causes: Vec<Value> = conflicts
            .iter()
            .map(|(other, path)| json!({
                "reason": "FieldManagerConflict",
                "message": format!("conflict with \"{other}\" using {}", resource.group_version),
                "field": path,
            }))
            .collect();
        let body = json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": format!("Apply failed with {} conflict(s)", conflicts.len()),
            "reason": "Conflict",
            "details": {"name": name, "kind": resource.plural, "causes": causes},
            "code": 409,
        });
        return answer(StatusCode::CONFLICT, &body);
    }
    for (other, path) in &conflicts {
        if let Some(fields) = owners.get_mut(other) {
            fields.remove(path);
        }
    }
    owners.insert(manager.clone(), applied);
    let existing = state.objects.get(&key).cloned();
    let created = existing.is_none();
    let mut object = existing.clone().unwrap_or_else(|| json!({}));
    merge(&mut object, &config);
    let previous = existing.as_ref();
    let metadata = object["metadata"].as_object_mut().expect("metadata");
    if resource.namespaced {
        metadata.insert("namespace".into(), json!(namespace));
    }
    let spec_changed = previous.is_none_or(|it| it.get("spec") != object.get("spec"));
    let content_changed = previous.is_none_or(|before| {
        let strip = |value: &Value| {
            let mut value = value.clone();
            if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                for field in [
                    "uid",
                    "resourceVersion",
                    "generation",
                    "creationTimestamp",
                    "managedFields",
                ] {
                    metadata.remove(field);
                }
            }
            value
        };
        strip(before) != strip(&object)
    });
    let metadata = object["metadata"].as_object_mut().expect("metadata");
    if created {
        state.version += 1;
        metadata.insert(
            "uid".into(),
            json!(format!("uid-{}-{}", name, state.version)),
        );
        metadata.insert("creationTimestamp".into(), json!("2026-12-01T00:00:00Z"));
        metadata.insert("generation".into(), json!(1));
    } else if spec_changed {
        let generation = metadata
            .get("generation")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        metadata.insert("generation".into(), json!(generation + 1));
    }
    if content_changed {
        state.version += 1;
        metadata.insert("resourceVersion".into(), json!(state.version.to_string()));
    }
    let managed_fields: Vec<Value> = owners
        .iter()
        .filter(|(_, fields)| !fields.is_empty())
        .map(|(manager, fields)| json!({
            "manager": manager, "operation": "Apply", "apiVersion": resource.group_version,
            "time": "2026-12-01T00:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": fields_v1(fields),
        }))
        .collect();
    metadata.insert("managedFields".into(), Value::Array(managed_fields));
    if !dry_run {
        state.objects.insert(key.clone(), object.clone());
        state.owners.insert(key, owners);
    }
    answer(
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        &object,
    )
}

fn logs(
    state: &Arc<Mutex<State>>,
    namespace: &str,
    pod: &str,
    query: &HashMap<String, String>,
) -> Answer {
    let state = lock(state);
    if !state
        .objects
        .contains_key(&("pods", namespace.to_owned(), pod.to_owned()))
    {
        return not_found(&RESOURCES[0], pod);
    }
    let container = query
        .get("container")
        .cloned()
        .unwrap_or_else(|| "main".to_owned());
    let Some(text) = state
        .logs
        .get(&(namespace.to_owned(), pod.to_owned(), container.clone()))
    else {
        return status(
            400,
            "BadRequest",
            &format!("container {container} is not valid for pod {pod}"),
        );
    };
    let lines: Vec<&str> = text.lines().collect();
    let tail = query
        .get("tailLines")
        .and_then(|it| it.parse::<usize>().ok())
        .unwrap_or(lines.len());
    let mut out = lines[lines.len().saturating_sub(tail)..].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    let mut response = Response::new(Full::new(Bytes::from(out)));
    response
        .headers_mut()
        .insert("content-type", "text/plain".parse().expect("a header"));
    response
}

fn port_forward(
    state: &Arc<Mutex<State>>,
    namespace: String,
    pod: String,
    query: &HashMap<String, String>,
    mut request: Request<Incoming>,
) -> Answer {
    let protocols = request
        .headers()
        .get("sec-websocket-protocol")
        .and_then(|it| it.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let Some(key) = request
        .headers()
        .get("sec-websocket-key")
        .map(|it| it.as_bytes().to_vec())
    else {
        return status(400, "BadRequest", "port-forward needs a websocket upgrade");
    };
    if !protocols
        .split(',')
        .any(|it| it.trim() == "v4.channel.k8s.io")
    {
        return status(
            400,
            "BadRequest",
            "the v4.channel.k8s.io subprotocol is required",
        );
    }
    let Some(port) = query.get("ports").and_then(|it| it.parse::<u16>().ok()) else {
        return status(400, "BadRequest", "exactly one port is supported");
    };
    let target = {
        let state = lock(state);
        if !state
            .objects
            .contains_key(&("pods", namespace.clone(), pod.clone()))
        {
            return not_found(&RESOURCES[0], &pod);
        }
        state
            .targets
            .get(&(namespace.clone(), pod.clone()))
            .copied()
    };
    let Some(target) = target else {
        return status(400, "BadRequest", "the pod has no port to forward to");
    };
    lock(state)
        .forwarded
        .entry((namespace, pod))
        .and_modify(|it| *it += 1)
        .or_insert(1);
    let upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else { return };
        let socket = WebSocketStream::from_raw_socket(
            hyper_util::rt::TokioIo::new(upgraded),
            Role::Server,
            None,
        )
        .await;
        pipe(socket, target, port).await;
    });
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert("connection", "Upgrade".parse().expect("a header"));
    headers.insert("upgrade", "websocket".parse().expect("a header"));
    headers.insert(
        "sec-websocket-accept",
        tokio_tungstenite::tungstenite::handshake::derive_accept_key(&key)
            .parse()
            .expect("a header"),
    );
    headers.insert(
        "sec-websocket-protocol",
        "v4.channel.k8s.io".parse().expect("a header"),
    );
    response
}

/// Channel 0 carries the data, channel 1 the errors; each starts with the port.
async fn pipe<S>(socket: WebSocketStream<S>, target: SocketAddr, port: u16)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (mut sink, mut stream) = socket.split();
    let [lo, hi] = port.to_le_bytes();
    if sink.send(Message::binary(vec![0, lo, hi])).await.is_err()
        || sink.send(Message::binary(vec![1, lo, hi])).await.is_err()
    {
        return;
    }
    let Ok(tcp) = tokio::net::TcpStream::connect(target).await else {
        let mut error = vec![1];
        error.extend_from_slice(b"connection refused by the pod");
        let _ = sink.send(Message::binary(error)).await;
        let _ = sink.close().await;
        return;
    };
    let (mut read, mut write) = tcp.into_split();
    let mut buffer = vec![0u8; 16 * 1024];
    let mut tcp_open = true;
    loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(Ok(Message::Binary(data))) if data.first() == Some(&0) => {
                    if write.write_all(&data[1..]).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            read_bytes = read.read(&mut buffer), if tcp_open => match read_bytes {
                Ok(0) | Err(_) => {
                    tcp_open = false;
                    let _ = sink.send(Message::Close(None)).await;
                }
                Ok(n) => {
                    let mut frame = Vec::with_capacity(n + 1);
                    frame.push(0);
                    frame.extend_from_slice(&buffer[..n]);
                    if sink.send(Message::binary(frame)).await.is_err() {
                        break;
                    }
                }
            },
        }
    }
    let _ = write.shutdown().await;
}

#[test]
fn selectors_match_as_the_api_server_matches_them() {
    let labels = json!({"app": "web", "tier": "front"});
    let labels = labels.as_object().expect("a map");
    assert!(labels_match(labels, "app=web"));
    assert!(labels_match(labels, "app==web,tier in (front, back)"));
    assert!(labels_match(labels, "app,!canary,tier notin (back)"));
    assert!(!labels_match(labels, "app!=web"));
    assert!(!labels_match(labels, "tier in (back)"));
    assert!(labels_match(labels, ""));
    let event = json!({"involvedObject": {"kind": "Deployment", "name": "web"}});
    assert!(fields_match(
        &event,
        "involvedObject.kind=Deployment,involvedObject.name=web"
    ));
    assert!(!fields_match(&event, "involvedObject.name=db"));
}
