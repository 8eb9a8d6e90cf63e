//! Standard output and standard error, written without panicking.
//!
//! Why it exists: `println!` panics when standard output is a closed pipe
//! (`tdpr info … | head -c10`) or a full disk (`> /dev/full`). Commands
//! instead build their text (`fmt::Write` into a `String` cannot fail) and
//! hand it to [`out`], or stream through [`Stdout`]; a closed pipe becomes
//! [`Failure::ClosedPipe`] (a quiet exit 0), any other error a message and
//! exit 1. Standard output carries only what was asked for: reports of
//! commands that write files, warnings and errors go to standard error
//! through [`err`]. The crate denies `print!` and `eprint!` to keep it so.

use std::io::{self, BufWriter, StdoutLock, Write};

use crate::status::Failure;

/// Writes `text` to standard output.
pub fn out(text: &str) -> Result<(), Failure> {
    let mut stdout = Stdout::new();
    stdout.write_all(text.as_bytes()).map_err(stdout_failure)?;
    stdout.finish()
}

/// Writes `text` to standard error. A failure to write there has nowhere
/// to be reported, so it is ignored.
pub fn err(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Standard output, buffered, for long outputs (`tdpr dump`).
pub struct Stdout(BufWriter<StdoutLock<'static>>);

impl Stdout {
    /// Standard output, locked for this command.
    pub fn new() -> Self {
        Stdout(BufWriter::with_capacity(1 << 16, io::stdout().lock()))
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> Result<(), Failure> {
        self.0.flush().map_err(stdout_failure)
    }
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// The failure of a write to standard output: quiet for a closed pipe.
pub fn stdout_failure(error: io::Error) -> Failure {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Failure::ClosedPipe
    } else {
        Failure::CannotWrite(format!("cannot write standard output: {error}"))
    }
}
