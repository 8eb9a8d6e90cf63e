//! `tdpr clip FILE --from T --to T -o OUT`: cut a verifiable excerpt out of
//! a signed recording (spec/signing.md 7).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use tdpr::RecordingFile;
use tdpr_sign::clip;

use crate::new_file::write_new_file;
use crate::{clock, CommandResult};

pub fn run(input: &Path, from: Duration, to: Duration, output: &Path) -> CommandResult {
    let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
    if from > to {
        return Err("--from is after --to".into());
    }
    let mapped =
        RecordingFile::open(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let excerpt = write_new_file(output, &[input], |sink| {
        clip(mapped.bytes(), micros(from), micros(to), sink)
            .map_err(|e| format!("cannot clip {}: {e}", input.display()))
    })?;
    println!(
        "wrote {} ({} bytes): {} records from {} to {}, proven against checkpoint {}{} with {} intervals ({} bytes of proof)",
        output.display(),
        excerpt.written_bytes,
        excerpt.records,
        clock(excerpt.first_us),
        clock(excerpt.last_us),
        excerpt.anchor_sequence,
        if excerpt.anchor_final { " (final)" } else { " (not final: the original is unfinished)" },
        excerpt.intervals,
        excerpt.proof_bytes
    );
    Ok(ExitCode::SUCCESS)
}
