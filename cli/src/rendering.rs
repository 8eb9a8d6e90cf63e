//! What the commands that draw a recording share: opening it, and telling
//! the user which messages could not be drawn (never a silent skip).

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use tdpr::{Recording, RecordingFile};
use tdpr_render::Undrawn;

use crate::clock;

/// Opens (maps) the recording at `path`.
pub fn open(path: &Path) -> Result<RecordingFile, String> {
    RecordingFile::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The recording's duration; refuses `time_us` past it.
pub fn check_within(recording: &Recording<'_>, time_us: u64) -> Result<u64, String> {
    let duration = tdpr_render::duration_us(recording).map_err(|e| e.to_string())?;
    if time_us > duration {
        return Err(format!(
            "{} is after the end of the recording ({})",
            clock(time_us),
            clock(duration)
        ));
    }
    Ok(duration)
}

/// Prints on standard error how many messages of each kind could not be
/// drawn, with the first error of each kind; nothing when all were drawn.
pub fn report_undrawn(undrawn: &Undrawn) {
    if undrawn.is_empty() {
        return;
    }
    eprintln!(
        "tdpr: {} message(s) could not be drawn (count by kind, first error):",
        undrawn.total()
    );
    for (kind, entry) in undrawn.kinds() {
        eprintln!("  {kind}: {} (first: {})", entry.count, entry.first_error);
    }
}

/// A progress bar of `len` frames on standard error when it is a terminal;
/// hidden otherwise.
pub fn frames_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    ProgressBar::new(len).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} frames {per_sec} {eta}")
            .expect("a valid template"),
    )
}
