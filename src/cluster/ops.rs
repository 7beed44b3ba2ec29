//! The operations on objects: server-side apply, its dry run, diff, logs and events.
//!
//! Apply is a `PATCH` with `Content-Type: application/apply-patch+yaml` and
//! `fieldManager=kls`; the dry run is the same request with `dryRun=All` and
//! `fieldValidation=Strict`, so it reports what an apply would do (Kubernetes API docs,
//! "Server-Side Apply" and "Dry-run"). Objects of a file go in dependency order
//! ([`crate::core::cluster::apply_rank`]).

use std::fmt::Write as _;
use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{
    Api, ApiResource, DynamicObject, ListParams, LogParams, Patch, PatchParams, ValidationDirective,
};
use kube::core::GroupVersionKind;
use kube::discovery::Scope;
use serde_json::Value;

use super::kubeconfig::{REQUEST_TIMEOUT, Session, UNREACHABLE, describe};
use super::runtime::Shared;
use super::{
    Applied, ClusterError, Command, Event, Object, ObjectError, ObjectResult, Outcome, diff,
    forward,
};
use crate::core::cluster::{Cause, Rejection, apply_rank};

/// The field manager kls applies as.
pub const FIELD_MANAGER: &str = "kls";

pub(super) async fn run(
    shared: &Arc<Shared>,
    id: u64,
    session: &Arc<Session>,
    command: Command,
) -> Result<Outcome, ClusterError> {
    match command {
        Command::Apply { objects, force } => {
            apply_all(shared, id, session, objects, force, false).await
        }
        Command::DryRun { objects, force } => {
            apply_all(shared, id, session, objects, force, true).await
        }
        Command::Diff { objects } => diff_all(session, objects).await,
        Command::Logs { object, tail_lines } => logs(session, &object, tail_lines).await,
        Command::Events { object } => events(session, &object).await,
        Command::PortForward {
            object,
            remote_port,
            local_port,
        } => forward::start(shared, session, object, remote_port, local_port).await,
        Command::LiveStatus { objects } => live_status(session, objects).await,
        Command::StopPortForward { .. }
        | Command::ListPortForwards
        | Command::Contexts
        | Command::Reconnect => Err(ClusterError(
            "this command needs no cluster connection".to_owned(),
        )),
    }
}

/// Runs a request with [`REQUEST_TIMEOUT`].
pub(super) async fn timed<T>(
    future: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, ObjectError> {
    match tokio::time::timeout(REQUEST_TIMEOUT, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(object_error(&error)),
        Err(_) => Err(ObjectError::Failed(format!(
            "{UNREACHABLE}: no answer within {} s",
            REQUEST_TIMEOUT.as_secs()
        ))),
    }
}

/// A kube error as a rejection (the server answered with a `Status`) or a failure.
pub(super) fn object_error(error: &kube::Error) -> ObjectError {
    match error {
        kube::Error::Api(status) => ObjectError::Rejected(Rejection {
            code: status.code,
            reason: status.reason.clone(),
            message: status.message.clone(),
            causes: status
                .details
                .iter()
                .flat_map(|it| &it.causes)
                .map(|cause| Cause {
                    reason: cause.reason.clone(),
                    message: cause.message.clone(),
                    field: cause.field.clone(),
                })
                .collect(),
        }),
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            ObjectError::Failed(format!("{UNREACHABLE}: {}", describe(error)))
        }
        other => ObjectError::Failed(describe(other)),
    }
}

impl ObjectError {
    /// The error in one line.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            ObjectError::Rejected(rejection) => {
                let mut text = rejection.message.clone();
                for cause in &rejection.causes {
                    let _ = write!(text, "\n  {}: {}", cause.field, cause.message);
                }
                text
            }
            ObjectError::Failed(message) => message.clone(),
        }
    }
}

/// The API of an object's kind, found by discovery, in the object's namespace (else the
/// context's) when the kind is namespaced.
pub(super) async fn api_for(
    session: &Session,
    object: &Object,
) -> Result<(Api<DynamicObject>, ApiResource), ObjectError> {
    let (group, version) = match object.api_version.split_once('/') {
        Some((group, version)) => (group, version),
        None => ("", object.api_version.as_str()),
    };
    let gvk = GroupVersionKind::gvk(group, version, &object.kind);
    let found = tokio::time::timeout(
        REQUEST_TIMEOUT,
        kube::discovery::pinned_kind(&session.client, &gvk),
    )
    .await;
    let (resource, capabilities) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(kube::Error::Discovery(_) | kube::Error::Api(_))) => {
            return Err(ObjectError::Failed(format!(
                "the cluster does not serve {} in {}",
                object.kind, object.api_version
            )));
        }
        Ok(Err(error)) => return Err(object_error(&error)),
        Err(_) => {
            return Err(ObjectError::Failed(format!(
                "{UNREACHABLE}: no answer within {} s",
                REQUEST_TIMEOUT.as_secs()
            )));
        }
    };
    let api = if capabilities.scope == Scope::Namespaced {
        let namespace = object
            .namespace
            .as_deref()
            .unwrap_or(&session.target.namespace);
        Api::namespaced_with(session.client.clone(), namespace, &resource)
    } else {
        Api::all_with(session.client.clone(), &resource)
    };
    Ok((api, resource))
}

