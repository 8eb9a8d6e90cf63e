//! `tdpr keyframes IN OUT [--every 10s]`: the recording rewritten with
//! full-screen keyframes at the interval and after every resize, and a new
//! index, so that players seek in it at once. Every original record is
//! kept byte for byte; running it on its own output changes nothing.

use std::path::Path;
use std::process::ExitCode;

use tdpr_render::insert_keyframes;

use crate::output::write_file;
use crate::rendering::{open, report_undrawn};
use crate::{clock, CommandResult};

pub fn run(input: &Path, output: &Path, every_us: u64) -> CommandResult {
    if every_us == 0 {
        return Err("--every must be above 0".into());
    }
    let mapped = open(input)?;
    let (bytes, inserted) = insert_keyframes(mapped.bytes(), every_us)
        .map_err(|e| format!("{}: {e}", input.display()))?;
    report_undrawn(&inserted.undrawn);
    let len = write_file(output, &[input], &bytes)?;
    println!(
        "inserted {} keyframe{} ({} bytes, {:.1} % of the output; one every {} and after each resize) into {} ({len} bytes)",
        inserted.keyframes,
        if inserted.keyframes == 1 { "" } else { "s" },
        inserted.keyframe_bytes,
        100.0 * inserted.keyframe_bytes as f64 / len.max(1) as f64,
        clock(every_us),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
