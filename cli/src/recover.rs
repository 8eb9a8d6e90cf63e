//! `tdpr recover IN OUT`: complete a cut-off or damaged recording.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

use tdpr::Limits;

use crate::{same_file, CommandResult};
use tdpr::RecordingFile;

pub fn run(input: &Path, output: &Path) -> CommandResult {
    if same_file(input, output) {
        return Err("the output must not be the input".into());
    }
    let mapped =
        RecordingFile::open(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let file =
        File::create(output).map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let mut sink = BufWriter::new(file);
    let recovery = tdpr::recover(mapped.bytes(), &mut sink, Limits::default())
        .map_err(|e| format!("nothing to recover from {}: {e}", input.display()))?;
    sink.into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(|e| e.to_string())?;
    println!(
        "recovered {} records ({} bytes) into {} ({} bytes)",
        recovery.records,
        recovery.kept_bytes,
        output.display(),
        recovery.written_bytes
    );
    match &recovery.fault {
        Some(fault) => println!(
            "stopped at {fault}; dropped {} bytes",
            recovery.dropped_bytes
        ),
        None if recovery.dropped_bytes > 0 => {
            println!(
                "dropped {} bytes of the old index and trailer",
                recovery.dropped_bytes
            )
        }
        None => {}
    }
    Ok(ExitCode::SUCCESS)
}