fn apply_params(force: bool, dry_run: bool) -> PatchParams {
    let mut params = PatchParams::apply(FIELD_MANAGER);
    params.force = force;
    if dry_run {
        params.dry_run = true;
        params.field_validation = Some(ValidationDirective::Strict);
    }
    params
}

async fn apply_one(
    session: &Session,
    object: &Object,
    force: bool,
    dry_run: bool,
) -> Result<Applied, ObjectError> {
    let (api, _) = api_for(session, object).await?;
    let before = timed(api.get_opt(&object.name)).await?;
    let params = apply_params(force, dry_run);
    let after = timed(api.patch(&object.name, &params, &Patch::Apply(&object.body))).await?;
    Ok(match before {
        None => Applied::Created,
        Some(before) if before.metadata.resource_version == after.metadata.resource_version => {
            Applied::Unchanged
        }
        Some(_) => Applied::Configured,
    })
}

/// Sorts objects into dependency order, keeping the file's order within a rank.
fn ordered(mut objects: Vec<Object>) -> Vec<Object> {
    objects.sort_by_key(|it| apply_rank(&it.api_version, &it.kind));
    objects
}

async fn apply_all(
    shared: &Arc<Shared>,
    id: u64,
    session: &Arc<Session>,
    objects: Vec<Object>,
    force: bool,
    dry_run: bool,
) -> Result<Outcome, ClusterError> {
    let objects = ordered(objects);
    let total = objects.len();
    let mut results = Vec::with_capacity(total);
    for (done, object) in objects.iter().enumerate() {
        let outcome = apply_one(session, object, force, dry_run).await;
        if total > 1 {
            let _ = shared.events.send(Event::Progress {
                id,
                done: done + 1,
                total,
                object: object.label(),
            });
        }
        let unreachable =
            matches!(&outcome, Err(ObjectError::Failed(message)) if message.contains(UNREACHABLE));
        results.push(ObjectResult {
            index: object.index,
            object: object.label(),
            outcome,
        });
        if unreachable {
            return Err(ClusterError(format!(
                "{UNREACHABLE} of context `{}` at {} while applying {}",
                session.target.context,
                session.url,
                object.label()
            )));
        }
    }
    Ok(Outcome::Applied {
        target: session.target.clone(),
        dry_run,
        results,
    })
}

async fn diff_all(session: &Session, objects: Vec<Object>) -> Result<Outcome, ClusterError> {
    let mut text = String::new();
    for object in ordered(objects) {
        let label = object.label();
        let result: Result<String, ObjectError> = async {
            let (api, _) = api_for(session, &object).await?;
            let live = timed(api.get_opt(&object.name)).await?;
            let params = apply_params(true, true);
            let merged =
                timed(api.patch(&object.name, &params, &Patch::Apply(&object.body))).await?;
            let to_json = |it: DynamicObject| serde_json::to_value(it).unwrap_or_default();
            Ok(diff::unified(&label, live.map(to_json), to_json(merged)))
        }
        .await;
        match result {
            Ok(diff) => text.push_str(&diff),
            Err(ObjectError::Failed(message)) if message.contains(UNREACHABLE) => {
                return Err(ClusterError(message));
            }
            Err(error) => {
                let _ = writeln!(text, "# {label}: {}", error.message());
            }
        }
    }
    Ok(Outcome::Diff {
        target: session.target.clone(),
        text,
    })
}

async fn live_status(session: &Session, objects: Vec<Object>) -> Result<Outcome, ClusterError> {
    let mut states = Vec::with_capacity(objects.len());
    for object in objects {
        let state = match api_for(session, &object).await {
            Ok((api, _)) => match timed(api.get_opt(&object.name)).await {
                Ok(Some(live)) => live_summary(
                    &object.kind,
                    &serde_json::to_value(live).unwrap_or_default(),
                ),
                Ok(None) => "not in the cluster".to_owned(),
                Err(ObjectError::Failed(message)) if message.contains(UNREACHABLE) => {
                    return Err(ClusterError(message));
                }
                Err(error) => error.message(),
            },
            Err(error) => error.message(),
        };
        states.push((object.index, object.label(), state));
    }
    Ok(Outcome::Status {
        target: session.target.clone(),
        states,
    })
}

