//! The main loop: the initialize handshake, then one event at a time, and the table of
//! handlers.
//!
//! Notifications run on the loop, in arrival order. Requests about a document run on worker
//! threads from a snapshot taken when they arrive, so they see every edit sent before them, and
//! are answered for that version even when newer edits have come since: only an answer that
//! carries edits for ranges of the old version (a code action) becomes `ContentModified`.
//! Workers' results come back to the loop as tasks; the loop alone changes the state.

use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeConfiguration, DidChangeTextDocument, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, Exit, Initialized, Notification as _,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentDiagnosticRequest, DocumentSymbolRequest,
    FoldingRangeRequest, GotoDefinition, HoverRequest, Initialize, References, Request as _,
    Shutdown,
};
use lsp_types::{InitializeParams, InitializeResult, MessageType, NumberOrString, ServerInfo};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::lsp::handlers::{self, DocumentParams};
use crate::lsp::state::{DocSnapshot, RequestToken, ServerState};
use crate::lsp::task::{Pool, Task, guarded};
use crate::lsp::transport::{Incoming, Outgoing};

/// Serves one session: returns after `exit`, with an error if `shutdown` did not come first or
/// the client went away.
pub(crate) fn run(sender: &Sender<Outgoing>, receiver: &Receiver<Incoming>) -> anyhow::Result<()> {
    let Some((id, params)) = wait_for_initialize(sender, receiver) else {
        anyhow::bail!("the client left before initializing the server");
    };
    let (mut state, problems) = ServerState::new(sender.clone(), &params);
    let result = InitializeResult {
        capabilities: handlers::capabilities(state.encoding, state.delivery),
        server_info: Some(ServerInfo {
            name: "kls".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    state.send(Response::new_ok(id, result));
    state.report_problems(problems);
    state.log_message(
        MessageType::INFO,
        format!(
            "kls {} started (positions in {:?})",
            env!("CARGO_PKG_VERSION"),
            state.encoding
        ),
    );
    loop {
        match next_event(receiver, &state.task_receiver) {
            Event::Client(Incoming::Message(Message::Notification(it)))
                if it.method == Exit::METHOD =>
            {
                return if state.shutdown_requested {
                    Ok(())
                } else {
                    Err(anyhow::anyhow!("the client sent `exit` without `shutdown`"))
                };
            }
            Event::Client(Incoming::Message(message)) => on_message(&mut state, message),
            Event::Client(Incoming::Invalid(response)) => state.send_raw(response),
            Event::Task(task) => on_task(&mut state, task),
            Event::Disconnected => {
                anyhow::bail!("the client closed the connection without `exit`")
            }
        }
    }
}

/// Everything the loop reacts to.
enum Event {
    /// A message from the client, or an error owed for one it could not understand.
    Client(Incoming),
    /// A result of work done off the loop.
    Task(Task),
    /// The client's side of the connection is closed.
    Disconnected,
}

fn next_event(receiver: &Receiver<Incoming>, tasks: &Receiver<Task>) -> Event {
    select! {
        recv(receiver) -> incoming => incoming.map_or(Event::Disconnected, Event::Client),
        // The state holds a task sender, so this channel never disconnects.
        recv(tasks) -> task => task.map_or(Event::Disconnected, Event::Task),
    }
}

/// Answers everything but `initialize` with an error until it comes.
fn wait_for_initialize(
    sender: &Sender<Outgoing>,
    receiver: &Receiver<Incoming>,
) -> Option<(RequestId, InitializeParams)> {
    let send = |response: Response| {
        let _ = sender.send(Outgoing::Message(Message::Response(response)));
    };
    for incoming in receiver {
        match incoming {
            Incoming::Invalid(response) => {
                let _ = sender.send(Outgoing::Raw(response));
            }
            Incoming::Message(Message::Request(request))
                if request.method == Initialize::METHOD =>
            {
                match serde_json::from_value::<InitializeParams>(request.params) {
                    Ok(params) => return Some((request.id, params)),
                    Err(error) => send(Response::new_err(
                        request.id,
                        ErrorCode::InvalidParams as i32,
                        format!("invalid initialize parameters: {error}"),
                    )),
                }
            }
            Incoming::Message(Message::Request(request)) => send(Response::new_err(
                request.id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet".to_owned(),
            )),
            Incoming::Message(Message::Notification(it)) if it.method == Exit::METHOD => {
                return None;
            }
            Incoming::Message(_) => {}
        }
    }
    None
}

fn on_message(state: &mut ServerState, message: Message) {
    match message {
        Message::Request(request) => on_request(state, request),
        Message::Notification(notification) => on_notification(state, notification),
        // The server sends no requests, so there is nothing to match a response with.
        Message::Response(response) => tracing::debug!(id = %response.id, "ignoring a response"),
    }
}

fn on_task(state: &mut ServerState, task: Task) {
    match task {
        Task::Response {
            response,
            document,
            needs_current,
        } => {
            if state.pending.remove(&response.id).is_none() {
                // Already answered: cancelled while it was queued.
                return;
            }
            let (uri, version) = document;
            let outdated = state
                .documents
                .get(&uri)
                .is_none_or(|it| it.version != version);
            if needs_current && outdated {
                state.send(Response::new_err(
                    response.id,
                    ErrorCode::ContentModified as i32,
                    "the document changed while the request was being answered".to_owned(),
                ));
            } else {
                state.send(response);
            }
        }
        Task::Diagnostics {
            uri,
            session,
            job,
            report,
        } => state.checked(&uri, session, job, report),
        Task::Indexed {
            files,
            removed,
            stopped,
        } => state.indexed(files, &removed, stopped),
        Task::Failed {
            what,
            message,
            request,
        } => {
            state.report_crash(&what);
            if let Some(id) = request.filter(|id| state.pending.remove(id).is_some()) {
                state.send(Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("kls hit an internal error while handling {what}: {message}"),
                ));
            }
        }
    }
}

fn on_request(state: &mut ServerState, request: Request) {
    if state.shutdown_requested {
        state.send(Response::new_err(
            request.id,
            ErrorCode::InvalidRequest as i32,
            "the server is shutting down".to_owned(),
        ));
        return;
    }
    RequestDispatcher {
        state,
        request: Some(request),
    }
    .on_sync::<Shutdown>(|state, ()| {
        state.shutdown_requested = true;
        Ok(())
    })
    .on::<DocumentDiagnosticRequest>(handlers::document_diagnostic::pull)
    .on::<DocumentSymbolRequest>(handlers::document_symbol::document_symbol)
    .on::<FoldingRangeRequest>(handlers::folding_range::folding_range)
    .on::<HoverRequest>(handlers::hover::hover)
    .on::<Completion>(handlers::completion::completion)
    .on::<GotoDefinition>(handlers::navigation::definition)
    .on::<References>(handlers::navigation::references)
    .on_current::<CodeActionRequest>(handlers::code_action::code_action)
    .finish();
}

fn on_notification(state: &mut ServerState, notification: Notification) {
    NotificationDispatcher {
        state,
        notification: Some(notification),
    }
    .on::<Cancel>(|state, params| {
        let id: RequestId = match params.id {
            NumberOrString::Number(n) => n.into(),
            NumberOrString::String(s) => s.into(),
        };
        cancel(state, id);
        Ok(())
    })
    .on::<Initialized>(|_, _| Ok(()))
    .on::<DidOpenTextDocument>(handlers::sync::did_open)
    .on::<DidChangeTextDocument>(handlers::sync::did_change)
    .on::<DidCloseTextDocument>(handlers::sync::did_close)
    .on::<DidSaveTextDocument>(|_, _| Ok(()))
    .on::<DidChangeConfiguration>(handlers::configuration::did_change_configuration)
    .finish();
}

/// Answers `RequestCancelled` for a request no worker has started; one already running is
/// left to finish.
fn cancel(state: &mut ServerState, id: RequestId) {
    let Some(token) = state.pending.get(&id) else {
        return;
    };
    if token.cancel() {
        state.pending.remove(&id);
        state.send(Response::new_err(
            id,
            ErrorCode::RequestCanceled as i32,
            "the request was cancelled".to_owned(),
        ));
    }
}

struct RequestDispatcher<'a> {
    state: &'a mut ServerState,
    request: Option<Request>,
}

impl RequestDispatcher<'_> {
    /// A request answered on the loop itself.
    fn on_sync<R>(
        &mut self,
        handler: fn(&mut ServerState, R::Params) -> anyhow::Result<R::Result>,
    ) -> &mut Self
    where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned,
        R::Result: Serialize,
    {
        let Some((id, params)) = self.take::<R>() else {
            return self;
        };
        let state = &mut *self.state;
        match guarded(R::METHOD, || handler(state, params)) {
            Ok(result) => self.state.send(respond(id, R::METHOD, result)),
            Err(message) => {
                self.state.report_crash(R::METHOD);
                self.state.send(internal_error(id, R::METHOD, &message));
            }
        }
        self
    }

    /// A request about one document, answered on a worker from a snapshot, for the version
    /// current when it arrived.
    fn on<R>(
        &mut self,
        handler: fn(&DocSnapshot, R::Params) -> anyhow::Result<R::Result>,
    ) -> &mut Self
    where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned + DocumentParams + Send + 'static,
        R::Result: Serialize,
    {
        self.on_worker::<R>(handler, false)
    }

    /// Like [`Self::on`], for an answer that is of no use once the document has changed: it is
    /// then replaced by `ContentModified`.
    fn on_current<R>(
        &mut self,
        handler: fn(&DocSnapshot, R::Params) -> anyhow::Result<R::Result>,
    ) -> &mut Self
    where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned + DocumentParams + Send + 'static,
        R::Result: Serialize,
    {
        self.on_worker::<R>(handler, true)
    }

    fn on_worker<R>(
        &mut self,
        handler: fn(&DocSnapshot, R::Params) -> anyhow::Result<R::Result>,
        needs_current: bool,
    ) -> &mut Self
    where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned + DocumentParams + Send + 'static,
        R::Result: Serialize,
    {
        let Some((id, params)) = self.take::<R>() else {
            return self;
        };
        let uri = params.uri().clone();
        let Some(snapshot) = self.state.snapshot(&uri) else {
            self.state.send(Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                format!("{} is not open", uri.as_str()),
            ));
            return self;
        };
        let token = Arc::new(RequestToken::new());
        self.state.pending.insert(id.clone(), token.clone());
        let what = R::METHOD.to_owned();
        self.state
            .tasks
            .spawn(Pool::Shared, what, Some(id.clone()), move || {
                if !token.start() {
                    return None;
                }
                let result = handler(&snapshot, params);
                Some(Task::Response {
                    response: respond(id, R::METHOD, result),
                    document: (snapshot.uri, snapshot.version),
                    needs_current,
                })
            });
        self
    }

    fn take<R>(&mut self) -> Option<(RequestId, R::Params)>
    where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned,
    {
        if self.request.as_ref()?.method != R::METHOD {
            return None;
        }
        let request = self.request.take()?;
        match serde_json::from_value(request.params) {
            Ok(params) => Some((request.id, params)),
            Err(error) => {
                self.state.send(Response::new_err(
                    request.id,
                    ErrorCode::InvalidParams as i32,
                    format!("invalid parameters for {}: {error}", R::METHOD),
                ));
                None
            }
        }
    }

    fn finish(&mut self) {
        if let Some(request) = self.request.take() {
            tracing::debug!(method = request.method, "unknown request");
            self.state.send(Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("kls does not handle `{}`", request.method),
            ));
        }
    }
}

