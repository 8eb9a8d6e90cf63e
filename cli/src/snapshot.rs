//! `tdpr snapshot FILE --at 1:23.5 -o shot.png [--no-pointer]`: the screen
//! at a time as a PNG image, drawn from the nearest keyframe through the
//! index (from the start when the recording has none). An object named by
//! URL is read by range: its two ends, then from the keyframe to the time.

use std::io::Write;
use std::path::Path;

use tdpr_render::{Playback, Seekable};
use tdpr_store::ObjectSource;

use crate::info_index::open_by_range;
use crate::input::{unreachable, Input};
use crate::output::Output;
use crate::print;
use crate::rendering::{check_within, render_failure, report_undrawn};
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

pub fn run(file: &Path, at_us: u64, out: &Path, with_pointer: bool) -> CommandResult {
    let input = Input::new(file)?;
    let mut output = Output::create(out, &[&input])?;
    let shot = match input.location() {
        // An object is read by range: its ends, then the keyframe before
        // the time and the records up to it.
        Some(location) => {
            let source = ObjectSource::new(location).map_err(unreachable)?;
            draw(
                &input,
                &open_by_range(&input, &source)?,
                at_us,
                with_pointer,
            )?
        }
        None => {
            let mapped = input.recording()?;
            let recording = mapped
                .recording()
                .map_err(|e| Failure::InvalidInput(format!("{}: {e}", input.name())))?;
            draw(&input, &recording, at_us, with_pointer)?
        }
    };
    let target = output.target();
    output
        .write_all(&shot.png)
        .map_err(|e| target.write_failure(&e))?;
    let len = output.commit()?;
    print::err(&format!(
        "wrote the screen at {} ({} × {}) to {} ({len} bytes)\n",
        clock(at_us),
        shot.width,
        shot.height,
        target.name
    ));
    Ok(Status::Success)
}

/// A screen drawn as a PNG image.
struct Shot {
    png: Vec<u8>,
    width: u32,
    height: u32,
}

/// The screen of `recording` at `at_us`, from the nearest keyframe, as a
/// PNG image; what could not be drawn is reported.
fn draw(
    input: &Input,
    recording: &impl Seekable,
    at_us: u64,
    with_pointer: bool,
) -> Result<Shot, Failure> {
    check_within(input, recording, at_us)?;
    let playback = Playback::still(recording, at_us).map_err(|e| render_failure(input, &e))?;
    let screen = playback.screen();
    report_undrawn(screen.undrawn());
    if screen.width() == 0 {
        return Err(Failure::InvalidInput(format!(
            "the screen of {} has no size yet at {}: nothing to draw",
            input.name(),
            clock(at_us)
        )));
    }
    let png = screen
        .to_png(with_pointer)
        .map_err(|e| render_failure(input, &e))?;
    Ok(Shot {
        png,
        width: screen.width(),
        height: screen.height(),
    })
}
