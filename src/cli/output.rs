//! Writing to stdout, for every command: the one place that decides what a failed write means.
//!
//! - A closed pipe (`kls rules | head`) is not an error: the reader has what it wanted. kls
//!   stops writing, says nothing, and exits with the code the command would have had anyway
//!   (`0` for `kls rules`, the lint result for `kls lint`), as ripgrep does. Rust ignores
//!   `SIGPIPE`, so the write fails with `BrokenPipe` instead of killing the process; a tool
//!   killed by the signal would exit 141, which makes `set -o pipefail` scripts fail for a
//!   `head` that stopped reading early.
//! - Any other failure (a full disk, `> /dev/full`) is an error of kls: it is said on stderr
//!   and the exit code is `2`, since the output is incomplete.

#![allow(clippy::print_stderr)]

use std::io::{self, Write};
use std::process::ExitCode;

/// Writes to stdout (buffered, flushed at the end). `Ok` when everything was written or the
/// reader closed the pipe; on any other failure the error is reported and the exit code to
/// use is returned.
pub(crate) fn to_stdout(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = write(&mut out).and_then(|()| out.flush());
    match result {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            // Nothing more can reach stdout; what is left in the buffer is dropped.
            let _ = out.into_parts();
            error_line(&format!("writing the output: {error}"));
            Err(ExitCode::from(2))
        }
    }
}

/// Prints `kls: error: <message>` on stderr. A stderr that cannot be written is left alone:
/// there is nowhere else to say it.
pub(crate) fn error_line(message: &str) {
    let _ = writeln!(io::stderr().lock(), "kls: error: {message}");
}

/// Prints a note about the run (not about a manifest) on stderr, for an output format whose
/// stdout is for programs.
pub(crate) fn note_line(message: &str) {
    let _ = writeln!(io::stderr().lock(), "kls: note: {message}");
}
