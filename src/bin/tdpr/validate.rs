//! `tdpr validate FILE`: check every byte of a recording.

use std::path::Path;
use std::process::ExitCode;

use tdpr::Limits;

use crate::mapped::Mapped;
use crate::CommandResult;

pub fn run(path: &Path) -> CommandResult {
    let mapped = Mapped::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match tdpr::validate(mapped.bytes(), Limits::default()) {
        Ok(valid) => {
            println!(
                "valid: {} records, {} bytes, format version {}",
                valid.records, valid.bytes, valid.version_written
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("invalid: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
