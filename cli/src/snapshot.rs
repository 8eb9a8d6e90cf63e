//! `tdpr snapshot FILE --at 1:23.5 -o shot.png [--no-pointer]`: the screen
//! at a time as a PNG image, drawn from the nearest keyframe through the
//! index (from the start when the recording has none).

use std::io::Write;
use std::path::Path;

use tdpr_render::Playback;

use crate::input::Input;
use crate::output::Output;
use crate::print;
use crate::rendering::{check_within, render_failure, report_undrawn};
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

pub fn run(file: &Path, at_us: u64, out: &Path, with_pointer: bool) -> CommandResult {
    let input = Input::new(file)?;
    let mut output = Output::create(out, &[&input])?;
    let mapped = input.recording()?;
    let recording = mapped
        .recording()
        .map_err(|e| Failure::InvalidInput(format!("{}: {e}", input.name())))?;
    check_within(&input, &recording, at_us)?;
    let playback = Playback::at(&recording, at_us).map_err(|e| render_failure(&input, &e))?;
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
        .map_err(|e| render_failure(&input, &e))?;
    let target = output.target();
    output
        .write_all(&png)
        .map_err(|e| target.write_failure(&e))?;
    let len = output.commit()?;
    print::err(&format!(
        "wrote the screen at {} ({} × {}) to {} ({len} bytes)\n",
        clock(at_us),
        screen.width(),
        screen.height(),
        target.name
    ));
    Ok(Status::Success)
}
