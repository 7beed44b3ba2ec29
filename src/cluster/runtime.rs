//! The runtime thread: a current-thread tokio runtime that takes requests from the handle,
//! runs each as its own task and sends the answers back as events.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::Sender;
use tokio::sync::mpsc;

use super::forward::Forwards;
use super::kubeconfig::{self, Session};
use super::{ClusterError, ClusterSettings, Command, Event, Outcome};

/// One command with its id and target.
pub(super) struct Request {
    pub id: u64,
    pub settings: ClusterSettings,
    pub command: Command,
}

/// The handle's side of the runtime thread.
pub(super) struct Worker {
    commands: Option<mpsc::UnboundedSender<Request>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    pub(super) fn spawn(events: Sender<Event>) -> Worker {
        let (commands, receiver) = mpsc::unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("kls-cluster".to_owned())
            .spawn(move || run(receiver, events));
        let thread = match thread {
            Ok(thread) => Some(thread),
            Err(error) => {
                tracing::error!("cannot start the cluster thread: {error}");
                None
            }
        };
        Worker {
            commands: Some(commands),
            thread,
        }
    }

    /// Queues a request; never blocks.
    pub(super) fn send(&self, request: Request) {
        if let Some(commands) = &self.commands
            && commands.send(request).is_err()
        {
            tracing::error!("the cluster thread has stopped");
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the dispatcher; the runtime then drops every task,
        // port-forwards included.
        self.commands = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What every task of the runtime shares.
pub(super) struct Shared {
    pub events: Sender<Event>,
    sessions: tokio::sync::Mutex<HashMap<ClusterSettings, Arc<Session>>>,
    pub forwards: Forwards,
}

impl Shared {
    /// The session for these settings, made (and the cluster probed) on first use. A failed
    /// attempt is not kept, so a fixed kubeconfig works on the next command.
    pub async fn session(&self, settings: &ClusterSettings) -> Result<Arc<Session>, ClusterError> {
        let mut sessions = self.sessions.lock().await;
        if let Some(session) = sessions.get(settings) {
            return Ok(session.clone());
        }
        let session = Arc::new(kubeconfig::connect(settings).await?);
        sessions.insert(settings.clone(), session.clone());
        Ok(session)
    }

    /// Forgets every session.
    pub async fn forget_all(&self) {
        self.sessions.lock().await.clear();
    }

    /// Forgets a session whose connection failed, so that the next command starts afresh.
    pub async fn forget(&self, settings: &ClusterSettings) {
        self.sessions.lock().await.remove(settings);
    }
}

fn run(mut receiver: mpsc::UnboundedReceiver<Request>, events: Sender<Event>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("kls-cluster")
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let message = format!("cannot start the cluster runtime: {error}");
            while let Some(request) = receiver.blocking_recv() {
                let _ = events.send(Event::Finished {
                    id: request.id,
                    result: Err(ClusterError(message.clone())),
                });
            }
            return;
        }
    };
    let shared = Arc::new(Shared {
        events,
        sessions: tokio::sync::Mutex::new(HashMap::new()),
        forwards: Forwards::default(),
    });
    runtime.block_on(async {
        while let Some(request) = receiver.recv().await {
            let shared = shared.clone();
            let id = request.id;
            let task = tokio::spawn(handle(shared.clone(), request));
            // A task that panics still answers its request.
            tokio::spawn(async move {
                if task.await.is_err() {
                    let _ = shared.events.send(Event::Finished {
                        id,
                        result: Err(ClusterError(
                            "internal error in the cluster client".to_owned(),
                        )),
                    });
                }
            });
        }
    });
    // Plugins still running in the blocking pool are not waited for long.
    runtime.shutdown_timeout(Duration::from_millis(500));
}

async fn handle(shared: Arc<Shared>, request: Request) {
    let Request {
        id,
        settings,
        command,
    } = request;
    let result = execute(&shared, id, &settings, command).await;
    if let Err(error) = &result {
        tracing::debug!("cluster request {id} failed: {error}");
    }
    let _ = shared.events.send(Event::Finished { id, result });
}

async fn execute(
    shared: &Arc<Shared>,
    id: u64,
    settings: &ClusterSettings,
    command: Command,
) -> Result<Outcome, ClusterError> {
    match command {
        Command::Contexts => kubeconfig::contexts(settings),
        Command::ListPortForwards => Ok(Outcome::Forwards(shared.forwards.list())),
        Command::Reconnect => {
            shared.forget_all().await;
            Ok(Outcome::Done)
        }
        Command::StopPortForward { forward } => Ok(Outcome::Stopped(shared.forwards.stop(forward))),
        command => {
            let session = shared.session(settings).await?;
            let result = super::ops::run(shared, id, &session, command).await;
            if result
                .as_ref()
                .is_err_and(|error| error.0.contains(kubeconfig::UNREACHABLE))
            {
                shared.forget(settings).await;
            }
            result
        }
    }
}