/// One line of live state: ready/desired for workloads, phase and restarts for a Pod.
#[must_use]
pub fn live_summary(kind: &str, live: &Value) -> String {
    let number = |pointer: &str| live.pointer(pointer).and_then(Value::as_i64);
    match kind {
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => format!(
            "{}/{} ready",
            number("/status/readyReplicas").unwrap_or(0),
            number("/spec/replicas").unwrap_or(1)
        ),
        "DaemonSet" => format!(
            "{}/{} ready",
            number("/status/numberReady").unwrap_or(0),
            number("/status/desiredNumberScheduled").unwrap_or(0)
        ),
        "Pod" => {
            let phase = live
                .pointer("/status/phase")
                .and_then(Value::as_str)
                .unwrap_or("Unknown");
            let restarts: i64 = live
                .pointer("/status/containerStatuses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|it| it.get("restartCount").and_then(Value::as_i64))
                .sum();
            let plural = if restarts == 1 { "" } else { "s" };
            format!("{phase}, {restarts} restart{plural}")
        }
        "Job" => format!(
            "{} succeeded, {} failed",
            number("/status/succeeded").unwrap_or(0),
            number("/status/failed").unwrap_or(0)
        ),
        _ => "exists".to_owned(),
    }
}

/// The label selector of an object's pods, in the `key=value,key in (a,b)` syntax; `None`
/// for a kind that selects no pods.
#[must_use]
pub fn pod_selector(object: &Object) -> Option<String> {
    let spec = object.body.get("spec")?;
    let selector = spec.get("selector")?;
    // A Service and a ReplicationController write a plain map; the rest a LabelSelector.
    let (labels, expressions) =
        if object.kind == "Service" || object.kind == "ReplicationController" {
            (selector.as_object(), None)
        } else {
            (
                selector.get("matchLabels").and_then(Value::as_object),
                selector.get("matchExpressions").and_then(Value::as_array),
            )
        };
    let mut parts: Vec<String> = labels
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| Some(format!("{key}={}", value.as_str()?)))
        .collect();
    for expression in expressions.into_iter().flatten() {
        let key = expression.get("key").and_then(Value::as_str)?;
        let values: Vec<&str> = expression
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let part = match expression.get("operator").and_then(Value::as_str)? {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_owned(),
            "DoesNotExist" => format!("!{key}"),
            _ => return None,
        };
        parts.push(part);
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

/// The pods an object stands for: itself for a Pod, else those its selector picks, by name.
pub(super) async fn pods_of(
    session: &Session,
    object: &Object,
) -> Result<(Api<Pod>, Vec<Pod>), ClusterError> {
    let namespace = object
        .namespace
        .as_deref()
        .unwrap_or(&session.target.namespace);
    let api: Api<Pod> = Api::namespaced(session.client.clone(), namespace);
    let failed = |error: ObjectError| ClusterError(error.message());
    if object.kind == "Pod" {
        let pod = timed(api.get_opt(&object.name)).await.map_err(failed)?;
        let pods = pod.into_iter().collect();
        return Ok((api, pods));
    }
    let selector = pod_selector(object).ok_or_else(|| {
        ClusterError(format!(
            "{} has no pod selector, so it has no pods to choose",
            object.label()
        ))
    })?;
    let list = timed(api.list(&ListParams::default().labels(&selector)))
        .await
        .map_err(failed)?;
    let mut pods = list.items;
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    Ok((api, pods))
}

/// At most this many pods' logs are fetched for one object.
const MAX_LOG_PODS: usize = 10;

async fn logs(
    session: &Session,
    object: &Object,
    tail_lines: i64,
) -> Result<Outcome, ClusterError> {
    let (api, pods) = pods_of(session, object).await?;
    if pods.is_empty() {
        return Err(ClusterError(format!(
            "{} has no pods in {}/{}",
            object.label(),
            session.target.context,
            object
                .namespace
                .as_deref()
                .unwrap_or(&session.target.namespace)
        )));
    }
    let mut text = String::new();
    for pod in pods.iter().take(MAX_LOG_PODS) {
        let Some(name) = pod.metadata.name.as_deref() else {
            continue;
        };
        let containers: Vec<String> = pod
            .spec
            .iter()
            .flat_map(|it| &it.containers)
            .map(|it| it.name.clone())
            .collect();
        for container in containers {
            let params = LogParams {
                container: Some(container.clone()),
                tail_lines: Some(tail_lines),
                ..LogParams::default()
            };
            let _ = writeln!(text, "==> pod/{name} container {container} <==");
            match timed(api.logs(name, &params)).await {
                Ok(lines) => {
                    text.push_str(&lines);
                    if !lines.is_empty() && !lines.ends_with('\n') {
                        text.push('\n');
                    }
                }
                Err(error) => {
                    let _ = writeln!(text, "(no logs: {})", error.message());
                }
            }
        }
    }
    if pods.len() > MAX_LOG_PODS {
        let _ = writeln!(text, "({} more pods not shown)", pods.len() - MAX_LOG_PODS);
    }
    Ok(Outcome::Text {
        target: session.target.clone(),
        text,
    })
}

async fn events(session: &Session, object: &Object) -> Result<Outcome, ClusterError> {
    let namespace = object
        .namespace
        .as_deref()
        .unwrap_or(&session.target.namespace);
    let resource = ApiResource::erase::<k8s_openapi::api::core::v1::Event>(&());
    let api: Api<DynamicObject> =
        Api::namespaced_with(session.client.clone(), namespace, &resource);
    let fields = format!(
        "involvedObject.kind={},involvedObject.name={}",
        object.kind, object.name
    );
    let list = timed(api.list(&ListParams::default().fields(&fields)))
        .await
        .map_err(|error| ClusterError(error.message()))?;
    // (time, type, reason, count, message), oldest first.
    let mut rows: Vec<[String; 5]> = Vec::new();
    for event in &list.items {
        let field = |name: &str| {
            event
                .data
                .get(name)
                .map(|value| match value {
                    Value::String(text) => text.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                })
                .unwrap_or_default()
        };
        let mut time = field("lastTimestamp");
        if time.is_empty() {
            time = field("eventTime");
        }
        rows.push([
            time,
            field("type"),
            field("reason"),
            field("count"),
            field("message"),
        ]);
    }
    rows.sort();
    let mut text = format!("Events of {} in {namespace}:\n", object.label());
    if rows.is_empty() {
        text.push_str("(none)\n");
    }
    for [time, kind, reason, count, message] in rows {
        let count = if count.is_empty() || count == "1" {
            String::new()
        } else {
            format!(" (x{count})")
        };
        let _ = writeln!(text, "{time}  {kind}  {reason}{count}  {message}");
    }
    Ok(Outcome::Text {
        target: session.target.clone(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(kind: &str, spec: &Value) -> Object {
        Object::from_json(
            0,
            json!({"apiVersion": "v1", "kind": kind, "metadata": {"name": "x"}, "spec": spec}),
        )
        .expect("an object")
    }

    #[test]
    fn selectors_are_written_as_kubectl_reads_them() {
        let deployment = object(
            "Deployment",
            &json!({"selector": {"matchLabels": {"app": "web"}, "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "canary", "operator": "DoesNotExist"},
            ]}}),
        );
        assert_eq!(
            pod_selector(&deployment).as_deref(),
            Some("app=web,tier in (a,b),!canary")
        );
        let service = object("Service", &json!({"selector": {"app": "web"}}));
        assert_eq!(pod_selector(&service).as_deref(), Some("app=web"));
        assert_eq!(pod_selector(&object("ConfigMap", &json!({}))), None);
        let odd = object(
            "Deployment",
            &json!({"selector": {"matchExpressions": [{"key": "a", "operator": "Near"}]}}),
        );
        assert_eq!(pod_selector(&odd), None);
    }

    #[test]
    fn live_state_is_one_line_per_kind() {
        let deployment = json!({"spec": {"replicas": 3}, "status": {"readyReplicas": 2}});
        assert_eq!(live_summary("Deployment", &deployment), "2/3 ready");
        assert_eq!(live_summary("Deployment", &json!({})), "0/1 ready");
        let pod = json!({"status": {"phase": "Running", "containerStatuses": [
            {"restartCount": 1}, {"restartCount": 2}]}});
        assert_eq!(live_summary("Pod", &pod), "Running, 3 restarts");
        assert_eq!(live_summary("ConfigMap", &json!({})), "exists");
    }

    #[test]
    fn objects_are_applied_in_dependency_order() {
        let make = |kind: &str, index| Object {
            index,
            ..object(kind, &json!({}))
        };
        let sorted = ordered(vec![
            make("Deployment", 0),
            make("Service", 1),
            make("ConfigMap", 2),
            make("Namespace", 3),
        ]);
        let indexes: Vec<usize> = sorted.iter().map(|it| it.index).collect();
        assert_eq!(indexes, [3, 2, 1, 0]);
    }

    #[test]
    fn dry_run_parameters_are_those_of_apply_plus_dry_run_and_strict() {
        let params = apply_params(false, true);
        assert_eq!(params.field_manager.as_deref(), Some(FIELD_MANAGER));
        assert!(params.dry_run && !params.force);
        assert!(matches!(
            params.field_validation,
            Some(ValidationDirective::Strict)
        ));
        assert!(!apply_params(true, false).dry_run);
    }
}
