//! JSON-RPC messages framed with `Content-Length` headers on stdin/stdout.
//!
//! lsp-server's own stdio reader stops at the first message it cannot parse, which ends the
//! session. This reader answers a malformed message with a JSON-RPC error (through the main loop,
//! so the answer is ordered with the others) and keeps reading.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message};
use serde_json::{Value, json};

/// Bodies larger than this are skipped rather than read into memory.
const MAX_BODY: usize = 512 << 20;

/// What the reader hands to the main loop.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// The error response owed for a message that could not be understood.
    Invalid(Value),
}

/// What the writer sends to the client.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// A message.
    Message(Message),
    /// A message lsp-server cannot express, such as an error response with a `null` id.
    Raw(Value),
}

impl From<Message> for Outgoing {
    fn from(message: Message) -> Self {
        Outgoing::Message(message)
    }
}

/// The two ends of the connection and the writer thread.
pub(crate) struct Transport {
    pub(crate) sender: Sender<Outgoing>,
    pub(crate) receiver: Receiver<Incoming>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl Transport {
    /// Waits until everything sent so far is written. Every other clone of `sender` must be
    /// dropped first.
    pub(crate) fn finish(self) {
        drop(self.sender);
        match self.writer.join() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "writing to the client failed"),
            Err(_) => tracing::error!("the writer thread panicked"),
        }
        // The reader thread may be blocked on stdin; it ends with the process.
    }
}

/// Starts the reader and writer threads on stdin and stdout.
pub(crate) fn stdio() -> Transport {
    let (to_loop, receiver) = crossbeam_channel::unbounded();
    let (sender, to_client) = crossbeam_channel::unbounded::<Outgoing>();
    let spawn_failed = "the OS refused to start a thread for the language server";
    thread::Builder::new()
        .name("kls-lsp-reader".to_owned())
        .spawn(move || {
            let stdin = io::stdin();
            if let Err(error) = read_loop(&mut stdin.lock(), &to_loop) {
                tracing::error!(%error, "reading from the client failed");
            }
        })
        .expect(spawn_failed);
    let writer = thread::Builder::new()
        .name("kls-lsp-writer".to_owned())
        .spawn(move || {
            let stdout = io::stdout();
            write_loop(&mut stdout.lock(), &to_client)
        })
        .expect(spawn_failed);
    Transport {
        sender,
        receiver,
        writer,
    }
}

/// Reads messages until the input ends, the loop stops listening, or after `exit`.
pub(crate) fn read_loop(input: &mut impl BufRead, to_loop: &Sender<Incoming>) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        let incoming = match read_frame(input, &mut line)? {
            Frame::End => return Ok(()),
            Frame::Skipped => continue,
            Frame::Body(body) => decode(&body),
        };
        let is_exit = matches!(&incoming, Incoming::Message(Message::Notification(it)) if it.method == "exit");
        if to_loop.send(incoming).is_err() || is_exit {
            return Ok(());
        }
    }
}

fn write_loop(output: &mut impl Write, to_client: &Receiver<Outgoing>) -> io::Result<()> {
    for outgoing in to_client {
        match outgoing {
            Outgoing::Message(message) => message.write(output)?,
            Outgoing::Raw(value) => {
                let body = serde_json::to_string(&value)?;
                write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
                output.flush()?;
            }
        }
    }
    Ok(())
}

enum Frame {
    /// The input is over.
    End,
    /// Headers that could not be used; nothing to answer.
    Skipped,
    /// A message body.
    Body(Vec<u8>),
}

fn read_frame(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        line.clear();
        if input.read_until(b'\n', line)? == 0 {
            return Ok(Frame::End);
        }
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            // A stray blank line between messages.
            continue;
        }
        saw_header = true;
        // Look for the header anywhere on the line, so that a body which was not followed by a
        // line break does not swallow the next message's header.
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            if let Ok(it) = value.parse::<usize>() {
                length = Some(it);
            } else {
                tracing::warn!(
                    header = text,
                    "ignoring a Content-Length that is not a number"
                );
            }
        } else if !text.contains(':') {
            tracing::warn!(line = text, "ignoring a line that is not a header");
        }
    }
    let Some(length) = length else {
        tracing::warn!("skipping a message without a Content-Length header");
        return Ok(Frame::Skipped);
    };
    if length > MAX_BODY {
        tracing::warn!(length, "skipping a message that is too large");
        let skipped = io::copy(&mut Read::take(&mut *input, length as u64), &mut io::sink())?;
        return Ok(if skipped < length as u64 {
            Frame::End
        } else {
            Frame::Skipped
        });
    }
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Ok(Frame::Body(body)),
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => Ok(Frame::End),
        Err(error) => Err(error),
    }
}

fn decode(body: &[u8]) -> Incoming {
    if let Ok(message) = serde_json::from_slice::<Message>(body) {
        return Incoming::Message(message);
    }
    let (code, message, id) = match serde_json::from_slice::<Value>(body) {
        Err(error) => (
            ErrorCode::ParseError,
            format!("the message is not valid JSON: {error}"),
            Value::Null,
        ),
        Ok(value) => {
            let id = value
                .get("id")
                .filter(|it| it.is_number() || it.is_string())
                .cloned()
                .unwrap_or(Value::Null);
            (
                ErrorCode::InvalidRequest,
                "the message is not a JSON-RPC request, response or notification".to_owned(),
                id,
            )
        }
    };
    tracing::warn!(%message, "answering a malformed message with an error");
    Incoming::Invalid(json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &str) -> Vec<Incoming> {
        let (sender, receiver) = crossbeam_channel::unbounded();
        read_loop(&mut io::Cursor::new(input.as_bytes()), &sender).unwrap();
        drop(sender);
        receiver.into_iter().collect()
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":{}}"#),
            "garbage line\r\n".to_owned(),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
        ]
        .concat();
        let got = read_all(&input);
        assert_eq!(got.len(), 3, "{got:?}");
        let Incoming::Invalid(parse_error) = &got[0] else {
            panic!("{got:?}")
        };
        assert_eq!(parse_error["error"]["code"], -32700);
        assert_eq!(parse_error["id"], Value::Null);
        let Incoming::Invalid(invalid) = &got[1] else {
            panic!("{got:?}")
        };
        assert_eq!(invalid["error"]["code"], -32600);
        assert_eq!(invalid["id"], 7);
        assert!(
            matches!(&got[2], Incoming::Message(Message::Request(it)) if it.method == "shutdown")
        );
    }

    #[test]
    fn a_body_without_line_break_does_not_hide_the_next_header() {
        // The first length is one short, so `}` runs into the next header line.
        let input = format!(
            "Content-Length: 1\r\n\r\n{{}}{}",
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)
        );
        let got = read_all(&input);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(matches!(&got[0], Incoming::Invalid(_)));
        assert!(
            matches!(&got[1], Incoming::Message(Message::Notification(it)) if it.method == "exit")
        );
    }

    #[test]
    fn a_truncated_message_ends_the_input() {
        let got = read_all("Content-Length: 50\r\n\r\n{}");
        assert!(got.is_empty());
    }
}
