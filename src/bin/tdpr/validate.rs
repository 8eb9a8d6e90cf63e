//! `tdpr validate FILE`: check every byte of a recording, the container
//! (spec/format.md, section 10) and then every frame's TDP message (10.1).

use std::path::Path;
use std::process::ExitCode;

use tdpr::Limits;

use crate::mapped::Mapped;
use crate::CommandResult;

pub fn run(path: &Path) -> CommandResult {
    let mapped = Mapped::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let result = tdpr::validate(mapped.bytes(), Limits::default()).and_then(|valid| {
        let recording = tdpr::Recording::parse(mapped.bytes())?;
        match tdpr::census(&recording).fault {
            Some(fault) => Err(fault),
            None => Ok(valid),
        }
    });
    match result {
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
