//! `tdpr encode`: canonical JSON on standard input, the recording on standard
//! output (see `tdpr::encode`).

use std::io::{Read, Write};
use std::path::Path;

use crate::input::{Input, STDIO};
use crate::output::Output;
use crate::status::{CommandResult, Failure, Status};

pub fn run() -> CommandResult {
    let stdin = Input::new(Path::new(STDIO))?;
    let mut output = Output::create(Path::new(STDIO), &[&stdin])?;
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::CannotRun(format!("cannot read standard input: {e}")))?;
    let canonical: tdpr::json::Canonical = serde_json::from_str(&text).map_err(|e| {
        Failure::InvalidInput(format!("not the canonical JSON of a recording: {e}"))
    })?;
    let bytes = tdpr::json::encode(&canonical)
        .map_err(|e| Failure::InvalidInput(format!("cannot encode the recording: {e}")))?;
    output
        .write_all(&bytes)
        .map_err(|e| output.target().write_failure(&e))?;
    output.commit()?;
    Ok(Status::Success)
}
