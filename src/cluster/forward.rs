//! Port-forwards: a listener on 127.0.0.1 (never another address), and for each accepted
//! connection its own stream over the pod `portforward` subresource (a websocket speaking
//! `v4.channel.k8s.io`, kube-client's `Portforwarder`).
//!
//! For a Deployment, Service, StatefulSet or any object with a pod selector, a ready pod is
//! chosen as kubectl chooses one (running, ready, not being deleted); before each new
//! connection the pod is checked again, and when it has gone away or is no longer ready
//! another ready pod is chosen, so a forward outlives a rollout.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};

use super::kubeconfig::Session;
use super::ops::{pods_of, timed};
use super::runtime::Shared;
use super::{ClusterError, Event, ForwardInfo, Object, Outcome};

/// The running forwards.
#[derive(Default)]
pub(super) struct Forwards {
    next: AtomicU64,
    running: Mutex<HashMap<u64, (ForwardInfo, AbortHandle)>>,
}

impl Forwards {
    pub fn list(&self) -> Vec<ForwardInfo> {
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let mut list: Vec<ForwardInfo> = running.values().map(|(info, _)| info.clone()).collect();
        list.sort_by_key(|it| it.id);
        list
    }

    /// Stops a forward: its listener closes and its connections end.
    pub fn stop(&self, id: u64) -> bool {
        let removed = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        match removed {
            Some((_, task)) => {
                task.abort();
                true
            }
            None => false,
        }
    }

    fn forget(&self, id: u64) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }
}

/// Whether a pod can take traffic: running, ready and not being deleted.
fn is_ready(pod: &Pod) -> bool {
    let status = pod.status.as_ref();
    pod.metadata.deletion_timestamp.is_none()
        && status.and_then(|it| it.phase.as_deref()) == Some("Running")
        && status
            .and_then(|it| it.conditions.as_ref())
            .is_some_and(|conditions| {
                conditions
                    .iter()
                    .any(|it| it.type_ == "Ready" && it.status == "True")
            })
}

/// A ready pod of the object: the Pod itself, or the first ready one its selector picks.
async fn ready_pod(session: &Session, object: &Object) -> Result<(Api<Pod>, String), ClusterError> {
    let (api, pods) = pods_of(session, object).await?;
    let pod = pods
        .iter()
        .find(|it| is_ready(it))
        .and_then(|it| it.metadata.name.clone())
        .ok_or_else(|| {
            ClusterError(format!(
                "{} has no ready pod to forward to in {}",
                object.label(),
                session.target.context
            ))
        })?;
    Ok((api, pod))
}

pub(super) async fn start(
    shared: &Arc<Shared>,
    session: &Arc<Session>,
    object: Object,
    remote_port: u16,
    local_port: Option<u16>,
) -> Result<Outcome, ClusterError> {
    let (api, pod) = ready_pod(session, &object).await?;
    // The asked port if it is free, else any free one; loopback only, always.
    let listener = match local_port {
        Some(port) => match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            Ok(listener) => Ok(listener),
            Err(_) => TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await,
        },
        None => TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await,
    }
    .map_err(|error| ClusterError(format!("cannot listen on 127.0.0.1: {error}")))?;
    let local = listener
        .local_addr()
        .map_err(|error| ClusterError(format!("cannot listen on 127.0.0.1: {error}")))?;
    let id = shared.forwards.next.fetch_add(1, Ordering::Relaxed) + 1;
    let info = ForwardInfo {
        id,
        object: object.label(),
        local,
        remote_port,
        pod: pod.clone(),
        target: session.target.clone(),
    };
    let task = tokio::spawn(serve(
        shared.clone(),
        session.clone(),
        object,
        api,
        pod,
        listener,
        id,
        remote_port,
    ));
    shared
        .forwards
        .running
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, (info.clone(), task.abort_handle()));
    tracing::info!(
        "forwarding {} to {} port {remote_port}",
        info.url(),
        info.object
    );
    Ok(Outcome::Forwarding(info))
}

#[allow(clippy::too_many_arguments)]
async fn serve(
    shared: Arc<Shared>,
    session: Arc<Session>,
    object: Object,
    api: Api<Pod>,
    mut pod: String,
    listener: TcpListener,
    id: u64,
    remote_port: u16,
) {
    // Connections live in the set, so stopping the forward (aborting this task) ends them.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (socket, peer) = match accepted {
                    Ok(it) => it,
                    Err(error) => {
                        shared.forwards.forget(id);
                        let _ = shared.events.send(Event::ForwardEnded {
                            forward: id,
                            reason: format!("the local listener failed: {error}"),
                        });
                        return;
                    }
                };
                if !current_pod_is_ready(&api, &pod).await {
                    match ready_pod(&session, &object).await {
                        Ok((_, next)) => {
                            tracing::info!("forward {id}: pod {pod} is gone, now {next}");
                            pod = next;
                        }
                        Err(error) => {
                            tracing::warn!("forward {id}: connection from {peer} dropped: {error}");
                            continue;
                        }
                    }
                }
                connections.spawn(connect(api.clone(), pod.clone(), remote_port, socket));
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn current_pod_is_ready(api: &Api<Pod>, name: &str) -> bool {
    matches!(timed(api.get_opt(name)).await, Ok(Some(pod)) if is_ready(&pod))
}

/// One local connection: its own port-forward stream, bytes copied both ways until either
/// side closes.
async fn connect(api: Api<Pod>, pod: String, port: u16, mut socket: TcpStream) {
    let mut forwarder = match api.portforward(&pod, &[port]).await {
        Ok(forwarder) => forwarder,
        Err(error) => {
            tracing::warn!(
                "port-forward to pod {pod}: {}",
                super::kubeconfig::describe(&error)
            );
            return;
        }
    };
    let Some(mut upstream) = forwarder.take_stream(port) else {
        return;
    };
    if let Err(error) = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await {
        tracing::debug!("port-forward to pod {pod} ended: {error}");
    }
    drop(upstream);
    let _ = forwarder.join().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(status: &serde_json::Value) -> Pod {
        serde_json::from_value(json!({"metadata": {"name": "p"}, "status": status})).expect("a pod")
    }

    #[test]
    fn only_running_ready_pods_take_traffic() {
        let ready =
            json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]});
        assert!(is_ready(&pod(&ready)));
        assert!(!is_ready(&pod(&json!({"phase": "Pending"}))));
        assert!(!is_ready(&pod(
            &json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}]})
        )));
    }
}
