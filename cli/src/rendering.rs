//! What the commands that draw a recording share: checking a time against
//! it, the failures of drawing, and telling the user which messages could
//! not be drawn (never a silent skip).

use indicatif::ProgressBar;

use tdpr_render::{RenderError, Seekable, Undrawn};

use crate::input::{unreachable, Input};
use crate::print;
use crate::progress;
use crate::status::Failure;
use crate::text::clock;

/// The recording's duration; refuses `time_us` past it.
pub fn check_within(
    input: &Input,
    recording: &impl Seekable,
    time_us: u64,
) -> Result<u64, Failure> {
    let duration = tdpr_render::duration_us(recording).map_err(|e| render_failure(input, &e))?;
    if time_us > duration {
        return Err(Failure::CannotRun(format!(
            "{} is after the end of the recording ({})",
            clock(time_us),
            clock(duration)
        )));
    }
    Ok(duration)
}

/// The failure of drawing `input`: options the renderer refuses (a speed
/// of 0) or an encoder that fails cannot run; a sink that fails is the
/// output's (a command that hands the renderer its output says which, with
/// [`crate::output::Target::write_failure`]); anything else is a fault in
/// the recording.
pub fn render_failure(input: &Input, error: &RenderError) -> Failure {
    match error {
        RenderError::Options(message) | RenderError::Output(message) => {
            Failure::CannotRun(message.clone())
        }
        RenderError::Sink(e) => Failure::CannotWrite(format!("cannot write the output: {e}")),
        // An object or a file that could not be read, not a fault in it.
        RenderError::Recording(tdpr::Error::Io(e)) => unreachable(e),
        fault => Failure::InvalidInput(format!("cannot draw {}: {fault}", input.name())),
    }
}

/// Says on standard error how many messages of each kind could not be
/// drawn, with the first error of each kind; nothing when all were drawn.
pub fn report_undrawn(undrawn: &Undrawn) {
    if undrawn.is_empty() {
        return;
    }
    let mut text = format!(
        "tdpr: {} message(s) could not be drawn (count by kind, first error):\n",
        undrawn.total()
    );
    for (kind, entry) in undrawn.kinds() {
        text.push_str(&format!(
            "  {kind}: {} (first: {})\n",
            entry.count, entry.first_error
        ));
    }
    print::err(&text);
}

/// A progress bar of `len` frames on standard error when it is a terminal.
pub fn frames_bar(len: u64) -> ProgressBar {
    progress::count(len, "frames")
}
