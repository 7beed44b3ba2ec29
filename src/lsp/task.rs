//! Work done off the main loop, and what it sends back.
//!
//! A worker never changes the server's state and never writes to the client: it computes from
//! a snapshot and returns a [`Task`] to the main loop, which alone owns the open documents and
//! the workspace index, drops results about versions that have been replaced, runs the checks
//! across files and publishes. Everything that runs off the loop goes through
//! [`Tasks::spawn`], so that a panic in it is caught, logged and reported to the loop rather
//! than lost or fatal.
//!
//! Other sources of results (a client of a cluster, say) send their tasks through the same
//! channel with [`Tasks::send`] and are handled by the loop like any other.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{RequestId, Response};
use lsp_types::Uri;

use crate::lsp::diagnostics::FileReport;
use crate::lsp::workspace::FileObjects;

/// What work off the loop sends back to it.
pub(crate) enum Task {
    /// The answer to a request about a document as it was at a version.
    Response {
        response: Response,
        document: (Uri, i32),
        /// Whether the answer is of no use once the document has changed (it carries edits
        /// for ranges of that version), and must then be replaced by `ContentModified`.
        needs_current: bool,
    },
    /// A document's own diagnostics (ranges in bytes of its text), from diagnostics job `job`
    /// of opening `session` of the document.
    Diagnostics {
        uri: Uri,
        session: u64,
        job: u64,
        report: FileReport,
    },
    /// Files read from disk (`removed`: files that no longer count), and why the reading
    /// stopped early, if it did.
    Indexed {
        files: Vec<FileObjects>,
        removed: Vec<Uri>,
        stopped: Option<String>,
    },
    /// Work off the loop panicked (already logged): `what` it was doing, the panic's message,
    /// and the request left without an answer, if any.
    Failed {
        what: String,
        message: String,
        request: Option<RequestId>,
    },
}

/// Where a job runs.
#[derive(Clone, Copy)]
pub(crate) enum Pool {
    /// The shared thread pool: short jobs (a check, an answer).
    Shared,
    /// A thread of its own, with this name: long jobs (reading the workspace) that must not
    /// hold up the short ones.
    Thread(&'static str),
}

/// The sending side of the loop's channel of tasks.
#[derive(Clone)]
pub(crate) struct Tasks {
    sender: Sender<Task>,
}

impl Tasks {
    pub(crate) fn new() -> (Self, Receiver<Task>) {
        let (sender, receiver) = crossbeam_channel::unbounded();
        (Self { sender }, receiver)
    }

    /// Sends a task to the loop. Fails only when the loop has ended, and then nobody waits
    /// for it.
    pub(crate) fn send(&self, task: Task) {
        let _ = self.sender.send(task);
    }

    /// Runs `job` off the loop and sends the task it returns, if any. A panic becomes
    /// [`Task::Failed`] about `what` (and `request`, which is then still owed an answer).
    pub(crate) fn spawn<F>(&self, pool: Pool, what: String, request: Option<RequestId>, job: F)
    where
        F: FnOnce() -> Option<Task> + Send + 'static,
    {
        let tasks = self.clone();
        let run = move || {
            let task = match guarded(&what, job) {
                Ok(task) => task,
                Err(message) => Some(Task::Failed {
                    what,
                    message,
                    request,
                }),
            };
            if let Some(task) = task {
                tasks.send(task);
            }
        };
        match pool {
            Pool::Shared => rayon::spawn(run),
            Pool::Thread(name) => {
                let thread = std::thread::Builder::new()
                    .name(name.to_owned())
                    .stack_size(crate::core::limits::WORKER_STACK_SIZE);
                if let Err(error) = thread.spawn(run) {
                    tracing::error!(%error, name, "cannot start a thread");
                }
            }
        }
    }
}

/// Runs `f`, catching a panic: its message is logged (about `what`) and returned.
pub(crate) fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let message = panic_message(&*panic).to_owned();
        tracing::error!(what, panic = message, "panicked");
        message
    })
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_is_reported_with_the_request_it_owes() {
        let (tasks, receiver) = Tasks::new();
        tasks.spawn(
            Pool::Shared,
            "hover".to_owned(),
            Some(RequestId::from(7)),
            || panic!("boom"),
        );
        tasks.spawn(Pool::Thread("kls-test"), "nothing".to_owned(), None, || {
            None
        });
        let task = receiver
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("a task");
        let Task::Failed {
            what,
            message,
            request,
        } = task
        else {
            panic!("not a failure");
        };
        assert_eq!(what, "hover");
        assert_eq!(message, "boom");
        assert_eq!(request, Some(RequestId::from(7)));
        // The job that returned nothing sent nothing.
        assert!(
            receiver
                .recv_timeout(std::time::Duration::from_millis(200))
                .is_err()
        );
    }
}