/// Turns a handler's outcome into a response.
fn respond<T: Serialize>(id: RequestId, method: &str, result: anyhow::Result<T>) -> Response {
    match result {
        Ok(value) => match serde_json::to_value(value) {
            Ok(value) => Response {
                id,
                response_result: Ok(value),
            },
            Err(error) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("{method}: {error}"),
            ),
        },
        Err(error) => {
            tracing::warn!(method, "{error:#}");
            Response::new_err(id, ErrorCode::InternalError as i32, format!("{error:#}"))
        }
    }
}

/// The answer to a request whose handler panicked.
fn internal_error(id: RequestId, method: &str, message: &str) -> Response {
    Response::new_err(
        id,
        ErrorCode::InternalError as i32,
        format!("kls hit an internal error while handling {method}: {message}"),
    )
}

struct NotificationDispatcher<'a> {
    state: &'a mut ServerState,
    notification: Option<Notification>,
}

impl NotificationDispatcher<'_> {
    fn on<N>(&mut self, handler: fn(&mut ServerState, N::Params) -> anyhow::Result<()>) -> &mut Self
    where
        N: lsp_types::notification::Notification,
        N::Params: DeserializeOwned,
    {
        let Some(notification) = self.notification.take_if(|it| it.method == N::METHOD) else {
            return self;
        };
        let params = match serde_json::from_value::<N::Params>(notification.params) {
            Ok(it) => it,
            Err(error) => {
                tracing::warn!(method = N::METHOD, %error, "ignoring a notification with invalid parameters");
                self.state.log_message(
                    MessageType::WARNING,
                    format!("ignored {} with invalid parameters: {error}", N::METHOD),
                );
                return self;
            }
        };
        let state = &mut *self.state;
        match guarded(N::METHOD, || handler(state, params)) {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                tracing::warn!(method = N::METHOD, "{error:#}");
                self.state
                    .log_message(MessageType::WARNING, format!("{}: {error:#}", N::METHOD));
            }
            Err(_) => self.state.report_crash(N::METHOD),
        }
        self
    }

    fn finish(&mut self) {
        if let Some(notification) = self.notification.take() {
            tracing::debug!(
                method = notification.method,
                "ignoring an unknown notification"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use lsp_types::notification::{DidSaveTextDocument, ShowMessage};

    use super::*;

    #[test]
    fn a_panicking_request_is_answered_with_an_internal_error() {
        let (sender, receiver) = crossbeam_channel::unbounded();
        let (mut state, _) = ServerState::new(sender, &InitializeParams::default());
        let id = RequestId::from(3);
        state
            .pending
            .insert(id.clone(), Arc::new(RequestToken::new()));
        let failed = Task::Failed {
            what: "textDocument/hover".to_owned(),
            message: "boom".to_owned(),
            request: Some(id),
        };
        on_task(&mut state, failed);
        let error = receiver
            .try_iter()
            .find_map(|it| match it {
                Outgoing::Message(Message::Response(response)) => response.response_result.err(),
                _ => None,
            })
            .expect("an answer");
        assert_eq!(error.code, ErrorCode::InternalError as i32);
        assert!(error.message.contains("boom"), "{}", error.message);
        assert!(state.pending.is_empty());
    }

    #[test]
    fn only_answers_that_need_the_current_version_become_content_modified() {
        let (sender, receiver) = crossbeam_channel::unbounded();
        let (mut state, _) = ServerState::new(sender, &InitializeParams::default());
        let uri: lsp_types::Uri = "file:///x.yaml".parse().unwrap();
        state.open(&uri, 1, "a: b\n");
        // The document is at version 1; both answers were computed for version 0.
        for (id, needs_current) in [(1, false), (2, true)] {
            let id = RequestId::from(id);
            state
                .pending
                .insert(id.clone(), Arc::new(RequestToken::new()));
            let response = Response {
                id,
                response_result: Ok(serde_json::Value::Null),
            };
            let task = Task::Response {
                response,
                document: (uri.clone(), 0),
                needs_current,
            };
            on_task(&mut state, task);
        }
        let answers: Vec<Response> = receiver
            .try_iter()
            .filter_map(|it| match it {
                Outgoing::Message(Message::Response(response)) => Some(response),
                _ => None,
            })
            .collect();
        assert_eq!(answers.len(), 2);
        assert!(answers[0].response_result.is_ok(), "{:?}", answers[0]);
        let error = answers[1].response_result.as_ref().unwrap_err();
        assert_eq!(error.code, ErrorCode::ContentModified as i32);
    }

    #[test]
    fn only_a_queued_request_can_be_cancelled() {
        let queued = RequestToken::new();
        assert!(queued.cancel());
        assert!(!queued.start(), "a cancelled request does not run");
        let running = RequestToken::new();
        assert!(running.start());
        assert!(!running.cancel(), "a running request is left to finish");
    }

    #[test]
    fn a_panicking_notification_is_shown_once_and_the_loop_goes_on() {
        let (sender, receiver) = crossbeam_channel::unbounded();
        let (mut state, _) = ServerState::new(sender, &InitializeParams::default());
        for _ in 0..2 {
            let notification =
                Notification::new(DidSaveTextDocument::METHOD.to_owned(), json_params());
            NotificationDispatcher {
                state: &mut state,
                notification: Some(notification),
            }
            .on::<DidSaveTextDocument>(|_, _| panic!("boom"));
        }
        let shown = receiver
            .try_iter()
            .filter(|it| matches!(it, Outgoing::Message(Message::Notification(n)) if n.method == ShowMessage::METHOD))
            .count();
        assert_eq!(shown, 1);
    }

    fn json_params() -> serde_json::Value {
        serde_json::json!({ "textDocument": { "uri": "file:///x.yaml" } })
    }
}
