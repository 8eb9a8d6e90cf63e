//! The exit statuses of `tdpr`, defined once.
//!
//! Why it exists: a script or an auditor reads the exit status before any
//! text, so every command must mean the same thing by it. A command returns
//! a [`Status`] when it did its work (a verdict included) or a [`Failure`]
//! when it could not; [`crate::main`] turns either into the process's exit
//! status, and [`EXIT_STATUS_HELP`] is what `tdpr --help` and the README say
//! about them.

use std::process::ExitCode;

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The work is done: the input was whole and valid, every output is
    /// complete.
    Success,
    /// The input is invalid or damaged (a verdict), or the work stopped at a
    /// fault in it; what was written says so.
    Invalid,
    /// SIGINT or SIGTERM ended the work; standard error says what was kept.
    Interrupted,
}

/// Why a command could not do its work; the message goes to standard error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The input is not what the command needs: not a recording, encrypted,
    /// empty, or holding what the output cannot carry. Exit status 1.
    InvalidInput(String),
    /// An output could not be written (a full disk, a folder that does not
    /// exist); the destination is left as it was. Exit status 1, as the
    /// work failed on the way.
    CannotWrite(String),
    /// The command cannot start: a usage error, an input that cannot be
    /// read (missing, a directory), an output that is an input. Exit
    /// status 2.
    CannotRun(String),
    /// Whoever read standard output stopped reading (`tdpr dump … | head`):
    /// the command ends quietly with status 0, as other Unix tools do.
    ClosedPipe,
}

/// What every command returns.
pub type CommandResult = Result<Status, Failure>;

/// The exit statuses, as `tdpr --help` lists them.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
  0    success: the input is valid and every output is complete
  1    the input is invalid or damaged (validate, info, dump), or the work
       stopped at a fault in it (import: the output holds everything before
       it), or it holds what the output cannot carry (export), or conformance
       cases failed, or an output could not be written (a full disk): the
       destination is left as it was
  2    the command could not start: a usage error, an input that cannot be
       read (missing, a directory), an output that is one of the inputs
  130  interrupted by SIGINT or SIGTERM; standard error says what was kept

Every output file is written beside its destination and renamed into place
once complete: a failed or interrupted command leaves an existing file as it
was. `-` names standard input or standard output.";

impl Status {
    /// The process's exit status.
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Status::Success => 0,
            Status::Invalid => 1,
            Status::Interrupted => INTERRUPTED,
        })
    }
}

/// The exit status of an interrupted command: 128 + SIGINT, as shells report
/// a command that SIGINT ended.
pub const INTERRUPTED: u8 = 130;

impl Failure {
    /// The process's exit status.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::InvalidInput(_) | Failure::CannotWrite(_) => 1,
            Failure::CannotRun(_) => 2,
            Failure::ClosedPipe => 0,
        })
    }

    /// The message for standard error; none for a closed pipe.
    pub fn message(&self) -> Option<&str> {
        match self {
            Failure::InvalidInput(message)
            | Failure::CannotWrite(message)
            | Failure::CannotRun(message) => Some(message),
            Failure::ClosedPipe => None,
        }
    }
}
