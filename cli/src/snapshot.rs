//! `tdpr snapshot FILE --at 1:23.5 -o shot.png [--no-pointer]`: the screen
//! at a time as a PNG image, drawn from the nearest keyframe through the
//! index (from the start when the recording has none).

use std::path::Path;
use std::process::ExitCode;

use tdpr_render::Playback;

use crate::output::write_file;
use crate::rendering::{check_within, open, report_undrawn};
use crate::{clock, CommandResult};

pub fn run(file: &Path, at_us: u64, out: &Path, with_pointer: bool) -> CommandResult {
    let mapped = open(file)?;
    let recording = mapped
        .recording()
        .map_err(|e| format!("{}: {e}", file.display()))?;
    check_within(&recording, at_us)?;
    let playback =
        Playback::at(&recording, at_us).map_err(|e| format!("{}: {e}", file.display()))?;
    let screen = playback.screen();
    report_undrawn(screen.undrawn());
    if screen.width() == 0 {
        return Err(format!(
            "the screen has no size yet at {}: nothing to draw",
            clock(at_us)
        ));
    }
    let png = screen.to_png(with_pointer).map_err(|e| e.to_string())?;
    let len = write_file(out, &[file], &png)?;
    println!(
        "wrote the screen at {} ({} × {}) to {} ({len} bytes)",
        clock(at_us),
        screen.width(),
        screen.height(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
