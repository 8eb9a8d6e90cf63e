//! `tdpr recover IN OUT`: complete a cut-off or damaged recording.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

use tdpr::Limits;

use crate::{remote, same_file, CommandResult};
use tdpr::RecordingFile;

pub fn run(input: &Path, output: &Path) -> CommandResult {
    if same_file(input, output) {
        return Err("the output must not be the input".into());
    }
    let mapped = match remote::location(input)? {
        Some(location) => remote::recover_input(&location)?,
        None => RecordingFile::open(input)
            .map_err(|e| format!("cannot read {}: {e}", input.display()))?,
    };
    let recovery = match remote::location(output)? {
        Some(location) => remote::recover_to(&mapped, &location)?,
        None => recover_to_file(&mapped, input, output)?,
    };
    report(&recovery, output);
    Ok(ExitCode::SUCCESS)
}

fn recover_to_file(
    mapped: &RecordingFile,
    input: &Path,
    output: &Path,
) -> Result<tdpr::Recovery, String> {
    let file =
        File::create(output).map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let mut sink = BufWriter::new(file);
    let recovery = tdpr::recover(mapped.bytes(), &mut sink, Limits::default())
        .map_err(|e| format!("nothing to recover from {}: {e}", input.display()))?;
    sink.into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(|e| e.to_string())?;
    Ok(recovery)
}

fn report(recovery: &tdpr::Recovery, output: &Path) {
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
}
