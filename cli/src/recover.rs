//! `tdpr recover IN OUT [--json]`: complete a cut-off or damaged recording.
//!
//! IN may be an object a recorder was uploading when it died
//! (`tdpr_store::MultipartSink`): the upload's journal beside it names the
//! parts uploaded, and the upload is completed with them first, so the
//! object holds every byte uploaded and is then recovered as any cut-off
//! file is.

use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;
use tdpr::Limits;
use tdpr_store::Location;

use crate::input::{unreachable, Input};
use crate::output::Output;
use crate::status::{CommandResult, Failure, Status};
use crate::summary::Fault;
use crate::text::count;
use crate::{diagnosis, json_needs_stdout, print, progress};

/// What `tdpr recover --json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecoverReport {
    /// The damaged recording, as named on the command line.
    pub input: String,
    /// The recovered recording, as named on the command line.
    pub output: String,
    /// Records kept, the metadata included.
    pub records: u64,
    /// Bytes of the input kept, byte for byte (header and records).
    pub kept_bytes: u64,
    /// Bytes of the input dropped: a torn record, what followed the fault,
    /// or the old index and trailer.
    pub dropped_bytes: u64,
    /// Size of the recovered recording.
    pub written_bytes: u64,
    /// The fault that ended the good records, if one did.
    pub fault: Option<Fault>,
}

pub fn run(input_path: &Path, output_path: &Path, json: bool) -> CommandResult {
    json_needs_stdout(output_path, json)?;
    let input = Input::new(input_path)?;
    let mut output = Output::create(output_path, &[&input])?;
    if let Some(location) = input.location() {
        complete_interrupted_upload(location)?;
    }
    let file = input.recording()?;
    let bar = progress::bytes(Some(file.bytes().len() as u64));
    let recovery =
        tdpr::recover_with_progress(file.bytes(), &mut output, Limits::default(), &mut |at| {
            bar.set_position(at)
        });
    bar.finish_and_clear();
    let recovery = match recovery {
        Ok(recovery) => recovery,
        Err(tdpr::Error::Io(e)) => return Err(output.target().write_failure(&e)),
        Err(fault) => {
            let target = output.target();
            return Err(diagnosis::unreadable(
                &input,
                file.bytes(),
                &fault,
                Some(&target),
            ));
        }
    };
    let target = output.target();
    output.commit()?;
    let report = RecoverReport {
        input: input_path.display().to_string(),
        output: output_path.display().to_string(),
        records: recovery.records,
        kept_bytes: recovery.kept_bytes,
        dropped_bytes: recovery.dropped_bytes,
        written_bytes: recovery.written_bytes,
        fault: recovery.fault.as_ref().map(Fault::of),
    };
    let mut text = format!(
        "recovered {} ({}) into {} ({})\n",
        count(report.records, "record", "records"),
        count(report.kept_bytes, "byte", "bytes"),
        target.name,
        count(report.written_bytes, "byte", "bytes")
    );
    match &recovery.fault {
        Some(fault) => {
            text += &format!(
                "stopped at {fault}; dropped {}\n",
                count(report.dropped_bytes, "byte", "bytes")
            )
        }
        None if report.dropped_bytes > 0 => {
            text += &format!(
                "dropped {} of the old index and trailer\n",
                count(report.dropped_bytes, "byte", "bytes")
            )
        }
        None => {}
    }
    if json {
        print::out(&(serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"))?;
    } else {
        print::err(&text);
    }
    Ok(Status::Success)
}

/// Completes the multipart upload a dead recorder left at `location`, if its
/// journal is there, and says so.
fn complete_interrupted_upload(location: &Location) -> Result<(), Failure> {
    if let Some(journal) = tdpr_store::complete_interrupted(location).map_err(unreachable)? {
        print::err(&format!(
            "completed the interrupted upload {} of {location}: {} part{} of {} bytes\n",
            journal.upload_id,
            journal.parts.len(),
            if journal.parts.len() == 1 { "" } else { "s" },
            journal.part_size
        ));
    }
    Ok(())
}
