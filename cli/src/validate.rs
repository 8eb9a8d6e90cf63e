//! `tdpr validate FILE [--level container|tdp] [--json]`: check every byte
//! of a recording, the container (spec/format.md, section 10) and then, at
//! the default level, every frame's TDP message (10.1). The pass is the one
//! `tdpr info` makes ([`crate::summary::check`]), so both report one first
//! fault. An object (a URL) is streamed once ([`Input::pass`]).

use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;

use crate::input::{Input, Pass};
use crate::status::{CommandResult, Status};
use crate::summary::{check, check_stream, Fault, Level};
use crate::text::count;
use crate::{diagnosis, print, progress};

/// What `tdpr validate --json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ValidateReport {
    /// The recording, as named on the command line (`-`: standard input).
    pub file: String,
    /// The level checked.
    pub level: Level,
    /// Whether the recording is valid at that level.
    pub valid: bool,
    /// Size of the file.
    pub bytes: u64,
    /// Records of a valid recording, the metadata, index and trailer
    /// included.
    pub records: Option<u64>,
    /// The header's `version_written`, of a valid recording.
    pub version_written: Option<u16>,
    /// The first fault, of an invalid recording.
    pub fault: Option<Fault>,
}

pub fn run(path: &Path, level: Level, json: bool) -> CommandResult {
    let input = Input::new(path)?;
    let mut pass = input.pass()?;
    let bytes = pass.size();
    let bar = progress::bytes(Some(bytes));
    let progress = |at: u64| bar.set_position(at);
    let verdict = match &mut pass {
        Pass::Whole(file) => check(file, level, &progress).verdict(),
        Pass::Stream(stream) => {
            check_stream(stream.opened.clone(), &mut stream.reader, level, &progress).verdict()
        }
    };
    bar.finish_and_clear();
    let report = ValidateReport {
        file: path.display().to_string(),
        level,
        valid: verdict.is_ok(),
        bytes,
        records: verdict.as_ref().ok().map(|v| v.records),
        version_written: verdict.as_ref().ok().map(|v| v.version_written),
        fault: verdict.as_ref().err().map(Fault::of),
    };
    let levels = match level {
        Level::Container => "the container",
        Level::Tdp => "the container and every TDP message",
    };
    let text = match (&verdict, json) {
        (_, true) => serde_json::to_string_pretty(&report).expect("a report serializes") + "\n",
        (Ok(valid), false) => format!(
            "valid: {}, {}, format version {} (checked {levels})\n",
            count(valid.records, "record", "records"),
            count(valid.bytes, "byte", "bytes"),
            valid.version_written
        ),
        (Err(fault), false) => format!(
            "invalid: {fault}{}\n",
            diagnosis::advice(&input, pass.head(), fault)
        ),
    };
    print::out(&text)?;
    Ok(if verdict.is_ok() {
        Status::Success
    } else {
        Status::Invalid
    })
}
