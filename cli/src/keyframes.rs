//! `tdpr keyframes IN OUT [--every 10s]`: the recording rewritten with
//! full-screen keyframes at the interval and after every resize, and a new
//! index, so that players seek in it at once. Every original record is
//! kept byte for byte; running it on its own output changes nothing. The
//! output is written as the input is read, never held in memory.

use std::io::BufWriter;
use std::path::Path;

use tdpr_render::{insert_keyframes, RenderError};

use crate::input::Input;
use crate::output::Output;
use crate::print;
use crate::rendering::{render_failure, report_undrawn};
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

pub fn run(input_path: &Path, output_path: &Path, every_us: u64) -> CommandResult {
    if every_us == 0 {
        return Err(Failure::CannotRun("--every must be above 0".into()));
    }
    let input = Input::new(input_path)?;
    let mut output = Output::create(output_path, &[&input])?;
    let mapped = input.recording()?;
    let target = output.target();
    let (_, inserted) = insert_keyframes(mapped.bytes(), every_us, BufWriter::new(&mut output))
        .map_err(|e| match e {
            RenderError::Sink(e) => target.write_failure(&e),
            other => render_failure(&input, &other),
        })?;
    report_undrawn(&inserted.undrawn);
    let len = output.commit()?;
    print::err(&format!(
        "inserted {} keyframe{} ({} bytes, {:.1} % of the output; one every {} and after each resize) into {} ({len} bytes)\n",
        inserted.keyframes,
        if inserted.keyframes == 1 { "" } else { "s" },
        inserted.keyframe_bytes,
        100.0 * inserted.keyframe_bytes as f64 / len.max(1) as f64,
        clock(every_us),
        target.name
    ));
    Ok(Status::Success)
}
