//! What to tell a user about the fault that stops a command on their input:
//! what the file looks like when it is no recording at all, or that
//! `tdpr recover` can save the records before the fault.

use tdpr::{ErrorClass, Limits, Scan};

use crate::file_kind;
use crate::input::Input;
use crate::output::Target;
use crate::status::Failure;

/// Words to add after a fault of the recording `bytes`: what the file looks
/// like when it is not a tdpr file; else, when recovery can keep the
/// records before the fault (the header and metadata read), how to recover
/// them. Empty, or a clause starting "; ".
pub fn advice(input: &Input, bytes: &[u8], fault: &tdpr::Error) -> String {
    if !bytes.starts_with(&tdpr::format::SIGNATURE) {
        return file_kind::describe(&bytes[..bytes.len().min(file_kind::SNIFF_LEN)])
            .map(|looks| format!("; {looks}"))
            .unwrap_or_default();
    }
    let recoverable = fault.class() != ErrorClass::Io
        && Scan::new(bytes, Limits::default(), Default::default()).is_ok();
    if recoverable {
        format!(
            "; `tdpr recover {} FIXED.tdpr` writes a finished recording of every record \
             before the fault",
            input.argument()
        )
    } else {
        String::new()
    }
}

/// The failure of a command whose input is not a readable recording; a
/// command that writes `output` says it left it alone.
pub fn unreadable(
    input: &Input,
    bytes: &[u8],
    fault: &tdpr::Error,
    output: Option<&Target>,
) -> Failure {
    let unchanged = output
        .map(|target| format!("; {}", target.unchanged()))
        .unwrap_or_default();
    Failure::InvalidInput(format!(
        "{} is not a readable recording: {fault}{}{unchanged}",
        input.name(),
        advice(input, bytes, fault)
    ))
}
