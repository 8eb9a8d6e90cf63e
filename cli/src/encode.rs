//! `tdpr encode`: canonical JSON on standard input, the recording on standard
//! output (see `tdpr::encode`).

use std::io::{Read, Write};
use std::process::ExitCode;

use crate::CommandResult;

pub fn run() -> CommandResult {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let canonical: tdpr::json::Canonical = serde_json::from_str(&text)
        .map_err(|e| format!("not the canonical JSON of a recording: {e}"))?;
    let bytes = tdpr::json::encode(&canonical).map_err(|e| e.to_string())?;
    std::io::stdout()
        .write_all(&bytes)
        .map_err(|e| format!("cannot write standard output: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
