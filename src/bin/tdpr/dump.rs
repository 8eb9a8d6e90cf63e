//! `tdpr dump FILE`: print the canonical JSON form of a recording.

use std::path::Path;
use std::process::ExitCode;

use tdpr::Limits;

use crate::mapped::Mapped;
use crate::CommandResult;

pub fn run(path: &Path) -> CommandResult {
    let mapped = Mapped::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value = tdpr::dump(mapped.bytes(), Limits::default());
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    println!("{text}");
    let finished = value["end"]["state"] == "finished";
    Ok(if finished {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
