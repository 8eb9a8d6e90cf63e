//! `tdpr validate FILE`: check every byte of a recording, the container
//! (spec/format.md, section 10) and then every frame's TDP message (10.1).

use std::path::Path;
use std::process::ExitCode;

use crate::CommandResult;
use tdpr::RecordingFile;

pub fn run(path: &Path) -> CommandResult {
    if let Some(location) = crate::remote::location(path)? {
        return crate::remote::validate(&location);
    }
    let mapped =
        RecordingFile::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match tdpr::validate_frames(mapped.bytes()) {
        Ok((valid, _)) => {
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
